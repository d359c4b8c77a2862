"""The settings page: members and roles (admins change roles), the member's API tokens (a new
token is shown once, never stored in plain; revoke), the organisation's e-mail domains
(managers add and remove them), its playbook, the contact reasons' value to the company
(managers), and its integrations (webhook endpoints and SMTP: whether they are set, never a
secret). Managers edit the playbook (rules and stay-in-touch cadence) and the health weights as
forms (``rule_forms``), and every rule set as JSON; both are checked like the API's PUT before
they are saved. Every change is checked here, on the server, whatever the page showed, and
recorded in the audit log with the change (``_audited``)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import idna
from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRouter
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.audit import service as audit_service
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.feedback import flows as feedback_flows
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import ApiToken, WebhookEndpoint
from goodwill.reasons import service as reason_service
from goodwill.relationships import nextconv, rule_settings
from goodwill.types import KNAPP_STAGES, Role
from goodwill.web import rule_forms
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
    forms: Mapping[str, Any] | None = None,
) -> Response:
    """The page; ``drafts`` (JSON) and ``forms`` (the rule forms) as sent, when refused."""
    tokens = select(ApiToken).where(ApiToken.member_id == page.member.id)
    context = {
        **page.values("settings"),
        "members": organisation_service.get_all_members(db=db),
        "roles": [r.value for r in Role],
        "tokens": list(db.scalars(tokens.order_by(ApiToken.created_at.desc()))),
        "new_token": new_token,
        "domains": _domains(organisation_service.get_email_domains(db=db)),
        "domain_draft": (forms or {}).get("domain", ""),
        "playbook": nextconv.playbook_of(db),
        "reasons": reason_service.get_all(db=db),
        "errors": errors,
        **(_rule_editors(db, drafts or {}, forms or {}) if page.allows(Role.MANAGER) else {}),
        **(_integrations(request, db) if page.allows(Role.ADMIN) else {}),
    }
    response = render(request, "settings.html", context, status_code=code)
    if new_token is not None:
        response.headers["Cache-Control"] = "no-store"  # the token is on this page only once
    return response


def _domains(stored: list[str]) -> list[tuple[str, str]]:
    """Each domain as stored (ASCII) and as people write it (an internationalised name's
    Unicode form; the same otherwise)."""
    found = []
    for name in stored:
        try:
            found.append((name, idna.decode(name)))
        except (idna.IDNAError, UnicodeError):
            found.append((name, name))
    return found


def _rule_editors(db: Session, drafts: dict[str, str], forms: Mapping[str, Any]) -> dict[str, Any]:
    """The rule sets as forms and as JSON, for a manager."""
    playbook = nextconv.playbook_of(db)
    stored = organisation_service.get_setting(db=db, key=nextconv.SETTINGS_KEY)
    now = rule_settings.current(db=db)
    weights = now["health_weights"]
    return {
        "rule_parts": _rule_texts(now, drafts),
        "playbook_form": forms.get("playbook") or rule_forms.playbook_form(playbook.rules, stored),
        "weights_form": forms.get("weights") or rule_forms.weights_form(weights),
        "knapp_stages": KNAPP_STAGES,
    }


def _audited(
    db: Session,
    page: PageContext,
    route: str,
    target: str | uuid.UUID,
    target_type: str = "settings",
    action: str = "update",
    **detail: Any,
) -> None:
    """Record a change made on this page, in its unit of work (stored with the change or not
    at all), as the API's audit trail records its writes; ``detail``: names and counts only."""
    audit_service.record(
        db=db,
        action=action,
        target_type=target_type,
        target_id=target,
        actor="session",
        actor_member_id=page.member.id,
        route=route,
        detail=detail,
    )


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
    route = "POST /settings/members/{member_id}/role"
    _audited(db, page, route, member.id, "members", role=role.value)
    return RedirectResponse("/settings#members", status_code=303)


