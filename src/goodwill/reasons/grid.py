"""The Value Irritant Grid: where each contact reason stands, from per-reason numbers. Pure.

Seed 001 (Budd's Value Irritant Grid, as recommended by Peter Massey) runs through the customers'
contact reasons ("Where's my stuff?") and places each by how much the *customer* and the
*company* value it. The seed: the grid "shows where self-service and simplification will work,
as well as where you can eliminate dumb things, which neither customer nor company value". The
four quadrants, exactly as DESIGN.md reads the seed (x: value to the customer, y: to the company):

* eliminate — an irritant to both: remove the cause so the contact is not needed;
* simplify  — an irritant to the customer, valuable to the company: make it easy;
* automate  — valuable to the customer, costly to the company: self-service;
* leverage  — valuable to both: invest in the conversation.

Value to the customer (−1 … 1) is how the customers feel plus what the contact costs them:
*feeling* is the mean of sentiment (mean score) and emotion (share of joy − share of anger,
disgust, fear or sadness), 0 without analyses; *friction* is the mean of three penalties, each
0 at best and −1 at worst: repeat contacts (−share followed by a contact on the same reason from
the same customer within ``repeat_days``), effort (customer messages per conversation: 1 → 0,
``effort_high`` or more → −1) and resolution (−share unresolved; resolved = conversation closed,
or no conversation, and no repeat). Value = feeling + friction, clipped to −1 … 1: a contact
that goes smoothly is not valuable in itself, only when customers are glad of it.
Value to the company is the configured value of the reason, else derived from
what follows for the customers who contacted: within ``outcome_days`` after their first contact,
share of customers whose outcomes were net positive (purchases, renewals) minus the share net
negative (cancellation intent, the relationship ending). A contact with nothing valuable after
it is a cost to the company: 0, which is not above the default threshold 0.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import fmean

ELIMINATE, SIMPLIFY, AUTOMATE, LEVERAGE = "eliminate", "simplify", "automate", "leverage"
QUADRANTS = (ELIMINATE, SIMPLIFY, AUTOMATE, LEVERAGE)
NEGATIVE_EMOTIONS = frozenset({"anger", "disgust", "fear", "sadness"})
POSITIVE_EMOTIONS = frozenset({"joy"})
SAMPLES = 3

ACTIONS = {
    ELIMINATE: (
        "Remove the cause of “{name}”: neither customers nor the company gain from these "
        "{volume} contacts. Read the sample messages, find the failure upstream (a late "
        "delivery, an unclear letter, a broken page) and fix it so nobody needs to ask."
    ),
    SIMPLIFY: (
        "Make “{name}” easy: it matters to the company but irritates customers (customer "
        "value {customer:+.2f}). Cut the steps, forms and repeat contacts it takes, and keep "
        "a person in the conversation."
    ),
    AUTOMATE: (
        "Offer self-service for “{name}”: customers value it (customer value {customer:+.2f}) "
        "but the contacts cost the company more than they return. Put it in the app or on the "
        "website, with a person one step away."
    ),
    LEVERAGE: (
        "Invest in “{name}” conversations: both customers and the company gain from them. Give "
        "them your best people and time, and look for more chances to have them."
    ),
}


@dataclass(frozen=True)
class Contact:
    """One inbound message with its reason (and its stored analyses, where there are some)."""

    interaction_id: str
    reason_id: str
    customer_id: str
    conversation_id: str | None
    occurred_at: datetime
    sentiment: float | None = None
    emotion: str | None = None


@dataclass(frozen=True)
class ConversationFacts:
    customer_messages: int
    closed: bool


@dataclass(frozen=True)
class Outcome:
    """Something that followed for a customer: +1 (purchase, renewal) or −1 (cancellation
    intent, relationship ended)."""

    customer_id: str
    occurred_at: datetime
    value: int
    kind: str


@dataclass(frozen=True)
class Reason:
    reason_id: str
    name: str
    company_value: float | None = None


@dataclass(frozen=True)
class Thresholds:
    """Above ``customer`` / ``company`` a reason is valuable on that axis; at or below, an
    irritant (or a cost)."""

    customer: float = 0.0
    company: float = 0.0
    repeat_days: int = 14
    outcome_days: int = 90
    effort_high: float = 4.0


@dataclass(frozen=True)
class Evidence:
    customer_components: dict[str, float]
    mean_sentiment: float | None
    negative_emotion_share: float | None
    repeat_rate: float | None
    messages_per_conversation: float | None
    resolution_rate: float | None
    customers: int
    customers_positive_after: int
    customers_negative_after: int
    sample_interaction_ids: tuple[str, ...]


@dataclass(frozen=True)
class Cell:
    reason_id: str
    name: str
    volume: int
    previous_volume: int
    trend: float | None
    customer_value: float | None
    company_value: float | None
    company_value_source: str  # configured | derived | none
    quadrant: str | None
    action: str | None
    evidence: Evidence


@dataclass(frozen=True)
class Grid:
    period_from: datetime
    period_to: datetime
    thresholds: Thresholds
    cells: tuple[Cell, ...]
    unknown_volume: int = 0
    quadrant_help: dict[str, str] = field(default_factory=dict)


def quadrant(customer_value: float, company_value: float, thresholds: Thresholds) -> str:
    """The seed's quadrant for a reason's two values (see the module docstring)."""
    customer_high = customer_value > thresholds.customer
    company_high = company_value > thresholds.company
    if customer_high:
        return LEVERAGE if company_high else AUTOMATE
    return SIMPLIFY if company_high else ELIMINATE


def trend(volume: int, previous_volume: int) -> float | None:
    """Relative change against the previous period of equal length; None without a baseline."""
    return None if previous_volume == 0 else (volume - previous_volume) / previous_volume


def _share(flags: Sequence[bool]) -> float | None:
    return sum(flags) / len(flags) if flags else None


def _repeats(contacts: Sequence[Contact], later: Sequence[Contact], days: int) -> list[bool]:
    """For each contact: did the same customer contact again on the same reason within days?"""
    window = timedelta(days=days)
    by_customer: dict[str, list[datetime]] = defaultdict(list)
    for c in later:
        by_customer[c.customer_id].append(c.occurred_at)
    return [
        any(c.occurred_at < t <= c.occurred_at + window for t in by_customer[c.customer_id])
        for c in contacts
    ]


def _effort(
    contacts: Sequence[Contact], conversations: dict[str, ConversationFacts]
) -> float | None:
    counts = []
    seen: set[str] = set()
    for c in contacts:
        if c.conversation_id is None or c.conversation_id not in conversations:
            counts.append(1)
        elif c.conversation_id not in seen:
            seen.add(c.conversation_id)
            counts.append(max(1, conversations[c.conversation_id].customer_messages))
    return fmean(counts) if counts else None


def _resolved(
    contacts: Sequence[Contact], repeats: list[bool], conversations: dict[str, ConversationFacts]
) -> list[bool]:
    out = []
    for c, repeated in zip(contacts, repeats, strict=True):
        facts = conversations.get(c.conversation_id) if c.conversation_id else None
        out.append(not repeated and (facts is None or facts.closed))
    return out


def _emotion_balance(contacts: Sequence[Contact]) -> tuple[float | None, float | None]:
    labelled = [c.emotion for c in contacts if c.emotion is not None]
    if not labelled:
        return None, None
    negative = sum(e in NEGATIVE_EMOTIONS for e in labelled) / len(labelled)
    positive = sum(e in POSITIVE_EMOTIONS for e in labelled) / len(labelled)
    return positive - negative, negative


def customer_components(
    contacts: Sequence[Contact],
    later: Sequence[Contact],
    conversations: dict[str, ConversationFacts],
    thresholds: Thresholds,
) -> tuple[dict[str, float], dict[str, float | None]]:
    """The value-to-customer components (feeling in −1 … 1, friction penalties in −1 … 0) and
    the raw numbers behind them."""
    sentiments = [c.sentiment for c in contacts if c.sentiment is not None]
    emotion, negative = _emotion_balance(contacts)
    repeats = _repeats(contacts, later, thresholds.repeat_days)
    effort = _effort(contacts, conversations)
    resolution = _share(_resolved(contacts, repeats, conversations))
    repeat_rate = _share(repeats)
    raw: dict[str, float | None] = {
        "mean_sentiment": fmean(sentiments) if sentiments else None,
        "negative_emotion_share": negative,
        "repeat_rate": repeat_rate,
        "messages_per_conversation": effort,
        "resolution_rate": resolution,
    }
    components: dict[str, float | None] = {
        "sentiment": raw["mean_sentiment"],
        "emotion": emotion,
        "repeat": None if repeat_rate is None else -repeat_rate,
        "effort": None if effort is None else _effort_penalty(effort, thresholds.effort_high),
        "resolution": None if resolution is None else resolution - 1,
    }
    return {k: round(v, 4) for k, v in components.items() if v is not None}, raw


FEELING = ("sentiment", "emotion")
FRICTION = ("repeat", "effort", "resolution")


def customer_value(components: dict[str, float]) -> float | None:
    """Feeling (mean of sentiment and emotion) plus friction (mean of the penalties), −1 … 1."""
    if not components:
        return None
    feeling = [components[k] for k in FEELING if k in components]
    friction = [components[k] for k in FRICTION if k in components]
    total = (fmean(feeling) if feeling else 0.0) + (fmean(friction) if friction else 0.0)
    return round(max(-1.0, min(1.0, total)), 4)


def _effort_penalty(messages: float, high: float) -> float:
    if high <= 1:
        return 0.0 if messages <= 1 else -1.0
    return -max(0.0, min(1.0, (messages - 1) / (high - 1)))


def company_outcomes(
    contacts: Sequence[Contact], outcomes: Sequence[Outcome], days: int
) -> tuple[float | None, int, int, int]:
    """(derived value, customers, net positive, net negative) from outcomes after each
    customer's first contact on the reason."""
    first: dict[str, datetime] = {}
    for c in contacts:
        if c.customer_id not in first or c.occurred_at < first[c.customer_id]:
            first[c.customer_id] = c.occurred_at
    if not first:
        return None, 0, 0, 0
    window = timedelta(days=days)
    net: dict[str, int] = defaultdict(int)
    for o in outcomes:
        start = first.get(o.customer_id)
        if start is not None and start < o.occurred_at <= start + window:
            net[o.customer_id] += o.value
    positive = sum(1 for v in net.values() if v > 0)
    negative = sum(1 for v in net.values() if v < 0)
    return (positive - negative) / len(first), len(first), positive, negative


