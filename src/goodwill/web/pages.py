"""HTML pages: sign-in, sign-out and the home page (the full web app builds on these)."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from goodwill import security
from goodwill.dependencies import SESSION_COOKIE, AppSettings, DbSession, csrf_token_for
from goodwill.errors import NotAuthenticated
from goodwill.organisations import service as organisation_service

HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")
static_files = StaticFiles(directory=HERE / "static")
LOGIN_CSRF_COOKIE = "goodwill_login_csrf"

router = APIRouter(include_in_schema=False)


@router.get("/", response_model=None)
def home(request: Request, db: DbSession, settings: AppSettings) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return RedirectResponse("/login", status_code=303)
    try:
        _, member = organisation_service.authenticate_session(db=db, cookie_value=cookie)
    except NotAuthenticated:
        return RedirectResponse("/login", status_code=303)
    org = organisation_service.get_organisation(db=db)
    return templates.TemplateResponse(
        request,
        "home.html",
        {
            "member": member,
            "organisation": org,
            "csrf_token": csrf_token_for(settings, cookie),
        },
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request) -> HTMLResponse:
    return _login_page(request, None, 200)


@router.post("/login", response_model=None)
def login_submit(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    email: Annotated[str, Form(max_length=320)],
    password: Annotated[str, Form(max_length=1000)],
    csrf_token: Annotated[str, Form(max_length=100)],
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
    response = templates.TemplateResponse(
        request, "login.html", {"csrf_token": token, "error": message}, status_code=code
    )
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.post("/logout", response_model=None)
def logout_submit(
    request: Request,
    db: DbSession,
    settings: AppSettings,
    csrf_token: Annotated[str, Form(max_length=100)],
) -> Response:
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie and security.constant_time_equals(csrf_token, csrf_token_for(settings, cookie)):
        organisation_service.logout(db=db, cookie_value=cookie)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
