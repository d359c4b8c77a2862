"""What the trust, connection and health scores read, set-based for a batch: two queries.

1. the customers' messages and calls, oldest first, with their stored ``sentiment``, ``emotion``,
   ``intent`` and ``trust_signals`` analyses (outer joins: a message may lack any of them); read
   once for both these scores and the stage signals (:class:`goodwill.relationships.signals.
   Activity`), and for the termination-risk model's "negative" and "complaint" events (the times
   of inbound messages with a negative sentiment or a complaint, in epoch seconds as the risk
   model reads them: :mod:`goodwill.relationships.risk`);
2. the relationships' promises from the ``commitment`` ledger, with the time each was made.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, case, select
from sqlalchemy.orm import Session, aliased

from goodwill.database import epoch_seconds
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships import rows
from goodwill.relationships.models import Commitment
from goodwill.relationships.signals import Activity

MESSAGE_KINDS = ("message", "call")


class Message(NamedTuple):
    """A message or call with what its analyses say (a named tuple: thousands per batch)."""

    id: uuid.UUID
    occurred_at: datetime
    inbound: bool
    sentiment: float | None
    negative: bool
    emotion: str | None
    intents: frozenset[str]
    trust: frozenset[str]


class Promise(NamedTuple):
    id: uuid.UUID
    status: str
    made_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    interaction_id: uuid.UUID | None
    closed_by_interaction_id: uuid.UUID | None


ANALYSERS = ("sentiment", "emotion", "intent", "trust_signals")
RISK_EVENTS = ("negative", "complaint")


@dataclass
class Conversations:
    """Per customer, their messages and calls, oldest first: as the stage signals and as these
    scores read them; and per risk event kind (``"negative"``, ``"complaint"``), per customer,
    the times of their inbound messages of that kind (epoch seconds, computed by the database
    as :func:`goodwill.relationships.risk.read_part` reads them)."""

    activities: dict[uuid.UUID, list[Activity]] = field(default_factory=lambda: defaultdict(list))
    messages: dict[uuid.UUID, list[Message]] = field(default_factory=lambda: defaultdict(list))
    risk_events: dict[str, dict[uuid.UUID, list[float]]] = field(
        default_factory=lambda: {kind: defaultdict(list) for kind in RISK_EVENTS}
    )


def _statement(customer_ids: Sequence[uuid.UUID], as_of: datetime) -> Select[Any]:
    joined = {name: aliased(MessageAnalysis) for name in ANALYSERS}
    sentiment, emotion, intent, trust = (joined[name].result for name in ANALYSERS)
    stmt = select(
        rows.raw(Interaction.id).label("id"),
        rows.raw(Interaction.customer_id).label("customer_id"),
        rows.raw(Interaction.occurred_at).label("occurred_at"),
        epoch_seconds(Interaction.occurred_at).label("epoch"),
        Interaction.direction,
        rows.raw(Interaction.conversation_id).label("conversation_id"),
        # only inbound bodies are read (for phrases): outbound ones are not sent over
        case((Interaction.direction == "inbound", Interaction.body)).label("body"),
        # one JSON path each: ``result["value"]["label"]`` would extract, quote and parse the
        # value again on SQLite (the same text, three passes over the document)
        sentiment[("value", "label")].as_string().label("sentiment_label"),
        sentiment[("value", "score")].as_float().label("sentiment_score"),
        emotion[("value", "label")].as_string().label("emotion_label"),
        rows.raw(intent["value"]).label("intents"),
        rows.raw(trust["value"]).label("trust"),
    )
    for name, analysis in joined.items():
        stmt = stmt.outerjoin(
            analysis,
            and_(analysis.interaction_id == Interaction.id, analysis.analyser == name),
        )
    return stmt.where(
        Interaction.customer_id.in_(customer_ids),
        Interaction.kind.in_(MESSAGE_KINDS),
        Interaction.direction.in_(("inbound", "outbound")),
        Interaction.occurred_at <= as_of,
    ).order_by(Interaction.customer_id, Interaction.occurred_at, Interaction.id)


INTENTS, TRUST_SIGNALS = rows.Labels(), rows.Labels(key="type")


def read(db: Session, customer_ids: Sequence[uuid.UUID], as_of: datetime) -> Conversations:
    """The customers' inbound and outbound messages and calls up to ``as_of`` (one query; its
    columns read raw and converted here, see :mod:`goodwill.relationships.rows`)."""
    out = Conversations()
    conversations: dict[Any, uuid.UUID | None] = {None: None}
    last_key: Any = object()
    negative, complaint = (out.risk_events[kind] for kind in RISK_EVENTS)
    for row in db.execute(_statement(customer_ids, as_of)):
        if row.customer_id != last_key:  # rows come customer by customer
            last_key = row.customer_id
            customer_id = rows.as_uuid(last_key)
            messages, activities = out.messages[customer_id], out.activities[customer_id]
        conversation_id = conversations.get(row.conversation_id)
        if conversation_id is None and row.conversation_id is not None:
            conversation_id = conversations[row.conversation_id] = rows.as_uuid(row.conversation_id)
        inbound = row.direction == "inbound"
        intents = INTENTS(row.intents)
        message = Message(
            rows.as_uuid(row.id),
            rows.as_time(row.occurred_at),
            inbound,
            row.sentiment_score,
            row.sentiment_label == "negative",
            row.emotion_label,
            intents,
            TRUST_SIGNALS(row.trust),
        )
        messages.append(message)
        if inbound and message.negative:
            negative[customer_id].append(row.epoch)
        if inbound and "complaint" in intents:
            complaint[customer_id].append(row.epoch)
        body = (row.body or "").lower()
        activity = Activity(
            message.id,
            message.occurred_at,
            inbound,
            conversation_id,
            body,
            intents,
            message.negative,
        )
        activities.append(activity)
    return out


def promises(db: Session, relationship_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Promise]]:
    """Per relationship, its promises, each with when it was made (its message's time, else when
    it was entered), in the order they were made."""
    stmt = (
        select(
            Commitment.relationship_id,
            Commitment.id,
            Commitment.status,
            Interaction.occurred_at,
            Commitment.created_at,
            Commitment.due_at,
            Commitment.closed_at,
            Commitment.interaction_id,
            Commitment.closed_by_interaction_id,
        )
        .outerjoin(Interaction, Interaction.id == Commitment.interaction_id)
        .where(Commitment.relationship_id.in_(relationship_ids))
    )
    out: dict[uuid.UUID, list[Promise]] = defaultdict(list)
    for row in db.execute(stmt):
        out[row.relationship_id].append(
            Promise(
                row.id,
                row.status,
                row.occurred_at or row.created_at,
                row.due_at,
                row.closed_at,
                row.interaction_id,
                row.closed_by_interaction_id,
            )
        )
    for found in out.values():
        found.sort(key=lambda p: p.made_at)
    return out
