"""Storing and finding message analyses: which messages need (re-)analysis, and their results."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import and_, delete, exists, insert, or_, select
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


@dataclass
class Cursor:
    """Where one claimer is in its pass over an organisation's unanalysed messages (id order).

    A pass goes through the messages once: each claim starts after the last row the previous one
    locked, so a long backlog is not re-scanned from its start per batch, and the first claim
    that finds nothing ends the pass. Rows another claimer held when the pass went by are that
    claimer's: it stores them, or if it dies its job is delivered again and claims them anew.
    ``on_full`` is called once, with the cursor's position, when a claim fills its batch (more may
    wait behind it): how a job decides to share the rest."""

    after: uuid.UUID | None = None
    exhausted: bool = False
    on_full: Callable[[uuid.UUID], object] | None = None


def _unanalysed(*, after: uuid.UUID | None) -> Any:
    """Messages with no analysis, after a message id if given. The second ``> after`` is implied
    by the first; written out, it lets PostgreSQL's merge anti-join start both index scans at the
    cursor rather than read every analysis before it (a claim then costs its batch, not the
    organisation's analysed history)."""
    mine = MessageAnalysis.interaction_id == Interaction.id
    stmt = _messages()
    if after is not None:
        stmt = stmt.where(Interaction.id > after)
        mine = and_(mine, MessageAnalysis.interaction_id > after)
    return stmt.where(~exists().where(mine))


def claim_new(*, db: Session, cursor: Cursor, batch_size: int = 256) -> list[Interaction]:
    """The next batch of messages with no analysis, locked until the transaction ends
    (PostgreSQL); moves ``cursor`` on.

    ``FOR NO KEY UPDATE SKIP LOCKED``: rows another claimer holds are skipped, never waited for,
    so concurrent claimers take disjoint batches. ``NO KEY`` leaves foreign-key checks of other
    tables' inserts (a contact reason, a suggestion) unblocked: interactions are never updated, so
    the lock only serves to exclude other claimers. A claimer that committed after this
    statement's snapshot has released rows the snapshot still sees as unanalysed; the second
    query, with a snapshot taken after the locks were granted, drops those."""
    locked = list(
        db.scalars(
            _unanalysed(after=cursor.after)
            .order_by(Interaction.id)
            .limit(batch_size)
            .with_for_update(skip_locked=True, key_share=True, of=Interaction)
        )
    )
    if not locked:
        cursor.exhausted = True
        return []
    cursor.after = locked[-1].id
    if len(locked) == batch_size and cursor.on_full is not None:
        on_full, cursor.on_full = cursor.on_full, None
        on_full(cursor.after)
    stored = set(
        db.scalars(
            select(MessageAnalysis.interaction_id)
            .where(MessageAnalysis.interaction_id.in_([row.id for row in locked]))
            .distinct()
        )
    )
    return [row for row in locked if row.id not in stored]


def count_claimable(*, db: Session, limit: int, after: uuid.UUID | None = None) -> int:
    """How many unanalysed messages (after a message id) no claimer holds, counted up to
    ``limit`` (PostgreSQL).

    Counting locks the rows it counts (``SKIP LOCKED`` needs a lock to test) until the caller's
    transaction ends: keep that transaction short."""
    ids = db.scalars(
        _unanalysed(after=after)
        .with_only_columns(Interaction.id)
        .limit(limit)
        .with_for_update(skip_locked=True, key_share=True, of=Interaction)
    )
    return len(list(ids))


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
