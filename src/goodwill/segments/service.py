"""Segments: define them (name, priority, rule, own playbook), compute every relationship's
membership (:func:`assign`) and read who is in a segment and who entered or left it.

A relationship belongs to the first segment, by ``(priority, name)``, whose rule it matches, or
to none ("unsegmented"). :func:`assign` evaluates every rule on every relationship of the
organisation at once (a few set-based reads, vectorised rules, bulk writes of what changed) and
keeps the history: entering opens a membership row, leaving closes it.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Select, String, cast, func, insert, select
from sqlalchemy import delete as delete_rows
from sqlalchemy import update as update_rows
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.database import in_lists, utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound
from goodwill.organisations import service as organisation_service
from goodwill.reasons.models import ContactReason
from goodwill.relationships import nextconv
from goodwill.relationships.models import Relationship
from goodwill.relationships.playbooks import Playbook, cadence_of
from goodwill.segments import columns, rules
from goodwill.segments.models import Segment, SegmentMembership
from goodwill.segments.schemas import GapRead, SegmentRead, SegmentSave

PLAYBOOKS = "segments"  # key of the segments' own playbooks in the playbook settings
ASSIGNED_KEY = "segments_assigned_at"  # settings key: when memberships were last computed
REASSIGN_AFTER = timedelta(days=1)
INSERT_BATCH = 5000  # membership rows per bulk INSERT


@dataclass
class AssignSummary:
    relationships: int = 0
    segments: dict[str, int] = field(default_factory=dict)
    unsegmented: int = 0
    entered: int = 0
    left: int = 0
    seconds: float = 0.0


@dataclass(frozen=True)
class Preview:
    relationships: int
    matching: int
    members: int | None
    sample: list[tuple[uuid.UUID, str | None]]


def get(*, db: Session, segment_id: uuid.UUID) -> Segment:
    segment = db.get(Segment, segment_id)
    if segment is None:
        raise NotFound(f"segment {segment_id} not found")
    return segment


def get_by_name(*, db: Session, name: str) -> Segment:
    segment = db.scalar(select(Segment).where(Segment.name == name.strip()))
    if segment is None:
        raise NotFound(f"no segment named {name!r}")
    return segment


def get_all(*, db: Session) -> list[Segment]:
    """The organisation's segments in the order they are tried."""
    return list(db.scalars(query_segments().order_by(Segment.priority, Segment.name)))


def query_segments() -> Select[Any]:
    return select(Segment)


def _check_reasons(db: Session, rule: rules.Rule) -> None:
    """Every reason a condition names is in use (a misspelt or merged one would silently match
    nobody)."""
    active = select(ContactReason.name).where(ContactReason.merged_into_id.is_(None))
    known = set(db.scalars(active))
    for g, group in enumerate(rule.groups, start=1):
        where = f"group {g}, " if len(rule.groups) > 1 else ""
        for i, condition in enumerate(group, start=1):
            if condition.field != "reasons":
                continue
            names = condition.value if isinstance(condition.value, list) else [condition.value]
            unknown = [n for n in names if n not in known]
            if unknown:
                raise InvalidInput(
                    f"rule: {where}condition {i} (reasons): no contact reason named "
                    f"{unknown[0]!r} (known: {', '.join(sorted(known)) or 'none yet'})"
                )


def checked(db: Session, rule: dict[str, Any]) -> rules.Rule:
    """``rule`` parsed and checked against the organisation's reasons; InvalidInput if not."""
    try:
        parsed = rules.parse(rule)
    except rules.RuleError as exc:
        raise InvalidInput(str(exc)) from None
    _check_reasons(db, parsed)
    return parsed


def _unique(db: Session, name: str, segment_id: uuid.UUID | None = None) -> None:
    stmt = select(Segment.id).where(Segment.name == name)
    if segment_id is not None:
        stmt = stmt.where(Segment.id != segment_id)
    if db.scalar(stmt) is not None:
        raise Conflict(f"name: there is already a segment named {name!r}")


def create(*, db: Session, segment_in: SegmentSave) -> Segment:
    """A new segment; memberships are recomputed at once."""
    rule = checked(db, segment_in.rule)
    _unique(db, segment_in.name)
    segment = Segment(
        name=segment_in.name,
        description=segment_in.description,
        priority=segment_in.priority,
        rule=rule.to_json(),
    )
    db.add(segment)
    db.flush()
    if "playbook" in segment_in.model_fields_set:
        _set_playbook(db, segment.name, segment_in)
    assign(db=db)
    return segment


