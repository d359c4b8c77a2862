"""JSON routes of the feedback loop: suggestions, ideas (merge, split, status), the personal
closing-the-loop drafts (edit, send) and the loop metrics."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi import status as http_status
from pydantic import AwareDatetime
from sqlalchemy.orm import Session

from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.errors import InvalidInput
from goodwill.feedback import flows, reporting, service
from goodwill.feedback.models import Idea, LoopDraft
from goodwill.feedback.schemas import (
    DeliveryRead,
    DraftDetail,
    DraftList,
    DraftRead,
    DraftSend,
    DraftUpdate,
    IdeaCreate,
    IdeaDetail,
    IdeaMerge,
    IdeaPage,
    IdeaRead,
    IdeaSplit,
    IdeaStatus,
    IdeaUpdate,
    LoopMetricsRead,
    StatusChangeRead,
    SuggestionCreate,
    SuggestionRead,
)
from goodwill.pagination import paginate

router = APIRouter(tags=["feedback"])


def get_transport(request: Request) -> flows.Transport:
    """How drafts leave: SMTP and HTTP as configured (tests override this dependency)."""
    return flows.Transport(settings=request.app.state.settings)


SendTransport = Annotated[flows.Transport, Depends(get_transport)]


def _detail(db: Session, idea: Idea, drafts_prepared: int = 0) -> IdeaDetail:
    weight = service.weigh(db=db, idea_ids=[idea.id])[idea.id]
    return IdeaDetail.model_validate(
        {
            **_plain(idea),
            "weight": weight,
            "suggestions": [
                SuggestionRead.model_validate(s)
                for s in service.suggestions_of(db=db, idea_id=idea.id)
            ],
            "history": [
                StatusChangeRead.model_validate(h)
                for h in service.history_of(db=db, idea_id=idea.id)
            ],
            "drafts_prepared": drafts_prepared,
        }
    )


_IDEA_FIELDS = (
    "id",
    "title",
    "status",
    "public_note",
    "owner_member_id",
    "tracker_url",
    "merged_into_id",
    "status_changed_at",
    "created_at",
    "updated_at",
)


def _plain(idea: Idea) -> dict[str, object]:
    return {name: getattr(idea, name) for name in _IDEA_FIELDS}


def _draft(db: Session, draft: LoopDraft) -> DraftDetail:
    deliveries = flows.deliveries_of(db=db, draft_id=draft.id)
    return DraftDetail.model_validate(
        {
            **DraftRead.model_validate(draft).model_dump(),
            "deliveries": [DeliveryRead.model_validate(d) for d in deliveries],
        }
    )


@router.get("/ideas", response_model=IdeaPage)
def list_ideas(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    status: IdeaStatus | None = None,
    include_merged: bool = False,
) -> IdeaPage:
    """Ideas, newest first, each with its weight (customers, segments, revenue)."""
    stmt = service.query_ideas(status=status, include_merged=include_merged)
    rows, next_cursor = paginate(
        db, stmt, keys=[Idea.id], cursor=cursor, limit=limit, descending=True
    )
    weights = service.weigh(db=db, idea_ids=[r.id for r in rows])
    items = [IdeaRead.model_validate(_plain(r) | {"weight": weights[r.id]}) for r in rows]
    return IdeaPage(items=items, next_cursor=next_cursor)


@router.post("/ideas", response_model=IdeaDetail, status_code=http_status.HTTP_201_CREATED)
def create_idea(db: DbSession, member: CurrentMember, idea_in: IdeaCreate) -> IdeaDetail:
    idea = service.create_idea(db=db, idea_in=idea_in, member_id=member.id)
    return _detail(db, idea)


@router.get("/ideas/{idea_id}", response_model=IdeaDetail)
def get_idea(db: DbSession, _: CurrentMember, idea_id: uuid.UUID) -> IdeaDetail:
    """An idea with its suggestions (in the customers' words) and its status history."""
    return _detail(db, service.get_idea(db=db, idea_id=idea_id))


@router.patch("/ideas/{idea_id}", response_model=IdeaDetail)
def update_idea(
    db: DbSession, member: ManagerMember, idea_id: uuid.UUID, idea_in: IdeaUpdate
) -> IdeaDetail:
    """Change title, status, public note, owner or tracker URL. A change of status to planned,
    shipped or declined prepares one draft per customer who asked (``drafts_prepared``)."""
    idea = service.get_idea(db=db, idea_id=idea_id)
    changed = service.update_idea(db=db, idea=idea, idea_in=idea_in, member_id=member.id)
    prepared = flows.prepare_drafts(db=db, idea=idea, member_id=member.id) if changed else []
    return _detail(db, idea, len(prepared))


@router.post("/ideas/{idea_id}/merge", response_model=IdeaDetail)
def merge_ideas(
    db: DbSession, member: ManagerMember, idea_id: uuid.UUID, merge_in: IdeaMerge
) -> IdeaDetail:
    """Merge other ideas into this one: their suggestions (and customers) move here."""
    target = service.get_idea(db=db, idea_id=idea_id)
    service.merge_ideas(db=db, target=target, source_ids=merge_in.idea_ids, member_id=member.id)
    return _detail(db, target)


@router.post("/ideas/{idea_id}/split", response_model=IdeaDetail)
def split_idea(
    db: DbSession, member: ManagerMember, idea_id: uuid.UUID, split_in: IdeaSplit
) -> IdeaDetail:
    """Move suggestions out of this idea into a new idea (or ``into_idea_id``); returns that one."""
    idea = service.get_idea(db=db, idea_id=idea_id)
    target = service.split_idea(
        db=db,
        idea=idea,
        suggestion_ids=split_in.suggestion_ids,
        title=split_in.title,
        into_idea_id=split_in.into_idea_id,
        member_id=member.id,
    )
    return _detail(db, target)


@router.get("/ideas/{idea_id}/drafts", response_model=DraftList)
def list_drafts(db: DbSession, _: CurrentMember, idea_id: uuid.UUID) -> DraftList:
    """The closing-the-loop drafts of an idea, with the coach's score and findings."""
    service.get_idea(db=db, idea_id=idea_id)
    drafts = flows.drafts_of(db=db, idea_id=idea_id)
    return DraftList(items=[DraftRead.model_validate(d) for d in drafts])


@router.patch("/loop-drafts/{draft_id}", response_model=DraftDetail)
def edit_draft(
    db: DbSession, member: CurrentMember, draft_id: uuid.UUID, draft_in: DraftUpdate
) -> DraftDetail:
    """New words for a draft; the coach reviews them again (409 once it was sent)."""
    draft = flows.get_draft(db=db, draft_id=draft_id)
    return _draft(db, flows.edit_draft(db=db, draft=draft, draft_in=draft_in, member_id=member.id))


@router.post(
    "/loop-drafts/{draft_id}/send",
    response_model=DraftDetail,
    responses={
        409: {"description": "high-severity findings without override, or no way to reach"},
        502: {"description": "every delivery attempt failed (logged in deliveries)"},
    },
)
def send_draft(
    db: DbSession,
    member: ManagerMember,
    draft_id: uuid.UUID,
    transport: SendTransport,
    response: Response,
    send_in: DraftSend | None = None,
) -> DraftDetail:
    """Send the draft once (a second call returns it unchanged and sends nothing)."""
    draft = flows.get_draft(db=db, draft_id=draft_id)
    override = send_in.override if send_in is not None else False
    flows.send_draft(
        db=db, draft=draft, member_id=member.id, override=override, transport=transport
    )
    if draft.state == "failed":
        response.status_code = http_status.HTTP_502_BAD_GATEWAY
    return _draft(db, draft)


@router.post(
    "/suggestions", response_model=SuggestionRead, status_code=http_status.HTTP_201_CREATED
)
def create_suggestion(
    db: DbSession, member: CurrentMember, suggestion_in: SuggestionCreate
) -> SuggestionRead:
    """A suggestion entered by hand; it joins the most similar idea, or starts one."""
    suggestion = service.create_suggestion(db=db, suggestion_in=suggestion_in, member_id=member.id)
    idea = service.get_idea(db=db, idea_id=suggestion.idea_id)
    flows.prepare_drafts(db=db, idea=idea, member_id=member.id)
    return SuggestionRead.model_validate(suggestion)


@router.get("/feedback/metrics", response_model=LoopMetricsRead)
def loop_metrics(
    db: DbSession,
    _: CurrentMember,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    period: Literal["month", "week"] = "month",
) -> LoopMetricsRead:
    """Share of suggestions acknowledged with their outcome, median hours until the customer
    heard back, ideas shipped from customer suggestions: overall, by period and by team."""
    if start is not None and end is not None and end <= start:
        raise InvalidInput("to: must be after from")
    return LoopMetricsRead.model_validate(
        reporting.loop_metrics(db=db, start=start, end=end, period=period)
    )
