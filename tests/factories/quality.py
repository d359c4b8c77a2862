"""Hand-built conversations for the service-quality metrics: messages with their stored
sentiment, emotion and contact reason, and promises with an outcome."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.quality import reviews
from goodwill.reasons.models import ContactReason, MessageReason
from goodwill.relationships.models import Commitment
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
PERIOD = {"period_start": "2026-03-01T00:00:00Z", "period_end": "2026-04-01T00:00:00Z"}


@dataclass(frozen=True)
class Msg:
    """One message, ``at`` after the conversation opened; analyses are stored when given."""

    direction: str
    at: timedelta
    body: str = "Thanks for getting back to me."
    author: uuid.UUID | None = None
    sentiment: float | None = None
    emotion: tuple[str, float] | None = None
    reason: uuid.UUID | None = None


def inbound(hours: float, body: str = "My card does not work.", **kw: object) -> Msg:
    return Msg("inbound", timedelta(hours=hours), body, **kw)  # type: ignore[arg-type]


def reply(hours: float, author: uuid.UUID, body: str = "Hello, it is fixed now. Ana") -> Msg:
    return Msg("outbound", timedelta(hours=hours), body, author)


def _label(score: float) -> str:
    return "negative" if score < -0.2 else "positive" if score > 0.2 else "neutral"


def _analyses(message: Msg, interaction_id: uuid.UUID) -> list[MessageAnalysis]:
    found = []
    if message.sentiment is not None:
        value = {"label": _label(message.sentiment), "score": message.sentiment}
        found.append(
            MessageAnalysis(
                interaction_id=interaction_id,
                analyser="sentiment",
                version="test",
                result={"value": value},
            )
        )
    if message.emotion is not None:
        label, intensity = message.emotion
        value = {"label": label, "scores": {label: intensity}, "intensity": intensity}
        found.append(
            MessageAnalysis(
                interaction_id=interaction_id,
                analyser="emotion",
                version="test",
                result={"value": value},
            )
        )
    return found


def thread(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    customer_id: uuid.UUID,
    messages: Sequence[Msg],
    opened_at: datetime = T0,
    closed_at: datetime | None = None,
) -> tuple[uuid.UUID, list[uuid.UUID]]:
    """A conversation and its messages: (conversation id, message ids in the given order)."""
    with org_session(factory, org) as db:
        conversation = Conversation(
            external_id=f"Q-{secrets.token_hex(4)}",
            customer_id=customer_id,
            subject="Card",
            channel="email",
            status="closed" if closed_at else "open",
            opened_at=opened_at,
            closed_at=closed_at,
        )
        db.add(conversation)
        db.flush()
        ids = []
        for m in messages:
            interaction = Interaction(
                external_id=f"M-{secrets.token_hex(6)}",
                customer_id=customer_id,
                conversation_id=conversation.id,
                kind="message",
                channel="email",
                direction=m.direction,
                occurred_at=opened_at + m.at,
                body=m.body,
                author_member_id=m.author,
            )
            db.add(interaction)
            db.flush()
            db.add_all(_analyses(m, interaction.id))
            if m.reason is not None:
                db.add(MessageReason(interaction_id=interaction.id, reason_id=m.reason))
            ids.append(interaction.id)
        return conversation.id, ids


def reason(factory: sessionmaker[Session], org: OrgContext, name: str) -> uuid.UUID:
    with org_session(factory, org) as db:
        found = ContactReason(name=name)
        db.add(found)
        db.flush()
        return found.id


def promise(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    relationship_id: uuid.UUID,
    owner: uuid.UUID,
    status: str,
    closed_at: datetime,
    interaction_id: uuid.UUID | None = None,
) -> uuid.UUID:
    with org_session(factory, org) as db:
        found = Commitment(
            relationship_id=relationship_id,
            interaction_id=interaction_id,
            owner_member_id=owner,
            text="I'll call you back tomorrow",
            due_at=closed_at,
            status=status,
            closed_at=closed_at,
            start=None,
        )
        db.add(found)
        db.flush()
        return found.id


def review_all(factory: sessionmaker[Session], org: OrgContext) -> int:
    """The coach's reviews of every stored reply (the batch path the CLI runs)."""
    with org_session(factory, org) as db:
        return reviews.review_replies(db=db).reviewed


def quality_records(
    factory: sessionmaker[Session], org: OrgContext, customer_id: uuid.UUID, member_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    """For cross-tenant tests: a conversation opened two days ago, answered by ``member_id``
    (reviewed by the coach), so the default period of the quality routes shows it."""
    opened = utcnow() - timedelta(days=2)
    conversation_id, _ = thread(
        factory,
        org,
        customer_id=customer_id,
        opened_at=opened,
        messages=[
            inbound(0, "Why was I charged twice?? This is ridiculous.", sentiment=-0.7),
            reply(1, member_id, "Unfortunately that is our policy. Regards"),
            inbound(2, "OK, thanks.", sentiment=0.4),
        ],
    )
    review_all(factory, org)
    return {"quality_conversation": conversation_id}
