"""Analytics of a decision tree's runs: completion, drop-off per node, outcomes, and per path how
the relationships that went through it fared afterwards (health and Knapp stage then and now).

Loading is separate from counting: :func:`summarise` is pure and works on :class:`RunFacts`.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.coach.situation import COMING_APART
from goodwill.relationships.models import Relationship
from goodwill.scripts.models import TreeRun
from goodwill.scripts.schemas import NodeDropOff, PathFate, TreeAnalytics

NOTE = (
    "A run not completed and idle longer than abandoned_after_hours counts as dropped at the "
    "node it stopped at; younger ones are in progress. Relationship fates are association, not "
    "effect: the path a conversation took depends on the situation it started from."
)


@dataclass(frozen=True)
class RunFacts:
    path: tuple[str, ...]
    completed: bool
    outcome: str | None
    last_step_at: datetime
    relationship_id: uuid.UUID | None = None
    health_at_start: float | None = None
    stage_at_start: str | None = None
    health_now: float | None = None
    stage_now: str | None = None


def load(*, db: Session, tree_id: uuid.UUID) -> list[RunFacts]:
    stmt = (
        select(TreeRun, Relationship.health, Relationship.stage)
        .outerjoin(Relationship, Relationship.id == TreeRun.relationship_id)
        .where(TreeRun.tree_id == tree_id)
        .order_by(TreeRun.started_at, TreeRun.id)
    )
    return [
        RunFacts(
            path=tuple(run.path),
            completed=run.status == "completed",
            outcome=run.outcome,
            last_step_at=run.last_step_at,
            relationship_id=run.relationship_id,
            health_at_start=run.health_at_start,
            stage_at_start=run.stage_at_start,
            health_now=health,
            stage_now=stage,
        )
        for run, health, stage in db.execute(stmt)
    ]


def _mean(values: list[float]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


def summarise(
    *, tree_id: uuid.UUID, runs: list[RunFacts], now: datetime, abandoned_after_hours: float
) -> TreeAnalytics:
    cutoff = now - timedelta(hours=abandoned_after_hours)
    completed = [r for r in runs if r.completed]
    dropped = [r for r in runs if not r.completed and r.last_step_at <= cutoff]
    return TreeAnalytics(
        tree_id=tree_id,
        runs_started=len(runs),
        runs_completed=len(completed),
        runs_in_progress=len(runs) - len(completed) - len(dropped),
        runs_dropped=len(dropped),
        completion_rate=round(len(completed) / len(runs), 4) if runs else None,
        abandoned_after_hours=abandoned_after_hours,
        drop_off=_drop_off(runs, dropped),
        outcomes=dict(Counter(r.outcome for r in completed if r.outcome is not None)),
        paths=_paths(runs),
        note=NOTE,
    )


def _drop_off(runs: list[RunFacts], dropped: list[RunFacts]) -> list[NodeDropOff]:
    reached: Counter[str] = Counter()
    for run in runs:
        reached.update(set(run.path))
    stopped = Counter(r.path[-1] for r in dropped)
    return [
        NodeDropOff(
            node=node,
            reached=count,
            dropped=stopped[node],
            drop_off_rate=round(stopped[node] / count, 4),
        )
        for node, count in sorted(reached.items(), key=lambda kv: (-kv[1], kv[0]))
    ]


def _paths(runs: list[RunFacts]) -> list[PathFate]:
    by_path: dict[tuple[str, ...], list[RunFacts]] = defaultdict(list)
    for run in runs:
        by_path[run.path].append(run)
    fates = [_fate(path, group) for path, group in by_path.items()]
    return sorted(fates, key=lambda f: (-f.runs, f.path))


def _fate(path: tuple[str, ...], group: list[RunFacts]) -> PathFate:
    first: dict[uuid.UUID, RunFacts] = {}
    for run in group:  # the first run per relationship on this path: "afterwards" starts there
        if run.relationship_id is not None:
            first.setdefault(run.relationship_id, run)
    rels = list(first.values())
    start = [r.health_at_start for r in rels if r.health_at_start is not None]
    now = [r.health_now for r in rels if r.health_now is not None]
    change = [
        r.health_now - r.health_at_start
        for r in rels
        if r.health_now is not None and r.health_at_start is not None
    ]
    moves = Counter(
        f"{r.stage_at_start} → {r.stage_now}"
        for r in rels
        if r.stage_at_start is not None and r.stage_now is not None
    )
    outcomes = {r.outcome for r in group if r.completed}
    return PathFate(
        path=list(path),
        runs=len(group),
        completed=sum(r.completed for r in group),
        outcome=next(iter(outcomes)) if len(outcomes) == 1 else None,
        relationships=len(rels),
        health_at_start=_mean(start),
        health_now=_mean(now),
        health_change=_mean(change),
        stage_moves=dict(moves),
        coming_apart_now=sum((r.stage_now or "") in COMING_APART for r in rels),
    )
