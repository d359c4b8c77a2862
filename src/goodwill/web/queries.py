"""Reads the pages need that no domain service offers yet (kept here, in the web layer, until a
domain takes them): memberships across organisations for the switch, the "needs attention" list,
promises falling due, and one page of analyses for a timeline."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.errors import NotFound
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, Organisation, UserAccount, WebSession
from goodwill.reasons.models import MessageReason
from goodwill.relationships.models import Commitment, Relationship, ScoreHistory

COOLING_POINTS = 5.0  # health fell by at least this much …
COOLING_DAYS = 30  # … within this many days
HIGH_RISK = 0.5  # termination risk at or above this
COUNTED = 10_000  # a list of Today counts this many rows at most
SHOWN_ANALYSES = ("intent", "emotion", "sentiment", "politeness")


def memberships(*, db: Session, user: UserAccount) -> list[tuple[uuid.UUID, str]]:
    """(organisation id, name) of every organisation the user belongs to, oldest first; empty
    when there is only one (nothing to switch to)."""
    members = organisation_service.member_organisations(db=db, user=user)
    if len(members) < 2:
        return []
    ids = [m.organisation_id for m in members]
    with tenancy.system_scope(db):
        stmt = select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))
        names = {row.id: row.name for row in db.execute(stmt)}
    return [(org_id, names.get(org_id, "?")) for org_id in ids]


def switch_organisation(
    *, db: Session, session_id: uuid.UUID, user: UserAccount, organisation_id: uuid.UUID
) -> None:
    """Make ``organisation_id`` the browser session's organisation, if the user belongs to it."""
    allowed = {
        m.organisation_id for m in organisation_service.member_organisations(db=db, user=user)
    }
    if organisation_id not in allowed:
        raise NotFound("organisation not found among yours")
    web_session = db.get(WebSession, session_id)
    if web_session is None:
        raise NotFound("session expired: sign in again")
    web_session.current_organisation_id = organisation_id
    db.flush()


def members(*, db: Session) -> list[Member]:
    """The organisation's active members, by name (for owner pickers and filters)."""
    found = organisation_service.get_all_members(db=db)
    return sorted((m for m in found if m.is_active), key=lambda m: m.user.display_name.lower())


@dataclass(frozen=True)
class Attention:
    relationship: Relationship
    customer_name: str | None
    reasons: list[str]


def _cooling(db: Session, owner_id: uuid.UUID, since: datetime) -> dict[uuid.UUID, float]:
    """Relationship id → how far health fell from its best within the window.

    One pass over the owner's relationships, joining only the scores in the window that are
    at least ``COOLING_POINTS`` above today's health: at a million customers the earlier form
    (every score of the window grouped, then joined back to every relationship of the
    organisation) took 1.3 s of Today's 1.6 s for an owner of 208,000 relationships."""
    best = func.max(ScoreHistory.health)
    rows = db.execute(
        select(Relationship.id, best - Relationship.health)
        .join(
            ScoreHistory,
            and_(
                ScoreHistory.relationship_id == Relationship.id,
                ScoreHistory.computed_at >= since,
                ScoreHistory.health >= Relationship.health + COOLING_POINTS,
            ),
        )
        .where(Relationship.owner_member_id == owner_id)
        .group_by(Relationship.id, Relationship.health)
    )
    return {rel_id: float(drop) for rel_id, drop in rows if drop is not None}


