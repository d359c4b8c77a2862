"""A worker process: Dramatiq worker threads on the Redis queue, plus the outbox sender.

Run as many as needed (``goodwill worker`` on one or many machines, same PostgreSQL and Redis):
each takes messages from the shared queue. A message is acknowledged only after its job ran; a
worker that dies (SIGKILL, lost machine) stops sending heartbeats and, after
``GOODWILL_JOB_HEARTBEAT_TIMEOUT_MS``, another worker puts its unacknowledged messages back.
"""

from __future__ import annotations

import logging
import threading
import uuid

from dramatiq import Worker
from dramatiq.brokers.redis import RedisBroker
from dramatiq.middleware import Retries
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.errors import InvalidInput
from goodwill.jobs import outbox, queue, tasks
from goodwill.jobs.dead_letters import DeadLetterRecorder

log = logging.getLogger(__name__)


def worker_broker(settings: Settings, factory: sessionmaker[Session]) -> RedisBroker:
    """A broker with every job declared and dead letters recorded in the database."""
    broker = queue.new_broker(settings)
    # 'after' hooks run in reverse order: placed before Retries, the recorder sees its verdict
    broker.add_middleware(DeadLetterRecorder(factory), before=Retries)
    tasks.declare(broker=broker, factory=factory, settings=settings)
    return broker


def send_kept(factory: sessionmaker[Session], broker: RedisBroker) -> int:
    """Send the jobs kept in the outbox while Redis was down (logged, never raised)."""

    def send(actor_name: str, organisation_id: uuid.UUID) -> None:
        broker.enqueue(queue.message(actor_name, organisation_id))

    try:
        return outbox.drain(factory=factory, send=send)
    except Exception:
        log.exception("could not send the jobs kept in the outbox; trying again later")
        return 0


def run(
    *,
    settings: Settings,
    factory: sessionmaker[Session],
    threads: int,
    stop: threading.Event,
) -> None:
    """Process jobs until ``stop`` is set; the outbox is sent at start and every poll."""
    if not queue.is_configured(settings):
        raise InvalidInput("GOODWILL_REDIS_URL is not set: without a queue, work runs in-process")
    broker = worker_broker(settings, factory)
    worker = Worker(broker, worker_threads=threads, worker_timeout=1000)
    worker.start()
    log.info("worker started: %d thread(s), namespace %s", threads, settings.redis_namespace)
    try:
        while True:
            send_kept(factory, broker)
            if stop.wait(settings.job_outbox_poll_seconds):
                break
    finally:
        worker.stop()
        broker.close()
        log.info("worker stopped")
