"""The feedback pages: the ideas board by status, one idea with the customers behind it (in their
own words), its status history and its closing-the-loop drafts. A manager changes the status
(planned, shipped or declined prepares one draft per customer, reviewed by the coach), anyone
edits a draft, a manager sends it; as in the API, and checked on the server."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.errors import Conflict, InvalidInput
from goodwill.feedback import flows as feedback_flows
from goodwill.feedback import service as feedback_service
from goodwill.feedback.api import get_transport
from goodwill.feedback.models import Idea
from goodwill.feedback.schemas import DraftUpdate, IdeaStatus, IdeaUpdate
from goodwill.relationships.models import Relationship
from goodwill.types import Role
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.paging import count
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
COLUMN_SIZE = 30
SendTransport = Annotated[feedback_flows.Transport, Depends(get_transport)]


@router.get("/feedback", response_model=None)
def feedback_board(request: Request, db: PageDb, page: CurrentPage) -> Response:
    """Each status a column of its newest ideas, each with how many customers asked."""
    columns = []
    shown: list[Idea] = []
    for status in IdeaStatus:
        stmt = feedback_service.query_ideas(status=status.value)
        ideas = list(db.scalars(stmt.order_by(Idea.id.desc()).limit(COLUMN_SIZE)))
        columns.append((status.value, ideas, count(db, stmt)))
        shown += ideas
    weights = feedback_service.weigh(db=db, idea_ids=[i.id for i in shown])
    context = {**page.values("feedback"), "columns": columns, "weights": weights}
    return render(request, "feedback.html", context)


def _people(db: Session, customer_ids: set[uuid.UUID]) -> dict[uuid.UUID, tuple[str, Any]]:
    """Customer id → (name to show, relationship id or None)."""
    if not customer_ids:
        return {}
    stmt = (
        select(Customer, Relationship.id)
        .outerjoin(Relationship, Relationship.customer_id == Customer.id)
        .where(Customer.id.in_(customer_ids))
    )
    return {
        c.id: (c.name or c.email or c.external_id or "(no name)", rel_id)
        for c, rel_id in db.execute(stmt)
    }


def _idea(
    request: Request,
    db: Session,
    page: PageContext,
    idea: Idea,
    errors: dict[str, str],
    code: int,
) -> Response:
    suggestions = feedback_service.suggestions_of(db=db, idea_id=idea.id)
    drafts = feedback_flows.drafts_of(db=db, idea_id=idea.id)
    people = _people(db, {s.customer_id for s in suggestions} | {d.customer_id for d in drafts})
    context = {
        **page.values("feedback"),
        "idea": idea,
        "weight": feedback_service.weigh(db=db, idea_ids=[idea.id])[idea.id],
        "suggestions": suggestions,
        "history": feedback_service.history_of(db=db, idea_id=idea.id),
        "drafts": drafts,
        "people": people,
        "statuses": [s.value for s in IdeaStatus],
        "errors": errors,
    }
    return render(request, "idea.html", context, status_code=code)


@router.get("/feedback/ideas/{idea_id}", response_model=None)
def idea_page(request: Request, db: PageDb, page: CurrentPage, idea_id: uuid.UUID) -> Response:
    idea = feedback_service.get_idea(db=db, idea_id=idea_id)
    viewed(
        request, page, target_type="ideas", target_id=idea.id, route="GET /feedback/ideas/{idea_id}"
    )
    return _idea(request, db, page, idea, {}, 200)


@router.post("/feedback/ideas/{idea_id}/status", response_model=None)
def change_status(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, idea_id: uuid.UUID
) -> Response:
    """A new status (and public note); an outcome prepares the closing-the-loop drafts."""
    page.require(Role.MANAGER)
    idea = feedback_service.get_idea(db=db, idea_id=idea_id)
    note = str(form.get("public_note", "")).strip()
    try:
        changes = IdeaUpdate(status=str(form.get("status", "")), public_note=note or None)
        changed = feedback_service.update_idea(
            db=db, idea=idea, idea_in=changes, member_id=page.member.id
        )
    except ValidationError:
        error = "Status: choose one from the list; the public note is at most 20,000 characters."
        return _idea(request, db, page, idea, {"status": error}, 422)
    if changed:
        feedback_flows.prepare_drafts(db=db, idea=idea, member_id=page.member.id)
    return RedirectResponse(f"/feedback/ideas/{idea.id}#drafts", status_code=303)


@router.post("/feedback/drafts/{draft_id}/edit", response_model=None)
def edit_draft(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, draft_id: uuid.UUID
) -> Response:
    """New words for a draft; the coach reviews them again."""
    draft = feedback_flows.get_draft(db=db, draft_id=draft_id)
    idea = feedback_service.get_idea(db=db, idea_id=draft.idea_id)
    try:
        words = DraftUpdate(subject=str(form.get("subject", "")), body=str(form.get("body", "")))
        feedback_flows.edit_draft(db=db, draft=draft, draft_in=words, member_id=page.member.id)
    except ValidationError:
        error = "Subject (1 to 300 characters) and message (1 to 20,000) are both needed."
        return _idea(request, db, page, idea, {f"draft-{draft.id}": error}, 422)
    except Conflict as exc:
        return _idea(request, db, page, idea, {f"draft-{draft.id}": str(exc)}, 409)
    return RedirectResponse(f"/feedback/ideas/{idea.id}#draft-{draft.id}", status_code=303)


@router.post("/feedback/drafts/{draft_id}/send", response_model=None)
def send_draft(
    request: Request,
    db: PageDb,
    page: CurrentPage,
    form: CheckedForm,
    draft_id: uuid.UUID,
    transport: SendTransport,
) -> Response:
    """Send once (managers); with high-severity findings only with the override ticked."""
    page.require(Role.MANAGER)
    draft = feedback_flows.get_draft(db=db, draft_id=draft_id)
    idea = feedback_service.get_idea(db=db, idea_id=draft.idea_id)
    override = form.get("override") == "yes"
    try:
        feedback_flows.send_draft(
            db=db, draft=draft, member_id=page.member.id, override=override, transport=transport
        )
    except (Conflict, InvalidInput) as exc:
        return _idea(request, db, page, idea, {f"draft-{draft.id}": str(exc)}, 409)
    return RedirectResponse(f"/feedback/ideas/{idea.id}#draft-{draft.id}", status_code=303)
