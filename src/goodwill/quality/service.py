"""Service quality, the database side: a few bulk queries per period, then ``metrics.py``.

A period's conversations are those opened in it. Their messages (with stored reason, sentiment
and emotion), the same customers' later messages, the coach's reviews of the replies and the
promises closed in the period are each read by one query, whatever the number of conversations;
everything after that is pure (``metrics.py``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session, aliased

from goodwill.database import utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.organisations.models import Member, Team, UserAccount
from goodwill.quality import metrics
from goodwill.quality.definitions import Parameters
from goodwill.quality.metrics import (
    Contribution,
    ConversationRow,
    MessageRow,
    PromiseRow,
    ReviewRow,
)
from goodwill.quality.models import ReplyReview
from goodwill.reasons.models import ContactReason, MessageReason
from goodwill.relationships.models import Commitment
from goodwill.types import InteractionKind

DEFAULT_DAYS = 28
MAX_DAYS = 731
SETTING = "quality"
NAMES = ("sentiment", "emotion")  # the analysers whose stored results are read


@dataclass(frozen=True)
class Window:
    """A period [start, end) in aware UTC times."""

    start: datetime
    end: datetime

    @classmethod
    def of(
        cls, start: datetime | None, end: datetime | None, *, days: int = DEFAULT_DAYS
    ) -> Window:
        """The given period, or the ``days`` before ``end`` (default: now); checked."""
        for name, value in (("period_start", start), ("period_end", end)):
            if value is not None and value.tzinfo is None:
                raise InvalidInput(f"{name}: give a time zone (for example 2026-03-01T00:00:00Z)")
        end = end or utcnow()
        start = start or end - timedelta(days=days)
        if start >= end:
            raise InvalidInput("period_start: must be before period_end")
        if end - start > timedelta(days=MAX_DAYS):
            raise InvalidInput(f"period_end: a period is at most {MAX_DAYS} days")
        return cls(start, end)


def parameters(*, db: Session) -> Parameters:
    """The organisation's parameters (its ``quality`` setting over the defaults)."""
    return Parameters.from_setting(organisation_service.get_setting(db=db, key=SETTING))


def _opened_in(window: Window) -> Any:
    return select(Conversation.id).where(
        Conversation.opened_at >= window.start, Conversation.opened_at < window.end
    )


def _message_columns() -> tuple[Any, ...]:
    """An interaction's message columns with its reason (merged: the absorbing one), sentiment
    and emotion, outer-joined; the tenancy filter reaches every joined table."""
    sentiment = aliased(MessageAnalysis, name="sentiment_analysis")
    emotion = aliased(MessageAnalysis, name="emotion_analysis")
    columns = (
        Interaction.id,
        Interaction.conversation_id,
        Interaction.customer_id,
        Interaction.direction,
        Interaction.occurred_at,
        Interaction.author_member_id,
        func.coalesce(ContactReason.merged_into_id, MessageReason.reason_id),
        sentiment.result["value"]["score"].as_float(),
        sentiment.result["value"]["label"].as_string(),
        emotion.result["value"]["label"].as_string(),
        emotion.result["value"]["intensity"].as_float(),
    )
    joins = (
        (MessageReason, MessageReason.interaction_id == Interaction.id),
        (ContactReason, ContactReason.id == MessageReason.reason_id),
        (
            sentiment,
            and_(sentiment.interaction_id == Interaction.id, sentiment.analyser == NAMES[0]),
        ),
        (emotion, and_(emotion.interaction_id == Interaction.id, emotion.analyser == NAMES[1])),
    )
    return columns, joins


def _select_messages(*criteria: Any) -> Any:
    columns, joins = _message_columns()
    stmt = select(*columns)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    return stmt.where(Interaction.kind == InteractionKind.MESSAGE.value, *criteria)


def message_rows(*, db: Session, window: Window) -> list[MessageRow]:
    """Every message of the conversations opened in the period."""
    stmt = _select_messages(Interaction.conversation_id.in_(_opened_in(window)))
    return [MessageRow(*row) for row in db.execute(stmt)]


def later_inbound_rows(*, db: Session, window: Window, until: datetime) -> list[MessageRow]:
    """The period's customers' messages from the period's start until ``until``."""
    customers = select(Conversation.customer_id).where(Conversation.id.in_(_opened_in(window)))
    stmt = _select_messages(
        Interaction.direction == "inbound",
        Interaction.customer_id.in_(customers),
        Interaction.occurred_at >= window.start,
        Interaction.occurred_at <= until,
        Interaction.conversation_id.is_not(None),
    )
    return [MessageRow(*row) for row in db.execute(stmt)]


def conversation_rows(*, db: Session, window: Window) -> list[ConversationRow]:
    stmt = select(Conversation.id, Conversation.customer_id, Conversation.closed_at).where(
        Conversation.opened_at >= window.start, Conversation.opened_at < window.end
    )
    return [ConversationRow(*row) for row in db.execute(stmt)]


def review_rows(*, db: Session, window: Window) -> list[ReviewRow]:
    """The coach's reviews of the replies in the period's conversations."""
    stmt = (
        select(
            ReplyReview.interaction_id,
            ReplyReview.word_count,
            ReplyReview.irritant_count,
            ReplyReview.empathy,
        )
        .join(Interaction, Interaction.id == ReplyReview.interaction_id)
        .where(Interaction.conversation_id.in_(_opened_in(window)))
    )
    return [ReviewRow(*row) for row in db.execute(stmt)]


def promise_rows(*, db: Session, window: Window) -> list[PromiseRow]:
    """Promises whose outcome (kept, kept late, broken) fell in the period."""
    stmt = (
        select(
            Commitment.id,
            Commitment.owner_member_id,
            Interaction.conversation_id,
            Commitment.status,
        )
        .outerjoin(Interaction, Interaction.id == Commitment.interaction_id)
        .where(
            Commitment.status.in_(metrics.KEPT_STATUSES),
            Commitment.closed_at >= window.start,
            Commitment.closed_at < window.end,
        )
    )
    return [PromiseRow(*row) for row in db.execute(stmt)]


def contributions(
    *, db: Session, window: Window, as_of: datetime | None = None
) -> list[Contribution]:
    """Every metric's contributions for the period (see ``metrics.contributions``)."""
    period = metrics.Period(as_of or utcnow(), parameters(db=db))
    messages = message_rows(db=db, window=window)
    replies = [m.occurred_at for m in messages if m.direction == "outbound"]
    until = max(replies, default=window.end) + timedelta(days=period.parameters.repeat_window_days)
    return metrics.contributions(
        conversation_rows(db=db, window=window),
        messages,
        later_inbound_rows(db=db, window=window, until=until),
        review_rows(db=db, window=window),
        promise_rows(db=db, window=window),
        period,
    )


@dataclass(frozen=True)
class People:
    """Members (with team and name) and teams, for grouping and labels."""

    team_of: dict[uuid.UUID, uuid.UUID | None]
    member_names: dict[uuid.UUID, str]
    active: list[uuid.UUID]
    team_names: dict[uuid.UUID, str]


def people(*, db: Session) -> People:
    rows = db.execute(
        select(Member.id, Member.team_id, UserAccount.display_name, Member.is_active)
        .join(UserAccount, UserAccount.id == Member.user_id)
        .order_by(UserAccount.display_name, Member.id)
    ).all()
    teams = {r[0]: r[1] for r in db.execute(select(Team.id, Team.name).order_by(Team.name))}
    return People(
        team_of={r[0]: r[1] for r in rows},
        member_names={r[0]: r[2] for r in rows},
        active=[r[0] for r in rows if r[3]],
        team_names=teams,
    )
