"""The perception pages: the book of gaps (managers see everyone's, with blind spots per owner;
an agent sees their own), and one relationship's two sides with the owner's estimate form and a
button that makes a one-time link for the customer (shown once). The customer's own page, with
no sign-in, is ``perception_survey.py``. As in the API, and checked on the server."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.perception import book, flows, gaps, service
from goodwill.perception.questions import COMMENT_MAX, KEYS, QUESTIONS, SCALE
from goodwill.perception.schemas import Answer, SurveyRequestCreate, SurveyRequestResult
from goodwill.relationships.models import Relationship
from goodwill.types import Role
from goodwill.web import queries
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.paging import Pager
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
PAGE_SIZE = 50
SCORES = list(range(SCALE[0], SCALE[1] + 1))


def answer_from_form(form: Mapping[str, Any]) -> tuple[Answer | None, dict[str, str]]:
    """The four answers and the comment of a posted form, or what to correct, per field."""
    values = {key: form.get(key) or None for key in (*KEYS, "comment")}
    try:
        return Answer.model_validate(values), {}
    except ValidationError as exc:
        errors = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors[field] = (
                f"At most {COMMENT_MAX} characters, please."
                if field == "comment"
                else f"Choose one answer from {SCALE[0]} to {SCALE[1]}."
            )
        return None, errors


def _number(params: Mapping[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = params.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(f"{name}: a whole number from {low} to {high}")
    return int(raw)


def _owner(params: Mapping[str, str], page: PageContext) -> uuid.UUID | None:
    """Managers pick any owner (or all); an agent sees their own relationships."""
    if not page.allows(Role.MANAGER):
        return page.member.id
    raw = params.get("owner", "").strip()
    try:
        return uuid.UUID(raw) if raw else None
    except ValueError:
        raise InvalidInput("owner: choose an owner from the list") from None


@router.get("/perception", response_model=None)
def perception_book(request: Request, db: PageDb, page: CurrentPage) -> Response:
    """Gaps across the book: per question, per owner, and the relationships, largest first."""
    params = dict(request.query_params)
    window = _number(params, "window", gaps.DEFAULT_WINDOW_DAYS, 1, 730)
    threshold = _number(params, "threshold", gaps.DEFAULT_THRESHOLD, 1, gaps.MAX_GAP)
    owner = _owner(params, page)
    blind_only = params.get("blind") == "1"
    compared = book.compare(
        db, as_of=utcnow(), window_days=window, threshold=threshold, owner_member_id=owner
    )
    found = book.totals(db, compared)
    listed = [c for c in compared if c.gap.blind_spot] if blind_only else compared
    pager = Pager.of(params, "page", len(listed), PAGE_SIZE)
    context = {
        **page.values("perception"),
        "window": window,
        "threshold": threshold,
        "owner": owner,
        "blind_only": blind_only,
        "found": found,
        "items": [book.item(c, found.names) for c in pager.slice(listed, PAGE_SIZE)],
        "pager": pager,
        "questions": QUESTIONS,
        "spread": list(range(-gaps.MAX_GAP, gaps.MAX_GAP + 1)),
        "members": queries.members(db=db) if page.allows(Role.MANAGER) else [],
    }
    return render(request, "perception.html", context)


def _relationship_page(
    request: Request,
    db: Session,
    page: PageContext,
    relationship: Relationship,
    *,
    errors: dict[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    made: SurveyRequestResult | None = None,
    code: int = 200,
) -> Response:
    customer = db.get(Customer, relationship.customer_id)
    if customer is None:  # the relationship's foreign key
        raise NotFound(f"relationship {relationship.id} not found")
    found = service.relationship_perception(db=db, relationship=relationship)
    name = customer.name or customer.email or customer.external_id or "the customer"
    if values is None and found.owner is not None:
        values = {**found.owner.scores, "comment": found.owner.comment or ""}
    context = {
        **page.values("perception"),
        "rel": relationship,
        "customer_name": name,
        "found": found,
        "questions": [(q, q.for_owner(name)) for q in QUESTIONS],
        "scores": SCORES,
        "names": book.owner_names(db, {s.member_id for s in (found.owner,) if s and s.member_id}),
        "errors": errors or {},
        "values": values or {},
        "made": made,
        "comment_max": COMMENT_MAX,
    }
    response = render(request, "perception_relationship.html", context, status_code=code)
    if made is not None:
        response.headers["Cache-Control"] = "no-store"  # the link is on this page only once
    return response


@router.get("/relationships/{relationship_id}/perception", response_model=None)
def relationship_perception(
    request: Request, db: PageDb, page: CurrentPage, relationship_id: uuid.UUID
) -> Response:
    relationship = service.get_relationship(
        db=db, relationship_id=relationship_id, member=page.member
    )
    route = "GET /relationships/{relationship_id}/perception"
    viewed(request, page, target_type="relationships", target_id=relationship.id, route=route)
    return _relationship_page(request, db, page, relationship)


@router.post("/relationships/{relationship_id}/perception/owner", response_model=None)
def owner_estimate(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, relationship_id: uuid.UUID
) -> Response:
    """The owner's estimate (the owner or a manager); mistakes are shown beside the form."""
    relationship = service.get_relationship(
        db=db, relationship_id=relationship_id, member=page.member
    )
    answer, errors = answer_from_form(form)
    if answer is None:
        values = {k: v for k, v in form.items() if isinstance(v, str)}
        return _relationship_page(
            request, db, page, relationship, errors=errors, values=values, code=422
        )
    service.estimate(db=db, relationship=relationship, member=page.member, answer=answer)
    return RedirectResponse(f"/relationships/{relationship.id}/perception#gap", status_code=303)


@router.post("/relationships/{relationship_id}/perception/link", response_model=None)
def make_link(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, relationship_id: uuid.UUID
) -> Response:
    """A one-time link for this relationship's customer, shown once (and e-mailed if asked)."""
    relationship = service.get_relationship(
        db=db, relationship_id=relationship_id, member=page.member
    )
    request_in = SurveyRequestCreate(
        relationship_ids=[relationship.id], send_email=form.get("send") == "yes"
    )
    made, outgoing = flows.ask(
        db=db, request_in=request_in, caller=page.member, base_url=str(request.base_url)
    )
    flows.email_after_request(request, db, request.app.state.settings, outgoing)
    return _relationship_page(request, db, page, relationship, made=made)
