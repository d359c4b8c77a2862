"""The Value Irritant Grid from constructed per-reason numbers (seed 001's four quadrants)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from goodwill.reasons import chart
from goodwill.reasons import grid as vig

START = datetime(2026, 11, 1, tzinfo=UTC)
END = datetime(2026, 12, 1, tzinfo=UTC)


def _contact(
    n: int,
    reason: str,
    *,
    customer: str | None = None,
    day: float = 1,
    sentiment: float | None = None,
    emotion: str | None = None,
    conversation: str | None = None,
) -> vig.Contact:
    return vig.Contact(
        interaction_id=f"m{reason}{n}",
        reason_id=reason,
        customer_id=customer or f"c{reason}{n}",
        conversation_id=conversation,
        occurred_at=START + timedelta(days=day),
        sentiment=sentiment,
        emotion=emotion,
    )


def test_quadrants_follow_seed_001() -> None:
    """Irritant to both → eliminate; irritant to the customer but valuable to the company →
    simplify; valuable to the customer, a cost to the company → automate; both → leverage."""
    t = vig.Thresholds()
    assert vig.quadrant(-0.5, -0.5, t) == vig.ELIMINATE
    assert vig.quadrant(-0.5, 0.5, t) == vig.SIMPLIFY
    assert vig.quadrant(0.5, -0.5, t) == vig.AUTOMATE
    assert vig.quadrant(0.5, 0.5, t) == vig.LEVERAGE
    # at the threshold counts as an irritant / a cost
    assert vig.quadrant(0.0, 0.0, t) == vig.ELIMINATE
    moved = vig.Thresholds(customer=-0.6, company=-0.6)
    assert vig.quadrant(-0.5, -0.5, moved) == vig.LEVERAGE


def _world() -> tuple[list[vig.Reason], list[vig.Contact], list[vig.Outcome]]:
    reasons = [
        vig.Reason("lost", "Where is my card?"),
        vig.Reason("fees", "Fee complaint", company_value=0.6),
        vig.Reason("how", "How do I top up?", company_value=-0.4),
        vig.Reason("upgrade", "Upgrade to premium"),
        vig.Reason("idle", "Nobody asks this"),
    ]
    contacts: list[vig.Contact] = []
    # angry and repeated: the same customer asks again within a week
    for i in range(4):
        contacts.append(
            _contact(
                i,
                "lost",
                customer="alice",
                day=1 + 3 * i,
                sentiment=-0.8,
                emotion="anger",
                conversation=f"lost-{i}",
            )
        )
    contacts += [_contact(i, "fees", sentiment=-0.6, emotion="anger") for i in range(3)]
    contacts += [_contact(i, "how", sentiment=0.5, emotion="joy") for i in range(5)]
    contacts += [_contact(i, "upgrade", sentiment=0.7, emotion="joy") for i in range(2)]
    # previous period: "how" had 2 contacts, so +150%
    contacts += [_contact(10 + i, "how", day=-10 - i) for i in range(2)]
    outcomes = [
        vig.Outcome("cupgrade0", START + timedelta(days=20), 1, "purchase"),
        vig.Outcome("cupgrade1", START + timedelta(days=30), 1, "purchase"),
        vig.Outcome("alice", START + timedelta(days=15), -1, "cancellation intent"),
        # too late to count: over 90 days after the contact
        vig.Outcome("chow0", START + timedelta(days=200), 1, "purchase"),
    ]
    return reasons, contacts, outcomes


def _grid() -> vig.Grid:
    reasons, contacts, outcomes = _world()
    conversations = {
        f"lost-{i}": vig.ConversationFacts(customer_messages=5, closed=False) for i in range(4)
    }
    return vig.compute(
        reasons,
        contacts,
        period_from=START,
        period_to=END,
        conversations=conversations,
        outcomes=outcomes,
    )


def test_each_reason_lands_in_its_quadrant_with_evidence() -> None:
    cells = {c.reason_id: c for c in _grid().cells}
    assert cells["lost"].quadrant == vig.ELIMINATE
    assert cells["fees"].quadrant == vig.SIMPLIFY
    assert cells["how"].quadrant == vig.AUTOMATE
    assert cells["upgrade"].quadrant == vig.LEVERAGE
    assert cells["idle"].quadrant is None
    assert cells["idle"].action is None

    lost = cells["lost"]
    assert lost.evidence.repeat_rate == 0.75  # three of four followed by another within 14 days
    assert lost.evidence.messages_per_conversation == 5
    assert lost.evidence.resolution_rate == 0
    assert lost.evidence.negative_emotion_share == 1
    assert lost.company_value_source == "derived"
    assert lost.company_value == -1  # its one customer said they would cancel
    assert set(lost.evidence.sample_interaction_ids) <= {c.interaction_id for c in _world()[1]}
    assert len(lost.evidence.sample_interaction_ids) == 3
    assert "Where is my card?" in (lost.action or "")

    assert cells["fees"].company_value_source == "configured"
    assert cells["fees"].company_value == 0.6
    upgrade = cells["upgrade"]
    assert (upgrade.company_value, upgrade.evidence.customers_positive_after) == (1, 2)
    how = cells["how"]
    assert (how.volume, how.previous_volume, how.trend) == (5, 2, 1.5)
    assert how.evidence.customers_positive_after == 0


def test_cells_are_ordered_by_volume_and_thresholds_are_reported() -> None:
    grid = _grid()
    assert [c.volume for c in grid.cells] == sorted((c.volume for c in grid.cells), reverse=True)
    assert grid.thresholds == vig.Thresholds()
    assert set(grid.quadrant_help) == set(vig.QUADRANTS)


def test_repeat_window_is_a_parameter() -> None:
    reasons, contacts, outcomes = _world()
    narrow = vig.compute(
        reasons,
        contacts,
        period_from=START,
        period_to=END,
        conversations={},
        outcomes=outcomes,
        thresholds=vig.Thresholds(repeat_days=2),
    )
    lost = next(c for c in narrow.cells if c.reason_id == "lost")
    assert lost.evidence.repeat_rate == 0  # contacts are three days apart


def test_effort_score_runs_from_one_message_to_effort_high() -> None:
    contacts = [_contact(0, "x", conversation="k")]
    one = {"k": vig.ConversationFacts(customer_messages=1, closed=True)}
    many = {"k": vig.ConversationFacts(customer_messages=9, closed=True)}
    t = vig.Thresholds()
    assert vig.customer_components(contacts, contacts, one, t)[0]["effort"] == 0
    assert vig.customer_components(contacts, contacts, many, t)[0]["effort"] == -1


def test_a_period_must_end_after_it_starts() -> None:
    with pytest.raises(ValueError, match="end after"):
        vig.compute([], [], period_from=END, period_to=START, conversations={}, outcomes=[])


def test_svg_escapes_reason_names_and_has_no_script() -> None:
    reasons = [vig.Reason("x", '<script>alert("x")</script> & co', company_value=0.5)]
    contacts = [_contact(0, "x", sentiment=0.9)]
    svg = chart.render(
        vig.compute(
            reasons, contacts, period_from=START, period_to=END, conversations={}, outcomes=[]
        )
    )
    assert "<script" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert svg.startswith("<?xml")
    assert svg.rstrip().endswith("</svg>")
    assert "Leverage" in svg
