"""Recomputing relationships: commitments, Knapp stage and lifecycle phase, trust pillars,
connection and health, in batches.

Each purchasing relationship also gets its "still alive" probability from a BG/NBD fit on the
organisation's purchases (:mod:`goodwill.relationships.alive`): refitted on every full recompute,
and on an incremental one when the stored fit is absent or more than a day old.

The termination-risk model (:mod:`goodwill.relationships.risk`) is retrained on a full recompute
and when a week old; an incremental one scores the relationships it recomputed.

Incremental by default: a relationship is recomputed when it never was, or when one of its
customer's interactions was stored, or one of their messages analysed, after its last computation
(``computed_at``). A new row in ``relationship_stage_history`` is written only when the stage or
the phase changes, so the history is the list of transitions.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work, utcnow
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.relationships import (
    alive,
    commitments,
    pillars,
    risk,
    rules,
    scores,
    scores_signals,
    signals,
    writes,
)
from goodwill.relationships.models import Relationship, ScoreHistory, StageHistory
from goodwill.segments import service as segment_service

log = logging.getLogger(__name__)

BATCH_SIZE = 500
SETTINGS_KEY = "relationship_rules"
WEIGHTS_KEY = "health_weights"
ENDED_STAGE = "terminating"
SQLITE_BULK_PRAGMAS = (
    "cache_size = -262144",
    "temp_store = MEMORY",
    "mmap_size = 4294967296",  # capped by the library's build (often 2 GB)
    # a checkpoint every 64 MB of WAL rather than every 4 MB: a page rewritten by several
    # batches (history tables' last pages, index leaves) reaches the file once, and the two
    # fsyncs of each checkpoint come a sixteenth as often
    "wal_autocheckpoint = 16384",
)


@dataclass(frozen=True)
class RuleSet:
    """The rules an organisation uses: its own from its settings, else the defaults."""

    stages: Sequence[rules.Rule] = rules.DEFAULT_STAGE_RULES
    phases: Mapping[str, Any] = field(default_factory=lambda: rules.DEFAULT_PHASES)
    phrases: Mapping[str, Sequence[str]] = field(default_factory=lambda: rules.DEFAULT_PHRASES)
    health_weights: Mapping[str, float] = field(default_factory=lambda: scores.DEFAULT_WEIGHTS)

    @classmethod
    def of(cls, db: Session) -> RuleSet:
        settings = organisation_service.get_organisation(db=db).settings or {}
        custom = settings.get(SETTINGS_KEY) or {}
        return cls(
            stages=custom.get("stages") or rules.DEFAULT_STAGE_RULES,
            phases={**rules.DEFAULT_PHASES, **(custom.get("phases") or {})},
            phrases={**rules.DEFAULT_PHRASES, **(custom.get("phrases") or {})},
            health_weights=scores.weights_of(settings.get(WEIGHTS_KEY)),
        )


@dataclass
class RecomputeSummary:
    relationships: int = 0
    transitions: int = 0
    commitments_added: int = 0
    commitments_closed: int = 0
    seconds: float = 0.0

    def add(self, other: RecomputeSummary) -> None:
        """Count ``other``'s relationships, transitions and commitments in this one."""
        self.relationships += other.relationships
        self.transitions += other.transitions
        self.commitments_added += other.commitments_added
        self.commitments_closed += other.commitments_closed


@dataclass
class Plan:
    """What a recompute settles before its batches: the time, the rules, the relationships due
    and, after a refit, each purchasing customer's "alive" entry (``None``: no refit)."""

    as_of: datetime
    ruleset: RuleSet
    due: list[uuid.UUID]
    alive_values: alive.AliveByCustomer | None
    all_relationships: bool


