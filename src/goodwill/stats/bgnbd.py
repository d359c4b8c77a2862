"""The BG/NBD "still alive" model.

Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2).

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
repeat purchase they drop out for good with probability p ~ Beta(a, b). Only purchases are seen,
so whether someone is still a customer is a probability, which is what the product shows.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1, polygamma

from goodwill.stats.likelihood import Derivatives, SplitLogLikelihood
from goodwill.stats.likelihood import dot as _dot
from goodwill.stats.summary import (
    FloatArray,
    Summary,
    check_horizon,
    check_summary,
    compress,
)


@dataclass(frozen=True)
class BGNBDParams:
    """Purchase rate ~ Gamma(r, alpha) (alpha in the time unit of T); dropout ~ Beta(a, b)."""

    r: float
    alpha: float
    a: float
    b: float


def _frequency_terms(params: FloatArray, x: FloatArray) -> Derivatives:
    """The part of eq. 6's log that depends on a history only through its frequency x."""
    r, _, a, b = (float(value) for value in params)
    value = gammaln(r + x) - gammaln(r) + betaln(a, b + x) - betaln(a, b)
    gradient = np.zeros((4, x.shape[0]))
    gradient[0] = digamma(r + x) - digamma(r)
    gradient[2] = digamma(a + b) - digamma(a + b + x)
    gradient[3] = digamma(b + x) - digamma(b) + gradient[2]
    hessian = np.zeros((4, 4, x.shape[0]))
    hessian[0, 0] = polygamma(1, r + x) - polygamma(1, r)
    hessian[2, 2] = hessian[2, 3] = hessian[3, 2] = polygamma(1, a + b) - polygamma(1, a + b + x)
    hessian[3, 3] = polygamma(1, b + x) - polygamma(1, b) + hessian[2, 2]
    return Derivatives(value, gradient, hessian)


def _log_odds_dropped(
    params: FloatArray, x: FloatArray, b_x_1: FloatArray, growth: FloatArray
) -> FloatArray:
    """log of P(dropped out after t_x) / P(still alive at T) given a history: the log of the
    second term of eq. 6 over the first; -inf without a repeat purchase, as dropout follows one.

    ``b_x_1`` is b + x - 1 (any positive number where x = 0) and ``growth`` is
    log(alpha + T) - log(alpha + t_x).
    """
    r, _, a, _ = (float(value) for value in params)
    return np.where(x > 0, np.log(a) - np.log(b_x_1) + (r + x) * growth, -np.inf)


def _b_x_1(b: float, x: FloatArray) -> FloatArray:
    return np.where(x > 0, b + x - 1.0, 1.0)


def _timing_terms(params: FloatArray, summary: Summary) -> Derivatives:
    """The rest of eq. 6's log: r log(alpha) - (r+x) log(alpha+T) + log(1 + odds of dropout)."""
    r, alpha, a, b = (float(value) for value in params)
    x, r_x = summary.frequency, r + summary.frequency
    at_T, at_t_x = 1.0 / (alpha + summary.T), 1.0 / (alpha + summary.recency)
    log_alpha_T = np.log(alpha + summary.T)
    growth = log_alpha_T - np.log(alpha + summary.recency)
    b_x_1 = _b_x_1(b, x)
    log_odds = _log_odds_dropped(params, x, b_x_1, growth)
    dropped = expit(log_odds)  # share of the likelihood from "dropped out after t_x"
    odds_gradient = np.stack(
        [growth, r_x * (at_T - at_t_x), np.full_like(x, 1.0 / a), -1.0 / b_x_1]
    )
    gradient = dropped * odds_gradient
    gradient[0] += np.log(alpha) - log_alpha_T
    gradient[1] += r / alpha - r_x * at_T
    hessian = (dropped * (1.0 - dropped)) * odds_gradient[:, None, :] * odds_gradient[None, :, :]
    hessian[0, 1] += 1.0 / alpha - at_T + dropped * (at_T - at_t_x)
    hessian[1, 0] = hessian[0, 1]
    hessian[1, 1] += -r / alpha**2 + r_x * at_T**2 + dropped * r_x * (at_t_x**2 - at_T**2)
    hessian[2, 2] -= dropped / a**2
    hessian[3, 3] += dropped / b_x_1**2
    value = r * np.log(alpha) - r_x * log_alpha_T + np.logaddexp(0.0, log_odds)
    return Derivatives(value, gradient, hessian)


