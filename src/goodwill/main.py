"""The ASGI application: JSON API under /api/v1 and the web pages, served by one app."""

from __future__ import annotations

import logging
import secrets
import sqlite3
from collections.abc import Awaitable, Callable

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from psycopg.errors import QueryCanceled
from pydantic import BaseModel
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from goodwill import errors
from goodwill.config import Settings, get_settings
from goodwill.database import make_engine, make_session_factory
from goodwill.jobs.after_request import AfterRequest
from goodwill.logging import request_id_var

log = logging.getLogger(__name__)

API_PREFIX = "/api/v1"

_STATUS = [
    (errors.ImportRejected, 422),
    (errors.NotFound, 404),
    (errors.Conflict, 409),
    (errors.InvalidInput, 422),
    (errors.NotAuthenticated, 401),
    (errors.PermissionDenied, 403),
    (errors.TenancyViolation, 404),
]


class ErrorItem(BaseModel):
    """One problem of a refused request: where (the field; the line of an import file) and why."""

    field: str | None = None
    reason: str
    line: int | None = None


class ErrorRead(BaseModel):
    """Every error answer of the API: ``detail`` says what went wrong; ``errors`` lists each bad
    field or row where there are some (422), ``total_errors`` their count for an import file."""

    detail: str
    errors: list[ErrorItem] | None = None
    total_errors: int | None = None


# declared on every /api/v1 operation, so the OpenAPI document names every answer the API gives
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    code: {"model": ErrorRead, "description": text}
    for code, text in [
        (400, "The request body could not be read (not UTF-8, or not the declared format)"),
        (401, "No valid credentials"),
        (403, "The member's role does not allow this action"),
        (404, "No such record in the caller's organisation"),
        (409, "The request clashes with stored state"),
        (422, "The request is malformed: each bad field is named"),
        (503, "The database is unavailable for the moment: try again"),
    ]
}
# the database connection failed or was lost (a server restarting, the network down, the pool
# exhausted): nothing the caller did, and it passes
DATABASE_UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)
# sqlite3 raises OperationalError for bugs too ("no such table", syntax): only these pass
_SQLITE_TRANSIENT = ("database is locked", "database is busy", "unable to open database file")


def database_unavailable(exc: Exception) -> bool:
    """Whether ``exc`` means the database cannot be reached for now (503), not a bug (500)."""
    if not isinstance(exc, DATABASE_UNAVAILABLE):
        return False
    if isinstance(exc, sa_exc.DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        return str(exc.orig).startswith(_SQLITE_TRANSIENT)
    return True


def statement_timed_out(exc: Exception) -> bool:
    """Whether ``exc`` is PostgreSQL stopping a statement at the request's time limit."""
    orig = getattr(exc, "orig", None)
    return isinstance(orig, QueryCanceled)


SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def _error_response(exc: errors.GoodwillError) -> JSONResponse:
    code = next((c for cls, c in _STATUS if isinstance(exc, cls)), 400)
    if isinstance(exc, errors.TenancyViolation):
        log.error("tenancy violation: %s", exc)
        return JSONResponse({"detail": "not found"}, status_code=404)
    body: dict[str, object] = {"detail": str(exc)}
    if isinstance(exc, errors.ImportRejected):
        body["errors"] = [
            {"line": e.line, "field": e.field, "reason": e.reason} for e in exc.errors
        ]
        body["total_errors"] = exc.total_errors
    headers = {"WWW-Authenticate": "Bearer"} if code == 401 else None
    return JSONResponse(body, status_code=code, headers=headers)


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(errors.GoodwillError)
    async def goodwill_error(_: Request, exc: errors.GoodwillError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = [
            {"field": ".".join(str(p) for p in e["loc"]), "reason": e["msg"]} for e in exc.errors()
        ]
        summary = "; ".join(f"{d['field']}: {d['reason']}" for d in details[:5])
        return JSONResponse({"detail": summary, "errors": details}, status_code=422)

    async def database_error(request: Request, exc: Exception) -> JSONResponse:
        if statement_timed_out(exc):
            limit = request.app.state.settings.request_statement_timeout_ms
            log.warning(
                "statement stopped after %d ms: %s %s", limit, request.method, request.url.path
            )
            detail = (
                f"the request took longer than the server allows ({limit} ms per query, "
                "GOODWILL_REQUEST_STATEMENT_TIMEOUT_MS) and was stopped; narrow it or try later"
            )
            return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "30"})
        if not database_unavailable(exc):
            raise exc  # a bug: the server error middleware logs it with its traceback (500)
        log.error("database unavailable: %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse(
            {"detail": "the database is unavailable for the moment; try again shortly"},
            status_code=503,
            headers={"Retry-After": "5"},
        )

    for kind in DATABASE_UNAVAILABLE:
        app.add_exception_handler(kind, database_error)