@dataclass(frozen=True)
class AttentionList:
    """The owner's relationships that are cooling (health down), in a drifting stage, or at
    high termination risk: counted (up to ``COUNTED + 1``) and read a page at a time, highest
    risk, then lowest health first. Reads the owner's relationships only."""

    criteria: tuple[Any, ...]
    cooling: dict[uuid.UUID, float]
    drifting: tuple[str, ...]

    def count(self, db: Session) -> int:
        counted = select(Relationship.id).where(*self.criteria).limit(COUNTED + 1).subquery()
        return db.scalar(select(func.count()).select_from(counted)) or 0

    def page(self, db: Session, limit: int | None = None, offset: int = 0) -> list[Attention]:
        stmt = (
            select(Relationship, Customer.name)
            .join(Customer, Customer.id == Relationship.customer_id)
            .where(*self.criteria)
            .order_by(
                Relationship.risk.desc().nulls_last(),
                Relationship.health.asc().nulls_last(),
                Relationship.id,
            )
            .offset(offset)
            .limit(limit)
        )
        return [Attention(rel, name, self._reasons(rel)) for rel, name in db.execute(stmt)]

    def _reasons(self, rel: Relationship) -> list[str]:
        reasons = []
        if rel.id in self.cooling:
            drop = self.cooling[rel.id]
            reasons.append(f"cooling: health down {drop:.0f} points in {COOLING_DAYS} days")
        if rel.stage in self.drifting:
            reasons.append(f"drifting: now {rel.stage}")
        if rel.risk is not None and rel.risk >= HIGH_RISK:
            reasons.append(f"risk of ending {100 * rel.risk:.0f} %")
        return reasons


def attention(
    *, db: Session, owner_id: uuid.UUID, drifting: Sequence[str], as_of: datetime
) -> AttentionList:
    """The owner's relationships that need attention (see :class:`AttentionList`)."""
    cooling = _cooling(db, owner_id, as_of - timedelta(days=COOLING_DAYS))
    wanted = [Relationship.stage.in_(list(drifting)), Relationship.risk >= HIGH_RISK]
    if cooling:
        wanted.append(Relationship.id.in_(list(cooling)))
    criteria = (Relationship.owner_member_id == owner_id, or_(*wanted))
    return AttentionList(criteria, cooling, tuple(drifting))


def promises_due(
    *, db: Session, member_id: uuid.UUID, horizon: datetime
) -> Select[Commitment, str | None]:
    """Open promises with a due time before ``horizon`` (overdue included) that the member made
    or whose relationship they own; soonest first."""
    return (
        select(Commitment, Customer.name)
        .join(Relationship, Relationship.id == Commitment.relationship_id)
        .join(Customer, Customer.id == Relationship.customer_id)
        .where(
            Commitment.status == "open",
            Commitment.due_at.is_not(None),
            Commitment.due_at <= horizon,
            or_(Commitment.owner_member_id == member_id, Relationship.owner_member_id == member_id),
        )
        .order_by(Commitment.due_at, Commitment.id)
    )


def analyses(
    *, db: Session, interaction_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Any]]:
    """Interaction id → {analyser: stored value} for the analyses a timeline shows."""
    out: dict[uuid.UUID, dict[str, Any]] = defaultdict(dict)
    if not interaction_ids:
        return out
    stmt = select(
        MessageAnalysis.interaction_id, MessageAnalysis.analyser, MessageAnalysis.result
    ).where(
        MessageAnalysis.interaction_id.in_(list(interaction_ids)),
        MessageAnalysis.analyser.in_(SHOWN_ANALYSES),
    )
    for interaction_id, analyser, result in db.execute(stmt):
        out[interaction_id][analyser] = (result or {}).get("value")
    return out


def latest_inbound(*, db: Session, customer_id: uuid.UUID) -> str | None:
    """The text of the customer's latest inbound message (for the coach panel to answer)."""
    stmt = (
        select(Interaction.body)
        .where(
            Interaction.customer_id == customer_id,
            Interaction.direction == "inbound",
            Interaction.body.is_not(None),
        )
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def reason_messages(
    *, reason_id: uuid.UUID
) -> Select[Interaction, Customer, bool, uuid.UUID | None]:
    """The inbound messages given ``reason_id`` (with their customer, whether a manager labelled
    them, and the customer's relationship), newest first."""
    return (
        select(Interaction, Customer, MessageReason.manual, Relationship.id)
        .join(MessageReason, MessageReason.interaction_id == Interaction.id)
        .join(Customer, Customer.id == Interaction.customer_id)
        .outerjoin(Relationship, Relationship.customer_id == Customer.id)
        .where(MessageReason.reason_id == reason_id)
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
    )
