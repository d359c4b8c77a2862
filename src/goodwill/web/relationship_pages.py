"""The relationships board and the relationship page, with its forms: add a note, add a
promise, change the owner. Every POST checks the CSRF token, redirects after success, and on a
mistake shows the page again with what to correct beside the form.

The page's reply coach answers the customer's latest inbound message; beside it, the published
response frameworks that fit that message and the relationship (the suggestion flow of
``POST /api/v1/frameworks/suggest``, top three). "Use" records a ``used`` event, then
``?framework=<id>`` fills one for this relationship and message (the flow of
``POST /api/v1/frameworks/{id}/fill``) and opens it as the coach's draft, its personal slots still
marked."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill import ingest
from goodwill.coach.schemas import MAX_TEXT
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.frameworks import flows as framework_flows
from goodwill.frameworks import outcomes as framework_outcomes
from goodwill.frameworks import service as framework_service
from goodwill.frameworks.schemas import UsageCreate
from goodwill.interactions import service as interaction_service
from goodwill.interactions.models import Interaction
from goodwill.interactions.schemas import InteractionCreate
from goodwill.pagination import paginate
from goodwill.relationships import alive, commitments, engine, nextconv
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Commitment, Relationship, StageHistory
from goodwill.relationships.schemas import CommitmentCreate, RelationshipUpdate
from goodwill.types import Channel, Direction, InteractionKind
from goodwill.web import board, queries
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.chart import stage_chart
from goodwill.web.coach_pages import marked
from goodwill.web.coach_pages import review as coach_review
from goodwill.web.paging import Pager, count
from goodwill.web.render import label, render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
TIMELINE_SIZE = 25
PROMISE_SIZE = 20
NOTE_MAX = 10_000
SUGGESTED = 3


@router.get("/relationships", response_model=None)
def relationships_board(request: Request, db: PageDb, page: CurrentPage) -> Response:
    params = dict(request.query_params)
    error = None
    try:
        q = board.BoardQuery.parse(params)
    except InvalidInput as exc:
        q, error = board.BoardQuery(), str(exc)
    return _board(request, db, page, q, error, 200 if error is None else 422)


def _board(
    request: Request,
    db: Session,
    page: PageContext,
    q: board.BoardQuery,
    error: str | None,
    code: int,
) -> Response:
    found = board.page(db=db, q=q, me=page.member.id, as_of=utcnow())
    context = {
        **page.values("relationships"),
        "q": q,
        "found": found,
        "error": error,
        "options": _options(db),
        "views": board.saved_views(db=db, member_id=page.member.id),
        "sorts": list(board.SORTS),
    }
    return render(request, "relationships.html", context, status_code=code)


def _options(db: Session) -> dict[str, list[tuple[str, str]]]:
    """(value, shown) pairs for the board's menus."""
    found = board.choices(db=db)
    out = {name: [(v, label(v)) for v in values] for name, values in found.items()}
    members = [(str(m.id), m.user.display_name) for m in queries.members(db=db)]
    out["owner"] = [("me", "Me"), ("none", "Nobody"), *members]
    return out


