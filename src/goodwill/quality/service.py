"""Service quality, the database side: a few bulk queries per period, then ``metrics.py``.

A period's conversations are those opened in it. Their messages (with stored reason, sentiment
and emotion), the same customers' messages in other conversations, the coach's reviews of the
replies and the promises closed in the period are each read by one query, whatever the number of
conversations; everything after that is pure (``metrics.py``).

The message, conversation and review queries read ids and times *raw*
(:mod:`goodwill.relationships.rows`): building a ``uuid.UUID`` per stored id cost more than the
queries themselves. Messages, conversations and reviews are matched by those raw keys; members
and reasons (a few distinct values) are turned into ``uuid.UUID`` once each, and ``metrics.py``
turns a conversation's key into its id when it reports on it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import String, and_, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

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
from goodwill.relationships.rows import as_time, as_uuid, raw
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


class unindexed(FunctionElement[str]):
    """A column compared without choosing an index for it: ``+column`` on SQLite, which
    otherwise (without statistics) reads a conversation's messages through the index on
    (organisation, kind, ...): every message of the organisation, three times slower than
    through the conversation's index. The column itself elsewhere."""

    type = String()
    inherit_cache = True


@compiles(unindexed)
def _unindexed(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(unindexed, "sqlite")
def _unindexed_sqlite(element: unindexed, compiler: SQLCompiler, **kw: Any) -> str:
    return f"+{compiler.process(element.clauses, **kw)}"


def _opened_in(window: Window) -> Any:
    return select(Conversation.id).where(
        Conversation.opened_at >= window.start, Conversation.opened_at < window.end
    )


class _Ids:
    """Raw member and reason ids turned into ``uuid.UUID`` once each (a period has a few dozen
    distinct ones among thousands of rows)."""

    def __init__(self) -> None:
        self.seen: dict[Any, uuid.UUID] = {}

    def __call__(self, value: Any) -> uuid.UUID | None:
        if value is None:
            return None
        found = self.seen.get(value)
        if found is None:
            found = self.seen[value] = as_uuid(value)
        return found


def _message_columns(analyses: bool) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """An interaction's message columns (ids and time raw) with its reason (merged: the
    absorbing one) and, with ``analyses``, its sentiment and emotion, outer-joined; the tenancy
    filter reaches every joined table."""
    columns: tuple[Any, ...] = (
        raw(Interaction.id),
        raw(Interaction.conversation_id),
        raw(Interaction.customer_id),
        Interaction.direction,
        raw(Interaction.occurred_at),
        raw(Interaction.author_member_id),
        raw(func.coalesce(ContactReason.merged_into_id, MessageReason.reason_id)),
    )
    joins: tuple[Any, ...] = (
        (MessageReason, MessageReason.interaction_id == Interaction.id),
        (ContactReason, ContactReason.id == MessageReason.reason_id),
    )
    if not analyses:
        return columns, joins
    sentiment = aliased(MessageAnalysis, name="sentiment_analysis")
    emotion = aliased(MessageAnalysis, name="emotion_analysis")
    columns += (
        sentiment.result[("value", "score")].as_float(),
        sentiment.result[("value", "label")].as_string(),
        emotion.result[("value", "label")].as_string(),
        emotion.result[("value", "intensity")].as_float(),
    )
    joins += (
        (
            sentiment,
            and_(sentiment.interaction_id == Interaction.id, sentiment.analyser == NAMES[0]),
        ),
        (emotion, and_(emotion.interaction_id == Interaction.id, emotion.analyser == NAMES[1])),
    )
    return columns, joins


def _messages(
    db: Session, *criteria: Any, analyses: bool = True, kind: Any = Interaction.kind
) -> list[MessageRow]:
    columns, joins = _message_columns(analyses)
    stmt = select(*columns)
    for target, on in joins:
        stmt = stmt.outerjoin(target, on)
    stmt = stmt.where(kind == InteractionKind.MESSAGE.value, *criteria)
    member, reason = _Ids(), _Ids()
    return [
        MessageRow(r[0], r[1], r[2], r[3], as_time(r[4]), member(r[5]), reason(r[6]), *r[7:])
        for r in db.execute(stmt)
    ]


def message_rows(*, db: Session, window: Window) -> list[MessageRow]:
    """Every message of the conversations opened in the period."""
    opened = Interaction.conversation_id.in_(_opened_in(window))
    return _messages(db, opened, kind=unindexed(Interaction.kind))


def later_inbound_rows(
    *, db: Session, window: Window, until: datetime, messages: Sequence[MessageRow]
) -> list[MessageRow]:
    """The period's customers' messages (in any conversation) from the period's start until
    ``until``: those of the period's conversations taken from ``messages`` (the period's
    messages), the others read; with their reason only (no analyses)."""
    customers = select(Conversation.customer_id).where(Conversation.id.in_(_opened_in(window)))
    elsewhere = _messages(
        db,
        Interaction.direction == "inbound",
        Interaction.customer_id.in_(customers),
        Interaction.occurred_at >= window.start,
        Interaction.occurred_at <= until,
        Interaction.conversation_id.is_not(None),
        Interaction.conversation_id.not_in(_opened_in(window)),
        analyses=False,
    )
    start = window.start
    own = [m for m in messages if m.direction == "inbound" and start <= m.occurred_at <= until]
    return own + elsewhere


def conversation_rows(*, db: Session, window: Window) -> list[ConversationRow]:
    stmt = select(
        raw(Conversation.id), raw(Conversation.customer_id), raw(Conversation.closed_at)
    ).where(Conversation.opened_at >= window.start, Conversation.opened_at < window.end)
    return [
        ConversationRow(r[0], r[1], as_time(r[2]) if r[2] is not None else None)
        for r in db.execute(stmt)
    ]


def review_rows(*, db: Session, window: Window) -> list[ReviewRow]:
    """The coach's reviews of the replies in the period's conversations."""
    stmt = (
        select(
            raw(ReplyReview.interaction_id),
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
    return metrics.contributions(*_inputs(db, window, as_of))


def iter_contributions(
    *, db: Session, window: Window, as_of: datetime | None = None, promises: bool = True
) -> Iterator[Contribution]:
    """The same, one conversation at a time (for aggregating without keeping them); without
    the promises' with ``promises=False`` (the daily rollups read those per report)."""
    return metrics.iter_contributions(*_inputs(db, window, as_of, promises))


def _inputs(
    db: Session, window: Window, as_of: datetime | None, promises: bool = True
) -> tuple[Any, ...]:
    """The period's rows, as ``metrics.contributions`` takes them."""
    period = metrics.Period(as_of or utcnow(), parameters(db=db))
    messages = message_rows(db=db, window=window)
    replies = [m.occurred_at for m in messages if m.direction == "outbound"]
    until = max(replies, default=window.end) + timedelta(days=period.parameters.repeat_window_days)
    return (
        conversation_rows(db=db, window=window),
        messages,
        later_inbound_rows(db=db, window=window, until=until, messages=messages),
        review_rows(db=db, window=window),
        promise_rows(db=db, window=window) if promises else [],
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
