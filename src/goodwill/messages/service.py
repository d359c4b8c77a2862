"""Storing and finding message analyses: which messages need (re-)analysis, and their results."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
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
    current = [
        (MessageAnalysis.analyser == name) & (MessageAnalysis.version == version)
        for name, version in versions.items()
    ]
    up_to_date = (
        select(MessageAnalysis.interaction_id)
        .where(or_(*current))
        .group_by(MessageAnalysis.interaction_id)
        .having(func.count() == len(versions))
    )
    if mode == "new":
        analysed = select(MessageAnalysis.interaction_id)
        return stmt.where(Interaction.id.not_in(analysed))
    return stmt.where(Interaction.id.not_in(up_to_date))


def iter_batches(*, db: Session, stmt: Any, batch_size: int = 256) -> Iterator[list[Interaction]]:
    """Keyset-paged batches of ``stmt`` by id, so a long run never holds every message."""
    last: uuid.UUID | None = None
    while True:
        page = stmt.order_by(Interaction.id).limit(batch_size)
        if last is not None:
            page = page.where(Interaction.id > last)
        rows = list(db.scalars(page))
        if not rows:
            return
        yield rows
        last = rows[-1].id


def store(
    *,
    db: Session,
    interaction_id: uuid.UUID,
    results: Mapping[str, AnalyserResult],
    embedding: tuple[str, NDArray[np.floating[Any]]] | None = None,
) -> None:
    """Replace the stored results of these analysers (and the embedding) for one message."""
    now = utcnow()
    db.execute(
        delete(MessageAnalysis).where(
            MessageAnalysis.interaction_id == interaction_id,
            MessageAnalysis.analyser.in_(list(results)),
        )
    )
    for name, res in results.items():
        db.add(
            MessageAnalysis(
                interaction_id=interaction_id,
                analyser=name,
                version=res.version,
                result=res.result,
                analysed_at=now,
            )
        )
    if embedding is not None:
        model, vector = embedding
        db.execute(
            delete(MessageEmbedding).where(MessageEmbedding.interaction_id == interaction_id)
        )
        db.add(
            MessageEmbedding(
                interaction_id=interaction_id,
                model=model,
                dimensions=int(vector.shape[0]),
                vector=np.asarray(vector, dtype=np.float16).tobytes(),
                analysed_at=now,
            )
        )
    db.flush()


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
