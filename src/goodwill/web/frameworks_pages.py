"""The response frameworks pages (issue 10): the library, the editor (each save a new version
reviewed by the coach over messages of the framework's purpose; with static/framework.js the
review is redrawn as the author types, from ``POST /api/v1/frameworks/check``), publication
(blocked by the review unless a manager overrides with a reason), retirement, and the outcomes
that tell managers which frameworks to keep. Who may change what is ``frameworks.service``'s."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from goodwill.errors import InvalidInput
from goodwill.frameworks import blocks, outcomes
from goodwill.frameworks import service as framework_service
from goodwill.frameworks.models import ResponseFramework
from goodwill.frameworks.schemas import MAX_BODY, VOCABULARY, FrameworkSave
from goodwill.types import Role
from goodwill.web.audit import viewed
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.paging import Pager, count
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
LIST_SIZE = 50
PURPOSE = ("intents", "phases", "emotions", "stages")


@router.get("/frameworks", response_model=None)
def library(request: Request, db: PageDb, page: CurrentPage) -> Response:
    params = dict(request.query_params)
    status = params.get("status") or None
    if status is not None and status not in framework_service.STATUSES:
        raise InvalidInput(f"status: one of {', '.join(framework_service.STATUSES)}")
    stmt = framework_service.query_frameworks(status=status)
    pager = Pager.of(params, "page", count(db, stmt), LIST_SIZE)
    ordered = stmt.order_by(None).order_by(ResponseFramework.name, ResponseFramework.id)
    rows = db.scalars(ordered.limit(LIST_SIZE).offset(pager.offset(LIST_SIZE)))
    context = {
        **page.values("frameworks"),
        "frameworks": list(rows),
        "pager": pager,
        "status": status,
        "statuses": framework_service.STATUSES,
    }
    return render(request, "frameworks.html", context)


def _values(form: FormData) -> dict[str, Any]:
    """The editor's fields as FrameworkSave takes them (examples: one per line)."""
    examples = [e.strip() for e in str(form.get("examples", "")).splitlines() if e.strip()]
    return {
        "name": str(form.get("name", "")).strip(),
        "body": str(form.get("body", "")),
        "description": str(form.get("description", "")).strip() or None,
        **{k: [str(v) for v in form.getlist(k)] for k in PURPOSE},
        "examples": examples,
    }


def _problems(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'form'}: {e['msg']}" for e in exc.errors())


def _editor(
    request: Request,
    db: Session,
    page: PageContext,
    framework: ResponseFramework | None,
    values: dict[str, Any],
    error: str | None,
    code: int = 200,
) -> Response:
    """The editor: ``values`` as sent back after a mistake, else the latest version's."""
    versions = framework_service.versions_of(db=db, framework_id=framework.id) if framework else []
    if versions and not values:
        latest = versions[0]
        values = {
            "name": latest.name,
            "body": latest.body,
            "description": latest.description,
            **{k: getattr(latest, k) for k in PURPOSE},
            "examples": latest.examples,
        }
    context = {
        **page.values("frameworks"),
        "framework": framework,
        "values": values,
        "latest": versions[0] if versions else None,
        "versions": versions,
        "vocabulary": VOCABULARY,
        "variables": blocks.VARIABLES,
        "max_body": MAX_BODY,
        "error": error,
    }
    return render(request, "framework.html", context, status_code=code)


@router.get("/frameworks/new", response_model=None)
def new_framework(request: Request, db: PageDb, page: CurrentPage) -> Response:
    return _editor(request, db, page, None, {}, None)


@router.post("/frameworks/new", response_model=None)
def create_framework(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm
) -> Response:
    values = _values(form)
    try:
        save = FrameworkSave.model_validate(values)
        framework = framework_service.create(db=db, save=save, member=page.member)
    except ValidationError as exc:
        return _editor(request, db, page, None, values, _problems(exc), 422)
    except InvalidInput as exc:  # the body's blocks, before anything was stored
        return _editor(request, db, page, None, values, str(exc), 422)
    return RedirectResponse(f"/frameworks/{framework.id}#review", status_code=303)


@router.get("/frameworks/outcomes", response_model=None)
def framework_outcomes(request: Request, db: PageDb, page: CurrentPage) -> Response:
    """Uses, edits, deleted sentences and what followed, per framework (managers)."""
    page.require(Role.MANAGER)
    raw = request.query_params.get("days", "30")
    days = int(raw) if raw.isdigit() and 1 <= int(raw) <= 365 else 30
    found = sorted(outcomes.summarise(db=db, days=days), key=lambda o: o.name.lower())
    context = {**page.values("frameworks"), "outcomes": found, "days": days}
    return render(request, "framework_outcomes.html", context)


@router.get("/frameworks/{framework_id}", response_model=None)
def framework_page(
    request: Request, db: PageDb, page: CurrentPage, framework_id: uuid.UUID
) -> Response:
    framework = framework_service.get(db=db, framework_id=framework_id)
    route = "GET /frameworks/{framework_id}"
    viewed(request, page, target_type="frameworks", target_id=framework.id, route=route)
    return _editor(request, db, page, framework, {}, None)


@router.post("/frameworks/{framework_id}", response_model=None)
def save_framework(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, framework_id: uuid.UUID
) -> Response:
    """A new version (owner or manager), reviewed by the coach."""
    framework = framework_service.get(db=db, framework_id=framework_id)
    values = _values(form)
    try:
        save = FrameworkSave.model_validate(values)
        framework_service.save(db=db, framework=framework, save=save, member=page.member)
    except ValidationError as exc:
        return _editor(request, db, page, framework, values, _problems(exc), 422)
    except InvalidInput as exc:
        return _editor(request, db, page, framework, values, str(exc), 422)
    return RedirectResponse(f"/frameworks/{framework.id}#review", status_code=303)


@router.post("/frameworks/{framework_id}/publish", response_model=None)
def publish_framework(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, framework_id: uuid.UUID
) -> Response:
    framework = framework_service.get(db=db, framework_id=framework_id)
    reason = str(form.get("override_reason", "")).strip() or None
    if reason is not None and len(reason) < 10:
        error = "Override: give the reason in at least 10 characters."
        return _editor(request, db, page, framework, {}, error, 422)
    try:
        framework_service.publish(
            db=db, framework=framework, member=page.member, override_reason=reason
        )
    except framework_service.PublicationBlocked as exc:
        return _editor(request, db, page, framework, {}, str(exc), 409)
    return RedirectResponse(f"/frameworks/{framework.id}", status_code=303)


@router.post("/frameworks/{framework_id}/retire", response_model=None)
def retire_framework(
    db: PageDb, page: CurrentPage, _: CheckedForm, framework_id: uuid.UUID
) -> Response:
    framework = framework_service.get(db=db, framework_id=framework_id)
    framework_service.retire(db=db, framework=framework, member=page.member)
    return RedirectResponse(f"/frameworks/{framework.id}", status_code=303)
