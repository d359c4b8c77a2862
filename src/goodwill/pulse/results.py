"""What a manager sees of a pulse: per round and team (only groups of at least k answers, only
once the round has closed), trends per question across rounds, and engagement beside the
health of the relationships each team serves. There are no filters: a result is always a whole
team (or everyone) in a whole round, so two results never differ by a few people's answers."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.organisations.models import Member, Team
from goodwill.pulse import disclosure
from goodwill.pulse.models import PulseRound, PulseTally
from goodwill.pulse.questions import FAVOURABLE, Q12
from goodwill.pulse.schemas import (
    CorrelationRead,
    EngagementRead,
    GroupResult,
    QuestionRead,
    QuestionResult,
    RoundResults,
    TeamEngagement,
    TrendPoint,
    TrendSeries,
    TrendsRead,
)
from goodwill.relationships.models import Relationship

Counts = dict[tuple[int, int], int]  # (question, value) → answers


def _counts(db: Session, round_id: uuid.UUID) -> dict[uuid.UUID | None, Counts]:
    stmt = (
        select(
            PulseTally.team_id, PulseTally.question, PulseTally.value, func.sum(PulseTally.count)
        )
        .where(PulseTally.round_id == round_id)
        .group_by(PulseTally.team_id, PulseTally.question, PulseTally.value)
    )
    groups: dict[uuid.UUID | None, Counts] = defaultdict(dict)
    for team_id, question, value, count in db.execute(stmt):
        groups[team_id][(question, value)] = int(count or 0)
    return {t: c for t, c in groups.items() if _size(c) > 0}


def _size(counts: Counts) -> int:
    return sum(c for (q, _), c in counts.items() if q == 1)


def _team_names(db: Session) -> dict[uuid.UUID, str]:
    return dict(db.execute(select(Team.id, Team.name)).all())


def _group(
    scope: str, team_id: uuid.UUID | None, name: str | None, counts: Counts, hidden: str | None
) -> GroupResult:
    if hidden is not None:
        return GroupResult(
            scope=scope, team_id=team_id, team_name=name, hidden=True, reason=hidden,
            respondents=None, engagement=None, questions=[],
        )  # fmt: skip
    n = _size(counts)
    questions = []
    for q in Q12:
        total = sum(v * c for (qn, v), c in counts.items() if qn == q.number)
        favourable = sum(c for (qn, v), c in counts.items() if qn == q.number and v >= FAVOURABLE)
        questions.append(
            QuestionResult(
                number=q.number, key=q.key, text=q.text,
                mean=round(total / n, 2), favourable_share=round(favourable / n, 3),
            )
        )  # fmt: skip
    engagement = round(sum(r.mean for r in questions) / len(questions), 2)
    return GroupResult(
        scope=scope, team_id=team_id, team_name=name, hidden=False, reason=None,
        respondents=n, engagement=engagement, questions=questions,
    )  # fmt: skip


def _merge(groups: dict[uuid.UUID | None, Counts]) -> Counts:
    merged: Counts = defaultdict(int)
    for counts in groups.values():
        for key, c in counts.items():
            merged[key] += c
    return dict(merged)


def round_results(*, db: Session, pulse: PulseRound, now: datetime | None = None) -> RoundResults:
    now = now or utcnow()
    k = max(pulse.min_group_size, disclosure.MIN_GROUP_SIZE)
    few = f"fewer than {k} answers: hidden"
    base = {"round_id": pulse.id, "team_id": pulse.team_id, "closes_at": pulse.closes_at}
    if now < pulse.closes_at:
        detail = "open: results are shown once the round has closed, never while answers arrive"
        return RoundResults(
            **base, closed=False, min_group_size=k, detail=detail, overall=None, teams=[]
        )
    groups, names = _counts(db, pulse.id), _team_names(db)
    everyone = _merge(groups)
    scope = "organisation" if pulse.team_id is None else "team"
    name = names.get(pulse.team_id) if pulse.team_id else None
    overall_hidden = few if _size(everyone) < k else None
    overall = _group(scope, pulse.team_id, name, everyone, overall_hidden)
    teams: list[GroupResult] = []
    if pulse.team_id is None:
        teams = _team_results(groups, names, k, everything_hidden=overall_hidden is not None)
    return RoundResults(
        **base, closed=True, min_group_size=k, detail="closed", overall=overall, teams=teams
    )


def _team_results(
    groups: dict[uuid.UUID | None, Counts],
    names: dict[uuid.UUID, str],
    k: int,
    *,
    everything_hidden: bool,
) -> list[GroupResult]:
    sizes = {team: _size(c) for team, c in groups.items()}
    shown, protected = disclosure.shown_groups(sizes, k=k)
    results = []
    for team_id, counts in groups.items():
        hidden: str | None = None
        if everything_hidden or team_id not in shown:
            hidden = f"fewer than {k} answers: hidden"
        if team_id in protected and not everything_hidden:
            hidden = "hidden so that it cannot be worked out from the total and the other teams"
        scope = "team" if team_id is not None else "no_team"
        name = names.get(team_id) if team_id else None
        results.append(_group(scope, team_id, name, counts, hidden))
    return sorted(results, key=lambda g: (g.team_name or "~", str(g.team_id)))


def trends(*, db: Session, now: datetime | None = None) -> TrendsRead:
    """Per team (and the organisation), every round in time order with its question means."""
    now = now or utcnow()
    series: dict[uuid.UUID | None, TrendSeries] = {}
    names = _team_names(db)
    for pulse in db.scalars(select(PulseRound).order_by(PulseRound.opens_at, PulseRound.id)):
        result = round_results(db=db, pulse=pulse, now=now)
        groups = [result.overall] if result.overall else []
        if pulse.team_id is None:
            groups += [g for g in result.teams if g.team_id is not None]
        if not result.closed:
            scope = "organisation" if pulse.team_id is None else "team"
            name = names.get(pulse.team_id) if pulse.team_id else None
            groups = [_group(scope, pulse.team_id, name, {}, "open")]
        for group in groups:
            key = group.team_id
            line = series.setdefault(
                key,
                TrendSeries(scope=group.scope, team_id=key, team_name=group.team_name, points=[]),
            )
            line.points.append(_point(pulse, group))
    return TrendsRead(
        questions=[QuestionRead(number=q.number, key=q.key, text=q.text) for q in Q12],
        series=sorted(series.values(), key=lambda s: (s.team_id is not None, s.team_name or "")),
    )


def _point(pulse: PulseRound, group: GroupResult) -> TrendPoint:
    status = "open" if group.reason == "open" else "hidden" if group.hidden else "shown"
    return TrendPoint(
        round_id=pulse.id, opens_at=pulse.opens_at, closes_at=pulse.closes_at, status=status,
        respondents=group.respondents, engagement=group.engagement,
        questions={q.number: q.mean for q in group.questions},
    )  # fmt: skip


def engagement(*, db: Session, now: datetime | None = None) -> EngagementRead:
    """Per team: the latest shown engagement beside the mean health of the relationships its
    members own; a correlation only from 5 teams up, with its interval and caveat."""
    latest: dict[uuid.UUID, TrendPoint] = {}
    for line in trends(db=db, now=now).series:
        shown = [p for p in line.points if p.status == "shown"]
        if line.team_id is not None and shown:
            latest[line.team_id] = shown[-1]
    health = _health_by_team(db)
    teams = []
    for team_id, name in sorted(_team_names(db).items(), key=lambda kv: kv[1]):
        point = latest.get(team_id)
        n_rel, mean_health = health.get(team_id, (0, None))
        teams.append(
            TeamEngagement(
                team_id=team_id, team_name=name, round_id=point.round_id if point else None,
                engagement=point.engagement if point else None,
                respondents=point.respondents if point else None,
                relationships=n_rel, mean_health=mean_health,
            )
        )  # fmt: skip
    pairs = [(t.engagement, t.mean_health) for t in teams]
    both = [(e, h) for e, h in pairs if e is not None and h is not None]
    corr = disclosure.correlate([e for e, _ in both], [h for _, h in both])
    return EngagementRead(
        teams=teams,
        n_teams=len(both),
        correlation=CorrelationRead(method="pearson", **corr.__dict__) if corr else None,
        caveat=_caveat(len(both), corr),
    )


def _health_by_team(db: Session) -> dict[uuid.UUID, tuple[int, float | None]]:
    stmt = (
        select(Member.team_id, func.count(Relationship.health), func.avg(Relationship.health))
        .join(Member, Member.id == Relationship.owner_member_id)
        .where(Member.team_id.is_not(None))
        .group_by(Member.team_id)
    )
    return {
        team: (int(n), round(float(avg), 1) if avg is not None else None)
        for team, n, avg in db.execute(stmt)
    }


def _caveat(n: int, corr: disclosure.Correlation | None) -> str:
    head = f"{n} team(s) have both an engagement score and relationships with a health score. "
    tail = (
        " Association, not effect: teams differ in customers, tenure and workload; engagement "
        "is from each team's latest shown round, health is as of now."
    )
    if corr is None:
        return head + (
            "With fewer than 5 teams (or no spread) no correlation is computed: the numbers are "
            "side by side only, and any pattern among so few teams can be chance." + tail
        )
    return head + (
        f"Pearson r = {corr.r} with a 95% interval from {corr.ci_low} to {corr.ci_high} "
        f"(Fisher z, n = {corr.n}): with so few teams the interval is wide; read the sign of "
        "the interval, not the point." + tail
    )
