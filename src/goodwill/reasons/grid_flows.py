"""The Value Irritant Grid of an organisation over a period: load the numbers the pure
:mod:`goodwill.reasons.grid` needs (reasons, classified inbound messages with their stored
sentiment and emotion, conversations, and what followed for the customers) and compute it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from goodwill.errors import InvalidInput
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.reasons import grid as vig
from goodwill.reasons import service
from goodwill.reasons.models import MessageReason
from goodwill.relationships.models import Relationship, StageHistory

ENDED_STAGE = "terminating"
CANCELLATION = "cancellation"
DEFAULT_DAYS = 30


def period(
    period_from: datetime | None, period_to: datetime | None, *, now: datetime
) -> tuple[datetime, datetime]:
    """[from, to): ``to`` defaults to now, ``from`` to 30 days before ``to``."""
    end = period_to or now
    start = period_from or end - timedelta(days=DEFAULT_DAYS)
    if end <= start:
        raise InvalidInput("from: the period must start before it ends")
    if end - start > timedelta(days=3660):
        raise InvalidInput("from: the period is longer than ten years")
    return start, end


def _value(result: dict[str, Any] | None) -> Any:
    return (result or {}).get("value")


def _contacts(db: Session, start: datetime, end: datetime) -> list[vig.Contact]:
    sentiment, emotion = aliased(MessageAnalysis), aliased(MessageAnalysis)
    stmt = (
        select(Interaction, MessageReason.reason_id, sentiment.result, emotion.result)
        .join(MessageReason, MessageReason.interaction_id == Interaction.id)
        .outerjoin(
            sentiment,
            and_(sentiment.interaction_id == Interaction.id, sentiment.analyser == "sentiment"),
        )
        .outerjoin(
            emotion, and_(emotion.interaction_id == Interaction.id, emotion.analyser == "emotion")
        )
        .where(
            MessageReason.reason_id.is_not(None),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
    )
    out = []
    for row, reason_id, feeling, mood in db.execute(stmt):
        score = (_value(feeling) or {}).get("score")
        out.append(
            vig.Contact(
                interaction_id=str(row.id),
                reason_id=str(reason_id),
                customer_id=str(row.customer_id),
                conversation_id=str(row.conversation_id) if row.conversation_id else None,
                occurred_at=row.occurred_at,
                sentiment=float(score) if isinstance(score, int | float) else None,
                emotion=(_value(mood) or {}).get("label"),
            )
        )
    return out


def _unknown(db: Session, start: datetime, end: datetime) -> int:
    stmt = (
        select(func.count())
        .select_from(MessageReason)
        .join(Interaction, Interaction.id == MessageReason.interaction_id)
        .where(
            MessageReason.reason_id.is_(None),
            Interaction.occurred_at >= start,
            Interaction.occurred_at < end,
        )
    )
    return db.scalar(stmt) or 0


def _conversations(db: Session, ids: set[str]) -> dict[str, vig.ConversationFacts]:
    if not ids:
        return {}
    keys = [uuid.UUID(i) for i in ids]
    inbound = (
        select(Interaction.conversation_id, func.count())
        .where(Interaction.conversation_id.in_(keys), Interaction.direction == "inbound")
        .group_by(Interaction.conversation_id)
    )
    counts = {str(c): n for c, n in db.execute(inbound)}
    statuses = db.execute(
        select(Conversation.id, Conversation.status).where(Conversation.id.in_(keys))
    )
    return {
        str(c): vig.ConversationFacts(customer_messages=counts.get(str(c), 0), closed=s == "closed")
        for c, s in statuses
    }


def _outcomes(
    db: Session, customers: set[str], start: datetime, end: datetime
) -> list[vig.Outcome]:
    """Purchases and renewals (+1); cancellation intent and relationships ending (−1)."""
    if not customers:
        return []
    keys = [uuid.UUID(c) for c in customers]
    within = and_(Interaction.customer_id.in_(keys), Interaction.occurred_at > start)
    within = and_(within, Interaction.occurred_at <= end)
    out = []
    paid = select(Interaction.customer_id, Interaction.occurred_at, Interaction.kind).where(
        within,
        (Interaction.kind == "purchase")
        | ((Interaction.kind == "billing") & (Interaction.amount > 0)),
    )
    for customer, when, kind in db.execute(paid):
        out.append(vig.Outcome(str(customer), when, 1, "renewal" if kind == "billing" else kind))
    intents = select(Interaction.customer_id, Interaction.occurred_at, MessageAnalysis.result).join(
        MessageAnalysis,
        and_(
            MessageAnalysis.interaction_id == Interaction.id, MessageAnalysis.analyser == "intent"
        ),
    )
    for customer, when, result in db.execute(
        intents.where(within, Interaction.direction == "inbound")
    ):
        if CANCELLATION in (_value(result) or []):
            out.append(vig.Outcome(str(customer), when, -1, "cancellation intent"))
    return out + _ended(db, keys, start, end)


def _ended(db: Session, keys: list[uuid.UUID], start: datetime, end: datetime) -> list[vig.Outcome]:
    ended = (
        select(Relationship.customer_id, StageHistory.valid_from)
        .join(StageHistory, StageHistory.relationship_id == Relationship.id)
        .where(
            Relationship.customer_id.in_(keys),
            StageHistory.stage == ENDED_STAGE,
            StageHistory.valid_from > start,
            StageHistory.valid_from <= end,
        )
    )
    return [vig.Outcome(str(c), when, -1, "relationship ended") for c, when in db.execute(ended)]


def compute(
    *,
    db: Session,
    period_from: datetime,
    period_to: datetime,
    thresholds: vig.Thresholds | None = None,
) -> vig.Grid:
    """Every reason in use on the grid over [period_from, period_to)."""
    thresholds = thresholds or vig.Thresholds()
    length = period_to - period_from
    contacts = _contacts(
        db, period_from - length, period_to + timedelta(days=thresholds.repeat_days)
    )
    current = [c for c in contacts if period_from <= c.occurred_at < period_to]
    reasons: Sequence[vig.Reason] = [
        vig.Reason(str(r.id), r.name, r.company_value) for r in service.get_all(db=db)
    ]
    first = min((c.occurred_at for c in current), default=period_from)
    return vig.compute(
        reasons,
        contacts,
        period_from=period_from,
        period_to=period_to,
        conversations=_conversations(db, {c.conversation_id for c in current if c.conversation_id}),
        outcomes=_outcomes(
            db,
            {c.customer_id for c in current},
            first,
            period_to + timedelta(days=thresholds.outcome_days),
        ),
        thresholds=thresholds,
        unknown_volume=_unknown(db, period_from, period_to),
    )
