"""The journey map and the moments of truth, read from the organisation's history.

A touchpoint type is an interaction's kind with its channel for conversations ("message/email",
"call/phone", "meeting/video") and the kind alone for the rest ("billing", "purchase", "usage",
"survey"); internal notes are no touchpoint. A touchpoint's lifecycle phase is the relationship's
phase at the time, from its stage history (touchpoints before the first recorded stage take the
first recorded phase; a relationship never computed, its current phase or "unknown").

Every query runs on a session scoped by goodwill.tenancy and also names the organisation.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, select
from sqlalchemy.orm import Session, aliased

from goodwill.database import utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Interaction
from goodwill.journeys import moments
from goodwill.journeys.schemas import JourneyMap, MapCell, MomentsOfTruth, Outcome
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.quality.models import ReplyReview
from goodwill.relationships.models import Relationship, StageHistory
from goodwill.relationships.rows import as_time, raw
from goodwill.tenancy import current_organisation_id
from goodwill.types import LIFECYCLE_PHASES

CONVERSATIONAL = ("message", "call", "meeting")
PHASES = (*LIFECYCLE_PHASES, "established")
DEFAULT_DAYS = 365
DEFAULT_WINDOW_DAYS = 30
DAY = 86400.0


def touchpoint(kind: str, channel: str) -> str:
    return f"{kind}/{channel}" if kind in CONVERSATIONAL else kind


def period(since: datetime | None, until: datetime | None) -> tuple[datetime, datetime]:
    """The period asked for (default: the 365 days up to now); zone-less times are refused."""
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name}: give a time zone (for example 2026-03-01T00:00:00+00:00)")
    end = until or utcnow()
    start = since or end - timedelta(days=DEFAULT_DAYS)
    if start >= end:
        raise InvalidInput("since: must be before until")
    return start, end


def _phase_at(at: Any) -> Any:
    """The relationship's phase at ``at`` (the latest stage-history row from before it, else
    the first row, else its current phase): correlated look-ups on the (relationship_id,
    valid_from) index, cheaper than a range join on both databases."""
    latest = (
        select(StageHistory.phase)
        .where(StageHistory.relationship_id == Relationship.id, StageHistory.valid_from <= at)
        .order_by(StageHistory.valid_from.desc(), StageHistory.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    first = (
        select(StageHistory.phase)
        .where(StageHistory.relationship_id == Relationship.id)
        .order_by(StageHistory.valid_from, StageHistory.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(latest, first, Relationship.phase, "unknown")


def journey_map(*, db: Session, since: datetime | None, until: datetime | None) -> JourneyMap:
    """Per lifecycle phase × touchpoint type over the period: volume, customer sentiment and
    irritant heat, in one grouped query."""
    org = current_organisation_id(db)
    start, end = period(since, until)
    cells = [_cell(*row) for row in db.execute(_map_statement(org, start, end))]
    volume: dict[str, int] = defaultdict(int)
    for cell in cells:
        volume[cell.touchpoint] += cell.interactions
    seen = {c.phase for c in cells}
    phases = [p for p in PHASES if p in seen] + sorted(seen - set(PHASES))
    return JourneyMap(
        organisation_id=str(org),
        period_start=start,
        period_end=end,
        phases=phases,
        touchpoints=sorted(volume, key=lambda t: (-volume[t], t)),
        cells=sorted(cells, key=lambda c: (phases.index(c.phase), -c.interactions, c.touchpoint)),
    )


def _map_statement(org: Any, start: datetime, end: datetime) -> Any:
    """One row per (phase at the time, touchpoint type) of the period's interactions."""
    sentiment = aliased(MessageAnalysis, name="sentiment_analysis")
    inbound = and_(Interaction.kind == "message", Interaction.direction == "inbound")
    score = case((inbound, sentiment.result[("value", "score")].as_float()))
    phase = _phase_at(Interaction.occurred_at).label("phase")
    name = case(
        (Interaction.kind.in_(CONVERSATIONAL), Interaction.kind + "/" + Interaction.channel),
        else_=Interaction.kind,
    ).label("touchpoint")
    return (
        select(
            phase,
            name,
            func.count(),
            func.count(distinct(Interaction.customer_id)),
            func.sum(case((inbound, 1), else_=0)),
            func.count(score),
            func.sum(score),
            func.count(ReplyReview.interaction_id),
            func.coalesce(func.sum(ReplyReview.irritant_count), 0),
        )
        .select_from(Interaction)
        .join(Relationship, Relationship.customer_id == Interaction.customer_id)
        .outerjoin(sentiment, _analysis_of(sentiment))
        .outerjoin(ReplyReview, _review_of())
        .where(
            Interaction.organisation_id == org,
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
            Interaction.kind != "note",
        )
        .group_by(phase, name)
    )


