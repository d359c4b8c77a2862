"""The "Today" list: next best conversations, computed on read from stored state.

Set-based: a handful of queries for any number of relationships (their customers' names, last
contact, bills, recognition contacts, open promises falling due, the complaint behind a first
disagreement and the latest stage transitions), then the pure rules of
:mod:`goodwill.relationships.playbooks`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.organisations import service as organisation_service
from goodwill.relationships import playbooks
from goodwill.relationships import tasks as task_actions
from goodwill.relationships.models import Commitment, Relationship, StageHistory
from goodwill.relationships.playbooks import DAY, Facts, Playbook, Promise, Task
from goodwill.segments.models import Segment, SegmentMembership

SETTINGS_KEY = "playbook_rules"
CONTACT_KINDS = ("message", "call", "meeting")
KEPT = ("kept", "kept_late")
MAX_LIMIT = 500


def playbook_of(db: Session) -> Playbook:
    settings = organisation_service.get_organisation(db=db).settings or {}
    return Playbook.from_settings(settings.get(SETTINGS_KEY))


def _facts(db: Session, scope: Select[Any]) -> dict[uuid.UUID, Facts]:
    """Facts keyed by customer id, from the relationships (and customers) in ``scope``, with
    each one's current rule-defined segment."""
    current = (
        select(SegmentMembership.relationship_id, Segment.name)
        .join(Segment, Segment.id == SegmentMembership.segment_id)
        .where(SegmentMembership.left_at.is_(None))
        .subquery()
    )
    joined = scope.join(Customer, Customer.id == Relationship.customer_id).outerjoin(
        current, current.c.relationship_id == Relationship.id
    )
    stmt = joined.with_only_columns(
        current.c.name.label("rule_segment"),
        Relationship.id,
        Relationship.customer_id,
        Relationship.owner_member_id,
        Relationship.segment,
        Relationship.stage,
        Relationship.phase,
        Relationship.started_at,
        Relationship.created_at,
        Customer.name,
    )  # columns only: the relationship's JSON documents are not needed here
    out: dict[uuid.UUID, Facts] = {}
    for rel in db.execute(stmt):
        name = rel.name
        out[rel.customer_id] = Facts(
            relationship_id=rel.id,
            customer_id=rel.customer_id,
            customer_name=name,
            owner_member_id=rel.owner_member_id,
            segment=rel.segment,
            rule_segment=rel.rule_segment,
            stage=rel.stage,
            phase=rel.phase,
            started_at=rel.started_at or rel.created_at,
        )
    return out


def _customers(scope: Select[Any]) -> Select[Any]:
    return scope.with_only_columns(Relationship.customer_id)


def _contacts(
    db: Session,
    facts: dict[uuid.UUID, Facts],
    scope: Select[Any],
    as_of: datetime,
    phrases: Sequence[str],
) -> None:
    """Last contact (any direction), last recognition contact and whether a bill was sent."""
    base = Interaction.customer_id.in_(_customers(scope)) & (Interaction.occurred_at <= as_of)
    contact = base & Interaction.kind.in_(CONTACT_KINDS)
    last = select(Interaction.customer_id, func.max(Interaction.occurred_at)).group_by(
        Interaction.customer_id
    )
    for customer_id, at in db.execute(last.where(contact)):
        facts[customer_id].last_contact_at = at
    # only the phases whose rules read them (recognise_long_tenure, explain_first_bill)
    if phrases:
        tenured = scope.where(Relationship.phase.not_in(("first_disagreement", "early_days")))
        said = or_(*(func.lower(Interaction.body).contains(p.lower()) for p in phrases))
        recognised = (
            Interaction.customer_id.in_(_customers(tenured))
            & (Interaction.occurred_at <= as_of)
            & Interaction.kind.in_(CONTACT_KINDS)
            & (Interaction.direction == "outbound")
            & said
        )
        for customer_id, at in db.execute(last.where(recognised)):
            facts[customer_id].last_recognition_at = at
    new = _customers(scope.where(Relationship.phase == "early_days"))
    billed = select(Interaction.customer_id).where(
        Interaction.customer_id.in_(new),
        Interaction.occurred_at <= as_of,
        Interaction.kind == "billing",
    )
    for customer_id in db.scalars(billed.distinct()):
        facts[customer_id].has_bill = True


def _promises(
    db: Session, by_rel: dict[uuid.UUID, Facts], scope: Select[Any], horizon: datetime
) -> None:
    stmt = select(Commitment).where(
        Commitment.relationship_id.in_(scope.with_only_columns(Relationship.id)),
        Commitment.status == "open",
        Commitment.due_at.is_not(None),
        Commitment.due_at <= horizon,
    )
    for c in db.scalars(stmt):
        if c.due_at is not None:
            promise = Promise(c.id, c.text, c.due_at, c.interaction_id)
            by_rel[c.relationship_id].promises.append(promise)


def _complaint_id(evidence: Sequence[dict[str, Any]] | None) -> uuid.UUID | None:
    for item in evidence or []:
        if item.get("signal") == "unresolved_complaints" and item.get("interaction_id"):
            return uuid.UUID(str(item["interaction_id"]))
    return None


