"""What the job-queue tests share: a committed database, a Redis namespace of their own, worker
processes, and waiting. Run as ``python -m tests.integration.jobs_support MODE`` it is a worker
with a test-only fault: ``slow`` sleeps in the middle of the job (to be killed there), ``fail``
raises in every job (to be dead-lettered)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import redis
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.config import Settings
from goodwill.database import make_session_factory
from goodwill.messages.models import MessageAnalysis

REDIS_URL = os.environ.get("GOODWILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
CLOSED_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
REPO = Path(__file__).resolve().parents[2]
GOODWILL = Path(sys.executable).parent / "goodwill"
MARKER_ENV = "GOODWILL_TEST_JOB_MARKER"
DATA_DIR = str(REPO.parent / "shared" / "data")


def require_redis() -> None:
    """Fail under CI (Redis is required there), otherwise skip loudly, when Redis is down."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is required in CI but not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"REDIS NOT REACHABLE at {REDIS_URL} ({exc}): job-queue tests not run")


@dataclass
class QueueWorld:
    """A migrated, committed database and a Redis namespace, both private to one test."""

    engine: Engine
    factory: sessionmaker[Session]
    settings: Settings
    home: Path

    def env(self, **overrides: str) -> dict[str, str]:
        """The environment of a worker process on this world."""
        s = self.settings
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_")}
        env |= {
            "GOODWILL_HOME": str(self.home),
            "GOODWILL_SECRET_KEY": "jobs-test-secret",
            "GOODWILL_DATABASE_URL": self.engine.url.render_as_string(hide_password=False),
            "GOODWILL_REDIS_URL": s.redis_url or "",
            "GOODWILL_REDIS_NAMESPACE": s.redis_namespace,
            "GOODWILL_JOB_MAX_RETRIES": str(s.job_max_retries),
            "GOODWILL_JOB_MIN_BACKOFF_MS": str(s.job_min_backoff_ms),
            "GOODWILL_JOB_MAX_BACKOFF_MS": str(s.job_max_backoff_ms),
            "GOODWILL_JOB_HEARTBEAT_TIMEOUT_MS": str(s.job_heartbeat_timeout_ms),
            "GOODWILL_JOB_MAINTENANCE_CHANCE": str(s.job_maintenance_chance),
            "GOODWILL_JOB_OUTBOX_POLL_SECONDS": str(s.job_outbox_poll_seconds),
            "GOODWILL_DATA_DIR": os.environ.get("GOODWILL_DATA_DIR", DATA_DIR),
        }
        return env | overrides

    def start_worker(self, mode: str | None = None, **env: str) -> subprocess.Popen[bytes]:
        """``goodwill worker``, or with ``mode`` the faulty test worker of this module."""
        if mode is None:
            command = [str(GOODWILL), "worker", "--threads", "1"]
        else:
            command = [sys.executable, "-m", "tests.integration.jobs_support", mode]
        with (self.home / f"worker-{secrets.token_hex(3)}.log").open("wb") as log:
            return subprocess.Popen(
                command, cwd=REPO, env=self.env(**env), stdout=log, stderr=subprocess.STDOUT
            )

    def logs(self) -> str:
        return "\n".join(p.read_text(errors="replace") for p in self.home.glob("worker-*.log"))


@contextmanager
def queue_world(fresh_engine: Engine, tmp_path: Path, **settings: Any) -> Iterator[QueueWorld]:
    require_redis()
    migrations.upgrade(fresh_engine)
    namespace = f"goodwill-test-{os.getpid()}-{secrets.token_hex(4)}"
    values: dict[str, Any] = {
        "home": tmp_path / "home",
        "secret_key": "jobs-test-secret",
        "redis_url": REDIS_URL,
        "redis_namespace": namespace,
        "job_max_retries": 2,
        "job_min_backoff_ms": 50,
        "job_max_backoff_ms": 200,
        "job_heartbeat_timeout_ms": 2000,
        "job_maintenance_chance": 1_000_000,
        "job_outbox_poll_seconds": 0.5,
    }
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    world = QueueWorld(
        fresh_engine, make_session_factory(fresh_engine), Settings(**values | settings), home
    )
    try:
        yield world
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{namespace}:*"))
        if keys:
            client.delete(*keys)


def stop(process: subprocess.Popen[bytes]) -> None:
    """Stop a worker politely (SIGTERM), or kill it."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(what: str, condition: Callable[[], bool], world: QueueWorld, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"timed out after {timeout} s waiting for {what}; worker logs:\n{world.logs()}")


def analyses(world: QueueWorld, organisation_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
    """(message, analyser) of every stored analysis of the organisation."""
    with world.factory() as db:
        tenancy.scope(db, organisation_id)
        stmt = select(MessageAnalysis.interaction_id, MessageAnalysis.analyser)
        return [(r[0], r[1]) for r in db.execute(stmt)]


def count(world: QueueWorld, organisation_id: uuid.UUID, model: type[Any]) -> int:
    with world.factory() as db:
        tenancy.scope(db, organisation_id)
        return db.scalar(select(func.count()).select_from(model)) or 0


def _slow_worker() -> None:
    """Analyse, then (with the results flushed but not committed) say so and sleep."""
    from goodwill.messages import flows

    real = flows.analyse_stored

    def slow(**kwargs: Any) -> int:
        done = real(**kwargs)
        kwargs["db"].flush()
        Path(os.environ[MARKER_ENV]).write_text(str(os.getpid()))
        time.sleep(120)
        return done

    flows.analyse_stored = slow  # type: ignore[assignment]


def _failing_worker() -> None:
    from goodwill import ingest
    from goodwill.jobs import tasks

    def fail(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> None:
        raise RuntimeError(f"test fault in the job of {organisation_id}")

    tasks.HANDLERS[ingest.FOLLOW_UP] = fail


if __name__ == "__main__":
    {"slow": _slow_worker, "fail": _failing_worker}[sys.argv[1]]()
    from goodwill.cli import app

    app(["worker", "--threads", "1"])