def _newest_data(db: Session, since: datetime) -> dict[uuid.UUID, datetime]:
    """Per customer, the latest time one of their interactions was stored or analysed, of those
    after ``since`` (index range scans on ``created_at`` and ``analysed_at``, then the maximum
    per customer here)."""
    # no GROUP BY in these two: grouping by customer makes SQLite walk a customer index over
    # every interaction instead of the range of recent ones
    stored = select(Interaction.customer_id, Interaction.created_at).where(
        Interaction.created_at > since
    )
    analysed = (
        select(Interaction.customer_id, MessageAnalysis.analysed_at)
        .join(MessageAnalysis, MessageAnalysis.interaction_id == Interaction.id)
        .where(MessageAnalysis.analysed_at > since)
    )
    newest: dict[uuid.UUID, datetime] = {}
    for customer_id, at in [*db.execute(stored), *db.execute(analysed)]:
        if at is not None and (customer_id not in newest or at > newest[customer_id]):
            newest[customer_id] = at
    return newest


def _oldest_computation(db: Session) -> datetime | None:
    """The earliest ``computed_at`` (``None``: none computed), as the first entry of the
    ``(organisation_id, computed_at)`` index: written as ``min(computed_at)``, SQLite may take
    another index starting with ``organisation_id`` (one without statistics, say, after a
    migration added it) and read every relationship (200 ms at 100,000 instead of 1)."""
    computed = Relationship.computed_at
    return db.scalar(select(computed).where(computed.is_not(None)).order_by(computed).limit(1))


def due_ids(*, db: Session, all_relationships: bool = False) -> list[uuid.UUID]:
    """Ids of the relationships to recompute (all, or those never computed or with data stored
    or analysed since their last computation), in id order. Incrementally, only the
    relationships of customers with news are read, not every relationship."""
    everything = select(Relationship.id).order_by(Relationship.id)
    since = None if all_relationships else _oldest_computation(db)
    if since is None:
        return list(db.scalars(everything))
    # in id order: only the partial index of never-computed relationships gives that order, so
    # SQLite reads it even when its statistics (taken when every relationship was new) promise
    # that "computed_at IS NULL" holds everywhere and a scan of the table looks as cheap
    never_computed = select(Relationship.id).where(Relationship.computed_at.is_(None))
    never = db.scalars(never_computed.order_by(Relationship.id))
    due = set(never)
    newest = _newest_data(db, since)
    customers = list(newest)
    for start in range(0, len(customers), BATCH_SIZE):
        rows = db.execute(
            select(Relationship.id, Relationship.customer_id, Relationship.computed_at).where(
                Relationship.customer_id.in_(customers[start : start + BATCH_SIZE])
            )
        )
        due.update(
            r.id for r in rows if r.computed_at is None or newest[r.customer_id] > r.computed_at
        )
    return sorted(due)


def _context(found: rules.Signals, inferred: rules.Inference, as_of: datetime) -> pillars.Context:
    return pillars.Context(
        as_of=as_of,
        ended=inferred.stage == ENDED_STAGE,
        open_complaints=found.unresolved_complaints,
    )


def relationship_rows(db: Session, relationship_ids: Sequence[uuid.UUID]) -> list[Any]:
    """The relationships as rows: what the engine reads of them (no ORM objects)."""
    stmt = select(
        Relationship.id,
        Relationship.customer_id,
        Relationship.started_at,
        Relationship.stage,
        Relationship.phase,
        Relationship.trust,
    ).where(Relationship.id.in_(relationship_ids))
    return list(db.execute(stmt).all())


def recompute_batch(
    *,
    db: Session,
    relationship_ids: Sequence[uuid.UUID],
    ruleset: RuleSet,
    as_of: datetime,
    alive_values: alive.AliveByCustomer | None = None,
) -> RecomputeSummary:
    """Commitments, stage and phase, trust, health and "alive" of these relationships (batched:
    a few set-based reads, then one bulk write per table)."""
    rels = relationship_rows(db, relationship_ids)
    summary = sync_commitments(db=db, rels=rels, as_of=as_of)
    computed = compute_batch(
        db=db, rels=rels, ruleset=ruleset, as_of=as_of, alive_values=alive_values
    )
    computed.writes.store(db)
    summary.transitions = computed.transitions
    return summary


def sync_commitments(*, db: Session, rels: Sequence[Any], as_of: datetime) -> RecomputeSummary:
    """The first step of a batch (reads, then writes): the promises found in the relationships'
    messages added to the ledger, and the open ones closed by later contact."""
    by_customer = {rel.customer_id: rel.id for rel in rels}
    summary = RecomputeSummary(relationships=len(rels))
    summary.commitments_added = commitments.sync_from_analyses(db=db, relationships=by_customer)
    summary.commitments_closed = commitments.close_by_activity(
        db=db, relationships=by_customer, as_of=as_of
    )
    return summary


