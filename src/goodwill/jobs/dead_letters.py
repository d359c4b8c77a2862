"""Jobs that failed on every attempt: recorded by the worker, listed and retried by admins."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from dramatiq import Broker, Middleware
from dramatiq.broker import MessageProxy
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work, utcnow
from goodwill.errors import Conflict, NotFound
from goodwill.jobs.models import JobDeadLetter

log = logging.getLogger(__name__)

MAX_ERROR_CHARS = 2000


class DeadLetterRecorder(Middleware):
    """Stores a message that Dramatiq's Retries gave up on (marked failed) as a dead letter.

    Must be added *before* Retries: Dramatiq runs "after" hooks in reverse order."""

    def __init__(self, factory: sessionmaker[Session]) -> None:
        self.factory = factory

    def after_process_message(
        self,
        broker: Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is None or not message.failed:
            return
        try:
            record(
                factory=self.factory,
                organisation_id=uuid.UUID(str(message.args[0])),
                message_id=message.message_id,
                actor_name=message.actor_name,
                error=f"{type(exception).__name__}: {exception}",
                attempts=int(message.options.get("retries", 1)),
            )
        except Exception:
            log.exception("could not record dead letter %s", message.message_id)


def record(
    *,
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    message_id: str,
    actor_name: str,
    error: str,
    attempts: int,
) -> None:
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        db.add(
            JobDeadLetter(
                message_id=message_id,
                actor_name=actor_name,
                error=error[:MAX_ERROR_CHARS],
                attempts=attempts,
            )
        )
    log.error("job %s %s failed %d time(s): dead letter", actor_name, message_id, attempts)


def get_all(*, db: Session, limit: int) -> list[JobDeadLetter]:
    """The organisation's dead letters, newest first."""
    stmt = select(JobDeadLetter).order_by(JobDeadLetter.failed_at.desc()).limit(limit)
    return list(db.scalars(stmt))


def get_or_raise(*, db: Session, dead_letter_id: uuid.UUID) -> JobDeadLetter:
    found = db.get(JobDeadLetter, dead_letter_id)
    if found is None:
        raise NotFound("no such dead letter")
    return found


def mark_retried(*, db: Session, dead_letter: JobDeadLetter) -> JobDeadLetter:
    if dead_letter.retried_at is not None:
        raise Conflict("this job was already sent again")
    dead_letter.retried_at = utcnow()
    db.flush()
    return dead_letter


def count_open(*, db: Session) -> int:
    """Dead letters not yet retried, all organisations (for the health endpoint)."""
    with tenancy.system_scope(db):
        stmt = select(func.count()).select_from(JobDeadLetter)
        return db.scalar(stmt.where(JobDeadLetter.retried_at.is_(None))) or 0
