"""FastAPI dependencies: the unit of work, the caller, and role checks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from goodwill import security
from goodwill.config import Settings
from goodwill.database import limit_statements, unit_of_work
from goodwill.errors import NotAuthenticated, PermissionDenied
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member
from goodwill.types import Role

SESSION_COOKIE = "goodwill_session"
CSRF_HEADER = "x-csrf-token"
_SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def get_settings_dep(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_db(request: Request) -> Iterator[Session]:
    """One session and one transaction per request: committed on success, else rolled back.

    On PostgreSQL each statement is bounded by ``request_statement_timeout_ms``."""
    settings: Settings = request.app.state.settings
    with unit_of_work(request.app.state.session_factory) as session:
        limit_statements(session, settings.request_statement_timeout_ms)
        yield session


# The unit of work ends when the route function returns ("function" scope), before the answer is
# sent: a client that got 201 can rely on the record being committed, and the next request (a
# browser following a redirect) sees it. FastAPI's default "request" scope would commit after
# the response had gone out, and a failed commit would follow a success the client already saw.
DbSession = Annotated[Session, Depends(get_db, scope="function")]
AppSettings = Annotated[Settings, Depends(get_settings_dep)]


def csrf_token_for(settings: Settings, cookie_value: str) -> str:
    """The CSRF token bound to a browser session (double-submit, derived, never stored)."""
    return security.hmac_sha256(settings.secret_key_bytes(), f"csrf:{cookie_value}".encode())


def get_current_member(request: Request, db: DbSession, settings: AppSettings) -> Member:
    """The caller: an API token (Authorization: Bearer) or a browser session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        member = organisation_service.authenticate_token(db=db, token=header[7:].strip())
        return _noted(request, member, "api_token")
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise NotAuthenticated("sign in, or send an API token as 'Authorization: Bearer <token>'")
    _, member = organisation_service.authenticate_session(db=db, cookie_value=cookie)
    if request.method not in _SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not security.constant_time_equals(sent, csrf_token_for(settings, cookie)):
            raise PermissionDenied("missing or wrong CSRF token")
    return _noted(request, member, "session")


def _noted(request: Request, member: Member, actor: str) -> Member:
    """Remember the caller for the audit trail (goodwill.audit.trail)."""
    request.state.audit_member = member.id
    request.state.audit_organisation = member.organisation_id
    request.state.audit_actor = actor
    return member


CurrentMember = Annotated[Member, Depends(get_current_member)]


def require_role(role: Role) -> Callable[[Member], Member]:
    """A dependency that lets only members with at least ``role`` through."""

    def check(member: CurrentMember) -> Member:
        if not Role(member.role).allows(role):
            raise PermissionDenied(f"this action needs the {role.value} role")
        return member

    return check


ManagerMember = Annotated[Member, Depends(require_role(Role.MANAGER))]
AdminMember = Annotated[Member, Depends(require_role(Role.ADMIN))]
