"""Trust pillars, high-quality connection and health: pure score functions, no database.

Every score is 0–100 and comes with its evidence: a list of ``{signal, value, reason}`` items,
with ``interaction_id`` where one interaction shows it. Shares are Bayesian (a Beta prior, as a
pseudo-count of good and bad outcomes), so a single event moves a score without fixing it at an
extreme. With no evidence at all a score is the prior's mean: 50, "nothing known".

- reliability (seed 000: "fulfil commitments"): promises kept vs kept late vs broken;
- predictability ("consistency that allows others to foresee"): the spread (coefficient of
  variation) of our reply delays to the customer's messages, and delivery on time vs late;
- accountability ("answerability and responsibility for outcomes"): after each complaint, did
  our reply own it or apologise, and did we follow through (a reply within the window or a
  promise kept after it);
- dependability ("long-term consistency in quality"): share of the last 12 active months
  without a complaint and with non-negative inbound sentiment;
- high-quality connection (Dutton and Ragins): emotional carrying capacity (range of emotions the
  relationship carried without ending), tensility (setbacks followed by recovery) and
  connectivity (suggestions and ideas exchanged).

The health score is a weighted mean of components (weights are data: :data:`DEFAULT_WEIGHTS`,
overridable per organisation); its breakdown lists each component's value, weight and share.
"""

from __future__ import annotations

import math
import statistics
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

NEUTRAL_SCORE = 50.0
PRIOR = (2.0, 2.0)  # Beta(2, 2): two good and two bad pseudo-outcomes
EMOTION_RANGE = 6  # non-neutral emotions the emotion analyser tells apart
CONNECTIVITY_SCALE = 3.0  # suggestions for ~63 of 100
MAX_EVIDENCE = 6

DEFAULT_WEIGHTS: dict[str, float] = {
    "reliability": 0.2,
    "predictability": 0.1,
    "accountability": 0.15,
    "dependability": 0.15,
    "connection": 0.1,
    "sentiment_trend": 0.1,
    "open_complaints": 0.1,
    "overdue_promises": 0.1,
}


@dataclass
class Score:
    score: float
    evidence: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"score": round(self.score, 1), "evidence": self.evidence[:MAX_EVIDENCE]}


def evidence(
    signal: str, value: Any, reason: str, interaction_id: uuid.UUID | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {"signal": signal, "value": value, "reason": reason}
    if interaction_id is not None:
        item["interaction_id"] = str(interaction_id)
    return item


def clamp(value: float) -> float:
    return min(100.0, max(0.0, value))


def beta_share(good: float, bad: float, prior: tuple[float, float] = PRIOR) -> float:
    """The posterior mean share of good outcomes, 0–100, under a Beta(prior) prior."""
    a, b = prior
    return clamp(100.0 * (a + good) / (a + b + good + bad))


def reliability(
    *, kept: int, kept_late: int, broken: int, prior: tuple[float, float] = PRIOR
) -> float:
    """Promises kept; a late one counts half kept, half broken."""
    return beta_share(kept + 0.5 * kept_late, broken + 0.5 * kept_late, prior)


def consistency(delays: Sequence[float]) -> float | None:
    """100 for replies always equally fast, falling with the coefficient of variation of the
    delays (100 / (1 + cv)); None with fewer than two delays."""
    cv = variation(delays)
    return None if cv is None else clamp(100.0 / (1.0 + cv))


def variation(values: Sequence[float]) -> float | None:
    """The coefficient of variation (population standard deviation / mean); None with fewer than
    two values, 0 when the mean is not positive."""
    if len(values) < 2:
        return None
    mean = math.fsum(values) / len(values)
    if mean <= 0:
        return 0.0
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values)) / mean


def predictability(*, delays: Sequence[float], on_time: int, late: int) -> float:
    """Mean of reply consistency (when known) and on-time delivery of promises (with a prior)."""
    parts = [beta_share(on_time, late)]
    steady = consistency(delays)
    if steady is not None:
        parts.append(steady)
    return statistics.fmean(parts)


def accountability(*, owned: int, followed_through: int, complaints: int) -> float:
    """Each complaint earns half a point for an owning or apologetic reply and half for follow
    through; the points are a share of the complaints, with the prior."""
    points = 0.5 * owned + 0.5 * followed_through
    return beta_share(points, complaints - points)


def dependability(*, good_months: int, months: int) -> float:
    return beta_share(good_months, months - good_months)


def carrying_capacity(emotions: Iterable[str], *, ended: bool) -> float:
    """The range of emotions (out of :data:`EMOTION_RANGE`) carried; halved if it ended."""
    felt = {e for e in emotions if e != "neutral"}
    value = 100.0 * min(len(felt), EMOTION_RANGE) / EMOTION_RANGE
    return value / 2 if ended else value


def tensility(*, setbacks: int, recovered: int) -> float:
    """Share of setbacks followed by recovery, with a Beta(1, 1) prior."""
    return beta_share(recovered, setbacks - recovered, (1.0, 1.0))


def connectivity(suggestions: int) -> float:
    return clamp(100.0 * (1.0 - math.exp(-suggestions / CONNECTIVITY_SCALE)))


def sentiment_trend(recent: float | None, previous: float | None) -> float:
    """50 when unchanged or unknown; recent minus previous mean sentiment (each in −1..1) moves it
    by 50 per unit."""
    if recent is None or previous is None:
        return NEUTRAL_SCORE
    return clamp(NEUTRAL_SCORE + 50.0 * (recent - previous))


def burden(count: int, per_item: float = 25.0) -> float:
    """100 with none, 25 less per open complaint or overdue promise, never below 0."""
    return clamp(100.0 - per_item * count)


def weights_of(custom: Mapping[str, Any] | None) -> dict[str, float]:
    """The default weights with an organisation's overrides (unknown names and negative or
    non-numeric values are ignored)."""
    weights = dict(DEFAULT_WEIGHTS)
    for name, value in (custom or {}).items():
        if name in weights and isinstance(value, int | float) and value >= 0:
            weights[name] = float(value)
    return weights


def health(
    components: Mapping[str, float], weights: Mapping[str, float]
) -> tuple[float, list[dict[str, Any]]]:
    """The weighted mean of the components, and each one's value, weight and contribution
    (value × weight / total weight; the contributions add up to the score)."""
    total = sum(weights.get(name, 0.0) for name in components)
    breakdown: list[dict[str, Any]] = []
    score = 0.0
    for name, value in components.items():
        weight = weights.get(name, 0.0)
        part = value * weight / total if total > 0 else 0.0
        score += part
        breakdown.append(
            {
                "name": name,
                "value": round(value, 1),
                "weight": weight,
                "contribution": round(part, 2),
            }
        )
    return clamp(score if total > 0 else NEUTRAL_SCORE), breakdown
