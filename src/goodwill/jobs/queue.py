"""The broker (Dramatiq over Redis) and sending jobs with a durable fallback.

With no ``GOODWILL_REDIS_URL`` there is no broker: callers run the work in-process, as the
embedded setup always has. With one, :func:`send` puts a message on Redis; when Redis cannot be
reached the job is written to the ``job_outbox`` table instead (never failing the caller), and a
worker sends it once Redis is back.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass

import redis
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.jobs import outbox

log = logging.getLogger(__name__)

QUEUE_NAME = "default"
CONNECT_TIMEOUT_SECONDS = 1.0
SOCKET_TIMEOUT_SECONDS = 10.0
WAITING_TTL_MS = 10 * 60 * 1000

_brokers: dict[tuple[str, str], RedisBroker] = {}
_lock = threading.Lock()


def is_configured(settings: Settings) -> bool:
    return bool(settings.redis_url)


def redis_client(settings: Settings) -> redis.Redis:
    """A client that gives up quickly when Redis is down (a request must not hang on it)."""
    assert settings.redis_url
    return redis.Redis.from_url(
        settings.redis_url,
        socket_connect_timeout=CONNECT_TIMEOUT_SECONDS,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
    )


def new_broker(settings: Settings) -> RedisBroker:
    """A fresh broker with Dramatiq's default middleware (retries with exponential backoff)."""
    return RedisBroker(  # type: ignore[no-untyped-call]
        client=redis_client(settings),
        namespace=settings.redis_namespace,
        heartbeat_timeout=settings.job_heartbeat_timeout_ms,
        maintenance_chance=settings.job_maintenance_chance,
    )


def sending_broker(settings: Settings) -> RedisBroker:
    """The process's broker for sending (one per Redis URL and namespace)."""
    assert settings.redis_url
    key = (settings.redis_url, settings.redis_namespace)
    with _lock:
        if key not in _brokers:
            _brokers[key] = new_broker(settings)
        return _brokers[key]


def waiting_key(settings: Settings, actor_name: str, organisation_id: uuid.UUID | str) -> str:
    """The Redis key flagging a job of this organisation as sent and not yet started."""
    return f"{settings.redis_namespace}:waiting:{actor_name}:{organisation_id}"


def message(actor_name: str, organisation_id: uuid.UUID) -> Message[None]:
    """A job message: the actor's name and the organisation's id (never an ORM object)."""
    return Message(
        queue_name=QUEUE_NAME,
        actor_name=actor_name,
        args=(str(organisation_id),),
        kwargs={},
        options={},
    )


def send(
    *,
    settings: Settings,
    factory: sessionmaker[Session],
    actor_name: str,
    organisation_id: uuid.UUID,
) -> bool:
    """Send a job to the broker; True if sent (or already waiting), False if kept in the
    outbox for later.

    A job catches its organisation up, so one waiting job per organisation is enough: a flag
    (set here, cleared by the worker when the job *starts*) skips sending another while one
    waits. A write that sees the flag committed before the waiting job starts, so that job
    reads it. The flag expires after ``WAITING_TTL_MS`` in case its job is lost."""
    try:
        broker = sending_broker(settings)
        key = waiting_key(settings, actor_name, organisation_id)
        if not broker.client.set(key, "1", nx=True, px=WAITING_TTL_MS):
            return True
        broker.enqueue(message(actor_name, organisation_id))
        return True
    except (redis.RedisError, OSError) as exc:
        log.warning("Redis unavailable (%s): %s kept in the job outbox", exc, actor_name)
    try:
        outbox.keep(factory=factory, actor_name=actor_name, organisation_id=organisation_id)
    except Exception:
        log.exception("could not store %s for organisation %s", actor_name, organisation_id)
    return False


# a counter of waiting jobs, taken down by one when one starts, never below zero
_TAKE_ONE = """
local waiting = tonumber(redis.call('get', KEYS[1]) or '0')
if waiting > 0 then return redis.call('decr', KEYS[1]) end
return 0
"""


def send_counted(
    *, settings: Settings, actor_name: str, organisation_id: uuid.UUID, count: int
) -> int:
    """Send up to ``count`` jobs of one kind for one organisation, so that at most ``count`` wait
    at once however often this is called; returns how many were sent.

    The waiting ones are counted under :func:`waiting_key` (incremented here, decremented by
    :func:`mark_started`, expiring like the flag). These jobs only share work their sender does
    anyway, so when Redis cannot be reached none is sent and none is kept in the outbox."""
    key = waiting_key(settings, actor_name, organisation_id)
    sent = 0
    try:
        broker = sending_broker(settings)
        waiting = int(broker.client.incrby(key, count)) - count  # reserves places atomically
        broker.client.pexpire(key, WAITING_TTL_MS)
        wanted = max(0, count - waiting)
        if wanted < count:
            broker.client.decrby(key, count - wanted)
        for _ in range(wanted):
            broker.enqueue(message(actor_name, organisation_id))
            sent += 1
    except (redis.RedisError, OSError) as exc:
        log.warning("Redis unavailable (%s): %d %s job(s) sent", exc, sent, actor_name)
    return sent


def mark_started(
    *, settings: Settings, client: redis.Redis, actor_name: str, organisation_id: str, counted: bool
) -> None:
    """A job starts: a new write now needs a new job (this one may have read before it), so its
    waiting flag is cleared, or the count of its kind's waiting jobs taken down by one."""
    key = waiting_key(settings, actor_name, organisation_id)
    if counted:
        client.eval(_TAKE_ONE, 1, key)
    else:
        client.delete(key)


@dataclass(frozen=True)
class QueueState:
    redis: str  # ok | unavailable | not_configured
    depth: int | None


def state(settings: Settings) -> QueueState:
    """Whether Redis answers, and how many jobs wait or run on the queue."""
    if not is_configured(settings):
        return QueueState("not_configured", None)
    prefix = f"{settings.redis_namespace}:{QUEUE_NAME}"
    try:
        client = sending_broker(settings).client
        depth = int(client.hlen(f"{prefix}.msgs")) + int(client.hlen(f"{prefix}.DQ.msgs"))
    except (redis.RedisError, OSError):
        return QueueState("unavailable", None)
    return QueueState("ok", depth)
