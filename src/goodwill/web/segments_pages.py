"""The segments pages (seed 004: a strategy per segment): the list with each segment's members and
stay-in-touch cadence, and the editor, where a manager writes a segment's conditions as rows of
labelled controls (field, operator, value, window; rows of the same group must all hold, any group
will do), previews how many relationships it would take, and sets its own cadence. Everything is
checked on the server by :mod:`goodwill.segments.rules`, whatever the page showed."""

from __future__ import annotations

import math
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from goodwill.customers.models import Customer
from goodwill.errors import Conflict, InvalidInput
from goodwill.relationships.models import Relationship
from goodwill.segments import rules
from goodwill.segments import service as segment_service
from goodwill.segments.models import Segment, SegmentMembership
from goodwill.segments.schemas import SegmentSave
from goodwill.types import Role
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
BLANK_ROWS = 3
GROUPS = (1, 2, 3)
MEMBERS_SHOWN = 20


@router.get("/segments", response_model=None)
def segments_page(request: Request, db: PageDb, page: CurrentPage) -> Response:
    found = segment_service.read(db=db, segments=segment_service.get_all(db=db))
    total = segment_service.relationship_count(db=db)
    context = {
        **page.values("segments"),
        "segments": found,
        "relationships": total,
        "unsegmented": total - sum(s.members for s in found),
    }
    return render(request, "segments.html", context)


def _number(text: str, where: str) -> int | float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise InvalidInput(f"{where}: {text!r} is not a number")
    return int(value) if value.is_integer() else value


def _row(form: FormData, n: int) -> tuple[int, dict[str, Any]] | None:
    """Row ``n`` of the conditions as (group, condition), or None when it is left empty."""
    field, op = str(form.get(f"field-{n}", "")), str(form.get(f"op-{n}", ""))
    text, days = str(form.get(f"value-{n}", "")).strip(), str(form.get(f"days-{n}", "")).strip()
    if not field:
        return None
    where = f"row {n}"
    spec = rules.FIELDS.get(field)
    parts = [p.strip() for p in text.split(",")] if op in ("in", "not_in", "between") else [text]
    values: list[Any] = [
        _number(p, where) if spec and spec.kind == rules.NUMBER and p else p for p in parts
    ]
    condition: dict[str, Any] = {
        "field": field,
        "op": op,
        "value": values if len(parts) > 1 or op in ("in", "not_in", "between") else values[0],
    }
    if days:
        condition["days"] = int(_number(days, where))
    group = str(form.get(f"group-{n}", "1"))
    return (int(group) if group.isdigit() else 1), condition


def _values(form: FormData) -> dict[str, Any]:
    """The editor's fields as SegmentSave takes them (rows to groups of conditions)."""
    groups: dict[int, list[dict[str, Any]]] = {}
    rows = int(str(form.get("rows", "0"))) if str(form.get("rows", "0")).isdigit() else 0
    for n in range(1, min(rows, rules.MAX_CONDITIONS * len(GROUPS)) + 1):
        found = _row(form, n)
        if found is not None:
            groups.setdefault(found[0], []).append(found[1])
    ideal, most = str(form.get("ideal_days", "")).strip(), str(form.get("max_days", "")).strip()
    cadence = {"ideal_days": ideal, "max_days": most} if ideal or most else None
    priority = str(form.get("priority", "")).strip() or "100"
    if not priority.isdigit():
        raise InvalidInput(f"priority: {priority!r} is not a whole number from 0 to 10000")
    return {
        "name": str(form.get("name", "")).strip(),
        "description": str(form.get("description", "")).strip() or None,
        "priority": int(priority),
        "rule": {"groups": [groups[g] for g in sorted(groups)]},
        "playbook": {"cadence": cadence} if cadence else None,
    }


def _rows(rule: dict[str, Any]) -> list[dict[str, Any]]:
    """The rule as the editor's rows (group number on each), plus blank rows to add more."""
    rows = [
        {**c, "group": g, "text": _text(c.get("value"))}
        for g, group in enumerate(rule.get("groups") or [], start=1)
        for c in group
    ]
    return rows + [{"group": 1, "text": ""} for _ in range(BLANK_ROWS)]


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return "" if value is None else str(value)


