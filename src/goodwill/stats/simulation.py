"""Customer histories drawn from the "still alive" models with known parameters.

Used to check that a fit recovers the parameters that generated the data, and to benchmark fits
on more customers than any public data set has.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from goodwill.stats.bgnbd import BGNBDParams
from goodwill.stats.paretonbd import ParetoNBDParams
from goodwill.stats.summary import FloatArray, Summary, check_summary


def _last_purchase_time(
    purchases: FloatArray, observed: FloatArray, window: FloatArray, rng: np.random.Generator
) -> FloatArray:
    """Time of the ``observed``-th of ``purchases`` Poisson events spread over [0, window]: the
    order statistic of uniforms, Beta(observed, purchases - observed + 1)."""
    bought = observed > 0
    share = rng.beta(np.where(bought, observed, 1.0), purchases - observed + 1.0)
    recency: FloatArray = np.where(bought, share * window, 0.0)
    return recency


def simulate_bg_nbd(params: BGNBDParams, T: ArrayLike, rng: np.random.Generator) -> Summary:
    """One BG/NBD history per entry of ``T`` (the customers' ages)."""
    age = check_summary(np.zeros_like(T, dtype=np.float64), np.zeros_like(T), T).T
    rate = rng.gamma(params.r, 1.0 / params.alpha, age.shape[0])
    dropout = rng.beta(params.a, params.b, age.shape[0])
    purchases = rng.poisson(rate * age).astype(np.float64)
    purchases_until_dropout = np.asarray(rng.geometric(dropout), dtype=np.float64)
    frequency = np.minimum(purchases, purchases_until_dropout)
    recency = _last_purchase_time(purchases, frequency, age, rng)
    return Summary(frequency, recency, age, np.ones(age.shape[0]))


def simulate_pareto_nbd(params: ParetoNBDParams, T: ArrayLike, rng: np.random.Generator) -> Summary:
    """One Pareto/NBD history per entry of ``T`` (the customers' ages)."""
    age = check_summary(np.zeros_like(T, dtype=np.float64), np.zeros_like(T), T).T
    rate = rng.gamma(params.r, 1.0 / params.alpha, age.shape[0])
    dropout_rate = rng.gamma(params.s, 1.0 / params.beta, age.shape[0])
    lifetime = rng.standard_exponential(age.shape[0]) / np.maximum(dropout_rate, 1e-300)
    active = np.minimum(lifetime, age)
    frequency = rng.poisson(rate * active).astype(np.float64)
    recency = _last_purchase_time(frequency, frequency, active, rng)
    return Summary(frequency, recency, age, np.ones(age.shape[0]))