def _analysis_of(sentiment: Any) -> ColumnElement[bool]:
    return and_(sentiment.interaction_id == Interaction.id, sentiment.analyser == "sentiment")


def _review_of() -> ColumnElement[bool]:
    return and_(ReplyReview.interaction_id == Interaction.id, Interaction.direction == "outbound")


def _cell(
    phase: str, name: str, n: int, customers: int, inbound: int | None, *rest: Any
) -> MapCell:
    s_n, s_sum, reviewed, irritants = (float(v or 0) for v in rest)
    return MapCell(
        phase=phase,
        touchpoint=name,
        interactions=n,
        customers=customers,
        inbound_messages=int(inbound or 0),
        sentiment_count=int(s_n),
        sentiment_mean=round(s_sum / s_n, 6) if s_n else None,
        replies_reviewed=int(reviewed),
        irritants=int(irritants),
        irritant_heat=round(irritants / reviewed, 6) if reviewed else None,
    )


def load_history(*, db: Session) -> moments.History:
    """Every relationship's start, last computation, stage history and touchpoints, in days
    since the earliest of them (so the pure model never sees a database row)."""
    org = current_organisation_id(db)
    rels = db.execute(
        select(
            raw(Relationship.id),
            raw(Relationship.customer_id),
            raw(Relationship.started_at),
            raw(Relationship.computed_at),
        ).where(Relationship.organisation_id == org)
    ).all()
    # keyed by the raw values (the same driver gives the same form for every id column)
    index = {r[0]: i for i, r in enumerate(rels)}
    by_customer = {r[1]: i for i, r in enumerate(rels)}
    stages: list[list[tuple[float, str, str]]] = [[] for _ in rels]
    for rid, stage, phase, at in db.execute(
        select(
            raw(StageHistory.relationship_id),
            StageHistory.stage,
            StageHistory.phase,
            raw(StageHistory.valid_from),
        )
        .where(StageHistory.organisation_id == org)
        .order_by(StageHistory.relationship_id, StageHistory.valid_from, StageHistory.id)
    ):
        stages[index[rid]].append((_days(at), stage, phase))
    return _history(rels, stages, _touches(db, org, by_customer))


