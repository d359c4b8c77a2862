"""A full recompute on several cores: the batches of ``goodwill recompute --all`` spread over
worker processes, with the same results as the serial engine.

The engine is one Python process and uses one core. :func:`recompute_all_parallel` runs a full
recompute in its own units of work:

1. in the caller's process, what :func:`goodwill.relationships.engine.recompute` does before its
   batches (the rules, every relationship's id, the "alive" refit), committed;
2. the batches (cut as the serial engine cuts them) in ``processes`` worker processes, started
   fresh (``spawn``) with their own engine on the same database; each worker takes the next
   batch when it is done with one, so a share of long histories does not leave a core idle;
3. in the caller's process again, what the engine does after its batches (the "alive" entries
   of relationships the batches did not reach, the risk model retrained), committed.

SQLite lets one process write at a time, and a transaction that has read and then writes fails at
once ("database is locked") if another process committed in between: the busy timeout does not
help there. So a worker runs each batch as three transactions: the commitments ledger (reads,
then writes) with the write lock taken first (``BEGIN IMMEDIATE``); the reads and the computation,
which write nothing (they also take the batch's part of the risk model's history, with the stages
about to be written and the analysed events from the batch's own message read); and the bulk
writes, again with the write lock taken first. The workers wait
for each other only during the short first and last steps. PostgreSQL runs the same code.

Unlike the serial recompute (one transaction), the batches commit one by one: if a worker fails,
the batches done stay done and the error is raised; running the recompute again completes it.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from multiprocessing import get_context
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from goodwill import tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.relationships import alive, engine, risk
from goodwill.relationships.engine import RecomputeSummary
from goodwill.relationships.models import Relationship

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Worker:
    """What a worker process keeps between batches."""

    factory: sessionmaker[Session]
    organisation_id: uuid.UUID
    ruleset: engine.RuleSet
    as_of: datetime
    alive_values: alive.AliveByCustomer | None


_worker: _Worker | None = None


def database_url(factory_or_url: sessionmaker[Session] | str) -> str:
    """The URL the workers open: given, or that of the engine the session factory is bound to
    (an in-memory SQLite database, or a factory bound to a connection, cannot be shared)."""
    if isinstance(factory_or_url, str):
        url = factory_or_url
    else:
        bind = factory_or_url.kw.get("bind")
        if not isinstance(bind, Engine):
            raise ValueError("parallel recompute: the session factory must be bound to an engine")
        url = bind.url.render_as_string(hide_password=False)
    if url.startswith("sqlite") and (":memory:" in url or "///" not in url):
        raise ValueError(f"parallel recompute: {url} is not shared by processes (use a file)")
    return url


def _factory(factory_or_url: sessionmaker[Session] | str) -> sessionmaker[Session]:
    if isinstance(factory_or_url, str):
        return make_session_factory(make_engine(factory_or_url))
    return factory_or_url


def recompute_all_parallel(
    factory_or_url: sessionmaker[Session] | str,
    organisation_id: uuid.UUID,
    *,
    processes: int,
    as_of: datetime | None = None,
    batch_size: int = engine.BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
) -> RecomputeSummary:
    """Recompute every relationship of the organisation with ``processes`` worker processes
    (1: the serial engine in one unit of work); the same results as the serial engine."""
    if processes < 1:
        raise ValueError(f"processes: at least 1, not {processes}")
    started = time.perf_counter()
    factory = _factory(factory_or_url)
    if processes == 1:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return engine.recompute(
                db=db, all_relationships=True, as_of=as_of, batch_size=batch_size, progress=progress
            )
    url = database_url(factory_or_url)
    with unit_of_work(factory, immediate=True) as db:
        tenancy.scope(db, organisation_id)
        plan = engine.plan(db=db, all_relationships=True, as_of=as_of)
    planned = time.perf_counter()
    total, parts = _run_batches(url, organisation_id, plan, processes, batch_size, progress)
    batched = time.perf_counter()
    with unit_of_work(factory, immediate=True) as db:
        tenancy.scope(db, organisation_id)
        engine.bulk_pragmas(db)
        history = _history(db, parts)
        engine.finish(db=db, plan=plan, batch_size=batch_size, history=history)
    total.seconds = time.perf_counter() - started
    log.debug(
        "full recompute on %d processes: plan %.1f s, batches %.1f s, finish %.1f s%s",
        processes,
        planned - started,
        batched - planned,
        started + total.seconds - batched,
        "" if history is not None else " (risk history read again)",
    )
    return total


def _history(db: Session, parts: list[risk.HistoryPart]) -> risk.History | None:
    """The risk model's history from the batches' parts, if they cover every relationship of
    the organisation in order (as a full recompute's batches do, unless relationships were
    added meanwhile: then ``None``, and the history is read again)."""
    joined = risk.join(parts)
    if joined.ids != list(db.scalars(select(Relationship.id).order_by(Relationship.id))):
        return None
    return joined.history()


def _run_batches(
    url: str,
    organisation_id: uuid.UUID,
    plan: engine.Plan,
    processes: int,
    batch_size: int,
    progress: Callable[[int], Any] | None,
) -> tuple[RecomputeSummary, list[risk.HistoryPart]]:
    """The plan's batches in worker processes, each taking the next batch when free; their
    summaries added up and their parts of the risk model's history, in batch order."""
    batches = [
        plan.due[start : start + batch_size] for start in range(0, len(plan.due), batch_size)
    ]
    total = RecomputeSummary()
    parts: list[risk.HistoryPart] = []
    if not batches:
        return total, parts
    pool = ProcessPoolExecutor(
        max_workers=min(processes, len(batches)),
        mp_context=get_context("spawn"),
        initializer=_start,
        initargs=(url, organisation_id, plan.as_of, plan.alive_values),
    )
    try:
        for done, part in pool.map(_batch, batches):
            total.add(done)
            parts.append(part)
            if progress is not None:
                progress(done.relationships)
    finally:
        pool.shutdown(cancel_futures=True)  # after a failure, no batch is started any more
    return total, parts


