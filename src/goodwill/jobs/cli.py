"""`goodwill worker`: run background jobs from the Redis queue until stopped."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer
from sqlalchemy.orm import Session, sessionmaker

from goodwill.cli_support import console, handle_errors, session_factory
from goodwill.config import Settings, get_settings

MAX_WAIT_S = 30.0  # the longest pause between two tries to reach the database at start


@handle_errors
def worker(
    threads: Annotated[int, typer.Option(min=1, max=64, help="jobs run at once")] = 2,
) -> None:
    """Process background jobs (analysis, recompute) from the queue; stop with Ctrl-C or SIGTERM.

    Start one per core on as many machines as needed, all on the same database and Redis."""
    settings = get_settings()
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    factory = _database(settings, stop)
    if factory is None:
        return  # stopped while waiting for the database
    console.print(f"goodwill worker: {threads} thread(s); stop with Ctrl-C")
    from goodwill.jobs import worker as job_worker  # every job's code: only to run them

    job_worker.run(settings=settings, factory=factory, threads=threads, stop=stop)


def _database(settings: Settings, stop: threading.Event) -> sessionmaker[Session] | None:
    """Sessions on the database, waiting for it when it cannot be reached at start (a worker
    started during a database restart waits and then works, like one started before it)."""
    from goodwill.main import database_unavailable

    delay = 1.0
    while True:
        try:
            return session_factory(settings)
        except Exception as exc:
            if not database_unavailable(exc):
                raise
            console.print(
                f"goodwill worker: the database cannot be reached; trying again in {delay:.0f} s"
            )
        if stop.wait(delay):
            return None
        delay = min(delay * 2, MAX_WAIT_S)


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
