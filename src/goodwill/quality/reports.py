"""What a caller may see of service quality: grouped metrics, drill-downs and the coaching view.

Managers (and admins) see every member, team and the organisation. Other members see their own
numbers and their team's, drill down into their own conversations or their team's, and read
their own coaching view; anything else is refused, never silently emptied.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Hashable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import InvalidInput, NotFound, PermissionDenied
from goodwill.interactions.models import Interaction
from goodwill.organisations.models import Member
from goodwill.pagination import MAX_LIMIT, decode_cursor, encode_cursor
from goodwill.quality import aggregation, coaching, rollups, service
from goodwill.quality import definitions as d
from goodwill.quality.aggregation import MetricValue, Tally
from goodwill.quality.metrics import Contribution
from goodwill.quality.models import ReplyReview
from goodwill.quality.schemas import (
    CoachingRead,
    ContributionRead,
    DrillItem,
    DrillPage,
    GroupBy,
    GroupMetrics,
    MetricsReport,
    MetricValueRead,
)
from goodwill.quality.service import People, Window
from goodwill.types import Role

UNATTRIBUTED = "unattributed"


def is_manager(member: Member) -> bool:
    return Role(member.role).allows(Role.MANAGER)


def _group_row(
    key: Hashable, values: dict[str, MetricValue], group_by: GroupBy, who: People
) -> GroupMetrics:
    def read(name: str) -> MetricValueRead:
        v = values[name]
        return MetricValueRead(
            value=v.value,
            count=v.count,
            numerator=v.numerator,
            denominator=v.denominator,
            notes=v.notes,
        )

    speed = {x.name: read(x.name) for x in d.DEFINITIONS if x.kind == "speed"}
    quality = {x.name: read(x.name) for x in d.DEFINITIONS if x.kind == "quality"}
    if group_by == "organisation":
        return GroupMetrics(label="organisation", speed=speed, quality=quality)
    if not isinstance(key, uuid.UUID):
        label = UNATTRIBUTED if group_by == "member" else "no team"
        return GroupMetrics(label=label, speed=speed, quality=quality)
    if group_by == "member":
        return GroupMetrics(
            member_id=key,
            team_id=who.team_of.get(key),
            label=who.member_names.get(key, "?"),
            speed=speed,
            quality=quality,
        )
    return GroupMetrics(
        team_id=key, label=who.team_names.get(key, "?"), speed=speed, quality=quality
    )


def _visible_keys(
    caller: Member, group_by: GroupBy, who: People, found: set[Hashable]
) -> list[Hashable]:
    """The groups the caller may see, in display order (every active member or team listed)."""
    if group_by == "organisation":
        if not is_manager(caller):
            raise PermissionDenied("the organisation's numbers need the manager role")
        return ["organisation"]
    if not is_manager(caller):
        own = caller.id if group_by == "member" else caller.team_id
        return [own] if own is not None else []
    listed: list[Hashable] = list(who.active if group_by == "member" else who.team_names)
    extra = [k for k in found if k not in listed and isinstance(k, uuid.UUID)]
    tail: list[Hashable] = [None] if None in found else []
    return listed + sorted(extra, key=str) + tail


def metrics_report(
    *, db: Session, caller: Member, window: Window, group_by: GroupBy, as_of: datetime | None = None
) -> MetricsReport:
    """Each visible member, team or the organisation: speed beside quality for the period."""
    as_of = as_of or utcnow()
    by_member = rollups.tallies(db=db, window=window, as_of=as_of)
    who = service.people(db=db)

    def key(member_id: uuid.UUID | None) -> Hashable:
        if group_by == "member":
            return member_id
        if group_by == "team":
            return who.team_of.get(member_id) if member_id else None
        return "organisation"

    grouped: dict[Hashable, list[dict[str, Tally]]] = defaultdict(list)
    for member_id, found in by_member.items():
        grouped[key(member_id)].append(found)
    groups = {
        group: {name: t.value() for name, t in rollups.merged(parts).items()}
        for group, parts in grouped.items()
    }
    keys = _visible_keys(caller, group_by, who, set(groups))
    items = [_group_row(k, groups.get(k) or aggregation.empty(), group_by, who) for k in keys]
    return MetricsReport(
        period_start=window.start,
        period_end=window.end,
        as_of=as_of,
        group_by=group_by,
        parameters=service.parameters(db=db).as_dict(),
        items=items,
    )


def _scope(
    caller: Member, member_id: uuid.UUID | None, team_id: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    """The member or team a drill-down may cover for this caller (an agent: self by default)."""
    if is_manager(caller):
        return member_id, team_id
    if member_id is not None and member_id != caller.id:
        raise PermissionDenied("member_id: members drill down into their own conversations only")
    if team_id is not None and team_id != caller.team_id:
        raise PermissionDenied("team_id: members drill down into their own team only")
    return (member_id or (caller.id if team_id is None else None)), team_id


def _key(c: Contribution) -> str:
    if c.conversation_id is not None:
        return str(c.conversation_id)
    return "promise:" + str(c.detail.get("commitment_id"))


def drill_down(
    *,
    db: Session,
    caller: Member,
    window: Window,
    metric: str | None,
    member_id: uuid.UUID | None = None,
    team_id: uuid.UUID | None = None,
    cursor: str | None = None,
    limit: int = 50,
    as_of: datetime | None = None,
) -> DrillPage:
    """The conversations behind a metric (or all metrics), with what each contributes."""
    if metric is not None and metric not in d.BY_NAME:
        raise InvalidInput(f"metric: one of {', '.join(d.NAMES)}")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidInput(f"limit: must be between 1 and {MAX_LIMIT}")
    member_id, team_id = _scope(caller, member_id, team_id)
    who = service.people(db=db) if team_id is not None else None
    by_key: dict[str, list[Contribution]] = defaultdict(list)
    for c in service.contributions(db=db, window=window, as_of=as_of):
        if metric is not None and c.metric != metric:
            continue
        if member_id is not None and c.member_id != member_id:
            continue
        if who is not None and (c.member_id is None or who.team_of.get(c.member_id) != team_id):
            continue
        by_key[_key(c)].append(c)
    keys = sorted(by_key)
    if cursor:
        after = str(decode_cursor(cursor, 1)[0])
        keys = [k for k in keys if k > after]
    page, more = keys[:limit], len(keys) > limit
    return DrillPage(
        metric=metric,
        period_start=window.start,
        period_end=window.end,
        items=[_item(by_key[k]) for k in page],
        next_cursor=encode_cursor([page[-1]]) if more else None,
    )


def _item(found: Sequence[Contribution]) -> DrillItem:
    return DrillItem(
        conversation_id=found[0].conversation_id,
        contributions=[
            ContributionRead(
                metric=c.metric,
                member_id=c.member_id,
                numerator=c.numerator,
                denominator=c.denominator,
                value=c.value,
                detail=c.detail,
            )
            for c in sorted(found, key=lambda c: (d.NAMES.index(c.metric), str(c.member_id)))
        ],
    )


def coaching_view(
    *, db: Session, caller: Member, member_id: uuid.UUID, window: Window, examples: int = 3
) -> CoachingRead:
    """One member's irritants per week and per category, with example replies and spans."""
    member = db.get(Member, member_id)
    if member is None:
        raise NotFound(f"member {member_id}: not found")
    if not is_manager(caller) and member.id != caller.id:
        raise PermissionDenied("a member's coaching view is for them and their managers")
    rows = db.execute(
        select(
            Interaction.id,
            Interaction.conversation_id,
            Interaction.occurred_at,
            ReplyReview.word_count,
            ReplyReview.findings,
        )
        .outerjoin(ReplyReview, ReplyReview.interaction_id == Interaction.id)
        .where(
            Interaction.author_member_id == member.id,
            Interaction.direction == "outbound",
            Interaction.kind == "message",
            Interaction.occurred_at >= window.start,
            Interaction.occurred_at < window.end,
        )
    ).all()
    reviewed = [coaching.ReviewedReply(*r) for r in rows if r[3] is not None]
    categories = coaching.categories(reviewed, examples)
    _fill_texts(db, [e for c in categories for e in c["examples"]])
    return CoachingRead.model_validate(
        {
            "member_id": member.id,
            "period_start": window.start,
            "period_end": window.end,
            "replies": len(rows),
            "reviewed_replies": len(reviewed),
            "weeks": coaching.weeks(reviewed),
            "categories": categories,
        }
    )


def _fill_texts(db: Session, examples: list[dict[str, Any]]) -> None:
    """The flagged span of each example, cut from its reply (whole-reply findings: None)."""
    ids = {e["interaction_id"] for e in examples}
    stmt = select(Interaction.id, Interaction.body).where(Interaction.id.in_(ids))
    bodies: dict[uuid.UUID, str | None] = {r[0]: r[1] for r in db.execute(stmt)} if ids else {}
    for e in examples:
        body, start, end = bodies.get(e["interaction_id"]), e["start"], e["end"]
        ok = body is not None and isinstance(start, int) and isinstance(end, int)
        e["text"] = body[start:end] if ok and body is not None else None
