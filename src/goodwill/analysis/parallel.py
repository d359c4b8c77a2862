"""Batch analysis on several cores: one pipeline per worker process, results in input order.

The pipeline is one Python process and uses one core; ``goodwill analyse --batch --processes N``
and the benchmark spread chunks of messages over ``N`` processes, each loading the models once
(a loaded pipeline is about 150 MB, so memory grows with ``N``). Results come back as the plain
JSON forms (``summary`` for the CLI, ``stored`` for the database), which are cheap to send
between processes; :class:`~goodwill.analysis.pipeline.Analysis` objects are not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any, Literal

from goodwill.analysis.base import Message
from goodwill.analysis.pipeline import Pipeline

Form = Literal["summary", "summary_with_embedding", "stored"]
CHUNK = 256

_pipeline: Pipeline | None = None


def _start(embedding: str | None) -> None:
    from goodwill.analysis import default_pipeline

    global _pipeline
    _pipeline = default_pipeline(embedding=embedding)  # type: ignore[arg-type]


def _analyse(messages: Sequence[Message], form: Form) -> list[dict[str, Any]]:
    assert _pipeline is not None, "worker started without its pipeline"
    found = _pipeline.run_batch(list(messages))
    if form == "stored":
        return [dict(a.stored()) for a in found]
    return [a.summary(with_embedding=form == "summary_with_embedding") for a in found]


class ProcessPool:
    """Worker processes that each hold a loaded pipeline (``with ProcessPool(...) as pool``).

    Workers are started fresh (``spawn``), so nothing of the caller is inherited, and load
    their models on start; :meth:`warm` waits until every one is ready."""

    def __init__(self, *, processes: int, embedding: str | None) -> None:
        if processes < 1:
            raise ValueError("processes: at least 1")
        self.processes = processes
        self._pool = ProcessPoolExecutor(
            max_workers=processes,
            mp_context=get_context("spawn"),
            initializer=_start,
            initargs=(embedding,),
        )

    def __enter__(self) -> ProcessPool:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown()

    def warm(self) -> None:
        probe = [Message(str(i), "Hello, my card has not arrived yet.") for i in range(2)]
        list(self._pool.map(_analyse, [probe] * self.processes, ["stored"] * self.processes))

    def run(
        self, messages: Sequence[Message], form: Form = "summary", chunk: int = CHUNK
    ) -> Iterator[dict[str, Any]]:
        """One result per message, in order."""
        chunks = [messages[i : i + chunk] for i in range(0, len(messages), chunk)]
        for results in self._pool.map(_analyse, chunks, [form] * len(chunks)):
            yield from results


def analyse_in_processes(
    messages: Sequence[Message],
    *,
    processes: int,
    embedding: str | None,
    form: Form = "summary",
) -> Iterator[dict[str, Any]]:
    """Analyse ``messages`` in ``processes`` worker processes; one result per message, in
    order."""
    with ProcessPool(processes=processes, embedding=embedding) as pool:
        yield from pool.run(messages, form)
