"""The measures of the long-term customer policy check, as pure functions of what
:mod:`goodwill.relationships.policy` reads: no database here.

Each measure compares the long-term group with the new one and returns a :class:`Metric`: both
groups' values and sizes, the difference, a two-sided p-value (Mann–Whitney U for samples,
Fisher's exact test for shares), ``flagged`` when long-term customers are worse off by more than
the margin with p below ``alpha``, one sentence for a manager, and example interaction ids.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import numpy as np
from scipy.stats import fisher_exact, mannwhitneyu

if TYPE_CHECKING:
    from goodwill.relationships.policy import PolicyConfig


LONG, NEW = "long_term", "new"
EXAMPLES = 5
REPLY_WINDOW = timedelta(days=14)
POSITIVE_SIGNALS = frozenset({"ownership", "empathy", "apology"})
NEGATIVE_SIGNALS = frozenset({"blame", "hedging"})


@dataclass(frozen=True)
class Message:
    """A message or call of a customer in one of the groups, with its stored analyses."""

    id: uuid.UUID
    customer_id: uuid.UUID
    occurred_at: datetime
    inbound: bool
    politeness: float | None = None
    trust: frozenset[str] | None = None  # None: no trust_signals analysis stored


@dataclass(frozen=True)
class Turn:
    """A customer's turn, opened by ``inbound``, ended by the company's first ``reply``."""

    inbound: Message
    reply: Message | None

    @property
    def wait_hours(self) -> float | None:
        if self.reply is None:
            return None
        return (self.reply.occurred_at - self.inbound.occurred_at).total_seconds() / 3600.0


@dataclass(frozen=True)
class GroupValue:
    value: float | None
    size: int
    p90: float | None = None
    count: int | None = None  # waiting: turns still unanswered; offers: customers with one


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    statistic: str
    long_term: GroupValue
    new: GroupValue
    difference: float | None  # long-term minus new
    ratio: float | None  # long-term over new (waiting only)
    test: str
    p_value: float | None
    margin: float
    flagged: bool
    explanation: str
    examples: list[uuid.UUID]


def customer_turns(
    messages: Sequence[Message], start: datetime, end: datetime, window: timedelta = REPLY_WINDOW
) -> list[Turn]:
    """The turns opened in [start, end): a customer's first inbound message after the company's
    last outbound one, with the first outbound that follows within ``window`` (``None`` if none:
    a message weeks later is no reply). ``messages`` are ordered by customer, then time."""
    turns: list[Turn] = []
    opened: Message | None = None
    customer: uuid.UUID | None = None
    for message in messages:
        if message.customer_id != customer:
            if opened is not None:
                turns.append(Turn(opened, None))
            customer, opened = message.customer_id, None
        if message.inbound and opened is None and start <= message.occurred_at < end:
            opened = message
        elif not message.inbound and opened is not None:
            answered = message.occurred_at - opened.occurred_at <= window
            turns.append(Turn(opened, message if answered else None))
            opened = None
    if opened is not None:
        turns.append(Turn(opened, None))
    return turns


def trust_balance(signals: frozenset[str]) -> float:
    """+1 with ownership, empathy or apology, -1 with blame or hedging (0 with both or none)."""
    return float(bool(signals & POSITIVE_SIGNALS)) - float(bool(signals & NEGATIVE_SIGNALS))


def rank_test(long: Sequence[float], new: Sequence[float], min_size: int) -> float | None:
    """Two-sided Mann–Whitney U p-value; ``None`` with too few values, 1 when all are equal."""
    if min(len(long), len(new)) < min_size:
        return None
    if len(set(long) | set(new)) == 1:
        return 1.0
    return float(mannwhitneyu(long, new, alternative="two-sided").pvalue)


def share_test(long: tuple[int, int], new: tuple[int, int], min_size: int) -> float | None:
    """Two-sided Fisher exact p-value of (with, of) in each group; ``None`` with too few."""
    if min(long[1], new[1]) < min_size:
        return None
    table = [[long[0], long[1] - long[0]], [new[0], new[1] - new[0]]]
    return float(fisher_exact(table).pvalue)


def duration(hours: float | None) -> str:
    if hours is None:
        return "n/a"
    if hours < 1:
        return f"{hours * 60:.0f} min"
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.1f} days"


def p_text(p: float) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


HEADLINES: dict[str, dict[str, str]] = {
    "waiting": {
        "worse": "Long-term customers wait {ratio} longer for a first reply than new ones",
        "same": "Long-term customers wait about as long for a first reply as new ones",
        "better": "Long-term customers get a first reply sooner than new ones",
    },
    "politeness": {
        "worse": "Replies to long-term customers are less polite than replies to new ones",
        "same": "Replies to long-term customers are about as polite as replies to new ones",
        "better": "Replies to long-term customers are more polite than replies to new ones",
    },
    "trust_signals": {
        "worse": "Replies to long-term customers show less ownership, empathy and apology "
        "(or more blame and hedging) than replies to new ones",
        "same": "Replies to long-term customers show about as much ownership, empathy and "
        "apology as replies to new ones",
        "better": "Replies to long-term customers show more ownership, empathy and apology "
        "than replies to new ones",
    },
    "offers": {
        "worse": "Fewer long-term customers received an offer than new ones",
        "same": "About as many long-term customers received an offer as new ones",
        "better": "More long-term customers received an offer than new ones",
    },
}
LABELS = {
    "waiting": ("Time to a first reply (hours)", "median"),
    "politeness": ("Politeness of first replies (-1 to 1)", "mean"),
    "trust_signals": ("Trust signals in first replies (-1 to 1)", "mean"),
    "offers": ("Customers sent an offer (share)", "share"),
}


@dataclass(frozen=True)
class Comparison:
    """What a measure found, before the verdict: values, how much worse off long-term customers
    are (``worse_by``, negative when better off), the p-value and the numbers to quote."""

    name: str
    long_term: GroupValue
    new: GroupValue
    worse_by: float | None
    p_value: float | None
    detail: str
    examples: list[uuid.UUID]
    test: str = "mann-whitney-u"
    ratio: float | None = None


def verdict(comparison: Comparison, config: PolicyConfig) -> Metric:
    """The metric of a comparison: flagged or not, and the sentence saying why."""
    c, margin = comparison, config.margins[comparison.name]
    found = "same"
    if c.worse_by is not None and abs(c.worse_by) > margin:
        found = "worse" if c.worse_by > 0 else "better"
    p, unsure = c.p_value, found != "same" and (c.p_value is None or c.p_value >= config.alpha)
    if p is None:
        sentence = f"Too few to compare ({c.detail}; {config.min_group_size} needed in each)."
    else:
        head = HEADLINES[c.name][found].format(ratio=_times(c.ratio))
        tail = ", but the difference is not statistically significant" if unsure else ""
        sentence = f"{head} ({c.detail}, {p_text(p)}){tail}."
    label, statistic = LABELS[c.name]
    return Metric(
        name=c.name, label=label, statistic=statistic, long_term=c.long_term, new=c.new,
        difference=_minus(c.long_term.value, c.new.value),
        ratio=None if c.ratio is None or math.isinf(c.ratio) else c.ratio,
        test=c.test, p_value=p, margin=margin,
        flagged=found == "worse" and not unsure, explanation=sentence, examples=c.examples,
    )  # fmt: skip


def _times(ratio: float | None) -> str:
    """The ratio as "2.3×", or "far" when new customers' median wait is zero."""
    if ratio is None or math.isinf(ratio):
        return "far"
    return f"{ratio:.1f}×"


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _median(values: Sequence[float]) -> float | None:
    return float(np.median(values)) if values else None


