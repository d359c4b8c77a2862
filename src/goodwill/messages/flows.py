"""Analysing stored messages: load a batch, run the pipeline, store each field beside the message.

A message is analysed with the last few messages of its conversation as its thread, so context
(a complaint before an apology) is visible to the analysers. Re-running is safe: results of the
same analyser are replaced, never duplicated.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Interaction
from goodwill.messages import service
from goodwill.messages.service import AnalyserResult, Mode

if TYPE_CHECKING:
    from goodwill.analysis import Analysis, Message, Pipeline

log = logging.getLogger(__name__)

THREAD_DEPTH = 5
EMBEDDING_FIELD = "embedding"


def stored_versions(pipeline: Pipeline) -> dict[str, str]:
    """``{field: version}`` of every field the pipeline stores (what "outdated" compares)."""
    return {a.output: a.version for a in pipeline.analysers if a.stored}


def _threads(db: Session, rows: Sequence[Interaction]) -> dict[uuid.UUID, list[Interaction]]:
    """Earlier messages of each row's conversation, oldest first (one query per batch)."""
    conversation_ids = {r.conversation_id for r in rows if r.conversation_id is not None}
    if not conversation_ids:
        return {}
    earlier: dict[uuid.UUID, list[Interaction]] = defaultdict(list)
    stmt = (
        select(Interaction)
        .where(Interaction.conversation_id.in_(conversation_ids), Interaction.kind == "message")
        .order_by(Interaction.occurred_at, Interaction.id)
    )
    for msg in db.scalars(stmt):
        assert msg.conversation_id is not None
        earlier[msg.conversation_id].append(msg)
    return earlier


def to_messages(db: Session, rows: Sequence[Interaction]) -> list[Message]:
    from goodwill.analysis import Message

    threads = _threads(db, rows)

    def as_message(row: Interaction, thread: tuple[Message, ...] = ()) -> Message:
        direction = row.direction if row.direction in ("inbound", "outbound") else None
        return Message(
            id=str(row.id),
            text=row.body or "",
            direction=direction,  # type: ignore[arg-type]
            sent_at=row.occurred_at,
            thread=thread,
        )

    out = []
    for row in rows:
        convo = threads.get(row.conversation_id) if row.conversation_id else None
        before = [m for m in convo or [] if (m.occurred_at, m.id) < (row.occurred_at, row.id)]
        thread = tuple(as_message(m) for m in before[-THREAD_DEPTH:])
        out.append(as_message(row, thread))
    return out


def to_stored(interaction_id: uuid.UUID, analysis: Analysis) -> service.StoredAnalysis:
    """The pipeline's stored fields as rows: the embedding apart, as a compact vector."""
    results: dict[str, AnalyserResult] = {}
    embedding = None
    for field, stored in analysis.stored().items():
        if field == EMBEDDING_FIELD:
            value = analysis.results[field]
            embedding = (str(value.model), value.vector)  # type: ignore[attr-defined]
            continue
        results[field] = AnalyserResult(stored["version"], {"value": stored["value"]})
    return service.StoredAnalysis(interaction_id, results, embedding)


def analyse_stored(
    *,
    db: Session,
    pipeline: Pipeline,
    mode: Mode = "new",
    since: datetime | None = None,
    batch_size: int = 256,
    progress: Callable[[int], Any] | None = None,
    claim: service.Cursor | None = None,
) -> int:
    """Analyse the stored messages ``mode`` selects; returns how many were analysed.

    With ``claim`` (PostgreSQL, mode "new"), only the next batch of unanalysed messages that no
    other transaction holds, locked until ``db`` commits: see :func:`analyse_claimed`."""
    batches: Iterable[list[Interaction]]
    if claim is not None:
        if mode != "new":
            raise InvalidInput(f"mode: claiming batches analyses new messages only, not {mode!r}")
        claimed = service.claim_new(db=db, cursor=claim, batch_size=batch_size)
        batches = [claimed] if claimed else []
    else:
        stmt = service.select_messages(mode=mode, versions=stored_versions(pipeline), since=since)
        batches = service.iter_batches(db=db, stmt=stmt, batch_size=batch_size)
    done = 0
    for rows in batches:
        analyses = pipeline.run_batch(to_messages(db, rows))
        service.store_many(
            db=db,
            items=[to_stored(row.id, a) for row, a in zip(rows, analyses, strict=True)],
        )
        done += len(rows)
        if progress is not None:
            progress(len(rows))
    return done


@functools.lru_cache(maxsize=1)
def shared_pipeline() -> Pipeline:
    """The process's pipeline: models load once, on first use."""
    from goodwill.analysis import default_pipeline

    return default_pipeline(embedding="static")


def claims_batches(factory: sessionmaker[Session]) -> bool:
    """Whether analysis claims batches (PostgreSQL's row locks); SQLite's writers serialise, so
    there it analyses every new message in one transaction, as it always has."""
    bind = factory.kw.get("bind")
    return bind is not None and bind.dialect.name == "postgresql"


def analyse_claimed(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    *,
    batch_size: int = 256,
    on_full: Callable[[uuid.UUID], object] | None = None,
    pipeline: Pipeline | None = None,
    progress: Callable[[int], Any] | None = None,
) -> int:
    """Claim, analyse and commit batches of the organisation's unanalysed messages until none is
    left to claim; returns how many this caller analysed.

    Any number of callers (worker processes, on any machine) can run this at once for the same
    organisation: each batch is one transaction holding its rows (:func:`service.claim_new`), so
    two callers never analyse the same message, and a caller that dies releases its batch with
    its connection for its redelivered job to claim. ``on_full(after)`` is called once, before
    the first full batch is analysed, with the last message id that batch holds. ``pipeline``
    defaults to the process's shared one; ``progress(n)`` is told of each committed batch."""
    pipeline = pipeline or shared_pipeline()
    cursor = service.Cursor(on_full=on_full)
    done = 0
    while not cursor.exhausted:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            analysed = analyse_stored(
                db=db, pipeline=pipeline, mode="new", batch_size=batch_size, claim=cursor
            )
        done += analysed
        if progress is not None and analysed:
            progress(analysed)
    return done


def analyse_new(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int:
    """Analyse an organisation's messages that have no analysis yet: in one transaction, or on
    PostgreSQL in claimed batches of their own.

    Run after ingest (imports, the API, webhooks): in-process by default. Failures are logged,
    never raised into the request that stored the messages; ``goodwill analyse`` catches up.
    """
    try:
        if claims_batches(factory):
            return analyse_claimed(factory, organisation_id)
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return analyse_stored(db=db, pipeline=shared_pipeline(), mode="new")
    except Exception:
        log.exception("analysing new messages of organisation %s failed", organisation_id)
        return 0