def _disagreements(
    db: Session, by_rel: dict[uuid.UUID, Facts], evidence: dict[uuid.UUID, Any]
) -> None:
    """The complaint behind each first disagreement, and whether a promise was kept since."""
    complaints = {rel: _complaint_id(ev) for rel, ev in evidence.items()}
    wanted = [c for c in complaints.values() if c is not None]
    stmt = select(Interaction.id, Interaction.occurred_at).where(Interaction.id.in_(wanted))
    times = {row.id: row.occurred_at for row in db.execute(stmt)}
    kept = select(Commitment.relationship_id, func.max(Commitment.closed_at).label("at")).where(
        Commitment.relationship_id.in_(list(complaints)), Commitment.status.in_(KEPT)
    )
    last_kept = {
        row.relationship_id: row.at for row in db.execute(kept.group_by(Commitment.relationship_id))
    }
    for rel_id, complaint in complaints.items():
        facts = by_rel[rel_id]
        facts.complaint_id = complaint
        facts.complaint_at = times.get(complaint) if complaint else None
        closed = last_kept.get(rel_id)
        facts.kept_since_complaint = bool(
            closed and facts.complaint_at and closed > facts.complaint_at
        )


def _drift(db: Session, by_rel: dict[uuid.UUID, Facts], stages: Sequence[str]) -> None:
    """For relationships now in a drifting stage: the stage before and when they moved."""
    ids = [f.relationship_id for f in by_rel.values() if f.stage in stages]
    if not ids:
        return
    stmt = (
        select(StageHistory.relationship_id, StageHistory.stage, StageHistory.valid_from)
        .where(StageHistory.relationship_id.in_(ids))
        .order_by(StageHistory.relationship_id, StageHistory.valid_from, StageHistory.id)
    )
    history: dict[uuid.UUID, list[tuple[str, datetime]]] = {}
    for rel_id, stage, at in db.execute(stmt):
        history.setdefault(rel_id, []).append((stage, at))
    for rel_id, rows in history.items():
        current = by_rel[rel_id].stage
        start = len(rows)
        while start > 0 and rows[start - 1][0] == current:
            start -= 1
        if start < len(rows):
            before = rows[start - 1][0] if start > 0 else None
            by_rel[rel_id].drift = (before, rows[start][0], rows[start][1])


def _read(db: Session, scope: Select[Any], playbook: Playbook, as_of: datetime) -> list[Facts]:
    by_customer = _facts(db, scope)
    by_rel = {f.relationship_id: f for f in by_customer.values()}
    if not by_rel:
        return []
    # what the rules of the organisation and of its segments read, together
    recognitions = playbook.rules_of_kind("recognise_long_tenure")
    phrases = list(dict.fromkeys(p for r in recognitions for p in r.get("phrases", ())))
    _contacts(db, by_customer, scope, as_of, phrases)
    leads = [r.get("lead_days", 1) for r in playbook.rules_of_kind("promise_due")]
    _promises(db, by_rel, scope, as_of + max(leads, default=1) * DAY)
    evidence = {f.relationship_id: None for f in by_rel.values() if f.phase == "first_disagreement"}
    if evidence:
        ids = list(evidence)
        rows = db.execute(
            select(Relationship.id, Relationship.stage_evidence).where(Relationship.id.in_(ids))
        )
        _disagreements(db, by_rel, {row.id: row.stage_evidence for row in rows})
    drifting = playbook.rules_of_kind("relationship_drifting")
    _drift(db, by_rel, list({s for r in drifting for s in r.get("stages", ())}))
    return list(by_rel.values())


def tasks(
    *,
    db: Session,
    relationship_id: uuid.UUID | None = None,
    owner_member_id: uuid.UUID | None = None,
    kind: str | None = None,
    limit: int | None = MAX_LIMIT,
    as_of: datetime | None = None,
    include_hidden: bool = False,
) -> list[Task]:
    """The next best conversations, most urgent (priority, then due time) first; at most
    ``limit`` of them (``None``: all, for reports). Tasks marked done, dismissed or snoozed
    (:mod:`goodwill.relationships.tasks`) are left out unless ``include_hidden``."""
    as_of = as_of or utcnow()
    playbook = playbook_of(db)
    scope = select(Relationship)
    if relationship_id is not None:
        scope = scope.where(Relationship.id == relationship_id)
    if owner_member_id is not None:
        scope = scope.where(Relationship.owner_member_id == owner_member_id)
    found = [
        task
        for facts in _read(db, scope, playbook, as_of)
        for task in playbooks.evaluate(facts, playbook, as_of)
        if kind is None or task.kind == kind
    ]
    if not include_hidden:
        ids = scope.with_only_columns(Relationship.id)
        found = task_actions.visible(
            found, task_actions.hidden(db=db, relationships=ids, as_of=as_of)
        )
    found.sort(key=Task.sort_key)
    return found if limit is None else found[: max(0, limit)]