def _start(
    url: str,
    organisation_id: uuid.UUID,
    as_of: datetime,
    alive_values: alive.AliveByCustomer | None,
) -> None:
    """A worker's start: its engine (on SQLite one connection kept for all its batches, with
    the engine's bulk settings) and the organisation's rules."""
    import goodwill.models  # noqa: F401  (every table mapped, as in the main process)

    global _worker
    if url.startswith("sqlite"):
        db_engine = make_engine(url, poolclass=StaticPool)
    else:
        db_engine = make_engine(url, pool_size=1)
    factory = make_session_factory(db_engine)
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        engine.bulk_pragmas(db)
        ruleset = engine.RuleSet.of(db)
    _worker = _Worker(factory, organisation_id, ruleset, as_of, alive_values)


def _batch(relationship_ids: Sequence[uuid.UUID]) -> tuple[RecomputeSummary, risk.HistoryPart]:
    """One batch in a worker, in three transactions (see the module's docstring); the reads
    also take the batch's part of the risk model's history, with the stages about to be stored
    and the analysed events from the batch's own message read."""
    worker = _worker
    assert worker is not None, "worker started without its state"
    with unit_of_work(worker.factory, immediate=True) as db:  # reads, then writes
        tenancy.scope(db, worker.organisation_id)
        rels = engine.relationship_rows(db, relationship_ids)
        summary = engine.sync_commitments(db=db, rels=rels, as_of=worker.as_of)
    with unit_of_work(worker.factory) as db:  # reads only
        tenancy.scope(db, worker.organisation_id)
        computed = engine.compute_batch(
            db=db,
            rels=rels,
            ruleset=worker.ruleset,
            as_of=worker.as_of,
            alive_values=worker.alive_values,
        )
        part = risk.read_part(
            db=db,
            as_of=worker.as_of,
            relationship_ids=relationship_ids,
            analysed=computed.risk_events,
            stages=computed.writes.stages_found(),
        )
    summary.transitions = computed.transitions
    with unit_of_work(worker.factory, immediate=True) as db:  # writes only
        tenancy.scope(db, worker.organisation_id)
        computed.writes.store(db)
    return summary, part
