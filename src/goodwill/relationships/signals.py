"""Signals per relationship, computed set-based for a batch: three queries per batch of customers.

1. counts of contacts, purchases and product usage per customer in time windows (in the database);
2. the customers' messages and calls with their stored ``intent`` and ``sentiment`` analyses,
   read once, oldest first (complaints, praise, cancellations, resolution, unanswered outreach);
3. the ids of their closed conversations (a closed conversation resolves its complaints).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import Row, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships.rules import DEFAULT_PHRASES, Signals

WINDOW = timedelta(days=90)
CONTACT_KINDS = ("message", "call", "meeting")
MESSAGE_KINDS = ("message", "call")
COUNTED = (
    "contacts_recent",
    "contacts_previous",
    "purchases_recent",
    "purchases_previous",
    "purchases_total",
    "usage_recent",
    "usage_previous",
)


class Activity(NamedTuple):
    """A message or call, with what its analyses say (inbound messages only; a named tuple:
    thousands are built per batch)."""

    id: uuid.UUID
    occurred_at: datetime
    inbound: bool
    conversation_id: uuid.UUID | None
    body: str
    intents: frozenset[str]
    negative: bool


def _count(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _aggregates(
    db: Session, customer_ids: Sequence[uuid.UUID], as_of: datetime
) -> dict[uuid.UUID, Row[Any]]:
    at = Interaction.occurred_at
    recent, previous = as_of - WINDOW, as_of - 2 * WINDOW
    contact = Interaction.kind.in_(CONTACT_KINDS) & (Interaction.direction == "inbound")
    purchase = Interaction.kind == "purchase"
    usage = Interaction.kind == "usage"
    stmt = (
        select(
            Interaction.customer_id,
            func.min(at).label("first_at"),
            _count(contact & (at > recent) & (at <= as_of)).label("contacts_recent"),
            _count(contact & (at > previous) & (at <= recent)).label("contacts_previous"),
            _count(purchase & (at > recent) & (at <= as_of)).label("purchases_recent"),
            _count(purchase & (at > previous) & (at <= recent)).label("purchases_previous"),
            _count(purchase & (at <= as_of)).label("purchases_total"),
            _count(usage & (at > recent) & (at <= as_of)).label("usage_recent"),
            _count(usage & (at > previous) & (at <= recent)).label("usage_previous"),
            func.max(case((contact & (at <= as_of), at))).label("last_inbound_at"),
        )
        .where(Interaction.customer_id.in_(customer_ids))
        .group_by(Interaction.customer_id)
    )
    return {row.customer_id: row for row in db.execute(stmt)}


def _activities(
    db: Session, customer_ids: Sequence[uuid.UUID], as_of: datetime
) -> dict[uuid.UUID, list[Activity]]:
    intent, sentiment = aliased(MessageAnalysis), aliased(MessageAnalysis)
    stmt = (
        select(Interaction, intent.result, sentiment.result)
        .outerjoin(
            intent, and_(intent.interaction_id == Interaction.id, intent.analyser == "intent")
        )
        .outerjoin(
            sentiment,
            and_(sentiment.interaction_id == Interaction.id, sentiment.analyser == "sentiment"),
        )
        .where(
            Interaction.customer_id.in_(customer_ids),
            Interaction.kind.in_(MESSAGE_KINDS),
            Interaction.direction.in_(("inbound", "outbound")),
            Interaction.occurred_at <= as_of,
        )
        .order_by(Interaction.customer_id, Interaction.occurred_at, Interaction.id)
    )
    out: dict[uuid.UUID, list[Activity]] = defaultdict(list)
    for row, intent_result, sentiment_result in db.execute(stmt):
        labels = (intent_result or {}).get("value") or []
        feeling = (sentiment_result or {}).get("value") or {}
        out[row.customer_id].append(
            Activity(
                id=row.id,
                occurred_at=row.occurred_at,
                inbound=row.direction == "inbound",
                conversation_id=row.conversation_id,
                body=(row.body or "").lower(),
                intents=frozenset(labels),
                negative=feeling.get("label") == "negative",
            )
        )
    return out


def _closed_conversations(db: Session, customer_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    stmt = select(Conversation.id).where(
        Conversation.customer_id.in_(customer_ids), Conversation.status == "closed"
    )
    return set(db.scalars(stmt))


def _mentions(body: str, phrases: Iterable[str]) -> bool:
    return any(phrase in body for phrase in phrases)


def _read_messages(
    signals: Signals,
    activities: Sequence[Activity],
    closed: set[uuid.UUID],
    as_of: datetime,
    phrases: Mapping[str, Sequence[str]],
) -> None:
    """Complaints (and which are unresolved), praise, referrals, cancellations (in the last
    half year, or older and followed by nothing from the customer outside that conversation)
    and competitor mentions in the customer's messages; outbound messages since the customer
    last wrote."""
    recent, half_year = as_of - WINDOW, as_of - 2 * WINDOW
    open_complaints: list[Activity] = []
    standing: Activity | None = None  # the last request to leave, if nothing was said after it
    for act in activities:
        if not act.inbound:
            signals.unanswered_outreach += 1
            continue
        signals.unanswered_outreach = 0
        if "complaint" in act.intents:
            signals.complaints += 1
            signals.complaints_recent += act.occurred_at > recent
            signals.examples["complaints_recent"] = act.id
            open_complaints.append(act)
        elif not act.negative:
            open_complaints.clear()  # a later calm message: the disagreement is over
        if "praise" in act.intents:
            signals.praise += 1
            signals.examples["praise"] = act.id
        if "cancellation" in act.intents:
            standing = act
            if act.occurred_at > half_year:
                signals.cancellations += 1
                signals.examples["cancellations"] = act.id
        elif standing is not None and (
            act.conversation_id is None or act.conversation_id != standing.conversation_id
        ):
            standing = None  # wrote again, about something else: still a customer
        if _mentions(act.body, phrases["referral"]):
            signals.referrals += 1
            signals.examples["referrals"] = act.id
        if act.occurred_at > half_year and _mentions(act.body, phrases["competitor"]):
            signals.competitor_mentions += 1
            signals.examples["competitor_mentions"] = act.id
    if standing is not None and not signals.cancellations:
        signals.cancellations = 1  # an older request to leave, never followed by another word
        signals.examples["cancellations"] = standing.id
    unresolved = [c for c in open_complaints if c.conversation_id not in closed]
    signals.unresolved_complaints = len(unresolved)
    if unresolved:
        signals.examples["unresolved_complaints"] = unresolved[-1].id


def compute(
    *,
    db: Session,
    started: Mapping[uuid.UUID, datetime | None],
    as_of: datetime,
    phrases: Mapping[str, Sequence[str]] = DEFAULT_PHRASES,
    activities: Mapping[uuid.UUID, Sequence[Activity]] | None = None,
) -> dict[uuid.UUID, Signals]:
    """Signals of each customer in ``started`` (customer id → relationship start, if known);
    their messages are read here unless given in ``activities`` (read once with the trust
    scores' in :func:`goodwill.relationships.scores_signals.read`)."""
    ids = list(started)
    aggregates = _aggregates(db, ids, as_of)
    if activities is None:
        activities = _activities(db, ids, as_of)
    closed = _closed_conversations(db, ids)
    out: dict[uuid.UUID, Signals] = {}
    for customer_id in ids:
        signals = Signals()
        agg = aggregates.get(customer_id)
        firsts = [t for t in (started[customer_id], agg.first_at if agg else None) if t]
        if firsts:
            signals.tenure_days = max((as_of - min(firsts)).total_seconds() / 86400, 0.0)
        if agg is not None:
            for name in COUNTED:
                setattr(signals, name, int(getattr(agg, name) or 0))
            if agg.last_inbound_at is not None:
                signals.days_since_inbound = (as_of - agg.last_inbound_at).total_seconds() / 86400
        if signals.days_since_inbound is None:
            signals.days_since_inbound = signals.tenure_days  # never wrote: silent since joining
        _read_messages(signals, activities.get(customer_id, []), closed, as_of, phrases)
        out[customer_id] = signals
    return out
