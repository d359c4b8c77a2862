"""The pure service-quality metrics: each rule on plain rows, and the aggregations."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from goodwill.quality import coaching, metrics
from goodwill.quality import definitions as d
from goodwill.quality.definitions import Parameters
from goodwill.quality.metrics import (
    Contribution,
    ConversationRow,
    MessageRow,
    Period,
    PromiseRow,
    ReviewRow,
)

T0 = datetime(2026, 3, 2, 9, tzinfo=UTC)
LATER = Period(as_of=T0 + timedelta(days=60))
ANA, BOB = uuid.uuid4(), uuid.uuid4()
CUSTOMER = uuid.uuid4()
CONVERSATION = ConversationRow(uuid.uuid4(), CUSTOMER)


def msg(direction: str, hours: float, author: uuid.UUID | None = None, **kw: object) -> MessageRow:
    return MessageRow(
        uuid.uuid4(),
        CONVERSATION.id,
        CUSTOMER,
        direction,
        T0 + timedelta(hours=hours),
        author,
        **kw,  # type: ignore[arg-type]
    )


def by_metric(found: list[Contribution]) -> dict[str, Contribution]:
    return {c.metric: c for c in found}


def test_the_handler_sent_most_replies_and_a_tie_goes_to_the_last() -> None:
    thread = [msg("inbound", 0), msg("outbound", 1, ANA), msg("outbound", 2, BOB)]
    assert metrics.handler(thread) == BOB
    assert metrics.handler([*thread, msg("outbound", 3, ANA)]) == ANA
    assert metrics.handler([msg("inbound", 0)]) is None


def test_speed_is_measured_from_the_first_customer_message_in_hours() -> None:
    thread = [
        msg("outbound", -5, ANA),
        msg("inbound", 0),
        msg("outbound", 1.5, ANA),
        msg("inbound", 2),
        msg("outbound", 4, ANA),
    ]
    found = by_metric(metrics.speed(CONVERSATION, thread))
    assert found[d.FIRST_RESPONSE_TIME].value == 1.5
    assert found[d.HANDLING_TIME].value == 4.0
    assert metrics.speed(CONVERSATION, [msg("inbound", 0)]) == []


def test_resolution_is_pending_until_the_window_passes_unless_a_repeat_came() -> None:
    thread = [msg("inbound", 0), msg("outbound", 1, ANA)]
    soon = Period(as_of=T0 + timedelta(days=2))
    (pending,) = metrics.resolution(CONVERSATION, thread, [], soon)
    assert (pending.numerator, pending.denominator, pending.detail["pending"]) == (0, 0, 1)
    repeat = msg("inbound", 30)
    (failed,) = metrics.resolution(CONVERSATION, thread, [repeat], soon)
    assert (failed.numerator, failed.denominator) == (0, 1)
    assert failed.detail["repeat_interaction_id"] == str(repeat.id)


def test_resolution_by_reason_ignores_other_reasons_and_a_message_before_the_answer() -> None:
    card, fees = uuid.uuid4(), uuid.uuid4()
    thread = [msg("inbound", 0, reason_id=card), msg("outbound", 1, ANA)]
    others = [msg("inbound", 0.5, reason_id=card), msg("inbound", 5, reason_id=fees)]
    (c,) = metrics.resolution(CONVERSATION, thread, others, LATER)
    assert (c.numerator, c.denominator, c.detail["by_reason"]) == (1, 1, 1)
    late = msg("inbound", 24 * 7 + 2, reason_id=card)  # just after the 7-day window
    assert metrics.resolution(CONVERSATION, thread, [late], LATER)[0].numerator == 1
    inside = msg("inbound", 24 * 7, reason_id=card)
    assert metrics.resolution(CONVERSATION, thread, [inside], LATER)[0].numerator == 0


def test_reopen_needs_an_answer_and_a_message_after_closing_or_a_quiet_gap() -> None:
    answered = [msg("inbound", 0), msg("outbound", 1, ANA)]
    assert metrics.reopen(CONVERSATION, [msg("inbound", 0)], LATER) == []
    quick = metrics.reopen(CONVERSATION, [*answered, msg("inbound", 47)], LATER)[0]
    assert quick.numerator == 0
    gap = metrics.reopen(CONVERSATION, [*answered, msg("inbound", 1 + 72)], LATER)[0]
    assert gap.numerator == 1
    closed = ConversationRow(CONVERSATION.id, CUSTOMER, closed_at=T0 + timedelta(hours=2))
    after = metrics.reopen(closed, [*answered, msg("inbound", 3)], LATER)[0]
    assert after.numerator == 1
    unanswered = metrics.reopen(closed, [msg("inbound", 0), msg("inbound", 3)], LATER)[0]
    assert unanswered.numerator == 1  # closed without a reply, then written to again


def test_sentiment_recovery_only_for_conversations_that_started_negative() -> None:
    def scored(score: float, label: str, hours: float) -> MessageRow:
        return msg("inbound", hours, sentiment=score, sentiment_label=label)

    (c,) = metrics.sentiment_recovery(
        CONVERSATION,
        [scored(-0.8, "negative", 0), msg("outbound", 1, ANA), scored(0.6, "positive", 2)],
    )
    assert c.value == 1.4
    assert c.member_id == ANA
    assert (
        metrics.sentiment_recovery(
            CONVERSATION, [scored(0.2, "neutral", 0), scored(0.9, "positive", 1)]
        )
        == []
    )
    assert metrics.sentiment_recovery(CONVERSATION, [scored(-0.8, "negative", 0)]) == []


def test_strong_emotion_uses_the_coachs_thresholds() -> None:
    p = Parameters()
    assert metrics.strong(msg("inbound", 0, emotion="anger", intensity=0.5), p)
    assert not metrics.strong(msg("inbound", 0, emotion="anger", intensity=0.49), p)
    assert not metrics.strong(msg("inbound", 0, emotion="joy", intensity=0.99), p)
    assert metrics.strong(msg("inbound", 0, emotion="surprise", intensity=0.9, sentiment=-0.6), p)


def test_replies_count_irritants_per_author_and_empathy_for_the_first_reply_only() -> None:
    angry = msg("inbound", 0, emotion="anger", intensity=0.9)
    first, second, third = msg("outbound", 1, ANA), msg("outbound", 2, BOB), msg("outbound", 3, ANA)
    reviews = {
        first.id: ReviewRow(first.id, 50, 1, True),
        second.id: ReviewRow(second.id, 50, 3, False),
    }  # third is not reviewed
    thread = [angry, first, second, third]
    found = metrics.irritant_density(CONVERSATION, thread, reviews)
    found += metrics.empathy_when_strong(CONVERSATION, thread, reviews, LATER)
    density = {c.member_id: c for c in found if c.metric == d.IRRITANT_DENSITY}
    assert (density[ANA].numerator, density[ANA].denominator) == (1, 50)
    assert density[ANA].detail == {"replies": 2, "unreviewed_replies": 1}
    empathy = [c for c in found if c.metric == d.EMPATHY_WHEN_STRONG]
    assert [(c.member_id, c.numerator, c.denominator) for c in empathy] == [(ANA, 1, 1)]


def test_promises_kept_over_kept_late_and_broken_and_open_ones_left_out() -> None:
    rows = [PromiseRow(uuid.uuid4(), ANA, None, s) for s in ("kept", "kept_late", "broken", "open")]
    value = metrics.value_of(d.PROMISES_KEPT, metrics.promises(rows))
    assert (value.value, value.count) == (round(1 / 3, 4), 3)
    assert value.notes == {"kept": 1, "kept_late": 1, "broken": 1}


def test_aggregations_median_mean_and_scaled_ratio() -> None:
    def c(metric: str, **kw: object) -> Contribution:
        return Contribution(metric, None, ANA, **kw)  # type: ignore[arg-type]

    frt = metrics.value_of(
        d.FIRST_RESPONSE_TIME, [c(d.FIRST_RESPONSE_TIME, value=v) for v in (1, 2, 10)]
    )
    assert (frt.value, frt.count) == (2, 3)
    mean = metrics.value_of(
        d.SENTIMENT_RECOVERY, [c(d.SENTIMENT_RECOVERY, value=v) for v in (1, 2, 10)]
    )
    assert mean.value == pytest.approx(13 / 3, abs=1e-4)
    density = metrics.value_of(
        d.IRRITANT_DENSITY, [c(d.IRRITANT_DENSITY, numerator=3, denominator=150)]
    )
    assert density.value == 2.0  # per 100 words
    assert metrics.value_of(d.REOPEN_RATE, []).value is None
    grouped = metrics.aggregate(
        [c(d.REOPEN_RATE, numerator=1, denominator=2)], lambda x: x.member_id
    )
    assert set(grouped[ANA]) == set(d.NAMES)
    assert grouped[ANA][d.REOPEN_RATE].value == 0.5


def test_parameters_from_a_setting_take_numbers_only() -> None:
    p = Parameters.from_setting(
        {"repeat_window_days": 14, "quiet_days": True, "strong_emotion": "x"}
    )
    assert (p.repeat_window_days, p.quiet_days, p.strong_emotion) == (14, 3, 0.5)
    assert Parameters.from_setting(None) == Parameters()


def test_every_definition_names_its_parameters_and_speed_metrics_it_recalibrates() -> None:
    described = {x["name"]: x for x in d.described(Parameters(repeat_window_days=9))}
    assert set(described) == set(d.NAMES)
    assert described[d.RESOLUTION_EFFICACY]["parameters"] == {"repeat_window_days": 9}
    speed = {x.name for x in d.DEFINITIONS if x.kind == "speed"}
    assert speed == {d.FIRST_RESPONSE_TIME, d.HANDLING_TIME}
    for x in d.DEFINITIONS:
        assert x.kind == "speed" or (x.recalibrates and set(x.recalibrates) <= speed), x.name


def test_coaching_weeks_and_categories_with_latest_examples_first() -> None:
    blame = {
        "category": "blame_shifting",
        "kind": "irritant",
        "severity": "high",
        "start": 0,
        "end": 5,
    }
    warm = {"category": "empathy", "kind": "strength", "severity": "high", "start": 0, "end": 9}
    replies = [
        coaching.ReviewedReply(uuid.uuid4(), None, T0, 40, [blame, warm]),
        coaching.ReviewedReply(uuid.uuid4(), None, T0 + timedelta(days=7), 60, [blame, blame]),
    ]
    weeks = coaching.weeks(replies)
    assert [w["week"] for w in weeks] == ["2026-W10", "2026-W11"]
    assert weeks[0]["irritants"] == {"blame_shifting": 1}
    assert weeks[0]["strengths"] == {"empathy": 1}
    assert weeks[1]["irritant_density"] == round(100 * 2 / 60, 4)
    (category,) = coaching.categories(replies, examples=1)
    assert (category["count"], category["replies_with_it"], category["share_of_replies"]) == (
        3,
        2,
        1.0,
    )
    assert category["examples"][0]["interaction_id"] == replies[1].interaction_id
