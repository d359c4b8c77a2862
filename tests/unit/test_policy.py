"""The policy check's pure parts: customer turns, the tests and margins behind ``flagged``, the
manager's sentence, offer phrases and the settings (no database)."""

from __future__ import annotations

import math
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from goodwill.errors import InvalidInput
from goodwill.relationships import policy
from goodwill.relationships import policy_measures as measures
from goodwill.relationships.policy import PolicyConfig
from goodwill.relationships.policy_measures import LONG, NEW, Message, Turn

START = datetime(2026, 9, 1, tzinfo=UTC)
END = START + timedelta(days=90)
HOUR = timedelta(hours=1)
CONFIG = PolicyConfig()


def _message(customer: uuid.UUID, at: datetime, inbound: bool) -> Message:
    return Message(id=uuid.uuid4(), customer_id=customer, occurred_at=at, inbound=inbound)


def _turns(group: str, waits: list[float]) -> tuple[list[Turn], dict[uuid.UUID, str]]:
    turns, groups = [], {}
    for hours in waits:
        customer = uuid.uuid4()
        groups[customer] = group
        asked = _message(customer, START + 10 * HOUR, True)
        turns.append(Turn(asked, _message(customer, asked.occurred_at + hours * HOUR, False)))
    return turns, groups


def _waiting(long: list[float], new: list[float]) -> measures.Metric:
    long_turns, long_groups = _turns(LONG, long)
    new_turns, new_groups = _turns(NEW, new)
    comparison = measures.waiting(long_turns + new_turns, long_groups | new_groups, 5)
    return measures.verdict(comparison, CONFIG)


def test_a_turn_starts_at_the_first_unanswered_message_and_ends_at_the_first_reply() -> None:
    a, b = sorted([uuid.uuid4(), uuid.uuid4()])
    at = START + HOUR
    early = _message(a, START - HOUR, True)  # before the period: opens no turn
    first, again = _message(a, at, True), _message(a, at + HOUR, True)
    reply, more = _message(a, at + 5 * HOUR, False), _message(a, at + 6 * HOUR, False)
    late_question = _message(a, at + 7 * HOUR, True)
    silent = _message(b, at, True)
    slow = [_message(b, at + 2 * HOUR, False)]
    messages = [early, first, again, reply, more, late_question, silent, *slow]

    turns = measures.customer_turns(messages, START, END)

    assert [(t.inbound, t.reply) for t in turns] == [
        (first, reply),
        (late_question, None),
        (silent, slow[0]),
    ]
    assert turns[0].wait_hours == pytest.approx(5.0)


def test_a_reply_after_the_reply_window_is_no_reply() -> None:
    customer = uuid.uuid4()
    asked = _message(customer, START, True)
    weeks_later = _message(customer, START + measures.REPLY_WINDOW + HOUR, False)
    (turn,) = measures.customer_turns([asked, weeks_later], START, END)
    assert turn.reply is None


def test_long_term_customers_waiting_longer_are_flagged_with_a_managers_sentence() -> None:
    metric = _waiting([19, 20, 18, 25, 30, 19, 22], [8, 7, 9, 8, 6, 10, 8])

    assert metric.flagged
    assert metric.ratio == pytest.approx(20 / 8)
    assert metric.p_value is not None
    assert metric.p_value < 0.01
    assert metric.explanation == (
        "Long-term customers wait 2.5× longer for a first reply than new ones "
        f"(median 20 h vs 8 h, 7 and 7 replies, p = {metric.p_value:.3f})."
    )
    assert len(metric.examples) == 5


def test_equal_waits_small_differences_and_small_groups_are_not_flagged() -> None:
    same = _waiting([8, 8, 8, 8, 8], [8, 8, 8, 8, 8])
    within_margin = _waiting([9, 10, 11, 9, 10, 11] * 5, [8, 9, 10, 8, 9, 10] * 5)
    too_few = _waiting([40, 50, 60], [1, 2, 3])
    better = _waiting([2, 3, 2, 3, 2], [20, 30, 20, 30, 20])

    assert (same.flagged, same.p_value) == (False, 1.0)
    assert not within_margin.flagged
    assert within_margin.ratio == pytest.approx(10 / 9)
    assert "about as long" in within_margin.explanation
    assert (too_few.flagged, too_few.p_value) == (False, None)
    assert too_few.explanation.startswith("Too few to compare")
    assert not better.flagged
    assert "sooner" in better.explanation