def _members(db: Session, segment: Segment) -> list[Any]:
    stmt = (
        select(Relationship.id, Customer.name, Relationship.health, SegmentMembership.entered_at)
        .join(Relationship, Relationship.id == SegmentMembership.relationship_id)
        .join(Customer, Customer.id == Relationship.customer_id)
        .where(SegmentMembership.segment_id == segment.id, SegmentMembership.left_at.is_(None))
        .order_by(SegmentMembership.entered_at.desc(), SegmentMembership.id)
        .limit(MEMBERS_SHOWN)
    )
    return list(db.execute(stmt))


def _editor(
    request: Request,
    db: Session,
    page: PageContext,
    segment: Segment | None,
    values: dict[str, Any],
    **shown: Any,
) -> Response:
    """The editor: ``values`` as sent back (after a preview or a mistake), else the segment's."""
    read = segment_service.read(db=db, segments=[segment])[0] if segment else None
    if read is not None and not values:
        values = read.model_dump() | {"playbook": read.playbook}
    gaps = ((values.get("playbook") or {}).get("cadence")) or {}
    context = {
        **page.values("segments"),
        "segment": read,
        "values": values,
        "rows": _rows(values.get("rule") or {}),
        "gaps": gaps,
        "fields": rules.FIELDS,
        "operators": rules.OPERATORS,
        "groups": GROUPS,
        "members": _members(db, segment) if segment else [],
        "preview": shown.get("preview"),
        "error": shown.get("error"),
    }
    return render(request, "segment.html", context, status_code=shown.get("code", 200))


@router.get("/segments/new", response_model=None)
def new_segment(request: Request, db: PageDb, page: CurrentPage) -> Response:
    page.require(Role.MANAGER)
    return _editor(request, db, page, None, {"priority": 100})


@router.get("/segments/{segment_id}", response_model=None)
def segment_page(
    request: Request, db: PageDb, page: CurrentPage, segment_id: uuid.UUID
) -> Response:
    segment = segment_service.get(db=db, segment_id=segment_id)
    route = "GET /segments/{segment_id}"
    viewed(request, page, target_type="segments", target_id=segment.id, route=route)
    return _editor(request, db, page, segment, {})


def _submit(
    request: Request, db: Session, page: PageContext, form: FormData, segment: Segment | None
) -> Response:
    """Preview (nothing stored) or save the editor's segment; a mistake is shown with the
    values as sent, and nothing is stored."""
    page.require(Role.MANAGER)
    values: dict[str, Any] = {}
    try:
        values = _values(form)
        if form.get("action") == "preview":
            name = segment.name if segment else values["name"]
            found = segment_service.preview(
                db=db, rule=values["rule"], priority=values["priority"], name=name
            )
            return _editor(request, db, page, segment, values, preview=found)
        save = SegmentSave.model_validate(values)
        if segment is None:
            segment = segment_service.create(db=db, segment_in=save)
        else:
            segment_service.update(db=db, segment=segment, segment_in=save)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        error = f"{where}: {first['msg']}"
        return _editor(request, db, page, segment, values, error=error, code=422)
    except (InvalidInput, ValueError) as exc:
        return _editor(request, db, page, segment, values, error=str(exc), code=422)
    except Conflict as exc:
        return _editor(request, db, page, segment, values, error=str(exc), code=409)
    return RedirectResponse(f"/segments/{segment.id}", status_code=303)


@router.post("/segments/new", response_model=None)
def create_segment(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    return _submit(request, db, page, form, None)


@router.post("/segments/{segment_id}", response_model=None)
def save_segment(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, segment_id: uuid.UUID
) -> Response:
    return _submit(request, db, page, form, segment_service.get(db=db, segment_id=segment_id))


@router.post("/segments/{segment_id}/delete", response_model=None)
def delete_segment(
    db: PageDb, page: CurrentPage, _: CheckedForm, segment_id: uuid.UUID
) -> Response:
    page.require(Role.MANAGER)
    segment_service.delete(db=db, segment=segment_service.get(db=db, segment_id=segment_id))
    return RedirectResponse("/segments", status_code=303)
