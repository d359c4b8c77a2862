"""HTML pages: sign-in and sign-out, the organisation switch, and Today. The other sections have
modules of their own (relationship_pages, coach_pages, reasons_pages, feedback_pages,
quality_pages, settings_pages)."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from goodwill import security
from goodwill.database import utcnow
from goodwill.dependencies import SESSION_COOKIE, AppSettings
from goodwill.errors import InvalidInput, NotAuthenticated
from goodwill.jobs.after_request import later
from goodwill.organisations import service as organisation_service
from goodwill.relationships import nextconv, task_snapshots
from goodwill.web import queries
from goodwill.web.auth import CheckedForm, CurrentPage, PageDb, PageRoute
from goodwill.web.paging import Pager, count
from goodwill.web.render import render

LOGIN_CSRF_COOKIE = "goodwill_login_csrf"
LIST_SIZE = 20
PROMISE_LEAD = timedelta(days=2)  # promises due within this are shown as coming due

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@router.get("/", response_model=None)
def today(request: Request, db: PageDb, page: CurrentPage) -> Response:
    now = utcnow()
    me = page.member.id
    params = dict(request.query_params)
    drifting = (nextconv.playbook_of(db).rule("relationship_drifting") or {}).get("stages", ())
    needing = queries.attention(db=db, owner_id=me, drifting=drifting, as_of=now)
    attention_pager = Pager.of(params, "attention_page", needing.count(db), LIST_SIZE)
    attention = needing.page(db, LIST_SIZE, attention_pager.offset(LIST_SIZE))
    promises = queries.promises_due(db=db, member_id=me, horizon=now + PROMISE_LEAD)
    total = count(db, promises.limit(queries.COUNTED + 1))  # bounded, as attention's
    promise_pager = Pager.of(params, "promises_page", total, LIST_SIZE)
    promise_rows = db.execute(promises.limit(LIST_SIZE).offset(promise_pager.offset(LIST_SIZE)))
    # the stored list (goodwill.relationships.task_snapshots); a stale one is shown and computed
    # again once this request is over
    listed = task_snapshots.read(db=db, member_id=me, as_of=now, fresh=params.get("fresh") == "1")
    _keep_tasks(request, page.member.organisation_id, me, listed, now)
    tasks = listed.tasks
    task_pager = Pager.of(params, "next_page", len(tasks), LIST_SIZE)
    context = {
        **page.values("today"),
        "now": now,
        "attention": attention,
        "attention_pager": attention_pager,
        "promises": [tuple(row) for row in promise_rows],
        "promise_pager": promise_pager,
        "tasks": task_pager.slice(tasks, LIST_SIZE),
        "task_pager": task_pager,
        "tasks_at": listed.computed_at,
        "tasks_stale": listed.stale,
    }
    return render(request, "today.html", context)


def _keep_tasks(
    request: Request,
    organisation_id: uuid.UUID,
    member_id: uuid.UUID,
    listed: task_snapshots.Listed,
    now: datetime,
) -> None:
    """Once the request is over: store the list Today computed, or compute a stale one again
    (each in a unit of work of its own, so a page's read never holds SQLite's write lock)."""
    factory = request.app.state.session_factory
    work: Callable[[], None]
    if listed.unsaved is not None:
        work = partial(
            task_snapshots.store_apart, factory, organisation_id, member_id, now, listed.unsaved
        )
    elif listed.stale:
        work = partial(task_snapshots.refresh_apart, factory, organisation_id, member_id)
    else:
        return
    if not later(request, work):
        work()


@router.post("/switch-organisation", response_model=None)
def switch_organisation(db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    try:
        organisation_id = uuid.UUID(str(form.get("organisation_id", "")))
    except ValueError:
        raise InvalidInput("organisation_id: choose one of your organisations") from None
    queries.switch_organisation(
        db=db, session_id=page.session_id, user=page.member.user, organisation_id=organisation_id
    )
    return RedirectResponse("/", status_code=303)


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request, None, 200)


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    db: PageDb,
    settings: AppSettings,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    csrf_token: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not security.constant_time_equals(expected, csrf_token):
        return _login_page(request, "Your sign-in form expired. Please try again.", 403)
    try:
        result = organisation_service.login(
            db=db, email=email, password=password, session_days=settings.session_days
        )
    except NotAuthenticated as exc:
        db.commit()  # keep the failed-attempt count
        return _login_page(request, str(exc).capitalize() + ".", 401)
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        result.cookie_value,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        max_age=settings.session_days * 86400,
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _login_page(request: Request, message: str | None, code: int) -> HTMLResponse:
    """The sign-in form with a fresh CSRF token (double-submit: cookie and hidden field)."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", {"csrf_token": token, "error": message}, code)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/logout", response_model=None)
def logout_submit(request: Request, db: PageDb, _: CheckedForm) -> Response:
    organisation_service.logout(db=db, cookie_value=request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