def _samples(contacts: Sequence[Contact]) -> tuple[str, ...]:
    """The most negative messages first (the irritant in their own words), then the latest."""
    ordered = sorted(contacts, key=lambda c: (c.sentiment or 0.0, -c.occurred_at.timestamp()))
    return tuple(c.interaction_id for c in ordered[:SAMPLES])


def _company(
    reason: Reason, contacts: Sequence[Contact], outcomes: Sequence[Outcome], days: int
) -> tuple[float | None, str, tuple[int, int, int]]:
    derived, customers, positive, negative = company_outcomes(contacts, outcomes, days)
    counts = (customers, positive, negative)
    if reason.company_value is not None:
        return reason.company_value, "configured", counts
    return (None, "none", counts) if derived is None else (round(derived, 4), "derived", counts)


def cell(
    reason: Reason,
    *,
    contacts: Sequence[Contact],
    previous: Sequence[Contact],
    later: Sequence[Contact],
    conversations: dict[str, ConversationFacts],
    outcomes: Sequence[Outcome],
    thresholds: Thresholds,
) -> Cell:
    """One reason's place; ``later``: contacts to ``repeat_days`` after the period."""
    components, raw = customer_components(contacts, later, conversations, thresholds)
    customer = customer_value(components)
    company, source, (customers, positive, negative) = _company(
        reason, contacts, outcomes, thresholds.outcome_days
    )
    place = None if customer is None or company is None else quadrant(customer, company, thresholds)
    volume = len(contacts)
    action = place and ACTIONS[place].format(name=reason.name, volume=volume, customer=customer)
    evidence = Evidence(
        customer_components=components,
        **{name: _rounded(value) for name, value in raw.items()},
        customers=customers,
        customers_positive_after=positive,
        customers_negative_after=negative,
        sample_interaction_ids=_samples(contacts),
    )
    return Cell(
        reason_id=reason.reason_id,
        name=reason.name,
        volume=volume,
        previous_volume=len(previous),
        trend=_rounded(trend(volume, len(previous))),
        customer_value=customer,
        company_value=company,
        company_value_source=source,
        quadrant=place,
        action=action,
        evidence=evidence,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


QUADRANT_HELP = {
    ELIMINATE: "irritant to the customer and no value to the company: remove the cause",
    SIMPLIFY: "irritant to the customer, valuable to the company: make it easy",
    AUTOMATE: "valuable to the customer, a cost to the company: self-service",
    LEVERAGE: "valuable to both: invest in the conversation",
}


def compute(
    reasons: Sequence[Reason],
    contacts: Sequence[Contact],
    *,
    period_from: datetime,
    period_to: datetime,
    conversations: dict[str, ConversationFacts],
    outcomes: Sequence[Outcome],
    thresholds: Thresholds | None = None,
    unknown_volume: int = 0,
) -> Grid:
    """The grid over [period_from, period_to); ``contacts`` may span the previous period of
    equal length and ``repeat_days`` after the period (others are ignored). Reasons are
    ordered by volume, largest first."""
    if period_to <= period_from:
        raise ValueError("the period must end after it starts")
    thresholds = thresholds or Thresholds()
    length = period_to - period_from
    after = period_to + timedelta(days=thresholds.repeat_days)
    by_reason: dict[str, list[Contact]] = defaultdict(list)
    for c in contacts:
        by_reason[c.reason_id].append(c)
    cells = [
        cell(
            reason,
            contacts=[c for c in mine if period_from <= c.occurred_at < period_to],
            previous=[c for c in mine if period_from - length <= c.occurred_at < period_from],
            later=[c for c in mine if period_from <= c.occurred_at < after],
            conversations=conversations,
            outcomes=outcomes,
            thresholds=thresholds,
        )
        for reason in reasons
        for mine in [by_reason.get(reason.reason_id, [])]
    ]
    cells.sort(key=lambda c: (-c.volume, c.name))
    return Grid(
        period_from, period_to, thresholds, tuple(cells), unknown_volume, dict(QUADRANT_HELP)
    )
