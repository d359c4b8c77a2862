"""Service quality metrics, pure: from plain rows to contributions, and contributions to numbers.

Every metric is computed in two steps so a number and its drill-down can never disagree:
``contributions`` turns the period's rows into one :class:`Contribution` per (metric,
conversation, member), and ``aggregate`` (:mod:`goodwill.quality.aggregation`, exported here)
groups them (by member, team or organisation) by the aggregation the metric's definition names.
The drill-down lists the same contributions.

Messages, conversations and reviews are matched by :data:`Key`: an id as the database driver
returned it (``goodwill.relationships.rows.raw``), turned into a ``uuid.UUID`` only where a
contribution names it.
"""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from types import EllipsisType
from typing import Any

from goodwill.quality import definitions as d
from goodwill.quality.aggregation import MetricValue as MetricValue  # the numbers: re-exported
from goodwill.quality.aggregation import Tally as Tally
from goodwill.quality.aggregation import aggregate as aggregate
from goodwill.quality.aggregation import empty as empty
from goodwill.quality.aggregation import value_of as value_of
from goodwill.quality.definitions import Parameters
from goodwill.relationships.rows import as_uuid

INBOUND, OUTBOUND = "inbound", "outbound"
NEGATIVE_EMOTIONS = frozenset({"anger", "disgust", "fear", "sadness"})
KEPT_STATUSES = ("kept", "kept_late", "broken")
HOUR = 3600.0
Key = uuid.UUID | str
"""A message's, conversation's or customer's id as read: a ``uuid.UUID``, or its 32 hex digits
when read raw from SQLite (the rows of one computation are read one way)."""


@dataclass(frozen=True, slots=True)
class MessageRow:
    """One message of a conversation, with its stored reason and analyses (None: unknown)."""

    id: Key
    conversation_id: Key
    customer_id: Key
    direction: str
    occurred_at: datetime
    author_member_id: uuid.UUID | None = None
    reason_id: uuid.UUID | None = None
    sentiment: float | None = None
    sentiment_label: str | None = None
    emotion: str | None = None
    intensity: float | None = None


@dataclass(frozen=True, slots=True)
class ConversationRow:
    id: Key
    customer_id: Key
    closed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReviewRow:
    """The coach's review of one reply: words, irritants found, empathy shown."""

    interaction_id: Key
    words: int
    irritants: int
    empathy: bool


@dataclass(frozen=True, slots=True)
class PromiseRow:
    id: uuid.UUID
    owner_member_id: uuid.UUID | None
    conversation_id: uuid.UUID | None
    status: str


@dataclass(frozen=True, slots=True)
class Contribution:
    """What one conversation (or promise) adds to one metric for one member.

    Ratios add ``numerator`` and ``denominator``; medians and means read ``value``. ``detail``
    explains it (integer entries are summed into the aggregate's ``notes``)."""

    metric: str
    conversation_id: uuid.UUID | None
    member_id: uuid.UUID | None
    numerator: float = 0.0
    denominator: float = 0.0
    value: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    settles_at: datetime | None = None  # a pending resolution: when it stops being pending


@dataclass(frozen=True)
class Period:
    """What the contributions are computed over; ``as_of`` decides which windows have passed."""

    as_of: datetime
    parameters: Parameters = field(default_factory=Parameters)


def handler(messages: Sequence[MessageRow]) -> uuid.UUID | None:
    """The member who sent most replies; a tie goes to the one who replied last."""
    counts: Counter[uuid.UUID] = Counter()
    last: dict[uuid.UUID, int] = {}
    for i, m in enumerate(messages):
        if m.direction == OUTBOUND and m.author_member_id is not None:
            counts[m.author_member_id] += 1
            last[m.author_member_id] = i
    if not counts:
        return None
    return max(counts, key=lambda member: (counts[member], last[member]))


Handler = uuid.UUID | None | EllipsisType
"""A conversation's handler when the caller knows it already; ``...``: work it out."""


def _handler(messages: Sequence[MessageRow], known: Handler) -> uuid.UUID | None:
    return handler(messages) if known is ... else known


def _text(key: Key) -> str:
    """An id as the API writes it (36 characters with hyphens)."""
    return str(as_uuid(key))