@router.post("/relationships/views", response_model=None)
def save_view(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    q = board.BoardQuery.parse({k: v for k, v in form.items() if isinstance(v, str)})
    try:
        board.save_view(db=db, member_id=page.member.id, name=str(form.get("name", "")), query=q)
    except InvalidInput as exc:
        return _board(request, db, page, q, str(exc), 422)
    return RedirectResponse(f"/relationships?{q.query_string(page=1)}", status_code=303)


@router.post("/relationships/views/delete", response_model=None)
def delete_view(db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    board.delete_view(db=db, member_id=page.member.id, name=str(form.get("name", "")))
    return RedirectResponse("/relationships", status_code=303)


@router.get("/relationships/{relationship_id}", response_model=None)
def relationship_page(
    request: Request, db: PageDb, page: CurrentPage, relationship_id: uuid.UUID
) -> Response:
    rel = relationship_service.get(db=db, relationship_id=relationship_id)
    route = "GET /relationships/{relationship_id}"
    viewed(request, page, target_type="relationships", target_id=rel.id, route=route)
    return _relationship(request, db, page, rel, {}, {}, 200)


def _timeline(db: Session, rel: Relationship, cursor: str | None) -> dict[str, Any]:
    stmt = interaction_service.query_all(customer_id=rel.customer_id)
    keys = [Interaction.occurred_at, Interaction.id]
    rows, next_cursor = paginate(
        db, stmt, keys=keys, cursor=cursor, limit=TIMELINE_SIZE, descending=True
    )
    analyses = queries.analyses(db=db, interaction_ids=[r.id for r in rows])
    return {"timeline": rows, "analyses": analyses, "next_cursor": next_cursor}


def _promises(db: Session, rel: Relationship, params: dict[str, str]) -> dict[str, Any]:
    stmt = commitments.query_for_relationship(relationship_id=rel.id)
    total = count(db, stmt)
    pager = Pager.of(params, "promises_page", total, PROMISE_SIZE)
    ordered = stmt.order_by(Commitment.created_at.desc(), Commitment.id.desc())
    rows = db.scalars(ordered.limit(PROMISE_SIZE).offset(pager.offset(PROMISE_SIZE)))
    return {"promises": list(rows), "promise_pager": pager}


def _relationship(
    request: Request,
    db: Session,
    page: PageContext,
    rel: Relationship,
    errors: dict[str, str],
    values: dict[str, str],
    code: int,
) -> Response:
    now = utcnow()
    params = dict(request.query_params)
    history = db.execute(
        engine.stage_history(relationship_id=rel.id)
        .with_only_columns(StageHistory.stage, StageHistory.valid_from)
        .order_by(StageHistory.valid_from, StageHistory.id)
    )
    stages = list(history)
    trust = engine.current_trust(db=db, relationship=rel)
    context = {
        **page.values("relationships"),
        "rel": rel,
        "customer": db.get(Customer, rel.customer_id),
        "members": queries.members(db=db),
        "stages": stages,
        "chart": stage_chart(stages, now),
        "trust": trust,
        "alive": trust.get(alive.TRUST_KEY),
        "alive_fit": alive.stored_fit(db=db),
        "tasks": nextconv.tasks(db=db, relationship_id=rel.id, as_of=now),
        "errors": errors,
        "values": values,
        "now": now,
        **_timeline(db, rel, params.get("cursor") or None),
        **_promises(db, rel, params),
        **_coach_panel(db, page, rel, params.get("framework", "")),
    }
    return render(request, "relationship.html", context, status_code=code)


def _latest_inbound(db: Session, rel: Relationship) -> tuple[uuid.UUID, str] | None:
    """The customer's latest inbound message with a body: its id and text."""
    stmt = (
        select(Interaction.id, Interaction.body)
        .where(
            Interaction.customer_id == rel.customer_id,
            Interaction.direction == "inbound",
            Interaction.body.is_not(None),
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    )
    row = db.execute(stmt).first()
    return (row[0], row[1] or "") if row is not None else None


def _coach_panel(
    db: Session, page: PageContext, rel: Relationship, framework: str
) -> dict[str, Any]:
    """The coach form, ready to answer the customer's latest message, with the frameworks that
    fit it; ``framework`` (an id, from ``?framework=``) is filled and opened as the draft."""
    latest = _latest_inbound(db, rel)
    message = latest[1][:MAX_TEXT] if latest else ""
    values = {"relationship_id": str(rel.id), "customer_message": message}
    panel: dict[str, Any] = {
        "coach_values": values,
        "verdict": None,
        "findings": [],
        "pieces": [],
        "max_text": MAX_TEXT,
        "has_message": latest is not None,
        "suggestions": _suggestions(db, page, rel, latest[0] if latest else None),
        "using": None,
    }
    if framework.strip():
        filled = _fill(db, page, rel, _framework_id(framework), latest[0] if latest else None)
        values["reply"] = filled.rendered.text[:MAX_TEXT]
        panel["using"] = filled
        if message.strip() and values["reply"].strip():
            verdict = coach_review(db, message, values["reply"], rel.id)
            panel["verdict"], panel["findings"] = verdict, list(verdict["findings"])
            panel["pieces"] = marked(values["reply"], panel["findings"])
    return panel


def _suggestions(
    db: Session, page: PageContext, rel: Relationship, interaction_id: uuid.UUID | None
) -> list[Any]:
    """The published frameworks that best fit the latest message, best first (not recorded as
    suggested: a page view is not a suggestion shown to a helpdesk)."""
    if interaction_id is None or not framework_flows.library(db=db).candidates:
        return []
    found = framework_flows.suggest_for(
        db=db,
        interaction_id=interaction_id,
        relationship_id=rel.id,
        member=page.member,
        limit=SUGGESTED,
        record=False,
    )
    return found.items


def _framework_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw.strip())
    except ValueError:
        raise InvalidInput("framework: not a framework's id (choose one from the list)") from None


def _fill(
    db: Session,
    page: PageContext,
    rel: Relationship,
    framework_id: uuid.UUID,
    interaction_id: uuid.UUID | None,
) -> framework_flows.Filled:
    """The framework filled for this relationship and message (404 when not this
    organisation's, as everywhere)."""
    return framework_flows.fill(
        db=db,
        framework=framework_service.get(db=db, framework_id=framework_id),
        member=page.member,
        relationship_id=rel.id,
        interaction_id=interaction_id,
    )


def _back(rel: Relationship, anchor: str) -> Response:
    return RedirectResponse(f"/relationships/{rel.id}#{anchor}", status_code=303)


@router.post("/relationships/{relationship_id}/frameworks/{framework_id}/use", response_model=None)
def use_framework(
    db: PageDb,
    page: CurrentPage,
    _: CheckedForm,
    relationship_id: uuid.UUID,
    framework_id: uuid.UUID,
) -> Response:
    """Record that the operator took this framework for the latest message (the framework's
    outcomes count it), then open it filled in the coach panel."""
    rel = relationship_service.get(db=db, relationship_id=relationship_id)
    framework = framework_service.get(db=db, framework_id=framework_id)
    latest = _latest_inbound(db, rel)
    usage = UsageCreate(
        event="used", relationship_id=rel.id, interaction_id=latest[0] if latest else None
    )
    framework_outcomes.record(db=db, framework=framework, member=page.member, usage_in=usage)
    return RedirectResponse(
        f"/relationships/{rel.id}?framework={framework.id}#coach", status_code=303
    )


@router.post("/relationships/{relationship_id}/notes", response_model=None)
def add_note(
    request: Request,
    db: PageDb,
    page: CurrentPage,
    form: CheckedForm,
    relationship_id: uuid.UUID,
    background: BackgroundTasks,
) -> Response:
    """A note is an interaction of kind ``note`` (internal, channel ``other``), by the member."""
    rel = relationship_service.get(db=db, relationship_id=relationship_id)
    text = str(form.get("note", "")).strip()
    if not text or len(text) > NOTE_MAX:
        error = f"Write the note (1 to {NOTE_MAX:,} characters), then press Add note."
        return _relationship(request, db, page, rel, {"note": error}, {"note": text}, 422)
    note = InteractionCreate(
        customer_id=rel.customer_id,
        kind=InteractionKind.NOTE,
        channel=Channel.OTHER,
        direction=Direction.INTERNAL,
        occurred_at=utcnow(),
        body=text,
        author_name=page.member.user.display_name,
        author_email=page.member.user.email,
    )
    interaction_service.create(db=db, interaction_in=note)
    ingest.after_response(request, background, page.member.organisation_id)
    return _back(rel, "timeline")


def _due(raw: str) -> datetime | None:
    """A due time from a datetime-local field, read as UTC; ``None`` when left empty."""
    if not raw.strip():
        return None
    try:
        return datetime.fromisoformat(raw.strip()).replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput("Due: give a date and time, e.g. 2026-12-24 17:00") from None


@router.post("/relationships/{relationship_id}/promises", response_model=None)
def add_promise(
    request: Request,
    db: PageDb,
    page: CurrentPage,
    form: CheckedForm,
    relationship_id: uuid.UUID,
) -> Response:
    rel = relationship_service.get(db=db, relationship_id=relationship_id)
    values = {k: str(form.get(k, "")) for k in ("promise", "due_at")}
    try:
        commitment_in = CommitmentCreate(
            text=values["promise"].strip(), due_at=_due(values["due_at"])
        )
    except InvalidInput as exc:
        return _relationship(request, db, page, rel, {"promise": str(exc)}, values, 422)
    except ValidationError:
        error = "What was promised: write it in 1 to 2,000 characters."
        return _relationship(request, db, page, rel, {"promise": error}, values, 422)
    commitments.create(db=db, relationship=rel, commitment_in=commitment_in)
    return _back(rel, "promises")


@router.post("/relationships/{relationship_id}/owner", response_model=None)
def change_owner(
    request: Request,
    db: PageDb,
    page: CurrentPage,
    form: CheckedForm,
    relationship_id: uuid.UUID,
) -> Response:
    """Any member may reassign a relationship, as through the API; the new owner must be an
    active member of this organisation (checked by the relationships service)."""
    rel = relationship_service.get(db=db, relationship_id=relationship_id)
    raw = str(form.get("owner_member_id", ""))
    try:
        owner = uuid.UUID(raw) if raw else None
        relationship_service.update(
            db=db, relationship=rel, relationship_in=RelationshipUpdate(owner_member_id=owner)
        )
    except (ValueError, InvalidInput, NotFound):
        error = "Owner: choose an active member of this organisation from the list."
        return _relationship(request, db, page, rel, {"owner": error}, {}, 422)
    return _back(rel, "owner")
