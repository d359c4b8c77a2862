"""The journey map and the moments of truth, read from the organisation's history.

A touchpoint type is an interaction's kind with its channel for conversations ("message/email",
"call/phone", "meeting/video") and the kind alone for the rest ("billing", "purchase", "usage",
"survey"); internal notes are no touchpoint. A touchpoint's lifecycle phase is the relationship's
phase at the time, from its stage history (touchpoints before the first recorded stage take the
first recorded phase; a relationship never computed, its current phase or "unknown").

Every query runs on a session scoped by goodwill.tenancy and also names the organisation.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, select
from sqlalchemy.orm import Session

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


def journey_map(*, db: Session, since: datetime | None, until: datetime | None) -> JourneyMap:
    """Per lifecycle phase × touchpoint type over the period: volume, customer sentiment and
    irritant heat. The period's touchpoints are read in one pass (with their sentiment score and
    review, looked up only for the rows that can have one) and tallied here with each
    relationship's phase at the time: a per-row phase look-up in SQL cost more than the scan."""
    org = current_organisation_id(db)
    start, end = period(since, until)
    tallies = _tally(db.execute(_touch_statement(org, start, end)), _phases(db, org))
    cells = [tally.cell(phase, name) for (phase, name), tally in tallies.items()]
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


@dataclass(frozen=True, slots=True)
class _StageRows:
    """A relationship's stage history in (valid_from, id) order, times as the driver gives them."""

    times: list[Any]
    phases: list[str]

    def phase_at(self, at: Any) -> str:
        """The latest row's phase from before ``at`` (on a tie of times, the last row's), else
        the first row's."""
        return self.phases[max(bisect_right(self.times, at) - 1, 0)]


def _phases(db: Session, org: Any) -> dict[Any, str | _StageRows]:
    """Per customer (raw id) of a relationship: its phase, when the stage history leaves only
    one (a single phase recorded, or none: the current phase, else "unknown"), else its rows.
    Two plain reads: joined, the tenancy filter on the stage history led SQLite to its
    organisation index, one pass over the whole history per relationship."""
    customer_of: dict[Any, Any] = {}
    found: dict[Any, str | _StageRows] = {}
    for relationship, customer, current in db.execute(
        select(raw(Relationship.id), raw(Relationship.customer_id), Relationship.phase).where(
            Relationship.organisation_id == org
        )
    ):
        customer_of[relationship] = customer
        found[customer] = current or "unknown"
    rows: dict[Any, _StageRows] = {}
    for relationship, at, phase in db.execute(
        select(raw(StageHistory.relationship_id), raw(StageHistory.valid_from), StageHistory.phase)
        .where(StageHistory.organisation_id == org)
        .order_by(StageHistory.relationship_id, StageHistory.valid_from, StageHistory.id)
    ):
        kept = rows.setdefault(customer_of[relationship], _StageRows([], []))
        kept.times.append(at)
        kept.phases.append(phase)
    for customer, kept in rows.items():
        found[customer] = kept.phases[0] if len(set(kept.phases)) == 1 else kept
    return found


def _touch_statement(org: Any, start: datetime, end: datetime) -> Any:
    """One row per touchpoint of the period: raw customer id, touchpoint type, raw time, 1 for
    an inbound message, its sentiment score, and an outbound reply's irritant count if
    reviewed (the look-ups run only for the rows they concern)."""
    inbound = and_(Interaction.kind == "message", Interaction.direction == "inbound")
    score = (
        select(MessageAnalysis.result[("value", "score")].as_float())
        .where(
            MessageAnalysis.interaction_id == Interaction.id,
            MessageAnalysis.analyser == "sentiment",
        )
        .scalar_subquery()
    )
    irritants = (
        select(ReplyReview.irritant_count)
        .where(ReplyReview.interaction_id == Interaction.id)
        .scalar_subquery()
    )
    name = case(
        (Interaction.kind.in_(CONVERSATIONAL), Interaction.kind + "/" + Interaction.channel),
        else_=Interaction.kind,
    )
    return select(
        raw(Interaction.customer_id),
        name,
        raw(Interaction.occurred_at),
        case((inbound, 1), else_=0),
        case((inbound, score)),
        case((Interaction.direction == "outbound", irritants)),
    ).where(
        Interaction.organisation_id == org,
        Interaction.occurred_at >= start,
        Interaction.occurred_at < end,
        Interaction.kind != "note",
    )


@dataclass(slots=True)
class _Tally:
    """One cell's sums, added row by row in the order read (so a sum of scores is the one
    the database's SUM gave over the same scan)."""

    interactions: int = 0
    customers: set[Any] = field(default_factory=set)
    inbound: int = 0
    scored: int = 0
    score_sum: float = 0.0
    reviewed: int = 0
    irritants: int = 0

    def cell(self, phase: str, name: str) -> MapCell:
        s_n, reviewed = self.scored, self.reviewed
        return MapCell(
            phase=phase,
            touchpoint=name,
            interactions=self.interactions,
            customers=len(self.customers),
            inbound_messages=self.inbound,
            sentiment_count=s_n,
            sentiment_mean=round(self.score_sum / s_n, 6) if s_n else None,
            replies_reviewed=reviewed,
            irritants=self.irritants,
            irritant_heat=round(self.irritants / reviewed, 6) if reviewed else None,
        )


def _tally(rows: Any, phases: dict[Any, str | _StageRows]) -> dict[tuple[str, str], _Tally]:
    """The rows of :func:`_touch_statement` summed per (phase at the time, touchpoint type);
    touchpoints of a customer without a relationship are left out."""
    tallies: dict[tuple[str, str], _Tally] = {}
    for customer, name, at, inbound, score, irritants in rows:
        known = phases.get(customer)
        if known is None:
            continue
        key = (known if isinstance(known, str) else known.phase_at(at), name)
        tally = tallies.get(key)
        if tally is None:
            tally = tallies[key] = _Tally()
        tally.interactions += 1
        tally.customers.add(customer)
        tally.inbound += inbound
        if score is not None:
            tally.scored += 1
            tally.score_sum += score
        if irritants is not None:
            tally.reviewed += 1
            tally.irritants += irritants
    return tallies


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
    # a new dict: changed in place, the loaded settings would equal the new ones, and the
    # session would write nothing (the other outcome's answer then never kept)
    kept = {**(organisation_service.get_setting(db=db, key=CACHE_KEY) or {})}
    kept[outcome] = found.model_dump(mode="json")
    organisation_service.set_setting(db=db, key=CACHE_KEY, value=kept)
    return found