def waiting(turns: Sequence[Turn], groups: Mapping[uuid.UUID, str], min_size: int) -> Comparison:
    """Time to a first reply: medians, 90th percentiles, the ratio of medians, a rank test."""
    waits: dict[str, list[tuple[float, Turn]]] = {LONG: [], NEW: []}
    unanswered = {LONG: 0, NEW: 0}
    for turn in turns:
        group, hours = groups[turn.inbound.customer_id], turn.wait_hours
        if hours is None:
            unanswered[group] += 1
        else:
            waits[group].append((hours, turn))
    spans = {g: [h for h, _ in found] for g, found in waits.items()}
    value = {g: GroupValue(_median(h), len(h), _p90(h), unanswered[g]) for g, h in spans.items()}
    ratio = _ratio(value[LONG].value, value[NEW].value)
    slowest = sorted(waits[LONG], key=lambda item: -item[0])[:EXAMPLES]
    return Comparison(
        name="waiting",
        long_term=value[LONG],
        new=value[NEW],
        worse_by=None if ratio is None else ratio - 1.0,
        p_value=rank_test(spans[LONG], spans[NEW], min_size),
        detail=f"median {duration(value[LONG].value)} vs {duration(value[NEW].value)}, "
        f"{len(spans[LONG])} and {len(spans[NEW])} replies",
        examples=[turn.inbound.id for _, turn in slowest],
        ratio=ratio,
    )


