"""Routes of the job queue: GET /health (no sign-in) and the dead letters (admins)."""

from __future__ import annotations

import logging
import uuid
from typing import Annotated

from fastapi import APIRouter, BackgroundTasks, Query, Request, status
from fastapi.responses import JSONResponse
from sqlalchemy import text

from goodwill.database import unit_of_work
from goodwill.dependencies import AdminMember, AppSettings, DbSession
from goodwill.jobs import dead_letters, outbox, queue, tasks
from goodwill.jobs.after_request import defer
from goodwill.jobs.models import JobDeadLetter
from goodwill.jobs.schemas import DeadLetterRead, HealthRead

log = logging.getLogger(__name__)

health_router = APIRouter(tags=["health"])
router = APIRouter(tags=["jobs"])


@health_router.get("/health", response_model=HealthRead, responses={503: {"model": HealthRead}})
def health(request: Request) -> JSONResponse:
    """Liveness and readiness: the database, Redis, and counts of queued and failed jobs.

    200 while the database answers (Redis down is "degraded": interactions are still accepted
    and their work kept in the database), 503 when the database does not."""
    settings = request.app.state.settings
    found = queue.state(settings)
    body = HealthRead(
        status="ok",
        database="ok",
        redis=found.redis,
        queue_depth=found.depth,
        pending=None,
        dead_letters=None,
    )
    try:
        with unit_of_work(request.app.state.session_factory) as db:
            db.execute(text("select 1"))
            body.pending = outbox.pending(db=db)
            body.dead_letters = dead_letters.count_open(db=db)
    except Exception:
        log.exception("health: the database does not answer")
        body.database, body.status = "unavailable", "unavailable"
        return JSONResponse(body.model_dump(), status_code=status.HTTP_503_SERVICE_UNAVAILABLE)
    if found.redis == "unavailable":
        body.status = "degraded"
    return JSONResponse(body.model_dump())


@router.get("/jobs/dead-letters", response_model=list[DeadLetterRead])
def list_dead_letters(
    db: DbSession,
    _: AdminMember,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[JobDeadLetter]:
    """The organisation's jobs that failed every retry, newest first."""
    return dead_letters.get_all(db=db, limit=limit)


@router.post(
    "/jobs/dead-letters/{job_id}/retry",
    response_model=DeadLetterRead,
    status_code=status.HTTP_202_ACCEPTED,
)
def retry_dead_letter(
    db: DbSession,
    _: AdminMember,
    job_id: uuid.UUID,
    request: Request,
    settings: AppSettings,
    background: BackgroundTasks,
) -> JobDeadLetter:
    """Send a dead job again (once the request has committed); it is marked as retried."""
    dead = dead_letters.get_or_raise(db=db, dead_letter_id=job_id)
    dead_letters.mark_retried(db=db, dead_letter=dead)
    defer(
        request,
        background,
        tasks.dispatch,
        settings=settings,
        factory=request.app.state.session_factory,
        actor_name=dead.actor_name,
        organisation_id=dead.organisation_id,
    )
    return dead
