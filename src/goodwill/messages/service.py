"""Storing and finding message analyses: which messages need (re-)analysis, and their results."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, exists, insert, or_, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from goodwill.tenancy import current_organisation_id
from goodwill.types import InteractionKind

Mode = Literal["new", "all", "since", "outdated"]


@dataclass(frozen=True)
class AnalyserResult:
    version: str
    result: dict[str, Any]


def _messages() -> Any:
    return select(Interaction).where(
        Interaction.kind == InteractionKind.MESSAGE.value, Interaction.body.is_not(None)
    )


def select_messages(
    *, mode: Mode, versions: Mapping[str, str], since: datetime | None = None
) -> Any:
    """Messages to analyse: never analysed (new), every one, created since a time, or analysed
    by an analyser version other than the current one (outdated)."""
    stmt = _messages()
    if mode == "all":
        return stmt
    if mode == "since":
        if since is None:
            raise InvalidInput("since: a time is required with --since")
        return stmt.where(Interaction.created_at >= since)
    mine = MessageAnalysis.interaction_id == Interaction.id
    if mode == "new":
        return stmt.where(~exists().where(mine))
    stale = [
        ~exists().where(mine, MessageAnalysis.analyser == name, MessageAnalysis.version == version)
        for name, version in versions.items()
    ]
    return stmt.where(or_(*stale))


def iter_batches(*, db: Session, stmt: Any, batch_size: int = 256) -> Iterator[list[Interaction]]:
    """Batches of the messages ``stmt`` selects, in id order.

    The selection runs once, for ids only (16 bytes a message); each batch then loads its rows
    by primary key. Re-running the selection per batch would re-check every message already
    passed, since the planner sorts the organisation's messages rather than walk the id index.
    """
    ids = list(db.scalars(stmt.with_only_columns(Interaction.id).order_by(Interaction.id)))
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        yield list(
            db.scalars(
                select(Interaction).where(Interaction.id.in_(chunk)).order_by(Interaction.id)
            )
        )


@dataclass(frozen=True)
class StoredAnalysis:
    """What to keep for one message: each analyser's result and, optionally, its embedding."""

    interaction_id: uuid.UUID
    results: Mapping[str, AnalyserResult]
    embedding: tuple[str, NDArray[np.floating[Any]]] | None = None


def store(
    *,
    db: Session,
    interaction_id: uuid.UUID,
    results: Mapping[str, AnalyserResult],
    embedding: tuple[str, NDArray[np.floating[Any]]] | None = None,
) -> None:
    """Replace the stored results of these analysers (and the embedding) for one message."""
    store_many(db=db, items=[StoredAnalysis(interaction_id, results, embedding)])


def store_many(*, db: Session, items: Sequence[StoredAnalysis]) -> None:
    """Replace stored results for many messages at once: one delete and one insert per table."""
    if not items:
        return
    now = utcnow()
    ids = [item.interaction_id for item in items]
    analysers = sorted({name for item in items for name in item.results})
    db.execute(
        delete(MessageAnalysis).where(
            MessageAnalysis.interaction_id.in_(ids), MessageAnalysis.analyser.in_(analysers)
        )
    )
    org = current_organisation_id(db)
    rows = [
        {
            "organisation_id": org,
            "interaction_id": item.interaction_id,
            "analyser": name,
            "version": res.version,
            "result": res.result,
            "analysed_at": now,
        }
        for item in items
        for name, res in item.results.items()
    ]
    if rows:
        db.execute(insert(MessageAnalysis), rows)
    vectors = [
        {
            "organisation_id": org,
            "interaction_id": item.interaction_id,
            "model": item.embedding[0],
            "dimensions": int(item.embedding[1].shape[0]),
            "vector": np.asarray(item.embedding[1], dtype=np.float16).tobytes(),
            "analysed_at": now,
        }
        for item in items
        if item.embedding is not None
    ]
    if vectors:
        db.execute(
            delete(MessageEmbedding).where(
                MessageEmbedding.interaction_id.in_([v["interaction_id"] for v in vectors])
            )
        )
        db.execute(insert(MessageEmbedding), vectors)


def get_for_interaction(*, db: Session, interaction_id: uuid.UUID) -> dict[str, MessageAnalysis]:
    """Every stored analysis of one message, by analyser name (404 for an unknown message)."""
    if db.get(Interaction, interaction_id) is None:
        raise NotFound(f"interaction {interaction_id} not found")
    rows = db.scalars(
        select(MessageAnalysis).where(MessageAnalysis.interaction_id == interaction_id)
    )
    return {row.analyser: row for row in rows}


def get_embedding(*, db: Session, interaction_id: uuid.UUID) -> NDArray[np.float32] | None:
    row = db.get(MessageEmbedding, interaction_id)
    if row is None:
        return None
    return np.frombuffer(row.vector, dtype=np.float16).astype(np.float32)
