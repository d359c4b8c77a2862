"""Service quality numbers from contributions: each metric aggregated by its definition
(median, mean or ratio), per group (member, team or the organisation).

``metrics.contributions`` gives what each conversation adds to each metric; this module turns
them into the numbers, keeping only what a number needs (a :class:`Tally` per metric and group),
so contributions can be aggregated one at a time as they are made. Pure: no database.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from goodwill.quality import definitions as d

if TYPE_CHECKING:
    from goodwill.quality.metrics import Contribution


@dataclass(frozen=True, slots=True)
class MetricValue:
    value: float | None
    count: int
    numerator: float | None = None
    denominator: float | None = None
    notes: dict[str, int] = field(default_factory=dict)


class Tally:
    """One metric's number built up one contribution at a time, by its definition's
    aggregation, keeping only what the number needs (not the contributions)."""

    __slots__ = ("counted", "definition", "denominators", "notes", "numerators", "values")

    def __init__(self, metric: str) -> None:
        self.definition = d.BY_NAME[metric]
        self.notes: dict[str, int] = {}
        self.values: list[float] = []
        self.numerators: list[float] = []
        self.denominators: list[float] = []
        self.counted = 0

    def add(self, c: Contribution) -> None:
        for k, v in c.detail.items():
            if type(v) is int:
                self.notes[k] = self.notes.get(k, 0) + v
        if self.definition.aggregation != "ratio":
            if c.value is not None:
                self.values.append(c.value)
            return
        self.numerators.append(c.numerator)
        self.denominators.append(c.denominator)
        self.counted += 1 if c.denominator else 0

    def value(self) -> MetricValue:
        definition, notes = self.definition, self.notes
        if definition.aggregation != "ratio":
            if not self.values:
                return MetricValue(None, 0, notes=notes)
            middle = statistics.median if definition.aggregation == "median" else statistics.fmean
            return MetricValue(round(middle(self.values), 4), len(self.values), notes=notes)
        numerator, denominator = sum(self.numerators), sum(self.denominators)
        value = round(definition.scale * numerator / denominator, 4) if denominator else None
        return MetricValue(value, self.counted, numerator, denominator, notes)


def value_of(metric: str, items: Sequence[Contribution]) -> MetricValue:
    """One metric's number over its contributions, by its definition's aggregation."""
    tally = Tally(metric)
    for c in items:
        tally.add(c)
    return tally.value()


def aggregate(
    found: Iterable[Contribution], key: Callable[[Contribution], Hashable]
) -> dict[Hashable, dict[str, MetricValue]]:
    """Each group's value of every metric (a group without contributions to one: None, 0).
    ``found`` may be a generator: each contribution is added and let go."""
    groups: dict[Hashable, dict[str, Tally]] = {}
    for c in found:
        group = key(c)
        tallies = groups.get(group)
        if tallies is None:
            tallies = groups[group] = {name: Tally(name) for name in d.NAMES}
        tallies[c.metric].add(c)
    return {
        group: {name: t.value() for name, t in tallies.items()} for group, tallies in groups.items()
    }


def empty() -> dict[str, MetricValue]:
    return {name: value_of(name, []) for name in d.NAMES}
