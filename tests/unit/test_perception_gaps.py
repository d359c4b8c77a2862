"""The perception gap on hand-built answers: per question customer minus owner, the direction of
value given, blind spots, the window, a missing side, the book's means and spread; and the form
nonce of the customer's page."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from goodwill.errors import InvalidInput
from goodwill.perception import gaps, links
from goodwill.perception.gaps import SideAnswers

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def side(days_ago: float, received: int, given: int, trust: int, ease: int) -> SideAnswers:
    scores = {"value_received": received, "value_given": given, "trust": trust, "ease": ease}
    return SideAnswers(scores, NOW - timedelta(days=days_ago))


def test_gap_is_customer_minus_owner_per_question() -> None:
    found = gaps.gap(side(3, 2, 4, 3, 5), side(10, 4, 2, 3, 4), threshold=2)
    assert found.by_question == {"value_received": -2, "value_given": 2, "trust": 0, "ease": 1}


def test_a_customer_who_feels_they_give_more_is_a_shortfall_like_getting_less() -> None:
    found = gaps.gap(side(0, 4, 5, 4, 4), side(0, 4, 2, 4, 4), threshold=2)
    assert found.by_question["value_given"] == 3
    assert found.shortfall == {"value_received": 0, "value_given": 3, "trust": 0, "ease": 0}
    assert found.blind_spot
    assert (found.customer_balance, found.owner_balance) == (-1, 2)


def test_an_owner_more_pessimistic_than_the_customer_is_no_blind_spot() -> None:
    found = gaps.gap(side(0, 5, 1, 5, 5), side(0, 2, 4, 2, 2), threshold=2)
    assert found.largest_shortfall == -3
    assert found.total_shortfall == 0
    assert not found.blind_spot


def test_blind_spot_starts_at_the_threshold() -> None:
    customer, owner = side(0, 3, 2, 4, 4), side(0, 5, 2, 4, 4)
    assert gaps.gap(customer, owner, threshold=2).blind_spot
    assert not gaps.gap(customer, owner, threshold=3).blind_spot
    with pytest.raises(InvalidInput, match="threshold"):
        gaps.gap(customer, owner, threshold=5)


def test_which_side_is_older_and_by_how_much() -> None:
    found = gaps.gap(side(2, 3, 3, 3, 3), side(12.5, 3, 3, 3, 3), threshold=2)
    assert (found.older_side, found.days_apart) == ("owner", 10.5)
    found = gaps.gap(side(20, 3, 3, 3, 3), side(5, 3, 3, 3, 3), threshold=2)
    assert (found.older_side, found.days_apart) == ("customer", 15.0)
    assert gaps.gap(side(1, 3, 3, 3, 3), side(1, 3, 3, 3, 3), threshold=2).older_side is None


def test_only_answers_from_the_window_are_compared() -> None:
    recent, old = side(10, 3, 3, 3, 3), side(100, 3, 3, 3, 3)
    assert gaps.not_comparable(recent, recent, as_of=NOW, window_days=90) is None
    reason = gaps.not_comparable(recent, old, as_of=NOW, window_days=90)
    assert reason == "the owner's answer is not from the last 90 days"
    assert gaps.not_comparable(old, recent, as_of=NOW, window_days=90) == (
        "the customer's answer is not from the last 90 days"
    )
    assert gaps.not_comparable(recent, old, as_of=NOW, window_days=120) is None
    later = SideAnswers(recent.scores, NOW + timedelta(days=1))
    assert gaps.not_comparable(later, recent, as_of=NOW, window_days=90) is not None


def test_a_missing_side_is_named() -> None:
    one = side(1, 3, 3, 3, 3)
    assert gaps.not_comparable(None, one, as_of=NOW, window_days=90) == (
        "the customer has not answered"
    )
    assert gaps.not_comparable(one, None, as_of=NOW, window_days=90) == (
        "the owner has not given an estimate"
    )
    assert gaps.not_comparable(None, None, as_of=NOW, window_days=90) == (
        "neither side has answered"
    )


def test_book_summary_means_and_spread_per_question() -> None:
    book = [
        gaps.gap(side(0, 2, 3, 1, 4), side(0, 4, 3, 4, 4), threshold=2),  # -2, 0, -3, 0
        gaps.gap(side(0, 4, 3, 4, 4), side(0, 4, 2, 4, 3), threshold=2),  # 0, +1, 0, +1
        gaps.gap(side(0, 5, 1, 5, 5), side(0, 4, 1, 4, 4), threshold=2),  # +1, 0, +1, +1
    ]
    summary = gaps.summarise(book)
    assert (summary.relationships, summary.blind_spots) == (3, 1)
    means = {q.key: q.mean_gap for q in summary.questions}
    assert means == {"value_received": -0.333, "value_given": 0.333, "trust": -0.667, "ease": 0.667}
    trust = next(q for q in summary.questions if q.key == "trust")
    assert trust.distribution == {-4: 0, -3: 1, -2: 0, -1: 0, 0: 1, 1: 1, 2: 0, 3: 0, 4: 0}
    assert sum(trust.distribution.values()) == 3


def test_an_empty_book_has_no_means() -> None:
    summary = gaps.summarise([])
    assert summary.relationships == 0
    assert all(q.mean_gap is None and sum(q.distribution.values()) == 0 for q in summary.questions)


def test_largest_shortfall_ranks_first() -> None:
    mild = gaps.gap(side(0, 3, 3, 3, 3), side(0, 4, 3, 3, 3), threshold=2)
    wide = gaps.gap(side(0, 3, 3, 3, 3), side(0, 3, 3, 5, 3), threshold=2)
    wider = gaps.gap(side(0, 3, 3, 3, 3), side(0, 4, 3, 5, 3), threshold=2)
    assert sorted([mild, wide, wider], key=gaps.rank, reverse=True) == [wider, wide, mild]


SECRET = b"unit-test-secret"


def test_form_nonce_is_bound_to_its_link_and_fresh() -> None:
    request_id = uuid.uuid4()
    nonce = links.form_nonce(SECRET, request_id, int(NOW.timestamp()))
    assert links.nonce_is_valid(SECRET, request_id, nonce, NOW + timedelta(hours=23))
    assert not links.nonce_is_valid(SECRET, request_id, nonce, NOW + timedelta(hours=25))
    assert not links.nonce_is_valid(SECRET, uuid.uuid4(), nonce, NOW)
    assert not links.nonce_is_valid(b"another-secret", request_id, nonce, NOW)
    issued, mac = nonce.split(".")
    assert not links.nonce_is_valid(SECRET, request_id, f"{int(issued) - 1}.{mac}", NOW)
    assert not links.nonce_is_valid(SECRET, request_id, "", NOW)
    assert not links.nonce_is_valid(SECRET, request_id, "<script>.x", NOW)


def test_survey_url() -> None:
    assert links.survey_url("https://gw.example/", "gw_abc") == "https://gw.example/p/gw_abc"