def update(*, db: Session, segment: Segment, segment_in: SegmentSave) -> Segment:
    """Replace the segment's name, description, priority and rule (and its playbook when
    given; a new name takes the playbook along); memberships are recomputed at once."""
    rule = checked(db, segment_in.rule)
    _unique(db, segment_in.name, segment.id)
    if segment_in.name != segment.name:
        _move_playbook(db, segment.name, segment_in.name)
    segment.name, segment.description = segment_in.name, segment_in.description
    segment.priority, segment.rule = segment_in.priority, rule.to_json()
    if "playbook" in segment_in.model_fields_set:
        _set_playbook(db, segment.name, segment_in)
    db.flush()
    assign(db=db)
    return segment


def delete(*, db: Session, segment: Segment) -> None:
    """The segment, its membership history and its own playbook; its members are reassigned
    (to the next segment they match, or none)."""
    _move_playbook(db, segment.name, None)
    db.execute(delete_rows(SegmentMembership).where(SegmentMembership.segment_id == segment.id))
    db.delete(segment)
    db.flush()
    assign(db=db)


def _playbook_settings(db: Session) -> tuple[Any, dict[str, Any]]:
    org = organisation_service.get_organisation(db=db)
    return org, dict((org.settings or {}).get(nextconv.SETTINGS_KEY) or {})


def _store_playbooks(db: Session, own: dict[str, Any]) -> None:
    org, playbook = _playbook_settings(db)
    if own:
        playbook[PLAYBOOKS] = own
    else:
        playbook.pop(PLAYBOOKS, None)
    settings = dict(org.settings or {})
    if playbook:
        settings[nextconv.SETTINGS_KEY] = playbook
    else:
        settings.pop(nextconv.SETTINGS_KEY, None)
    org.settings = settings


def own_playbooks(db: Session) -> dict[str, Any]:
    """Each segment's own playbook as stored (segment name → rules and cadence)."""
    return dict(_playbook_settings(db)[1].get(PLAYBOOKS) or {})


def _set_playbook(db: Session, name: str, segment_in: SegmentSave) -> None:
    own = own_playbooks(db)
    given = segment_in.playbook
    value = given.model_dump(mode="json", exclude_none=True) if given else None
    if value:
        own[name] = value
    else:
        own.pop(name, None)
    _store_playbooks(db, own)


def _move_playbook(db: Session, old: str, new: str | None) -> None:
    own = own_playbooks(db)
    if old in own:
        value = own.pop(old)
        if new is not None:
            own[new] = value
        _store_playbooks(db, own)


def cadence(db: Session, segments: Sequence[Segment]) -> dict[uuid.UUID, tuple[str, Any]]:
    """Each segment's stay-in-touch gaps in force: (whose gaps, the gaps)."""
    playbook = Playbook.from_settings(_playbook_settings(db)[1])
    return {s.id: cadence_of(playbook.cadence, s.name) for s in segments}


def member_counts(*, db: Session) -> dict[uuid.UUID, int]:
    stmt = (
        select(SegmentMembership.segment_id, func.count())
        .where(SegmentMembership.left_at.is_(None))
        .group_by(SegmentMembership.segment_id)
    )
    return {segment_id: int(n) for segment_id, n in db.execute(stmt)}


def relationship_count(*, db: Session) -> int:
    return int(db.scalar(select(func.count(Relationship.id))) or 0)


def members(*, segment_id: uuid.UUID) -> Select[Any]:
    """The segment's current members (their open membership rows)."""
    return select(SegmentMembership).where(
        SegmentMembership.segment_id == segment_id, SegmentMembership.left_at.is_(None)
    )


def movements(*, segment_id: uuid.UUID, since: datetime | None = None) -> Select[Any]:
    """Every stay in the segment, current or ended, entered or left since ``since``: "who
    entered this month" is ``entered_at >= first of the month`` on these rows."""
    stmt = select(SegmentMembership).where(SegmentMembership.segment_id == segment_id)
    if since is not None:
        stmt = stmt.where(
            (SegmentMembership.entered_at >= since) | (SegmentMembership.left_at >= since)
        )
    return stmt


def _evaluate(
    db: Session, parsed: Sequence[rules.Rule], as_of: datetime
) -> tuple[columns.Table, npt.NDArray[np.int64]]:
    found = columns.read(
        db, fields=rules.fields_used(parsed), windows=rules.reason_windows(parsed), as_of=as_of
    )
    return found, rules.first_match(parsed, found.columns)


def is_due(*, db: Session, as_of: datetime) -> bool:
    """Whether an incremental recompute should reassign: the organisation has segments and
    the last assignment is :data:`REASSIGN_AFTER` old or more (an assignment reads every
    relationship: seconds on a large organisation, too much after every new message)."""
    if db.scalar(select(Segment.id).limit(1)) is None:
        return False
    last = (organisation_service.get_setting(db=db, key=ASSIGNED_KEY) or {}).get("at")
    return not last or as_of - datetime.fromisoformat(str(last)) >= REASSIGN_AFTER


