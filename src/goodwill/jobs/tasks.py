"""Every job, registered in one place: its name and its handler ``(factory, organisation_id)``.

A job's only argument is an organisation id (a string on the wire); the handler opens its own
units of work scoped to that organisation and selects what is not yet done, so running a job
twice (at-least-once delivery) stores its effect once. Handlers raise on failure: the queue
retries with exponential backoff, then keeps the job as a dead letter.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable

from dramatiq import Actor
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.orm import Session, sessionmaker

from goodwill import ingest
from goodwill.config import Settings
from goodwill.jobs import queue
from goodwill.reasons import training as reason_training

log = logging.getLogger(__name__)

Handler = Callable[[sessionmaker[Session], uuid.UUID], object]

HANDLERS: dict[str, Handler] = {
    ingest.FOLLOW_UP: ingest.follow_up,
    ingest.ANALYSE_BACKLOG: ingest.analyse_backlog,
    reason_training.TRAIN_REASONS: reason_training.train_waiting,
}
# jobs sent several at a time for one organisation (queue.send_counted), not one waiting at most
COUNTED = frozenset({ingest.ANALYSE_BACKLOG})

TIME_LIMIT_MS = 6 * 3600 * 1000  # a full recompute of a very large organisation


def _timed(
    name: str, factory: sessionmaker[Session], broker: RedisBroker, settings: Settings
) -> Callable[[str], None]:
    def run(organisation_id: str) -> None:
        started = time.perf_counter()
        queue.mark_started(
            settings=settings,
            client=broker.client,
            actor_name=name,
            organisation_id=organisation_id,
            counted=name in COUNTED,
        )
        result = HANDLERS[name](factory, uuid.UUID(organisation_id))
        elapsed = time.perf_counter() - started
        log.info("%s of organisation %s in %.2f s: %s", name, organisation_id, elapsed, result)

    run.__name__ = name
    return run


def declare(*, broker: RedisBroker, factory: sessionmaker[Session], settings: Settings) -> None:
    """Declare every job as an actor of ``broker`` (in the worker), with its retry policy."""
    options = {
        "max_retries": settings.job_max_retries,
        "min_backoff": settings.job_min_backoff_ms,
        "max_backoff": settings.job_max_backoff_ms,
        "time_limit": TIME_LIMIT_MS,
    }
    for name in HANDLERS:
        Actor(
            _timed(name, factory, broker, settings),
            broker=broker,
            actor_name=name,
            queue_name=queue.QUEUE_NAME,
            priority=0,
            options=dict(options),
        )


def dispatch(
    *,
    settings: Settings,
    factory: sessionmaker[Session],
    actor_name: str,
    organisation_id: uuid.UUID,
) -> None:
    """Send a job to the queue, or run it here when no broker is configured (never raising)."""
    if queue.is_configured(settings):
        queue.send(
            settings=settings,
            factory=factory,
            actor_name=actor_name,
            organisation_id=organisation_id,
        )
        return
    try:
        HANDLERS[actor_name](factory, organisation_id)
    except Exception:
        log.exception("%s of organisation %s failed", actor_name, organisation_id)