def _p90(values: Sequence[float]) -> float | None:
    return float(np.percentile(values, 90)) if values else None


def _ratio(long: float | None, new: float | None) -> float | None:
    if long is None or new is None or (long == 0 and new == 0):
        return None if long is None or new is None else 1.0
    return long / new if new > 0 else math.inf


def reply_quality(
    name: str,
    turns: Sequence[Turn],
    groups: Mapping[uuid.UUID, str],
    score: Callable[[Message], float | None],
    min_size: int,
) -> Comparison:
    """Mean ``score`` of the first replies that have one, per group, and a rank test."""
    scored: dict[str, list[tuple[float, uuid.UUID]]] = {LONG: [], NEW: []}
    for turn in turns:
        value = score(turn.reply) if turn.reply is not None else None
        if turn.reply is not None and value is not None:
            scored[groups[turn.inbound.customer_id]].append((value, turn.reply.id))
    values = {g: [v for v, _ in found] for g, found in scored.items()}
    mean = {g: float(np.mean(v)) if v else None for g, v in values.items()}
    worst = sorted(scored[LONG], key=lambda item: item[0])[:EXAMPLES]
    return Comparison(
        name=name,
        long_term=GroupValue(mean[LONG], len(values[LONG])),
        new=GroupValue(mean[NEW], len(values[NEW])),
        worse_by=_minus(mean[NEW], mean[LONG]),
        p_value=rank_test(values[LONG], values[NEW], min_size),
        detail=f"mean {_number(mean[LONG])} vs {_number(mean[NEW])}, "
        f"{len(values[LONG])} and {len(values[NEW])} analysed replies",
        examples=[reply_id for _, reply_id in worst],
    )


def _number(value: float | None) -> str:
    return "n/a" if value is None else f"{value:+.2f}"


def offers(
    sent: Sequence[tuple[uuid.UUID, uuid.UUID, datetime]],
    groups: Mapping[uuid.UUID, str],
    min_size: int,
) -> Comparison:
    """Share of each group's customers sent an offer, Fisher's exact test; the examples are the
    latest offers new customers got (what long-term ones did not)."""
    size = {g: sum(1 for found in groups.values() if found == g) for g in (LONG, NEW)}
    got = {g: {c for _, c, _ in sent if groups.get(c) == g} for g in (LONG, NEW)}
    share = {g: len(got[g]) / size[g] if size[g] else None for g in (LONG, NEW)}
    value = {g: GroupValue(share[g], size[g], count=len(got[g])) for g in (LONG, NEW)}
    newest = sorted((s for s in sent if groups.get(s[1]) == NEW), key=lambda s: s[2])
    return Comparison(
        name="offers",
        long_term=value[LONG],
        new=value[NEW],
        worse_by=_minus(share[NEW], share[LONG]),
        p_value=share_test((len(got[LONG]), size[LONG]), (len(got[NEW]), size[NEW]), min_size),
        detail=f"{_percent(share[LONG])} vs {_percent(share[NEW])} of "
        f"{size[LONG]} and {size[NEW]} customers",
        examples=[interaction_id for interaction_id, _, _ in reversed(newest[-EXAMPLES:])],
        test="fisher-exact",
    )


def _percent(share: float | None) -> str:
    return "n/a" if share is None else f"{share:.0%}"