def test_worse_but_not_significant_says_so() -> None:
    metric = _waiting([10, 40, 5, 30, 8, 50], [8, 9, 45, 7, 20, 10])
    assert metric.ratio is not None
    assert metric.ratio > 1.25
    assert not metric.flagged
    assert metric.explanation.endswith("but the difference is not statistically significant.")


def _fisher_two_sided(a: int, n: int, b: int, m: int) -> float:
    """Fisher's exact test by hand: the hypergeometric tables no likelier than the observed."""
    total = a + b

    def chance(k: int) -> float:
        return math.comb(n, k) * math.comb(m, total - k) / math.comb(n + m, total)

    observed = chance(a)
    tables = range(max(0, total - m), min(n, total) + 1)
    return sum(chance(k) for k in tables if chance(k) <= observed * (1 + 1e-7))


def test_offers_compare_shares_with_fishers_exact_test() -> None:
    long = {uuid.uuid4(): LONG for _ in range(20)}
    new = {uuid.uuid4(): NEW for _ in range(20)}
    sent = [(uuid.uuid4(), c, START + i * HOUR) for i, c in enumerate(list(new)[:12])]
    sent.append((uuid.uuid4(), next(iter(long)), START))

    metric = measures.verdict(measures.offers(sent, long | new, 5), CONFIG)

    assert (metric.long_term.value, metric.new.value) == (0.05, 0.6)
    assert (metric.long_term.count, metric.new.size) == (1, 20)
    assert metric.flagged
    assert metric.test == "fisher-exact"
    assert metric.p_value == pytest.approx(_fisher_two_sided(1, 20, 12, 20))
    assert metric.explanation.startswith("Fewer long-term customers received an offer")
    assert "5% vs 60% of 20 and 20 customers" in metric.explanation
    assert metric.examples[0] == sent[11][0]  # the latest offer first


def test_trust_balance_weighs_ownership_against_blame() -> None:
    assert measures.trust_balance(frozenset({"ownership", "apology"})) == 1.0
    assert measures.trust_balance(frozenset({"hedging"})) == -1.0
    assert measures.trust_balance(frozenset({"empathy", "blame"})) == 0.0
    assert measures.trust_balance(frozenset()) == 0.0


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Enjoy 20% off your next statement", True),
        ("As a thank-you, a free month of Premium", True),
        ("We have a special offer for you", True),
        ("This is not something we offer at the moment.", False),
        ("Discounted? No, the discountless plan", False),
        ("Your DISCOUNT is applied", True),
    ],
)
def test_offer_phrases_match_whole_words(text: str, found: bool) -> None:
    pattern = policy.offer_pattern(CONFIG.offer_phrases)
    assert (pattern.search(text.lower()) is not None) is found


def test_settings_choose_the_groups_and_margins_and_bad_ones_are_refused() -> None:
    config = PolicyConfig.of(
        {"policy_check": {"new_phases": ["early_days", "established"], "margins": {"offers": 0}}}
    )
    assert config.group_of("established") == NEW
    assert config.group_of("long_term") == LONG
    assert config.group_of("first_disagreement") is None
    assert config.margins["offers"] == 0.0
    assert config.margins["waiting"] == 0.25
    for bad in (
        {"new_phases": ["long_term"]},
        {"margins": {"speed": 1}},
        {"alpha": 2},
        {"min_group_size": 1},
        {"offer_phrases": "discount"},
        {"margins": [0.1]},
        {"group_by": "age"},
        {"long_term_days": -5},
    ):
        with pytest.raises(InvalidInput, match="policy_check"):
            PolicyConfig.of({"policy_check": bad})


def test_the_default_period_is_the_last_90_days_and_an_empty_one_is_refused() -> None:
    assert policy.period(None, END) == (END - timedelta(days=90), END)
    assert policy.period(None, None, now=END) == (END - timedelta(days=90), END)
    with pytest.raises(InvalidInput, match="must be before"):
        policy.period(END, START)


def test_new_customers_answered_at_once_make_long_term_waits_far_longer() -> None:
    metric = _waiting([5, 6, 7, 8, 9], [0, 0, 0, 0, 0])
    assert metric.flagged
    assert metric.ratio is None  # infinite: not a JSON number
    assert metric.explanation.startswith("Long-term customers wait far longer")
