"""RFM scores (recency, frequency, monetary), standard quintile scoring, without a database.

Each of the organisation's purchasing customers gets three scores from 1 to 5: the quintile of
the days since their last purchase (5: the most recent fifth), of their number of purchases and
of the sum of their purchases' amounts (5: the highest fifth). A score is
``1 + floor(5 * share)`` where ``share`` is the share of purchasing customers with a strictly
worse value, so equal values always get the same score (many one-time buyers all score 1 for
frequency) and the scores do not depend on the order of the rows. Customers without a purchase
have no scores (NaN).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
QUINTILES = 5


def quintile_scores(values: Floats) -> Floats:
    """1 to 5 for each value (5: the highest fifth), NaN where ``values`` is NaN."""
    scores = np.full(values.shape, np.nan)
    known = ~np.isnan(values)
    if not known.any():
        return scores
    ordered = np.sort(values[known])
    below = np.searchsorted(ordered, values[known], side="left")  # strictly smaller values
    scores[known] = 1 + np.floor(QUINTILES * below / len(ordered))
    return scores


@dataclass(frozen=True)
class RFM:
    recency: Floats
    frequency: Floats
    monetary: Floats

    def codes(self) -> npt.NDArray[np.str_]:
        """The three scores as text ("545"), "" for customers without a purchase."""
        out = np.full(self.recency.shape, "", dtype="<U3")
        known = ~np.isnan(self.recency)
        parts = [s[known].astype(np.int64).astype("<U1") for s in self._scores()]
        out[known] = np.char.add(np.char.add(parts[0], parts[1]), parts[2])
        return out

    def _scores(self) -> tuple[Floats, Floats, Floats]:
        return self.recency, self.frequency, self.monetary


def scores(days_since_last: Floats, count: Floats, value: Floats) -> RFM:
    """RFM scores of the customers with ``count > 0``; ``days_since_last`` of their last
    purchase (fewer days: a higher recency score), ``value`` the sum of their amounts."""
    buyers = count > 0
    only = np.where(buyers, 1.0, np.nan)
    return RFM(
        recency=quintile_scores(-days_since_last * only),
        frequency=quintile_scores(count * only),
        monetary=quintile_scores(np.nan_to_num(value) * only),
    )
