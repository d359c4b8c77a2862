"""What the trust, connection and health scores read, set-based for a batch: two queries.

1. the customers' messages and calls, oldest first, with their stored ``sentiment``, ``emotion``,
   ``intent`` and ``trust_signals`` analyses (outer joins: a message may lack any of them); read
   once for both these scores and the stage signals (:class:`goodwill.relationships.signals.
   Activity`);
2. the relationships' promises from the ``commitment`` ledger, with the time each was made.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, aliased

from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.relationships.models import Commitment
from goodwill.relationships.signals import Activity

MESSAGE_KINDS = ("message", "call")


@dataclass(frozen=True)
class Message:
    """A message or call with what its analyses say."""

    id: uuid.UUID
    occurred_at: datetime
    inbound: bool
    sentiment: float | None
    negative: bool
    emotion: str | None
    intents: frozenset[str]
    trust: frozenset[str]


@dataclass(frozen=True)
class Promise:
    id: uuid.UUID
    status: str
    made_at: datetime
    due_at: datetime | None
    closed_at: datetime | None
    interaction_id: uuid.UUID | None
    closed_by_interaction_id: uuid.UUID | None


def _message(row: Any) -> Message:
    trust = row.trust if isinstance(row.trust, list) else []
    intents = row.intents if isinstance(row.intents, list) else []
    return Message(
        id=row.id,
        occurred_at=row.occurred_at,
        inbound=row.direction == "inbound",
        sentiment=row.sentiment_score,
        negative=row.sentiment_label == "negative",
        emotion=row.emotion_label,
        intents=frozenset(str(i) for i in intents),
        trust=frozenset(str(s.get("type")) for s in trust if isinstance(s, dict)),
    )


ANALYSERS = ("sentiment", "emotion", "intent", "trust_signals")


@dataclass
class Conversations:
    """Per customer, their messages and calls, oldest first: as the stage signals and as these
    scores read them."""

    activities: dict[uuid.UUID, list[Activity]] = field(default_factory=lambda: defaultdict(list))
    messages: dict[uuid.UUID, list[Message]] = field(default_factory=lambda: defaultdict(list))


def _activity(message: Message, row: Any) -> Activity:
    return Activity(
        id=message.id,
        occurred_at=message.occurred_at,
        inbound=message.inbound,
        conversation_id=row.conversation_id,
        body=(row.body or "").lower(),
        intents=message.intents,
        negative=message.negative,
    )


def read(db: Session, customer_ids: Sequence[uuid.UUID], as_of: datetime) -> Conversations:
    """The customers' inbound and outbound messages and calls up to ``as_of`` (one query)."""
    joined = {name: aliased(MessageAnalysis) for name in ANALYSERS}
    columns = (
        Interaction.id,
        Interaction.customer_id,
        Interaction.occurred_at,
        Interaction.direction,
        Interaction.conversation_id,
        Interaction.body,
    )
    sentiment, emotion, intent, trust = (joined[name].result["value"] for name in ANALYSERS)
    stmt = select(
        *columns,
        sentiment["label"].as_string().label("sentiment_label"),
        sentiment["score"].as_float().label("sentiment_score"),
        emotion["label"].as_string().label("emotion_label"),
        intent.label("intents"),
        trust.label("trust"),
    )
    for name, analysis in joined.items():
        stmt = stmt.outerjoin(
            analysis,
            and_(analysis.interaction_id == Interaction.id, analysis.analyser == name),
        )
    stmt = stmt.where(
        Interaction.customer_id.in_(customer_ids),
        Interaction.kind.in_(MESSAGE_KINDS),
        Interaction.direction.in_(("inbound", "outbound")),
        Interaction.occurred_at <= as_of,
    ).order_by(Interaction.customer_id, Interaction.occurred_at, Interaction.id)
    out = Conversations()
    for row in db.execute(stmt):
        message = _message(row)
        out.messages[row.customer_id].append(message)
        out.activities[row.customer_id].append(_activity(message, row))
    return out


def promises(db: Session, relationship_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[Promise]]:
    """Per relationship, its promises, each with when it was made (its message's time, else when
    it was entered), in the order they were made."""
    stmt = (
        select(Commitment, Interaction.occurred_at)
        .outerjoin(Interaction, Interaction.id == Commitment.interaction_id)
        .where(Commitment.relationship_id.in_(relationship_ids))
    )
    out: dict[uuid.UUID, list[Promise]] = defaultdict(list)
    for commitment, said_at in db.execute(stmt):
        out[commitment.relationship_id].append(
            Promise(
                id=commitment.id,
                status=commitment.status,
                made_at=said_at or commitment.created_at,
                due_at=commitment.due_at,
                closed_at=commitment.closed_at,
                interaction_id=commitment.interaction_id,
                closed_by_interaction_id=commitment.closed_by_interaction_id,
            )
        )
    for found in out.values():
        found.sort(key=lambda p: p.made_at)
    return out
