"""The contact reasons page: the Value Irritant Grid of a period (an interactive SVG and the same
numbers as a table), the classifier's latest training, and one page per reason with its messages
and the manager's tools (rename, value to the company, merge, split; train the classifier)."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput
from goodwill.jobs import tasks as job_tasks
from goodwill.jobs.after_request import defer
from goodwill.reasons import grid_flows, training
from goodwill.reasons import service as reason_service
from goodwill.reasons.models import ContactReason
from goodwill.reasons.schemas import ReasonSplit, ReasonUpdate
from goodwill.types import Role
from goodwill.web import queries
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.grid_chart import evidence_lines, grid_chart
from goodwill.web.paging import Pager, count
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
MESSAGE_SIZE = 25


def _day(raw: str, name: str) -> datetime | None:
    if not raw.strip():
        return None
    try:
        return datetime.combine(date.fromisoformat(raw.strip()), time(), tzinfo=UTC)
    except ValueError:
        raise InvalidInput(f"{name}: give a date as YYYY-MM-DD") from None


def _period(params: dict[str, str]) -> tuple[datetime, datetime]:
    end = _day(params.get("to", ""), "to")
    return grid_flows.period(
        _day(params.get("from", ""), "from"), end + timedelta(days=1) if end else None, now=utcnow()
    )


@router.get("/reasons", response_model=None)
def reasons_page(request: Request, db: PageDb, page: CurrentPage) -> Response:
    params = dict(request.query_params)
    error, code = None, 200
    try:
        start, end = _period(params)
    except InvalidInput as exc:
        (start, end), error, code = grid_flows.period(None, None, now=utcnow()), str(exc), 422
    grid = grid_flows.compute(db=db, period_from=start, period_to=end)
    cells = sorted(grid.cells, key=lambda c: (c.quadrant is None, -c.volume, c.name))
    context = {
        **page.values("reasons"),
        "grid": grid,
        "chart": grid_chart(grid),
        "cells": [(c, evidence_lines(c)) for c in cells],
        "period_from": start.date().isoformat(),
        "period_to": (end - timedelta(days=1)).date().isoformat(),
        "svg_link": "/api/v1/reasons/grid.svg?"
        + urlencode({"from": start.isoformat(), "to": end.isoformat()}),
        "training": training.latest(db=db),
        "error": error,
    }
    return render(request, "reasons.html", context, status_code=code)


@router.post("/reasons/train", response_model=None)
def train(
    request: Request,
    db: PageDb,
    page: CurrentPage,
    _: CheckedForm,
    background: BackgroundTasks,
) -> Response:
    """Queue a training (as POST /api/v1/reasons/train): the job runs after this request."""
    page.require(Role.MANAGER)
    training.request(db=db, member_id=page.member.id)
    defer(
        request,
        background,
        job_tasks.dispatch,
        settings=request.app.state.settings,
        factory=request.app.state.session_factory,
        actor_name=training.TRAIN_REASONS,
        organisation_id=page.member.organisation_id,
    )
    return RedirectResponse("/reasons#training", status_code=303)


def _reason(
    request: Request,
    db: Session,
    page: PageContext,
    reason: ContactReason,
    errors: dict[str, str],
    code: int,
) -> Response:
    stmt = queries.reason_messages(reason_id=reason.id)
    pager = Pager.of(dict(request.query_params), "page", count(db, stmt), MESSAGE_SIZE)
    rows = db.execute(stmt.limit(MESSAGE_SIZE).offset(pager.offset(MESSAGE_SIZE)))
    (read,) = reason_service.read(db=db, reasons=[reason])
    context: dict[str, Any] = {
        **page.values("reasons"),
        "reason": reason,
        "read": read,
        "messages": [tuple(row) for row in rows],
        "pager": pager,
        "others": [r for r in reason_service.get_all(db=db) if r.id != reason.id],
        "errors": errors,
    }
    return render(request, "reason.html", context, status_code=code)


@router.get("/reasons/{reason_id}", response_model=None)
def reason_page(request: Request, db: PageDb, page: CurrentPage, reason_id: uuid.UUID) -> Response:
    reason = reason_service.get(db=db, reason_id=reason_id)
    viewed(
        request, page, target_type="reasons", target_id=reason.id, route="GET /reasons/{reason_id}"
    )
    return _reason(request, db, page, reason, {}, 200)


def _company_value(raw: str) -> float | None:
    if not raw.strip():
        return None
    try:
        return float(raw.replace(",", "."))
    except ValueError:
        raise InvalidInput("Value to the company: a number from -1 to 1, or empty") from None


@router.post("/reasons/{reason_id}/update", response_model=None)
def update_reason(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, reason_id: uuid.UUID
) -> Response:
    """Rename, describe, or set the value to the company (empty: derived from outcomes)."""
    page.require(Role.MANAGER)
    reason = reason_service.get(db=db, reason_id=reason_id)
    try:
        changes = ReasonUpdate(
            name=str(form.get("name", "")).strip(),
            description=str(form.get("description", "")).strip() or None,
            company_value=_company_value(str(form.get("company_value", ""))),
        )
        reason_service.update_reason(db=db, reason=reason, reason_in=changes)
    except ValidationError:
        error = "Name: 1 to 200 characters; value to the company: from -1 to 1."
        return _reason(request, db, page, reason, {"update": error}, 422)
    except (InvalidInput, Conflict) as exc:  # raised before anything changed
        return _reason(request, db, page, reason, {"update": str(exc)}, 422)
    back = str(form.get("back", ""))
    return RedirectResponse(
        "/settings#reasons" if back == "settings" else f"/reasons/{reason.id}", 303
    )


def _uuid(raw: object, field: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(raw))
    except ValueError:
        raise InvalidInput(f"{field}: choose one from the list") from None


@router.post("/reasons/{reason_id}/merge", response_model=None)
def merge_reason(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, reason_id: uuid.UUID
) -> Response:
    page.require(Role.MANAGER)
    reason = reason_service.get_active(db=db, reason_id=reason_id)
    try:
        into_id = _uuid(form.get("into_reason_id", ""), "Merge into")
        into = reason_service.get(db=db, reason_id=into_id)
        reason_service.merge(db=db, reason=reason, into=into)
    except (InvalidInput, Conflict) as exc:
        return _reason(request, db, page, reason, {"merge": str(exc)}, 422)
    return RedirectResponse(f"/reasons/{into.id}", status_code=303)


@router.post("/reasons/{reason_id}/split", response_model=None)
def split_reason(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, reason_id: uuid.UUID
) -> Response:
    """A new reason taking the messages ticked on the page (as a manager's label)."""
    page.require(Role.MANAGER)
    reason = reason_service.get_active(db=db, reason_id=reason_id)
    try:
        ids = [_uuid(v, "Messages") for v in form.getlist("interaction_ids")]
        split_in = ReasonSplit(name=str(form.get("name", "")).strip(), interaction_ids=ids)
        new = reason_service.split(
            db=db, reason=reason, split_in=split_in, member_id=page.member.id
        )
    except ValidationError:
        error = "New reason's name: 1 to 200 characters."
        return _reason(request, db, page, reason, {"split": error}, 422)
    except (InvalidInput, Conflict) as exc:  # raised before anything moved
        return _reason(request, db, page, reason, {"split": str(exc)}, 422)
    return RedirectResponse(f"/reasons/{new.id}", status_code=303)
