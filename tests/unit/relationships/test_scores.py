"""The pure trust, connection and health scores: priors, bounds and the direction they move."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from goodwill.relationships import pillars, scores
from goodwill.relationships.scores_signals import Message, Promise

T0 = datetime(2026, 6, 1, tzinfo=UTC)
CONTEXT = pillars.Context(as_of=T0 + timedelta(days=30))
WEIGHTS = scores.DEFAULT_WEIGHTS


def test_one_kept_promise_is_good_but_not_perfect() -> None:
    one = scores.reliability(kept=1, kept_late=0, broken=0)
    assert 50 < one < 100
    assert one == pytest.approx(60.0)  # Beta(2, 2): (2 + 1) / (4 + 1)


def test_nothing_known_is_neutral() -> None:
    assert scores.reliability(kept=0, kept_late=0, broken=0) == 50
    assert scores.accountability(owned=0, followed_through=0, complaints=0) == 50
    assert scores.dependability(good_months=0, months=0) == 50
    assert scores.tensility(setbacks=0, recovered=0) == 50
    assert scores.sentiment_trend(None, 0.3) == 50


@pytest.mark.parametrize("kept", range(0, 30, 3))
def test_more_kept_promises_raise_reliability(kept: int) -> None:
    before = scores.reliability(kept=kept, kept_late=1, broken=2)
    after = scores.reliability(kept=kept + 1, kept_late=1, broken=2)
    assert 0 <= before < after <= 100


def test_late_is_between_kept_and_broken() -> None:
    kept = scores.reliability(kept=3, kept_late=0, broken=0)
    late = scores.reliability(kept=0, kept_late=3, broken=0)
    broken = scores.reliability(kept=0, kept_late=0, broken=3)
    assert broken < late < kept


def test_many_broken_promises_approach_zero_but_stay_in_bounds() -> None:
    assert 0 <= scores.reliability(kept=0, kept_late=0, broken=1000) < 1


def test_steady_replies_are_more_predictable_than_erratic_ones() -> None:
    steady = scores.predictability(delays=[2.0, 2.5, 2.0, 1.5], on_time=0, late=0)
    erratic = scores.predictability(delays=[0.1, 30.0, 1.0, 90.0], on_time=0, late=0)
    assert erratic < steady <= 100
    assert scores.consistency([4.0, 4.0, 4.0]) == 100
    assert scores.consistency([4.0]) is None


def test_late_delivery_lowers_predictability() -> None:
    delays = [3.0, 4.0]
    on_time = scores.predictability(delays=delays, on_time=4, late=0)
    late = scores.predictability(delays=delays, on_time=0, late=4)
    assert late < on_time


def test_owning_complaints_raises_accountability() -> None:
    owned = scores.accountability(owned=3, followed_through=3, complaints=3)
    ignored = scores.accountability(owned=0, followed_through=0, complaints=3)
    half = scores.accountability(owned=3, followed_through=0, complaints=3)
    assert ignored < half < owned


def test_dependability_rises_with_good_months() -> None:
    values = [scores.dependability(good_months=g, months=12) for g in range(13)]
    assert values == sorted(values)
    assert values[0] > 0
    assert values[-1] < 100


def test_carrying_capacity_counts_distinct_emotions_and_ending_halves_it() -> None:
    assert scores.carrying_capacity(["neutral", "neutral"], ended=False) == 0
    two = scores.carrying_capacity(["joy", "anger", "joy"], ended=False)
    assert two == pytest.approx(100 * 2 / 6)
    assert scores.carrying_capacity(["joy", "anger"], ended=True) == pytest.approx(two / 2)


def test_tensility_and_connectivity_move_the_right_way() -> None:
    assert scores.tensility(setbacks=4, recovered=1) < scores.tensility(setbacks=4, recovered=4)
    assert scores.connectivity(0) == 0
    assert scores.connectivity(1) < scores.connectivity(5) < 100


def test_sentiment_trend_and_burden_are_bounded() -> None:
    assert scores.sentiment_trend(-1.0, 1.0) == 0
    assert scores.sentiment_trend(1.0, -1.0) == 100
    assert scores.sentiment_trend(0.2, -0.2) > 50
    assert scores.burden(0) == 100
    assert scores.burden(2) == 50
    assert scores.burden(10) == 0


def test_health_is_the_weighted_mean_and_its_breakdown_adds_up() -> None:
    components = {"reliability": 80.0, "open_complaints": 20.0}
    score, breakdown = scores.health(components, {"reliability": 3, "open_complaints": 1})
    assert score == pytest.approx(65.0)
    assert sum(part["contribution"] for part in breakdown) == pytest.approx(score)
    assert {part["name"]: part["weight"] for part in breakdown} == {
        "reliability": 3,
        "open_complaints": 1,
    }


def test_health_without_weights_is_neutral() -> None:
    assert scores.health({"reliability": 90.0}, {"reliability": 0.0})[0] == 50


def test_organisation_weights_override_the_defaults_and_bad_ones_are_ignored() -> None:
    weights = scores.weights_of({"reliability": 5, "unknown": 1, "dependability": -1})
    assert weights["reliability"] == 5
    assert "unknown" not in weights
    assert weights["dependability"] == scores.DEFAULT_WEIGHTS["dependability"]
    assert scores.weights_of(None) == scores.DEFAULT_WEIGHTS


def _msg(
    hours: float,
    inbound: bool,
    *,
    intents: frozenset[str] = frozenset(),
    trust: frozenset[str] = frozenset(),
) -> Message:
    return Message(
        id=uuid.uuid4(),
        occurred_at=T0 + timedelta(hours=hours),
        inbound=inbound,
        sentiment=None,
        negative=False,
        emotion=None,
        intents=intents,
        trust=trust,
    )


def test_reply_delay_runs_from_the_first_unanswered_customer_message() -> None:
    history = [_msg(0, True), _msg(1, True), _msg(5, False), _msg(6, False), _msg(10, True)]
    assert [hours for hours, _ in pillars.reply_delays(history)] == [5.0]


def test_a_reply_that_blames_the_customer_is_not_ownership() -> None:
    complaint = _msg(0, True, intents=frozenset({"complaint"}))
    owning = pillars.compute(
        [complaint, _msg(1, False, trust=frozenset({"apology"}))], [], CONTEXT, WEIGHTS
    )
    blaming = pillars.compute(
        [complaint, _msg(1, False, trust=frozenset({"apology", "blame"}))], [], CONTEXT, WEIGHTS
    )
    assert (
        blaming["pillars"]["accountability"]["score"] < owning["pillars"]["accountability"]["score"]
    )


def test_only_past_due_open_or_recently_broken_promises_are_overdue() -> None:
    def promise(status: str, due_days: float) -> Promise:
        due = T0 + timedelta(days=due_days)
        return Promise(uuid.uuid4(), status, T0 - timedelta(days=200), due, None, None, None)

    found = [promise("open", -1), promise("broken", -10), promise("broken", -100)]
    found += [promise("open", 2), promise("kept", -5)]
    assert pillars.overdue(found, T0) == 2


def test_a_setback_lasts_only_when_every_later_customer_message_is_negative() -> None:
    def said(hours: float, negative: bool) -> Message:
        return _msg(hours, True)._replace(negative=negative)

    history = [said(0, True), said(1, False), said(2, True), _msg(3, False), said(4, True)]
    found = pillars.compute(history, [], CONTEXT, WEIGHTS)["connection"]["tensility"]
    setbacks = found["evidence"][0]["value"]
    lasting = [e["interaction_id"] for e in found["evidence"][1:]]
    assert setbacks == {"setbacks": 3, "recovered": 1}
    assert lasting == [str(history[2].id), str(history[4].id)]