def _install_middleware(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_context(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        rid = request.headers.get("x-request-id", "")[:64] or secrets.token_hex(8)
        token = request_id_var.set(rid)
        try:
            response = await call_next(request)
        finally:
            request_id_var.reset(token)
        response.headers["X-Request-ID"] = rid
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            # customer conversations must not stay in shared or browser caches (ASVS 8.2.1)
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def create_app(
    settings: Settings | None = None, session_factory: sessionmaker[Session] | None = None
) -> FastAPI:
    """Build the application; tests pass their own settings and session factory."""
    settings = settings or get_settings()
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.effective_database_url))
    app = FastAPI(
        title="Goodwill",
        version=_version(),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    _install_handlers(app)
    _install_middleware(app)
    app.add_middleware(AfterRequest)  # outermost: runs work after the commit
    _include_routers(app)
    return app


def _include_routers(app: FastAPI) -> None:
    from goodwill.audit.api import router as audit_router
    from goodwill.audit.trail import audit_trail
    from goodwill.coach.api import router as coach_router
    from goodwill.customers.api import router as customers_router
    from goodwill.feedback.api import router as feedback_router
    from goodwill.frameworks.api import router as frameworks_router
    from goodwill.imports.api import router as imports_router
    from goodwill.interactions.api import router as interactions_router
    from goodwill.interactions.webhooks import router as webhooks_router
    from goodwill.jobs.api import health_router
    from goodwill.jobs.api import router as jobs_router
    from goodwill.journeys.api import router as journeys_router
    from goodwill.messages.api import router as messages_router
    from goodwill.organisations.api import router as organisations_router
    from goodwill.perception.api import router as perception_router
    from goodwill.privacy.api import router as privacy_router
    from goodwill.pulse.api import router as pulse_router
    from goodwill.quality.api import router as quality_router
    from goodwill.reasons.api import router as reasons_router
    from goodwill.relationships.api import router as relationships_router
    from goodwill.relationships.policy_api import router as policy_router
    from goodwill.relationships.settings_api import router as rule_settings_router
    from goodwill.scripts.api import router as scripts_router
    from goodwill.segments.api import router as segments_router
    from goodwill.text_input import refuse_nul
    from goodwill.web.app import install as install_web

    for router in (
        organisations_router,
        customers_router,
        relationships_router,
        policy_router,
        rule_settings_router,
        interactions_router,
        messages_router,
        webhooks_router,
        imports_router,
        coach_router,
        reasons_router,
        feedback_router,
        jobs_router,
        scripts_router,
        segments_router,
        pulse_router,
        quality_router,
        frameworks_router,
        audit_router,
        privacy_router,
        perception_router,
        journeys_router,
    ):
        app.include_router(
            router,
            prefix=API_PREFIX,
            dependencies=[Depends(refuse_nul), Depends(audit_trail, scope="function")],
            responses=ERROR_RESPONSES,
        )
    app.include_router(health_router)
    install_web(app)


def _version() -> str:
    from goodwill import __version__

    return __version__
