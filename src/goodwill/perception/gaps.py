"""The perception gap between a customer's answers and the owner's estimate of them: pure
functions on hand-made values, no database (tests/unit/test_perception_gaps.py).

Per question the gap is *customer minus owner* (−4 … +4 on the 1–5 scale). Whether a gap is bad
depends on the question: for value received, trust and ease the customer scoring lower than the
owner thought is bad; for value given (money, time, effort) the customer scoring *higher* is bad.
The *shortfall* turns each gap so that positive always means "the customer sees it worse than
the owner thinks". A *blind spot* is a relationship with a shortfall of at least ``threshold``
points on some question: the owner thinks it is fine, the customer does not.

Two answers are compared only when both were given in the ``window_days`` before ``as_of``: an
old estimate says little about how the customer sees things now.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from statistics import fmean

from goodwill.errors import InvalidInput
from goodwill.perception.questions import QUESTIONS, SCALE

DEFAULT_WINDOW_DAYS = 90
DEFAULT_THRESHOLD = 2
MAX_GAP = SCALE[1] - SCALE[0]


@dataclass(frozen=True)
class SideAnswers:
    """One side's answers (question key → 1–5) and when they were given."""

    scores: Mapping[str, int]
    answered_at: datetime


@dataclass(frozen=True)
class Gap:
    by_question: dict[str, int]  # customer − owner
    shortfall: dict[str, int]  # > 0: the customer sees it worse than the owner thinks
    largest_shortfall: int
    total_shortfall: int  # the positive shortfalls added up
    blind_spot: bool
    customer_balance: int  # value received − value given, as the customer answered
    owner_balance: int  # the same, as the owner thinks the customer sees it
    older_side: str | None  # "customer", "owner", or None when answered at the same time
    days_apart: float


def not_comparable(
    customer: SideAnswers | None,
    owner: SideAnswers | None,
    *,
    as_of: datetime,
    window_days: int,
) -> str | None:
    """Why the two sides cannot be compared (None: they can)."""
    if customer is None and owner is None:
        return "neither side has answered"
    if customer is None:
        return "the customer has not answered"
    if owner is None:
        return "the owner has not given an estimate"
    since = as_of - timedelta(days=window_days)
    for side, answers in (("customer", customer), ("owner", owner)):
        if not since <= answers.answered_at <= as_of:
            return f"the {side}'s answer is not from the last {window_days} days"
    return None


def balance(scores: Mapping[str, int]) -> int:
    """Value received minus value given (seed 000: each side should gain more than it gives)."""
    return scores["value_received"] - scores["value_given"]


def gap(customer: SideAnswers, owner: SideAnswers, *, threshold: int) -> Gap:
    """The gap between two comparable sides (see :func:`not_comparable`)."""
    if not 1 <= threshold <= MAX_GAP:
        raise InvalidInput(f"threshold: between 1 and {MAX_GAP}, not {threshold}")
    by_question = {q.key: customer.scores[q.key] - owner.scores[q.key] for q in QUESTIONS}
    shortfall = {
        q.key: -by_question[q.key] if q.higher_is_better else by_question[q.key] for q in QUESTIONS
    }
    largest = max(shortfall.values())
    apart = (customer.answered_at - owner.answered_at).total_seconds()
    older = "owner" if apart > 0 else "customer" if apart < 0 else None
    return Gap(
        by_question=by_question,
        shortfall=shortfall,
        largest_shortfall=largest,
        total_shortfall=sum(v for v in shortfall.values() if v > 0),
        blind_spot=largest >= threshold,
        customer_balance=balance(customer.scores),
        owner_balance=balance(owner.scores),
        older_side=older,
        days_apart=round(abs(apart) / 86400, 2),
    )


def rank(gap_: Gap) -> tuple[int, int]:
    """Largest gaps first: the biggest shortfall, then the most shortfall in all."""
    return (gap_.largest_shortfall, gap_.total_shortfall)


@dataclass(frozen=True)
class QuestionSummary:
    key: str
    mean_gap: float | None
    distribution: dict[int, int]  # gap (−4 … +4) → how many relationships


@dataclass(frozen=True)
class Summary:
    relationships: int
    blind_spots: int
    questions: list[QuestionSummary]


def summarise(gaps: Sequence[Gap]) -> Summary:
    """Across a book of compared relationships: per question the mean gap and how the gaps are
    spread, and how many are blind spots."""
    questions = []
    for q in QUESTIONS:
        values = [g.by_question[q.key] for g in gaps]
        spread = dict.fromkeys(range(-MAX_GAP, MAX_GAP + 1), 0)
        for v in values:
            spread[v] += 1
        mean = round(fmean(values), 3) if values else None
        questions.append(QuestionSummary(q.key, mean, spread))
    return Summary(len(gaps), sum(g.blind_spot for g in gaps), questions)