def assign(*, db: Session, as_of: datetime | None = None) -> AssignSummary:
    """Compute and store every relationship's segment as of ``as_of`` (now); only the
    memberships that changed are written (a closed row for leaving, a new row for entering)."""
    started = time.perf_counter()
    as_of = as_of or utcnow()
    segments = get_all(db=db)
    if not segments:  # nothing to evaluate, and no membership is left (deleted with them)
        total = relationship_count(db=db)
        return AssignSummary(relationships=total, unsegmented=total)
    organisation_service.set_setting(db=db, key=ASSIGNED_KEY, value={"at": as_of.isoformat()})
    table, chosen = _evaluate(db, [rules.parse(s.rule) for s in segments], as_of)
    summary = _store(db, segments, table.keys, chosen, as_of)
    counts = np.bincount(chosen[chosen >= 0], minlength=len(segments))
    summary.relationships = len(table.keys)
    summary.segments = {s.name: int(n) for s, n in zip(segments, counts, strict=True)}
    summary.unsegmented = int((chosen < 0).sum())
    summary.seconds = time.perf_counter() - started
    return summary


def _store(
    db: Session,
    segments: Sequence[Segment],
    keys: Sequence[str],
    chosen: npt.NDArray[np.int64],
    as_of: datetime,
) -> AssignSummary:
    """Close the memberships that ended and open the new ones, in bulk."""
    order = {s.id: i for i, s in enumerate(segments)}
    current = db.execute(
        select(cast(SegmentMembership.relationship_id, String), SegmentMembership.segment_id).where(
            SegmentMembership.left_at.is_(None)
        )
    ).all()
    now = {rel: order[segment_id] for rel, segment_id in current}
    before = np.array([now.get(key, -1) for key in keys], dtype=np.int64)
    changed: list[int] = np.flatnonzero(before != chosen).tolist()
    leaving = [uuid.UUID(keys[i]) for i in changed if before[i] >= 0]
    _close(db, leaving, as_of)
    organisation_id = tenancy.current_organisation_id(db)
    entering = [
        {
            "organisation_id": organisation_id,
            "segment_id": segments[int(chosen[i])].id,
            "relationship_id": uuid.UUID(keys[i]),
            "entered_at": as_of,
        }
        for i in changed
        if chosen[i] >= 0
    ]
    for start in range(0, len(entering), INSERT_BATCH):
        db.execute(insert(SegmentMembership), entering[start : start + INSERT_BATCH])
    return AssignSummary(entered=len(entering), left=len(leaving))


def _close(db: Session, relationship_ids: Sequence[uuid.UUID], as_of: datetime) -> None:
    """End the current memberships of ``relationship_ids`` at ``as_of``."""
    for chunk in in_lists(relationship_ids):
        db.execute(
            update_rows(SegmentMembership)
            .where(
                SegmentMembership.relationship_id.in_(chunk), SegmentMembership.left_at.is_(None)
            )
            .values(left_at=as_of)
            .execution_options(synchronize_session=False)
        )


def preview(
    *,
    db: Session,
    rule: dict[str, Any],
    priority: int | None = None,
    name: str | None = None,
    sample: int = 10,
    as_of: datetime | None = None,
) -> Preview:
    """How many relationships ``rule`` matches now and, with ``priority``, how many it would
    get after the segments tried before it (``name``: the segment being edited, left out);
    nothing is stored."""
    candidate = checked(db, rule)
    before = []
    if priority is not None:
        before = [
            s
            for s in get_all(db=db)
            if s.name != name and (s.priority, s.name) < (priority, name or "")
        ]
    parsed = [rules.parse(s.rule) for s in before]
    table, taken = _evaluate(db, [*parsed, candidate], as_of or utcnow())
    matching = rules.matches(candidate, table.columns)
    joins = taken == len(parsed)
    picked = [uuid.UUID(table.keys[i]) for i in np.flatnonzero(joins)[:sample].tolist()]
    names = dict(
        db.execute(
            select(Relationship.id, Customer.name)
            .join(Customer, Customer.id == Relationship.customer_id)
            .where(Relationship.id.in_(picked))
        ).all()
    )
    return Preview(
        relationships=len(table.keys),
        matching=int(matching.sum()),
        members=int(joins.sum()) if priority is not None else None,
        sample=[(rel, names.get(rel)) for rel in picked],
    )


def read(*, db: Session, segments: Sequence[Segment]) -> list[SegmentRead]:
    """Segments with their member counts, the cadence in force and their own playbooks."""
    counts = member_counts(db=db)
    gaps = cadence(db, segments)
    own = own_playbooks(db)
    return [
        SegmentRead.model_validate(
            {
                **SegmentRead.model_validate(s).model_dump(exclude={"members", "cadence"}),
                "members": counts.get(s.id, 0),
                "cadence": GapRead(source=gaps[s.id][0], **gaps[s.id][1]),
                "playbook": own.get(s.name),
            }
        )
        for s in segments
    ]