class Computed(NamedTuple):
    """What the second step of a batch found: the rows to write, the number of stage or phase
    transitions, and the risk model's events read with the messages (event kind → customer id
    → times; see :func:`goodwill.relationships.risk.read_part`)."""

    writes: writes.Writes
    transitions: int
    risk_events: Mapping[str, Mapping[uuid.UUID, Sequence[float]]]


def compute_batch(
    *,
    db: Session,
    rels: Sequence[Any],
    ruleset: RuleSet,
    as_of: datetime,
    alive_values: alive.AliveByCustomer | None,
) -> Computed:
    """The second step of a batch (reads only): stage and phase, trust, health and "alive" of
    the relationships, as the rows to write, with the number of stage or phase transitions."""
    customers = list(dict.fromkeys(rel.customer_id for rel in rels))  # once each, in order
    read = scores_signals.read(db, customers, as_of)
    found = signals.compute(
        db=db,
        started={rel.customer_id: rel.started_at for rel in rels},
        as_of=as_of,
        phrases=ruleset.phrases,
        activities=read.activities,
    )
    inferred = {
        rel.id: rules.infer(found[rel.customer_id], ruleset.stages, ruleset.phases) for rel in rels
    }
    contexts = {r.id: _context(found[r.customer_id], inferred[r.id], as_of) for r in rels}
    trust = trust_of(
        db=db,
        relationships={rel.id: rel.customer_id for rel in rels},
        messages=read.messages,
        contexts=contexts,
        weights=ruleset.health_weights,
    )
    found_writes, transitions = writes.Writes(), 0
    for rel in rels:
        transitions += writes.record(found_writes, rel, inferred[rel.id], as_of)
        writes.store_trust(found_writes, rel, trust[rel.id], alive_values, as_of)
    return Computed(found_writes, transitions, read.risk_events)


def trust_of(
    *,
    db: Session,
    relationships: Mapping[uuid.UUID, uuid.UUID],
    messages: Mapping[uuid.UUID, Sequence[scores_signals.Message]],
    contexts: Mapping[uuid.UUID, pillars.Context],
    weights: Mapping[str, float],
) -> dict[uuid.UUID, dict[str, Any]]:
    """Trust pillars, connection and health of these relationships (relationship id → customer
    id), given their customers' messages and what the stage engine knows of them (relationship
    id → context); one query."""
    promises = scores_signals.promises(db, list(relationships))
    return {
        rel_id: pillars.compute(
            messages.get(customer_id, []),
            promises.get(rel_id, []),
            contexts[rel_id],
            weights,
        )
        for rel_id, customer_id in relationships.items()
    }


def recompute(
    *,
    db: Session,
    all_relationships: bool = False,
    as_of: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], Any] | None = None,
) -> RecomputeSummary:
    """Recompute the organisation's relationships the session is scoped to."""
    started = time.perf_counter()
    found = plan(db=db, all_relationships=all_relationships, as_of=as_of)
    total = RecomputeSummary()
    for start in range(0, len(found.due), batch_size):
        done = recompute_batch(
            db=db,
            relationship_ids=found.due[start : start + batch_size],
            ruleset=found.ruleset,
            as_of=found.as_of,
            alive_values=found.alive_values,
        )
        total.add(done)
        if progress is not None:
            progress(done.relationships)
    finish(db=db, plan=found, batch_size=batch_size)
    total.seconds = time.perf_counter() - started
    return total


def plan(*, db: Session, all_relationships: bool, as_of: datetime | None) -> Plan:
    """What a recompute does before its batches: the rules, the relationships due and, on a full
    recompute or when the stored fit is stale, the "alive" refit (stored in the settings)."""
    as_of = as_of or utcnow()
    if all_relationships:
        bulk_pragmas(db)
    ruleset = RuleSet.of(db)
    due = due_ids(db=db, all_relationships=all_relationships)
    refit = all_relationships or alive.is_due(db=db, as_of=as_of)
    values = alive.refit(db=db, as_of=as_of) if refit else None
    return Plan(as_of, ruleset, due, values, all_relationships)


