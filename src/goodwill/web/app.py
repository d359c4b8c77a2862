"""The web app inside the ASGI app: its routers (pages are never in the OpenAPI schema) and its
static files. The security headers (Content-Security-Policy without inline script or style,
nosniff, Referrer-Policy, frame-ancestors 'none') are set on every response in goodwill.main."""

from __future__ import annotations

from fastapi import FastAPI

from goodwill.web import (
    coach_pages,
    feedback_pages,
    frameworks_pages,
    journeys_pages,
    pages,
    perception_pages,
    perception_survey,
    quality_pages,
    reasons_pages,
    relationship_pages,
    segments_pages,
    settings_pages,
)
from goodwill.web.render import static_files


def install(app: FastAPI) -> None:
    app.include_router(relationship_pages.router)
    app.include_router(coach_pages.router)
    app.include_router(reasons_pages.router)
    app.include_router(feedback_pages.router)
    app.include_router(frameworks_pages.router)
    app.include_router(quality_pages.router)
    app.include_router(settings_pages.router)
    app.include_router(segments_pages.router)
    app.include_router(perception_pages.router)
    app.include_router(perception_survey.router)
    app.include_router(journeys_pages.router)
    app.include_router(pages.router)
    app.mount("/static", static_files, name="static")