def speed(
    conversation: ConversationRow, messages: Sequence[MessageRow], member: Handler = ...
) -> list[Contribution]:
    """First response time and handling time, in hours (none without a reply)."""
    first = next((m for m in messages if m.direction == INBOUND), None)
    if first is None:
        return []
    replies = [
        m for m in messages if m.direction == OUTBOUND and m.occurred_at >= first.occurred_at
    ]
    if not replies:
        return []
    member = _handler(messages, member)
    times = {
        d.FIRST_RESPONSE_TIME: replies[0].occurred_at - first.occurred_at,
        d.HANDLING_TIME: replies[-1].occurred_at - first.occurred_at,
    }
    return [
        Contribution(
            name, as_uuid(conversation.id), member, value=round(t.total_seconds() / HOUR, 4)
        )
        for name, t in times.items()
    ]


def last_answer(messages: Sequence[MessageRow]) -> datetime | None:
    """When we last replied after the customer's first message (None: never)."""
    first = next((m for m in messages if m.direction == INBOUND), None)
    if first is None:
        return None
    answers = [m.occurred_at for m in messages if m.direction == OUTBOUND]
    return answers[-1] if answers and answers[-1] >= first.occurred_at else None


def resolution(
    conversation: ConversationRow,
    messages: Sequence[MessageRow],
    customer_inbound: Sequence[MessageRow],
    period: Period,
    member: Handler = ...,
) -> list[Contribution]:
    """Resolved unless the customer came back on the same reason (or at all, without a reason)
    within the window after our last reply; pending while the window is still open."""
    anchor = last_answer(messages)
    if anchor is None:
        return []
    until = anchor + timedelta(days=period.parameters.repeat_window_days)
    reason = next((m.reason_id for m in messages if m.direction == INBOUND and m.reason_id), None)
    repeat = next(
        (
            m
            for m in customer_inbound
            if anchor < m.occurred_at <= until and (reason is None or m.reason_id == reason)
        ),
        None,
    )
    basis = "by_reason" if reason is not None else "by_any_inbound"
    pending = repeat is None and until > period.as_of
    detail: dict[str, Any] = {
        basis: 1,
        "pending": int(pending),
        "reason_id": reason and str(reason),
    }
    detail["repeat_interaction_id"] = _text(repeat.id) if repeat else None
    return [
        Contribution(
            d.RESOLUTION_EFFICACY,
            as_uuid(conversation.id),
            _handler(messages, member),
            numerator=float(repeat is None and not pending),
            denominator=float(not pending),
            detail=detail,
            settles_at=until if pending else None,
        )
    ]


def reopen(
    conversation: ConversationRow,
    messages: Sequence[MessageRow],
    period: Period,
    member: Handler = ...,
) -> list[Contribution]:
    """Reopened when the customer wrote after the closing time, or after a reply of ours that
    had been left unanswered for at least ``quiet_days``."""
    first = next((i for i, m in enumerate(messages) if m.direction == INBOUND), None)
    if first is None:
        return []
    answered = any(m.direction == OUTBOUND for m in messages[first:])
    if not answered and conversation.closed_at is None:
        return []
    quiet = timedelta(days=period.parameters.quiet_days)
    closed = conversation.closed_at
    evidence = None
    for before, m in zip(messages[first:], messages[first + 1 :], strict=False):
        if m.direction != INBOUND:
            continue
        after_close = closed is not None and m.occurred_at > closed
        after_quiet = before.direction == OUTBOUND and m.occurred_at - before.occurred_at >= quiet
        if after_close or after_quiet:
            evidence = m
            break
    detail = {"reopened_by_interaction_id": _text(evidence.id) if evidence else None}
    return [
        Contribution(
            d.REOPEN_RATE,
            as_uuid(conversation.id),
            _handler(messages, member),
            numerator=float(evidence is not None),
            denominator=1.0,
            detail=detail,
        )
    ]


def sentiment_recovery(
    conversation: ConversationRow, messages: Sequence[MessageRow], member: Handler = ...
) -> list[Contribution]:
    """Last minus first customer sentiment, for conversations that started negative."""
    scored = [m for m in messages if m.direction == INBOUND and m.sentiment is not None]
    if len(scored) < 2 or scored[0].sentiment_label != "negative":
        return []
    first, last = scored[0].sentiment or 0.0, scored[-1].sentiment or 0.0
    detail = {"first": first, "last": last, "first_interaction_id": _text(scored[0].id)}
    detail["last_interaction_id"] = _text(scored[-1].id)
    value = round(last - first, 4)
    conversation_id, member = as_uuid(conversation.id), _handler(messages, member)
    return [Contribution(d.SENTIMENT_RECOVERY, conversation_id, member, value=value, detail=detail)]


def strong(message: MessageRow, parameters: Parameters) -> bool:
    """A customer message whose emotion asks to be acknowledged (the coach's thresholds)."""
    negative = message.emotion in NEGATIVE_EMOTIONS
    if negative and (message.intensity or 0.0) >= parameters.strong_emotion:
        return True
    return (
        message.sentiment is not None and message.sentiment <= parameters.strong_negative_sentiment
    )


