"""JSON routes of two-sided perception (docs/api.md, "Two-sided perception"): make one-time
links for customers, give the owner's estimate, read one relationship's two sides and their gap,
and the book view of gaps. Managers reach every relationship; agents their own."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import status as http_status

from goodwill.database import utcnow
from goodwill.dependencies import AppSettings, CurrentMember, DbSession
from goodwill.errors import PermissionDenied
from goodwill.organisations.models import Member
from goodwill.perception import book, flows, gaps, service
from goodwill.perception.schemas import (
    Answer,
    GapBook,
    RelationshipPerception,
    SurveyRequestCreate,
    SurveyRequestResult,
)

router = APIRouter(tags=["perception"])

WindowDays = Annotated[int, Query(ge=1, le=730, description="compare answers from these days")]
Threshold = Annotated[
    int, Query(ge=1, le=gaps.MAX_GAP, description="points of shortfall that make a blind spot")
]


@router.post(
    "/perception/requests",
    response_model=SurveyRequestResult,
    status_code=http_status.HTTP_201_CREATED,
)
def create_requests(
    request: Request,
    db: DbSession,
    member: CurrentMember,
    settings: AppSettings,
    request_in: SurveyRequestCreate,
) -> SurveyRequestResult:
    """One-time links for the selected relationships; their tokens are shown here only. With
    ``send_email`` each goes to its customer by e-mail once the links are stored."""
    result, outgoing = flows.ask(
        db=db, request_in=request_in, caller=member, base_url=str(request.base_url)
    )
    flows.email_after_request(request, db, settings, outgoing)
    return result


@router.get("/relationships/{relationship_id}/perception", response_model=RelationshipPerception)
def get_perception(
    db: DbSession,
    member: CurrentMember,
    relationship_id: uuid.UUID,
    window_days: WindowDays = gaps.DEFAULT_WINDOW_DAYS,
    threshold: Threshold = gaps.DEFAULT_THRESHOLD,
) -> RelationshipPerception:
    """Both sides' latest answers (dated) and, when both are from the window, their gap."""
    relationship = service.get_relationship(db=db, relationship_id=relationship_id, member=member)
    return service.relationship_perception(
        db=db, relationship=relationship, window_days=window_days, threshold=threshold
    )


@router.put(
    "/relationships/{relationship_id}/perception/owner", response_model=RelationshipPerception
)
def put_owner_estimate(
    db: DbSession, member: CurrentMember, relationship_id: uuid.UUID, answer_in: Answer
) -> RelationshipPerception:
    """The owner's estimate of how the customer sees it (the owner or a manager); each PUT is a
    new dated estimate, the latest is the one compared."""
    relationship = service.get_relationship(db=db, relationship_id=relationship_id, member=member)
    service.estimate(db=db, relationship=relationship, member=member, answer=answer_in)
    return service.relationship_perception(db=db, relationship=relationship)


def book_owner(member: Member, owner_member_id: uuid.UUID | None) -> uuid.UUID | None:
    """Managers see the whole book (or one owner's); an agent sees their own."""
    if service.is_manager(member):
        return owner_member_id
    if owner_member_id not in (None, member.id):
        raise PermissionDenied("owner_member_id: an agent sees only their own relationships")
    return member.id


@router.get("/perception/gaps", response_model=GapBook)
def list_gaps(
    db: DbSession,
    member: CurrentMember,
    owner_member_id: uuid.UUID | None = None,
    window_days: WindowDays = gaps.DEFAULT_WINDOW_DAYS,
    threshold: Threshold = gaps.DEFAULT_THRESHOLD,
    blind_spots_only: bool = False,
    cursor: str | None = None,
    limit: int = 50,
) -> GapBook:
    """Relationships whose two sides answered in the window, largest gaps first, with the
    distribution and mean gap per question and the same per owner over the whole book."""
    return book.gap_book(
        db=db,
        as_of=utcnow(),
        window_days=window_days,
        threshold=threshold,
        owner_member_id=book_owner(member, owner_member_id),
        blind_spots_only=blind_spots_only,
        cursor=cursor,
        limit=limit,
    )