def _touches(
    db: Session, org: Any, by_customer: dict[Any, int]
) -> dict[str, tuple[list[int], list[float]]]:
    """Per touchpoint type, (relationship indices, days) of every touchpoint but notes."""
    touches: dict[str, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for customer, kind, channel, at in db.execute(
        select(
            raw(Interaction.customer_id),
            Interaction.kind,
            Interaction.channel,
            raw(Interaction.occurred_at),
        ).where(Interaction.organisation_id == org, Interaction.kind != "note")
    ):
        i = by_customer.get(customer)
        if i is not None:
            pair = touches[touchpoint(kind, channel)]
            pair[0].append(i)
            pair[1].append(_days(at))
    return dict(touches)


def _days(value: Any) -> float:
    return as_time(value).timestamp() / DAY


def _history(
    rels: Any,
    stages: list[list[tuple[float, str, str]]],
    touches: dict[str, tuple[list[int], list[float]]],
) -> moments.History:
    """Shift every time so the earliest is 0 (the pure model's keys need times >= 0)."""
    start = [_days(r[2]) if r[2] is not None else None for r in rels]
    looked = [_days(r[3]) if r[3] is not None else None for r in rels]
    known = [t for t in start + looked if t is not None] + [s[0] for rows in stages for s in rows]
    known += [t for _, times in touches.values() for t in times]
    zero = min(known, default=0.0)
    first: dict[int, float] = {}
    for _, (rel, times) in touches.items():
        for i, t in zip(rel, times, strict=True):
            first[i] = min(first.get(i, t), t)
    return moments.History(
        start=[
            (s if s is not None else first.get(i, stages[i][0][0] if stages[i] else zero)) - zero
            for i, s in enumerate(start)
        ],
        looked=[(t if t is not None else zero) - zero for t in looked],
        stages=[[moments.Stage(t - zero, st, ph) for t, st, ph in rows] for rows in stages],
        touches={k: (rel, [t - zero for t in times]) for k, (rel, times) in touches.items()},
    )


def moments_of_truth(
    *, db: Session, outcome: Outcome, window_days: int = DEFAULT_WINDOW_DAYS
) -> MomentsOfTruth:
    """Touchpoint types after which relationships change course (Cox model, tenure axis,
    time-varying covariates); "not enough history" rather than a fit on too little."""
    if outcome not in moments.TARGETS:
        raise InvalidInput(f"outcome: 'decline' or 'termination', not {outcome!r}")
    if not 1 <= window_days <= 365:
        raise InvalidInput("window_days: a whole number of days from 1 to 365")
    history = load_history(db=db)
    followed = moments.follow(history, outcome)
    n, events = int(followed.index.size), int(followed.event.sum())
    answer: dict[str, Any] = {
        "organisation_id": str(current_organisation_id(db)),
        "outcome": outcome,
        "window_days": window_days,
        "relationships": n,
        "events": events,
        "controls": ["tenure (the model's time axis)", "lifecycle phase"],
        "computed_at": utcnow(),
    }
    if n < moments.MIN_RELATIONSHIPS or events < moments.MIN_EVENTS:
        return MomentsOfTruth(
            **answer,
            status="not_enough_history",
            rows=0,
            items=[],
            skipped=[],
            message=f"not enough history: {n} relationship(s) followed with {events} course "
            f"change(s); need {moments.MIN_RELATIONSHIPS} and {moments.MIN_EVENTS}",
        )
    types = moments.candidate_types(history.touches)
    rows = moments.build_rows(history, followed, float(window_days), types)
    found = moments.fit(rows)
    return _answer(answer, found, len(types))


def _answer(answer: dict[str, Any], found: moments.Fitted, candidates: int) -> MomentsOfTruth:
    if found.error is not None:
        status, message = "not_estimable", f"the model could not be estimated: {found.error}"
    elif not found.items:
        status = "not_enough_history"
        message = (
            f"not enough history: no touchpoint type (of {candidates} with at least "
            f"{moments.MIN_TOUCHES} touchpoints) has {moments.MIN_TYPE_EVENTS} course changes "
            "both with and without it in the window before"
        )
    else:
        flagged = sum(m.significant for m in found.items)
        status, message = "fitted", f"{flagged} of {len(found.items)} touchpoint type(s) flagged"
    return MomentsOfTruth(
        **answer,
        status=status,
        message=message,
        rows=found.rows,
        items=found.items,
        skipped=found.skipped,
    )


CACHE_KEY = "journeys_moments"
CACHE_MAX_AGE = timedelta(days=1)


def cached_moments(*, db: Session, outcome: Outcome, refresh: bool = False) -> MomentsOfTruth:
    """The moments of truth for the default window, as last computed (kept in the
    organisation's settings with ``computed_at``), recomputed and kept when absent, older than
    a day, or ``refresh``: a fit reads the whole history (seconds on the demo organisation)."""
    stored = (organisation_service.get_setting(db=db, key=CACHE_KEY) or {}).get(outcome)
    if stored is not None and not refresh:
        found = MomentsOfTruth.model_validate(stored)
        if utcnow() - found.computed_at < CACHE_MAX_AGE:
            return found
    found = moments_of_truth(db=db, outcome=outcome)
    kept = organisation_service.get_setting(db=db, key=CACHE_KEY) or {}
    kept[outcome] = found.model_dump(mode="json")
    organisation_service.set_setting(db=db, key=CACHE_KEY, value=kept)
    return found
