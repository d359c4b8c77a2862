"""What a recompute batch writes, collected as rows and stored with one bulk statement per table
(no ORM object per relationship): the relationships' stage, phase, trust and health, a stage
history row when the stage or phase changed, and a score history row when a score moved by at
least :data:`HISTORY_STEP`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, update
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.database import new_id, utcnow
from goodwill.relationships import alive, commitments, rules
from goodwill.relationships.models import Relationship, ScoreHistory, StageHistory

HISTORY_STEP = 1.0  # a score must move by this many points for a new history row


@dataclass
class Writes:
    """What a batch writes, as rows for bulk statements (no ORM object per relationship)."""

    relationships: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)

    def stages_found(self) -> dict[Any, tuple[str | None, Any]]:
        """Per relationship id, the stage and evidence these writes set."""
        return {row["id"]: (row["stage"], row["stage_evidence"]) for row in self.relationships}

    def store(self, db: Session) -> None:
        """One executemany per table; the session's copies of these relationships are expired."""
        insert_rows(db, StageHistory, self.stages)
        insert_rows(db, ScoreHistory, self.scores)
        if self.relationships:
            now = utcnow()
            for row in self.relationships:
                row["updated_at"] = now
            update_rows(db, Relationship, self.relationships)


def insert_rows(db: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` of ``model`` (one Core executemany on its table: the ORM's bulk insert
    spends longer on its bookkeeping per row than the database on the row), each given a new id
    and the session's organisation; the columns' defaults apply as with the ORM."""
    organisation_id = tenancy.current_organisation_id(db)
    for row in rows:
        row.update(id=new_id(), organisation_id=organisation_id)
    if rows:
        db.execute(insert(model.__table__), rows)


def update_rows(db: Session, model: type[Any], rows: Sequence[Mapping[str, Any]]) -> None:
    """Set columns of ``model``'s rows by id (``rows``: dicts of ``id`` and the columns): one
    Core executemany per set of columns, without the ORM's bookkeeping per row (a full recompute
    writes every relationship), limited to the session's organisation by the statement itself
    (the tenancy rules attach to ORM statements, not to a table's); the session's copies of
    these rows are expired."""
    table = model.__table__
    organisation_id = tenancy.current_organisation_id(db)
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = {}
    for row in rows:
        columns = tuple(sorted(key for key in row if key != "id"))
        values = {f"new_{key}": row[key] for key in columns}
        groups.setdefault(columns, []).append({"row_id": row["id"], **values})
    for columns, params in groups.items():
        stmt = (
            update(table)
            .where(table.c.id == bindparam("row_id"))
            .where(table.c.organisation_id == organisation_id)
            .values({column: bindparam(f"new_{column}") for column in columns})
        )
        db.execute(stmt, params)
    commitments.expire_loaded(db, model, [row["id"] for row in rows])


def record(writes: Writes, rel: Any, found: rules.Inference, as_of: datetime) -> int:
    """The relationship's stage, phase and evidence, and a history row if they changed."""
    writes.relationships.append(
        {
            "id": rel.id,
            "stage": found.stage,
            "phase": found.phase,
            "stage_evidence": found.evidence,
            "computed_at": as_of,
        }
    )
    if (rel.stage, rel.phase) == (found.stage, found.phase):
        return 0
    writes.stages.append(
        {
            "relationship_id": rel.id,
            "stage": found.stage,
            "phase": found.phase,
            "evidence": found.evidence,
            "valid_from": as_of,
        }
    )
    return 1


def score_values(trust: Mapping[str, Any] | None) -> dict[str, float]:
    """The headline numbers of a stored trust entry: each pillar, connection and health."""
    if not trust:
        return {}
    found = {name: item.get("score") for name, item in (trust.get("pillars") or {}).items()}
    found["connection"] = (trust.get("connection") or {}).get("score")
    found["health"] = (trust.get("health") or {}).get("score")
    return {name: float(v) for name, v in found.items() if isinstance(v, int | float)}


def _moved(before: Mapping[str, float], after: Mapping[str, float]) -> bool:
    """True when a score appeared, disappeared or moved by at least a point."""
    return before.keys() != after.keys() or any(
        abs(after[name] - before[name]) >= HISTORY_STEP for name in after
    )


def store_trust(
    writes: Writes,
    rel: Any,
    computed: dict[str, Any],
    alive_values: alive.AliveByCustomer | None,
    as_of: datetime,
) -> None:
    """The computed trust and health, with the "alive" entry from ``alive_values`` when the
    organisation was just refitted, else the one already stored; and a history row when a score
    moved. Adds to the relationship's row in ``writes`` (the last one, from :func:`record`)."""
    before = score_values(rel.trust)
    if alive_values is None:
        entry = (rel.trust or {}).get(alive.TRUST_KEY)
        alive_values = {rel.customer_id: entry} if entry is not None else {}
    trust = alive.with_alive(computed, rel.customer_id, alive_values)
    health = trust["health"]["score"]
    writes.relationships[-1].update(trust=trust, health=health)
    after = score_values(trust)
    if _moved(before, after):
        writes.scores.append(
            {"relationship_id": rel.id, "health": health, "scores": after, "computed_at": as_of}
        )