def finish(
    *,
    db: Session,
    plan: Plan,
    batch_size: int = BATCH_SIZE,
    history: risk.History | None = None,
) -> None:
    """What a recompute does after its batches: the "alive" entries of the relationships they
    did not reach (after a refit), the risk model retrained (on ``history`` if given, the
    whole organisation's as of the plan's time) or the batches' risks scored, and the segments
    reassigned (on a full recompute, or when the last assignment is a day old)."""
    started = time.perf_counter()
    if plan.alive_values is not None:
        _refresh_alive(db, plan.due, plan.alive_values, batch_size)
    alive_done = time.perf_counter()
    if plan.all_relationships or risk.is_due(db=db, as_of=plan.as_of):
        risk.refresh(db=db, as_of=plan.as_of, history=history)
    else:
        risk.score(db=db, relationship_ids=plan.due, as_of=plan.as_of)
    risk_done = time.perf_counter()
    if plan.all_relationships or segment_service.is_due(db=db, as_of=plan.as_of):
        segment_service.assign(db=db, as_of=plan.as_of)
    log.debug(
        "finish: alive entries %.1f s, risk %.1f s, segments %.1f s",
        alive_done - started,
        risk_done - alive_done,
        time.perf_counter() - risk_done,
    )


def bulk_pragmas(db: Session) -> None:
    """On SQLite, a larger page cache, temporary tables in memory, memory-mapped reads and
    less frequent checkpoints for this connection (a full recompute reads the whole database
    and rewrites every relationship; the settings end with the connection)."""
    connection = db.connection()
    if connection.dialect.name == "sqlite":
        for pragma in SQLITE_BULK_PRAGMAS:
            connection.exec_driver_sql(f"PRAGMA {pragma}")


def _refresh_alive(
    db: Session, recomputed: Sequence[uuid.UUID], values: alive.AliveByCustomer, batch_size: int
) -> None:
    """After a refit, the "alive" entries of the relationships the batches did not reach."""
    done = set(recomputed)
    rest = [
        i for i in db.scalars(select(Relationship.id).order_by(Relationship.id)) if i not in done
    ]
    for start in range(0, len(rest), batch_size):
        alive.apply(db=db, relationship_ids=rest[start : start + batch_size], values=values)


def recompute_new(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int:
    """Recompute an organisation's relationships with new data, in their own transaction.

    Meant to run after ingest, right after :func:`goodwill.messages.flows.analyse_new`; failures
    are logged, never raised into what stored the data; ``goodwill recompute`` catches up."""
    try:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return recompute(db=db).relationships
    except Exception:
        log.exception("recomputing relationships of organisation %s failed", organisation_id)
        return 0


def current_trust(*, db: Session, relationship: Relationship) -> dict[str, Any]:
    """The relationship's stored trust pillars, connection and health; computed now (and not
    stored) if the engine has not reached it yet."""
    if relationship.trust is not None:
        return relationship.trust
    as_of, ruleset = utcnow(), RuleSet.of(db)
    read = scores_signals.read(db, [relationship.customer_id], as_of)
    found = signals.compute(
        db=db,
        started={relationship.customer_id: relationship.started_at},
        as_of=as_of,
        phrases=ruleset.phrases,
        activities=read.activities,
    )[relationship.customer_id]
    context = _context(found, rules.infer(found, ruleset.stages, ruleset.phases), as_of)
    return trust_of(
        db=db,
        relationships={relationship.id: relationship.customer_id},
        messages=read.messages,
        contexts={relationship.id: context},
        weights=ruleset.health_weights,
    )[relationship.id]


def stage_history(*, relationship_id: uuid.UUID) -> Select[StageHistory]:
    return select(StageHistory).where(StageHistory.relationship_id == relationship_id)


def score_history(*, relationship_id: uuid.UUID) -> Select[ScoreHistory]:
    return select(ScoreHistory).where(ScoreHistory.relationship_id == relationship_id)
