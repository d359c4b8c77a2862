"""Pure rules for what a pulse result may show, and the engagement/outcome correlation.

Primary suppression: a group (team) with fewer than ``k`` answers is hidden. Complementary
suppression: when the total of a round is shown beside its teams, the answers not in any shown
team (total minus the shown teams) form a group of their own; if that remainder holds between 1
and k-1 answers, subtracting would reveal it, so the smallest shown team is hidden too, until the
remainder is empty or at least k.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

MIN_GROUP_SIZE = 5
K = TypeVar("K", bound=Hashable)


def shown_groups(sizes: Mapping[K, int], *, k: int) -> tuple[set[K], set[K]]:
    """(groups that may be shown, groups hidden only to protect a small remainder)."""
    k = max(k, MIN_GROUP_SIZE)
    shown = {g for g, n in sizes.items() if n >= k}
    protected: set[K] = set()
    total = sum(sizes.values())
    while shown:
        remainder = total - sum(sizes[g] for g in shown)
        if remainder == 0 or remainder >= k:
            break
        smallest = min(shown, key=lambda g: (sizes[g], str(g)))
        shown.discard(smallest)
        protected.add(smallest)
    return shown, protected


@dataclass(frozen=True)
class Correlation:
    n: int
    r: float
    ci_low: float
    ci_high: float
    confidence: float = 0.95


def correlate(xs: list[float], ys: list[float], *, min_n: int = 5) -> Correlation | None:
    """Pearson r with its 95% interval (Fisher z); None under ``min_n`` pairs or no spread."""
    n = len(xs)
    if n < min_n or n != len(ys):
        return None
    if _no_spread(xs) or _no_spread(ys):
        return None
    from scipy import stats  # slow to import; the pulse CLI and pages load this module

    result = stats.pearsonr(xs, ys)
    r = float(result.statistic)
    z, se = math.atanh(max(min(r, 0.999999), -0.999999)), 1 / math.sqrt(n - 3)
    return Correlation(
        n=n,
        r=round(r, 3),
        ci_low=round(math.tanh(z - 1.959964 * se), 3),
        ci_high=round(math.tanh(z + 1.959964 * se), 3),
    )


def _no_spread(values: list[float]) -> bool:
    return max(values) - min(values) < 1e-12
