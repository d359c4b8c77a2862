"""The settings page: members and roles (admins change roles), the member's API tokens (a new
token is shown once, never stored in plain; revoke), the organisation's e-mail domains, its
playbook, the contact reasons' value to the company (managers), and its integrations (webhook
endpoints and SMTP: whether they are set, never a secret), and for managers the rule sets as
JSON (stage rules, playbook, health weights), checked like the API's PUT before they are saved.
Every change is checked here, on the server, whatever the page showed."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRouter
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.errors import Conflict, NotFound
from goodwill.feedback import flows as feedback_flows
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import ApiToken, WebhookEndpoint
from goodwill.reasons import service as reason_service
from goodwill.relationships import nextconv, rule_settings
from goodwill.types import Role
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
TOKEN_NAME_MAX = 200


def _integrations(request: Request, db: Session) -> dict[str, Any]:
    settings = request.app.state.settings
    endpoints = db.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.created_at))
    return {
        "endpoints": list(endpoints),
        "smtp": {
            "host": settings.smtp_host,
            "port": settings.smtp_port,
            "starttls": settings.smtp_starttls,
            "username_set": bool(settings.smtp_username),
            "password_set": settings.smtp_password is not None,
        },
        "feedback_webhook_set": bool(feedback_flows.feedback_settings(db).get("webhook_url")),
    }


def _settings(
    request: Request,
    db: Session,
    page: PageContext,
    errors: dict[str, str],
    code: int = 200,
    new_token: str | None = None,
    drafts: dict[str, str] | None = None,
) -> Response:
    tokens = select(ApiToken).where(ApiToken.member_id == page.member.id)
    context = {
        **page.values("settings"),
        "members": organisation_service.get_all_members(db=db),
        "roles": [r.value for r in Role],
        "tokens": list(db.scalars(tokens.order_by(ApiToken.created_at.desc()))),
        "new_token": new_token,
        "playbook": nextconv.playbook_of(db),
        "reasons": reason_service.get_all(db=db),
        "errors": errors,
        "rule_parts": _rule_texts(db, drafts or {}) if page.allows(Role.MANAGER) else {},
        **(_integrations(request, db) if page.allows(Role.ADMIN) else {}),
    }
    response = render(request, "settings.html", context, status_code=code)
    if new_token is not None:
        response.headers["Cache-Control"] = "no-store"  # the token is on this page only once
    return response


@router.get("/settings", response_model=None)
def settings_page(request: Request, db: PageDb, page: CurrentPage) -> Response:
    return _settings(request, db, page, {})


@router.post("/settings/members/{member_id}/role", response_model=None)
def change_role(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm, member_id: uuid.UUID
) -> Response:
    page.require(Role.ADMIN)
    member = organisation_service.get_member(db=db, member_id=member_id)
    try:
        role = Role(str(form.get("role", "")))
    except ValueError:
        return _settings(request, db, page, {"members": "Role: choose one from the list."}, 422)
    try:
        organisation_service.set_role(db=db, member=member, role=role)
    except Conflict as exc:
        return _settings(request, db, page, {"members": str(exc).capitalize() + "."}, 409)
    return RedirectResponse("/settings#members", status_code=303)


@router.post("/settings/tokens", response_model=None)
def create_token(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    """A new token for the signed-in member, shown on this answer only (not redirected: the
    plain token exists nowhere else)."""
    name = str(form.get("name", "")).strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        error = f"Name the token (1 to {TOKEN_NAME_MAX} characters), e.g. the tool that uses it."
        return _settings(request, db, page, {"tokens": error}, 422)
    _, plain = organisation_service.create_api_token(db=db, member=page.member, name=name)
    return _settings(request, db, page, {}, 200, new_token=plain)


@router.post("/settings/tokens/{token_id}/revoke", response_model=None)
def revoke_token(db: PageDb, page: CurrentPage, _: CheckedForm, token_id: uuid.UUID) -> Response:
    """Members revoke their own tokens; admins any token of the organisation (as the API)."""
    token = db.get(ApiToken, token_id)
    if token is None or (token.member_id != page.member.id and not page.allows(Role.ADMIN)):
        raise NotFound(f"API token {token_id} not found")
    organisation_service.revoke_api_token(db=db, token_id=token_id)
    return RedirectResponse("/settings#tokens", status_code=303)


# the rule sets a manager edits as JSON: part → (its model, what of the rules in force it shows)
RULE_PARTS: dict[str, tuple[type[BaseModel], Callable[[dict[str, Any]], Any]]] = {
    "relationship-rules": (
        rule_settings.RelationshipRulesIn,
        lambda now: {k: now[k] for k in ("stages", "phases", "phrases")},
    ),
    "playbook": (rule_settings.PlaybookIn, lambda now: now["playbook"]),
    "health-weights": (
        rule_settings.HealthWeightsIn,
        lambda now: {"weights": now["health_weights"]},
    ),
}
RULES_MAX_CHARS = 100_000


def _rule_texts(db: Session, drafts: dict[str, str]) -> dict[str, str]:
    """Each rule set as indented JSON (or what the manager sent, when it was refused)."""
    now = rule_settings.current(db=db)
    phases = {"early_days_days", "long_term_days"}
    now["phases"] = {k: v for k, v in now["phases"].items() if k in phases}
    return {
        part: drafts.get(part) or json.dumps(shown(now), indent=2, ensure_ascii=False)
        for part, (_, shown) in RULE_PARTS.items()
    }


@router.post("/settings/rules", response_model=None)
def save_rules(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    """Replace one rule set (managers), checked like the API's PUT: a refused one is shown
    again with what to correct, and nothing is stored."""
    page.require(Role.MANAGER)
    part = str(form.get("part", ""))
    if part not in RULE_PARTS:
        raise NotFound(f"no rule set {part!r}")
    model, _ = RULE_PARTS[part]
    text = str(form.get("rules", ""))
    try:
        if len(text) > RULES_MAX_CHARS:
            raise ValueError(f"at most {RULES_MAX_CHARS:,} characters")
        value = model.model_validate(json.loads(text))
    except (ValueError, ValidationError) as exc:
        error = f"Not saved: {_readable(exc)}. Correct the JSON and save again."
        return _settings(request, db, page, {part: error}, 422, drafts={part: text})
    if isinstance(value, rule_settings.RelationshipRulesIn):
        rule_settings.set_relationship_rules(db=db, rules_in=value)
    elif isinstance(value, rule_settings.PlaybookIn):
        rule_settings.set_playbook(db=db, playbook_in=value)
    elif isinstance(value, rule_settings.HealthWeightsIn):
        rule_settings.set_health_weights(db=db, weights_in=value)
    return RedirectResponse(f"/settings#rules-{part}", status_code=303)


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)
