"""Who is looking at a page: the signed-in member, their organisation, the CSRF token; and the
route class that turns errors into HTML pages (a page never answers with JSON).

A page needs a browser session (the session cookie: HttpOnly, SameSite=Lax, Secure when the
settings say so); without one it redirects to /login. Every POST form carries the CSRF token
bound to the session (``csrf_token_for``), checked before the route runs. Authorisation is the
session's organisation scope (goodwill/tenancy.py): another organisation's record is not found.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.datastructures import FormData

from goodwill import errors, security
from goodwill.dependencies import SESSION_COOKIE, AppSettings, DbSession, csrf_token_for
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, Organisation
from goodwill.types import Role
from goodwill.web import queries
from goodwill.web.render import render

log = logging.getLogger(__name__)


PageDb = DbSession  # function scope: committed before the answer is sent


class LoginRequired(Exception):
    """No valid browser session: the page redirects to the sign-in form."""


@dataclass(frozen=True)
class PageContext:
    """What every signed-in page knows: the member, the organisation and the CSRF token."""

    member: Member
    organisation: Organisation
    csrf_token: str
    session_id: uuid.UUID
    memberships: list[tuple[uuid.UUID, str]] = field(default_factory=list)

    def allows(self, role: Role) -> bool:
        return Role(self.member.role).allows(role)

    def require(self, role: Role) -> None:
        """Refuse the action (403 page) unless the member has at least ``role``: checked on the
        server for every action, whatever the page showed."""
        if not self.allows(role):
            raise errors.PermissionDenied(f"this action needs the {role.value} role")

    def values(self, section: str) -> dict[str, object]:
        return {
            "is_manager": self.allows(Role.MANAGER),
            "is_admin": self.allows(Role.ADMIN),
            "member": self.member,
            "organisation": self.organisation,
            "csrf_token": self.csrf_token,
            "memberships": self.memberships,
            "section": section,
        }


def page_context(request: Request, db: PageDb, settings: AppSettings) -> PageContext:
    request.state.page_db = db  # rolled back if the page fails (see PageRoute)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise LoginRequired
    try:
        web_session, member = organisation_service.authenticate_session(db=db, cookie_value=cookie)
    except errors.NotAuthenticated:
        raise LoginRequired from None
    return PageContext(
        member=member,
        organisation=organisation_service.get_organisation(db=db),
        csrf_token=csrf_token_for(settings, cookie),
        session_id=web_session.id,
        memberships=queries.memberships(db=db, user=member.user),
    )


CurrentPage = Annotated[PageContext, Depends(page_context)]


async def checked_form(request: Request, page: CurrentPage) -> FormData:
    """The POSTed form, once its CSRF token matched the session's; else 403."""
    form = await request.form()
    sent = form.get("csrf_token")
    if not isinstance(sent, str) or not security.constant_time_equals(sent, page.csrf_token):
        raise errors.PermissionDenied(
            "this form expired or did not come from Goodwill: reload the page and submit again"
        )
    return form


CheckedForm = Annotated[FormData, Depends(checked_form)]

_PAGE_STATUS: list[tuple[type[errors.GoodwillError], int, str]] = [
    (errors.TenancyViolation, 404, "Not found"),
    (errors.NotFound, 404, "Not found"),
    (errors.PermissionDenied, 403, "Not allowed"),
    (errors.NotAuthenticated, 401, "Sign in again"),
    (errors.InvalidInput, 422, "Please check what you entered"),
    (errors.Conflict, 409, "That clashes with something else"),
]


def error_page(request: Request, exc: errors.GoodwillError) -> Response:
    code, title = next(((c, t) for cls, c, t in _PAGE_STATUS if isinstance(exc, cls)), (400, ""))
    if isinstance(exc, errors.TenancyViolation):
        log.error("tenancy violation on a page: %s", exc)
    detail = (
        "It does not exist, or it belongs to another organisation." if code == 404 else str(exc)
    )
    context = {"title": title or "Something went wrong", "detail": detail, "code": code}
    return render(request, "error.html", context, status_code=code)


class PageRoute(APIRoute):
    """A route whose errors are HTML: sign-in redirect, 403/404/422 pages with what to do."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except LoginRequired:
                return RedirectResponse("/login", status_code=303)
            except errors.GoodwillError as exc:
                db = getattr(request.state, "page_db", None)
                if db is not None:
                    db.rollback()  # nothing of a failed action is kept
                return error_page(request, exc)

        return page_handler
