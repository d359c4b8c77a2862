"""The BG/NBD "still alive" model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way").

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after each
repeat purchase they drop out for good with probability p ~ Beta(a, b). Only purchases are seen,
so whether someone is still a customer is a probability, which is what the product shows.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import betaln, digamma, expit, gammaln, hyp2f1

from goodwill.stats.fitting import maximise_likelihood
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


def _log_likelihood_and_gradient(
    params: FloatArray, summary: Summary
) -> tuple[FloatArray, FloatArray]:
    """Per-customer log-likelihood (FHL 2005 eq. 6) and its exact gradient, shape (4, n)."""
    r, alpha, a, b = (float(value) for value in params)
    x, t_x, age = summary.frequency, summary.recency, summary.T
    bought = x > 0
    r_x = r + x
    log_alpha_T = np.log(alpha + age)
    log_alpha_t_x = np.log(alpha + t_x)
    b_x_1 = np.where(bought, b + x - 1.0, 1.0)
    # log of (second term / first term) of eq. 6; the second term exists only for repeat buyers
    log_ratio = np.where(
        bought, np.log(a) - np.log(b_x_1) + r_x * (log_alpha_T - log_alpha_t_x), -np.inf
    )
    dropped = expit(log_ratio)  # share of the likelihood from "dropped out after t_x"
    digamma_a_b_x = digamma(a + b + x)
    log_likelihood = (
        gammaln(r_x)
        - gammaln(r)
        + r * np.log(alpha)
        + betaln(a, b + x)
        - betaln(a, b)
        - r_x * log_alpha_T
        + np.logaddexp(0.0, log_ratio)
    )
    gradient = np.stack(
        [
            digamma(r_x)
            - digamma(r)
            + np.log(alpha)
            - (1.0 - dropped) * log_alpha_T
            - dropped * log_alpha_t_x,
            r / alpha - r_x * ((1.0 - dropped) / (alpha + age) + dropped / (alpha + t_x)),
            digamma(a + b) - digamma_a_b_x + dropped / a,
            digamma(b + x) - digamma_a_b_x - digamma(b) + digamma(a + b) - dropped / b_x_1,
        ]
    )
    return log_likelihood, gradient


def bg_nbd_log_likelihood(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Log-likelihood of each customer's history under ``params`` (FHL 2005, eq. 6)."""
    summary = check_summary(frequency, recency, T)
    return _log_likelihood_and_gradient(np.array(astuple(params)), summary)[0]


def bg_nbd_log_likelihood_gradient(
    params: BGNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Gradient of each customer's log-likelihood in (r, alpha, a, b): an array of shape (n, 4)."""
    summary = check_summary(frequency, recency, T)
    return _log_likelihood_and_gradient(np.array(astuple(params)), summary)[1].T


def _total_log_likelihood(params: FloatArray, summary: Summary) -> tuple[float, FloatArray]:
    per_customer, gradient = _log_likelihood_and_gradient(params, summary)
    return float(summary.weights @ per_customer), gradient @ summary.weights


def _starting_point(summary: Summary) -> FloatArray:
    """r = 1 and alpha matched to the average purchase rate; a = b = 1 (uniform dropout)."""
    w = summary.weights
    rate = max(float(w @ summary.frequency), 1.0) / float(w @ summary.T)
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
        optimum = maximise_likelihood(_total_log_likelihood, _starting_point(summary), summary)
        self.params_ = BGNBDParams(*optimum.params)
        self.standard_errors_ = BGNBDParams(*optimum.standard_errors)
        self.log_likelihood_ = optimum.log_likelihood
        return self

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        """P(still a customer at T | history) (FHL 2005, eq. 13); 1 for customers with no repeat
        purchase, since dropout only happens right after one."""
        summary = check_summary(frequency, recency, T)
        return 1.0 - self._dropped_share(summary)

    def _dropped_share(self, summary: Summary) -> FloatArray:
        r, alpha, a, b = astuple(self.params_)
        x, t_x, age = summary.frequency, summary.recency, summary.T
        bought = x > 0
        log_odds = (
            np.log(a)
            - np.log(np.where(bought, b + x - 1.0, 1.0))
            + (r + x) * (np.log(alpha + age) - np.log(alpha + t_x))
        )
        return np.where(bought, expit(log_odds), 0.0)

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
        alive = 1.0 - self._dropped_share(summary)
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
