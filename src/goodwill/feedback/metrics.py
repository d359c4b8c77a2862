"""Loop metrics, pure: is the feedback loop closed, how fast, and does it lead anywhere?

- *acknowledged share*: of the suggestions made in a period, the share whose customer was sent
  the outcome of their idea (planned, shipped or declined);
- *median time to hear back*: from the suggestion to that message, in hours;
- *ideas shipped from customer suggestions*: ideas that reached ``shipped`` in the period and
  hold at least one customer's suggestion.

Each is given overall, by period (calendar month or ISO week) and by team.
"""

from __future__ import annotations

import statistics
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Period = Literal["month", "week"]


@dataclass(frozen=True)
class SuggestionFact:
    suggested_at: datetime
    heard_back_at: datetime | None
    team_id: uuid.UUID | None


@dataclass(frozen=True)
class ShippedFact:
    idea_id: uuid.UUID
    shipped_at: datetime
    team_id: uuid.UUID | None


def summary(
    suggestions: Sequence[SuggestionFact], shipped: Sequence[ShippedFact]
) -> dict[str, Any]:
    """The three loop metrics over the given facts (None where there is nothing to measure)."""
    waits = [
        (s.heard_back_at - s.suggested_at).total_seconds() / 3600
        for s in suggestions
        if s.heard_back_at is not None
    ]
    total = len(suggestions)
    return {
        "suggestions": total,
        "acknowledged": len(waits),
        "acknowledged_share": round(len(waits) / total, 4) if total else None,
        "median_hours_to_hear_back": round(statistics.median(waits), 2) if waits else None,
        "ideas_shipped_from_suggestions": len({s.idea_id for s in shipped}),
    }


def period_key(when: datetime, period: Period) -> str:
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{when:%Y-%m}"


def _grouped(
    suggestions: Iterable[SuggestionFact],
    shipped: Iterable[ShippedFact],
    suggestion_key: Callable[[SuggestionFact], Any],
    shipped_key: Callable[[ShippedFact], Any],
) -> dict[Any, tuple[list[SuggestionFact], list[ShippedFact]]]:
    groups: dict[Any, tuple[list[SuggestionFact], list[ShippedFact]]] = defaultdict(
        lambda: ([], [])
    )
    for s in suggestions:
        groups[suggestion_key(s)][0].append(s)
    for i in shipped:
        groups[shipped_key(i)][1].append(i)
    return groups


def by_period(
    suggestions: Sequence[SuggestionFact],
    shipped: Sequence[ShippedFact],
    period: Period = "month",
) -> list[dict[str, Any]]:
    """One row per period with any suggestion or shipped idea, oldest first."""
    groups = _grouped(
        suggestions,
        shipped,
        lambda s: period_key(s.suggested_at, period),
        lambda i: period_key(i.shipped_at, period),
    )
    return [{"period": key} | summary(*groups[key]) for key in sorted(groups)]


def by_team(
    suggestions: Sequence[SuggestionFact], shipped: Sequence[ShippedFact]
) -> list[dict[str, Any]]:
    """One row per team (``team_id`` None: no owner, or an owner in no team)."""
    groups = _grouped(suggestions, shipped, lambda s: s.team_id, lambda i: i.team_id)
    keys = sorted(groups, key=lambda k: (k is None, str(k)))
    return [{"team_id": str(k) if k else None} | summary(*groups[k]) for k in keys]
