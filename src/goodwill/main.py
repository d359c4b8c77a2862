"""The ASGI application: JSON API under /api/v1 and the web pages, served by one app."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
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
    from goodwill.messages.api import router as messages_router
    from goodwill.organisations.api import router as organisations_router
    from goodwill.privacy.api import router as privacy_router
    from goodwill.pulse.api import router as pulse_router
    from goodwill.quality.api import router as quality_router
    from goodwill.reasons.api import router as reasons_router
    from goodwill.relationships.api import router as relationships_router
    from goodwill.relationships.policy_api import router as policy_router
    from goodwill.relationships.settings_api import router as rule_settings_router
    from goodwill.scripts.api import router as scripts_router
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
        pulse_router,
        quality_router,
        frameworks_router,
        audit_router,
        privacy_router,
    ):
        app.include_router(
            router, prefix=API_PREFIX, dependencies=[Depends(audit_trail, scope="function")]
        )
    app.include_router(health_router)
    install_web(app)


def _version() -> str:
    from goodwill import __version__

    return __version__