_LOG_LIKELIHOOD = SplitLogLikelihood(_frequency_terms, _timing_terms, exact_hessian=True)


def bg_nbd_log_likelihood(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Log-likelihood of each customer's history under ``params`` (FHL 2005, eq. 6)."""
    summary = check_summary(frequency, recency, T)
    return _LOG_LIKELIHOOD.per_customer(np.array(astuple(params)), summary)[0]


def bg_nbd_log_likelihood_gradient(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Exact gradient of each customer's log-likelihood in (r, alpha, a, b): shape (n, 4)."""
    summary = check_summary(frequency, recency, T)
    return _LOG_LIKELIHOOD.per_customer(np.array(astuple(params)), summary)[1]


def _starting_point(summary: Summary) -> FloatArray:
    """r = 1 and alpha matched to the average purchase rate; a = b = 1 (uniform dropout)."""
    w = summary.weights
    rate = max(_dot(w, summary.frequency), 1.0) / _dot(w, summary.T)
    return np.array([1.0, 1.0 / rate, 1.0, 1.0])


class BGNBDModel:
    """BG/NBD fitted by maximum likelihood; ``params_``, ``standard_errors_`` and
    ``log_likelihood_`` exist after ``fit``."""

    params_: BGNBDParams
    standard_errors_: BGNBDParams
    log_likelihood_: float

    def fit(
        self,
        frequency: ArrayLike,
        recency: ArrayLike,
        T: ArrayLike,
        weights: ArrayLike | None = None,
    ) -> Self:
        """Estimate the parameters from customers' (frequency, recency, T); ``weights`` counts
        customers per row. Raises ``InvalidSummaryError`` or ``ConvergenceError``."""
        summary = compress(check_summary(frequency, recency, T, weights))
        optimum = _LOG_LIKELIHOOD.maximise(summary, _starting_point(summary))
        self.params_ = BGNBDParams(*optimum.params.tolist())
        self.standard_errors_ = BGNBDParams(*optimum.standard_errors.tolist())
        self.log_likelihood_ = optimum.log_likelihood
        return self

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        """P(still a customer at T | history); 1 for customers with no repeat purchase, since
        dropout only happens right after one."""
        summary = check_summary(frequency, recency, T)
        return self._probability_alive(summary)

    def _probability_alive(self, summary: Summary) -> FloatArray:
        params = np.array(astuple(self.params_))
        alpha, b = self.params_.alpha, self.params_.b
        growth = np.log(alpha + summary.T) - np.log(alpha + summary.recency)
        log_odds = _log_odds_dropped(
            params, summary.frequency, _b_x_1(b, summary.frequency), growth
        )
        alive: FloatArray = expit(-log_odds)
        return alive

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        """Expected repeat purchases in the next ``t`` time units given the history
        (FHL 2005, eq. 10)."""
        summary = check_summary(frequency, recency, T)
        horizon = check_horizon(t)
        r, alpha, a, b = astuple(self.params_)
        x, age = summary.frequency, summary.T
        shape = a + b + x - 1.0
        decay = np.exp((r + x) * (np.log(alpha + age) - np.log(alpha + age + horizon)))
        tail = hyp2f1(r + x, b + x, shape, horizon / (alpha + age + horizon))
        alive = self._probability_alive(summary)
        expected: FloatArray = shape / (a - 1.0) * (1.0 - decay * tail) * alive
        return expected

    def expected_number_of_purchases_up_to_time(self, t: ArrayLike) -> FloatArray:
        """Expected repeat purchases of a new customer in ``t`` time units (FHL 2005, eq. 9)."""
        horizon = check_horizon(t)
        r, alpha, a, b = astuple(self.params_)
        decay = np.exp(r * (np.log(alpha) - np.log(alpha + horizon)))
        tail = hyp2f1(r, b, a + b - 1.0, horizon / (alpha + horizon))
        expected: FloatArray = (a + b - 1.0) / (a - 1.0) * (1.0 - decay * tail)
        return expected
