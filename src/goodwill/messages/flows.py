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
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work
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
) -> int:
    """Analyse the stored messages ``mode`` selects; returns how many were analysed."""
    stmt = service.select_messages(mode=mode, versions=stored_versions(pipeline), since=since)
    done = 0
    for rows in service.iter_batches(db=db, stmt=stmt, batch_size=batch_size):
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


def analyse_new(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int:
    """Analyse an organisation's messages that have no analysis yet, in their own transaction.

    Run after ingest (imports, the API, webhooks): in-process by default. Failures are logged,
    never raised into the request that stored the messages; ``goodwill analyse`` catches up.
    """
    try:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return analyse_stored(db=db, pipeline=shared_pipeline(), mode="new")
    except Exception:
        log.exception("analysing new messages of organisation %s failed", organisation_id)
        return 0
