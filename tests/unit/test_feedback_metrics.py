"""Loop metrics are pure functions of suggestion and shipped-idea facts."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from goodwill.feedback import metrics
from goodwill.feedback.metrics import ShippedFact, SuggestionFact

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SUPPORT, SALES = uuid.uuid4(), uuid.uuid4()


def _facts() -> tuple[list[SuggestionFact], list[ShippedFact]]:
    suggestions = [
        SuggestionFact(T0, T0 + timedelta(hours=10), SUPPORT),
        SuggestionFact(T0, T0 + timedelta(hours=30), SUPPORT),
        SuggestionFact(T0 + timedelta(days=1), None, SALES),
        SuggestionFact(T0 + timedelta(days=31), T0 + timedelta(days=32), None),
    ]
    idea = uuid.uuid4()
    shipped = [ShippedFact(idea, T0 + timedelta(days=5), SUPPORT)]
    return suggestions, shipped


def test_summary_share_median_and_shipped() -> None:
    s = metrics.summary(*_facts())
    assert s["suggestions"] == 4
    assert s["acknowledged"] == 3
    assert s["acknowledged_share"] == 0.75
    assert s["median_hours_to_hear_back"] == 24.0  # 10, 24, 30 hours
    assert s["ideas_shipped_from_suggestions"] == 1


def test_nothing_to_measure_is_none_not_zero() -> None:
    s = metrics.summary([], [])
    assert s["acknowledged_share"] is None
    assert s["median_hours_to_hear_back"] is None


def test_by_period_and_by_team() -> None:
    periods = {r["period"]: r for r in metrics.by_period(*_facts())}
    assert list(periods) == ["2026-03", "2026-04"]
    assert periods["2026-03"]["suggestions"] == 3
    assert periods["2026-03"]["ideas_shipped_from_suggestions"] == 1
    assert periods["2026-04"]["acknowledged_share"] == 1.0
    weeks = metrics.by_period(*_facts(), period="week")
    assert weeks[0]["period"] == "2026-W10"
    teams = {r["team_id"]: r for r in metrics.by_team(*_facts())}
    assert teams[str(SUPPORT)]["acknowledged_share"] == 1.0
    assert teams[str(SALES)]["acknowledged_share"] == 0.0
    assert teams[None]["suggestions"] == 1
    assert list(teams)[-1] is None  # "no team" comes last