def irritant_density(
    conversation: ConversationRow,
    messages: Sequence[MessageRow],
    reviews: dict[Key, ReviewRow],
) -> list[Contribution]:
    """Irritants and words of the reviewed replies, per author (unreviewed ones counted)."""
    found: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for m in messages:
        if m.direction != OUTBOUND or m.author_member_id is None:
            continue
        review, row = reviews.get(m.id), found[m.author_member_id]
        row[2] += 1
        if review is not None:
            row[0], row[1], row[3] = row[0] + review.irritants, row[1] + review.words, row[3] + 1
    return [
        Contribution(
            d.IRRITANT_DENSITY, as_uuid(conversation.id), member, irritants, words,
            detail={"replies": n, "unreviewed_replies": n - reviewed},
        )
        for member, (irritants, words, n, reviewed) in found.items()
    ]  # fmt: skip


def empathy_when_strong(
    conversation: ConversationRow,
    messages: Sequence[MessageRow],
    reviews: dict[Key, ReviewRow],
    period: Period,
) -> list[Contribution]:
    """Of the first replies after a strongly emotional customer message, those that show the
    coach's empathy strength, per author (only reviewed replies count)."""
    found: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0, 0, 0])
    waiting = False
    for m in messages:
        if m.direction == INBOUND:
            waiting = strong(m, period.parameters)
        elif m.direction == OUTBOUND and m.author_member_id is not None:
            if waiting:
                review, row = reviews.get(m.id), found[m.author_member_id]
                row[0] += int(review is not None and review.empathy)
                row[1 if review is not None else 2] += 1
            waiting = False
    return [
        Contribution(d.EMPATHY_WHEN_STRONG, as_uuid(conversation.id), member, shown, reviewed,
                     detail={"unreviewed_replies": unreviewed})
        for member, (shown, reviewed, unreviewed) in found.items()
    ]  # fmt: skip


def promises(rows: Iterable[PromiseRow]) -> list[Contribution]:
    """One contribution per promise with an outcome: kept counts 1, kept late and broken 0."""
    return [
        Contribution(
            d.PROMISES_KEPT,
            p.conversation_id,
            p.owner_member_id,
            numerator=float(p.status == "kept"),
            denominator=1.0,
            detail={p.status: 1, "commitment_id": str(p.id)},
        )
        for p in rows
        if p.status in KEPT_STATUSES
    ]


def contributions(
    conversations: Sequence[ConversationRow],
    messages: Iterable[MessageRow],
    customer_inbound: Iterable[MessageRow],
    reviews: Iterable[ReviewRow],
    promise_rows: Iterable[PromiseRow],
    period: Period,
) -> list[Contribution]:
    """Every metric's contributions for the period's conversations and promises (each
    conversation's messages and each customer's in time order, then by id)."""
    return list(
        iter_contributions(conversations, messages, customer_inbound, reviews, promise_rows, period)
    )


def iter_contributions(
    conversations: Sequence[ConversationRow],
    messages: Iterable[MessageRow],
    customer_inbound: Iterable[MessageRow],
    reviews: Iterable[ReviewRow],
    promise_rows: Iterable[PromiseRow],
    period: Period,
) -> Iterator[Contribution]:
    """``contributions`` one conversation at a time (for ``aggregate``, which keeps none)."""
    by_conversation: dict[Key, list[MessageRow]] = defaultdict(list)
    for m in messages:
        by_conversation[m.conversation_id].append(m)
    by_customer: dict[Key, list[MessageRow]] = defaultdict(list)
    for m in customer_inbound:
        by_customer[m.customer_id].append(m)
    for rows in (*by_conversation.values(), *by_customer.values()):
        rows.sort(key=_in_order)
    reviewed = {r.interaction_id: r for r in reviews}
    for row in conversations:
        c = ConversationRow(as_uuid(row.id), row.customer_id, row.closed_at)
        thread = by_conversation.get(row.id, [])
        member = handler(thread)
        yield from speed(c, thread, member)
        yield from resolution(c, thread, by_customer.get(c.customer_id, []), period, member)
        yield from reopen(c, thread, period, member)
        yield from sentiment_recovery(c, thread, member)
        yield from irritant_density(c, thread, reviewed)
        yield from empathy_when_strong(c, thread, reviewed, period)
    yield from promises(promise_rows)


def _in_order(m: MessageRow) -> tuple[datetime, Key]:
    return m.occurred_at, m.id
