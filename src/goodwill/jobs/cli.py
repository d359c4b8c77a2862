"""`goodwill worker`: run background jobs from the Redis queue until stopped."""

from __future__ import annotations

import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from goodwill.cli_support import console, handle_errors, session_factory
from goodwill.config import get_settings


@handle_errors
def worker(
    threads: Annotated[int, typer.Option(min=1, max=64, help="jobs run at once")] = 2,
) -> None:
    """Process background jobs (analysis, recompute) from the queue; stop with Ctrl-C or SIGTERM.

    Start one per core on as many machines as needed, all on the same database and Redis."""
    settings = get_settings()
    factory = session_factory(settings)
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    console.print(f"goodwill worker: {threads} thread(s); stop with Ctrl-C")
    from goodwill.jobs import worker as job_worker  # every job's code: only to run them

    job_worker.run(settings=settings, factory=factory, threads=threads, stop=stop)


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)