@router.post("/settings/tokens", response_model=None)
def create_token(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    """A new token for the signed-in member, shown on this answer only (not redirected: the
    plain token exists nowhere else)."""
    name = str(form.get("name", "")).strip()
    if not name or len(name) > TOKEN_NAME_MAX:
        error = f"Name the token (1 to {TOKEN_NAME_MAX} characters), e.g. the tool that uses it."
        return _settings(request, db, page, {"tokens": error}, 422)
    token, plain = organisation_service.create_api_token(db=db, member=page.member, name=name)
    _audited(db, page, "POST /settings/tokens", token.id, "tokens", "create")
    return _settings(request, db, page, {}, 200, new_token=plain)


@router.post("/settings/tokens/{token_id}/revoke", response_model=None)
def revoke_token(db: PageDb, page: CurrentPage, _: CheckedForm, token_id: uuid.UUID) -> Response:
    """Members revoke their own tokens; admins any token of the organisation (as the API)."""
    token = db.get(ApiToken, token_id)
    if token is None or (token.member_id != page.member.id and not page.allows(Role.ADMIN)):
        raise NotFound(f"API token {token_id} not found")
    organisation_service.revoke_api_token(db=db, token_id=token_id)
    _audited(db, page, "POST /settings/tokens/{token_id}/revoke", token_id, "tokens", "delete")
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


def _rule_texts(now: dict[str, Any], drafts: dict[str, str]) -> dict[str, str]:
    """Each rule set in force (``rule_settings.current``) as indented JSON, or what the
    manager sent, when it was refused."""
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
    _audited(db, page, "POST /settings/rules", part, form="json")
    return RedirectResponse(f"/settings#rules-{part}", status_code=303)


def _readable(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else str(first["msg"])
    return str(exc)


@router.post("/settings/email-domains", response_model=None)
def add_email_domain(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm
) -> Response:
    """Add one e-mail domain (managers, as the API's PUT), checked by the same service."""
    page.require(Role.MANAGER)
    given = str(form.get("domain", ""))
    now = organisation_service.get_email_domains(db=db)
    try:
        name = organisation_service.normalise_domain(given)
        if name in now:
            raise InvalidInput(f"{name} is already in the list")
        stored = organisation_service.set_email_domains(db=db, domains=[*now, name])
    except InvalidInput as exc:
        error = f"Not added: {exc}."
        return _settings(request, db, page, {"domains": error}, 422, forms={"domain": given})
    _audited(db, page, "POST /settings/email-domains", "email_domains", domains=len(stored))
    return RedirectResponse("/settings#domains", status_code=303)


@router.post("/settings/email-domains/remove", response_model=None)
def remove_email_domain(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm
) -> Response:
    """Remove one e-mail domain (managers); one not in the list is not found."""
    page.require(Role.MANAGER)
    name = str(form.get("domain", ""))
    now = organisation_service.get_email_domains(db=db)
    if name not in now:
        raise NotFound(f"e-mail domain {name!r} is not in the list")
    try:
        stored = organisation_service.set_email_domains(
            db=db, domains=[d for d in now if d != name]
        )
    except InvalidInput as exc:  # another stored domain from before the check
        return _settings(request, db, page, {"domains": f"Not removed: {exc}."}, 422)
    route = "POST /settings/email-domains/remove"
    _audited(db, page, route, "email_domains", domains=len(stored))
    return RedirectResponse("/settings#domains", status_code=303)


@router.post("/settings/rules/playbook", response_model=None)
def save_playbook(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    """The playbook from its form (managers): each rule on or off with its parameters, and the
    cadence per segment; refused as a whole (nothing stored) with each error by its field."""
    page.require(Role.MANAGER)
    stored = organisation_service.get_setting(db=db, key=nextconv.SETTINGS_KEY)
    sent = rule_forms.submitted_playbook(form, stored)
    value, errors = rule_forms.playbook_value(sent, stored)
    if value is None:
        errors.setdefault("playbook", "Not saved: correct the fields marked below.")
        return _settings(request, db, page, errors, 422, forms={"playbook": sent})
    rule_settings.set_playbook(db=db, playbook_in=value)
    _audited(db, page, "POST /settings/rules/playbook", nextconv.SETTINGS_KEY, form="fields")
    return RedirectResponse("/settings#playbook", status_code=303)


@router.post("/settings/rules/health-weights", response_model=None)
def save_health_weights(
    request: Request, db: PageDb, page: CurrentPage, form: CheckedForm
) -> Response:
    """The health weights from their form (managers); refused with each error by its field."""
    page.require(Role.MANAGER)
    sent = rule_forms.submitted_weights(form)
    value, errors = rule_forms.weights_value(sent)
    if value is None:
        errors.setdefault("weights", "Not saved: correct the fields marked below.")
        return _settings(request, db, page, errors, 422, forms={"weights": sent})
    rule_settings.set_health_weights(db=db, weights_in=value)
    route = "POST /settings/rules/health-weights"
    _audited(db, page, route, "health_weights", form="fields")
    return RedirectResponse("/settings#weights", status_code=303)
