"""The Pareto/NBD "still alive" model (Schmittlein, Morrison & Colombo 1987).

While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha), and their
lifetime is exponential with rate mu ~ Gamma(s, beta): unlike the BG/NBD, a customer can leave at
any moment, not only right after a purchase.

The likelihood (Fader & Hardie 2005, "A Note on Deriving the Pareto/NBD Model and Related
Expressions", eq. 18) is written here as

    L = Gamma(r+x) alpha^r beta^s / Gamma(r) * [E + s * I],
    E = (alpha+T)^-(r+x) (beta+T)^-s,
    I = integral from t_x to T of (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau,

E being "still alive at T" and s*I "left at some tau between t_x and T". The note evaluates I
with the Gauss hypergeometric function 2F1, one formula for alpha >= beta and another for
alpha < beta; here I is integrated numerically instead, with Gauss-Legendre nodes on a log scale,
because its derivatives in r and s are then integrals of the same kind, while the derivatives of
2F1 in its parameters have no closed form. The tests check I against the 2F1 formulas of the note.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Self

import numpy as np
from numpy.typing import ArrayLike
from scipy.special import digamma, gammaln

from goodwill.stats.likelihood import Derivatives, SplitLogLikelihood
from goodwill.stats.likelihood import dot as _dot
from goodwill.stats.summary import (
    FloatArray,
    Summary,
    check_horizon,
    check_summary,
    compress,
)

_NODES, _NODE_WEIGHTS = np.polynomial.legendre.leggauss(32)
_LOG_NODE_WEIGHTS = np.log(_NODE_WEIGHTS)


@dataclass(frozen=True)
class ParetoNBDParams:
    """Purchase rate ~ Gamma(r, alpha), dropout rate ~ Gamma(s, beta); alpha and beta are in the
    time unit of T."""

    r: float
    alpha: float
    s: float
    beta: float


def _dropout_integral(params: FloatArray, summary: Summary) -> tuple[FloatArray, FloatArray]:
    """log I per customer, and the means of log(alpha+tau), 1/(alpha+tau), log(beta+tau) and
    1/(beta+tau) under the integrand, which its derivatives need (shape (4, n)).

    The variable u = log(c + tau), with c the smaller of alpha and beta, turns one factor of the
    integrand into a pure exponential and the other into a smooth function, so 32 nodes give
    I to about twelve digits across the range of the data.
    """
    r, alpha, s, beta = (float(value) for value in params)
    shift = min(alpha, beta)
    low = np.log(shift + summary.recency)
    half_width = (np.log(shift + summary.T) - low) / 2.0
    u = (low + half_width)[:, None] + half_width[:, None] * _NODES
    shifted_tau = np.exp(u)
    alpha_tau = shifted_tau + (alpha - shift)
    beta_tau = shifted_tau + (beta - shift)
    log_alpha_tau, log_beta_tau = np.log(alpha_tau), np.log(beta_tau)
    log_terms = (
        _LOG_NODE_WEIGHTS
        + np.log(np.maximum(half_width, 1e-300))[:, None]
        + u
        - (r + summary.frequency)[:, None] * log_alpha_tau
        - (s + 1.0) * log_beta_tau
    )
    log_integral, shares = _log_sum_and_shares(log_terms)
    means = np.stack(
        [
            np.einsum("ij,ij->i", shares, log_alpha_tau),
            np.einsum("ij,ij->i", shares, 1.0 / alpha_tau),
            np.einsum("ij,ij->i", shares, log_beta_tau),
            np.einsum("ij,ij->i", shares, 1.0 / beta_tau),
        ]
    )
    return log_integral, means


def _log_sum_and_shares(log_terms: FloatArray) -> tuple[FloatArray, FloatArray]:
    """log of each row's sum of exp(log_terms), and each term's share of that sum."""
    peak = log_terms.max(axis=1)
    terms = np.exp(log_terms - peak[:, None])
    total = terms.sum(axis=1)
    return peak + np.log(total), terms / total[:, None]


def _timing_parts(
    params: FloatArray, summary: Summary
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """log of alpha^r beta^s (E + s I), its gradient (4, n), and P(alive at T) = E / (E + s I)."""
    r, alpha, s, beta = (float(value) for value in params)
    r_x = r + summary.frequency
    log_alpha_T, log_beta_T = np.log(alpha + summary.T), np.log(beta + summary.T)
    log_alive = -r_x * log_alpha_T - s * log_beta_T
    log_integral, means = _dropout_integral(params, summary)
    log_left = np.log(s) + log_integral
    log_either = np.logaddexp(log_alive, log_left)
    alive = np.exp(log_alive - log_either)
    left = np.exp(log_left - log_either)
    value = r * np.log(alpha) + s * np.log(beta) + log_either
    gradient = np.stack(
        [
            np.log(alpha) - alive * log_alpha_T - left * means[0],
            r / alpha - r_x * (alive / (alpha + summary.T) + left * means[1]),
            np.log(beta) - alive * log_beta_T + left * (1.0 / s - means[2]),
            s / beta - alive * s / (beta + summary.T) - left * (s + 1.0) * means[3],
        ]
    )
    return value, gradient, alive


def _frequency_terms(params: FloatArray, x: FloatArray) -> Derivatives:
    """log Gamma(r+x) / Gamma(r), which depends on a history only through x, and its gradient."""
    r = float(params[0])
    gradient = np.zeros((4, x.shape[0]))
    gradient[0] = digamma(r + x) - digamma(r)
    return Derivatives(gammaln(r + x) - gammaln(r), gradient)


def _timing_terms(params: FloatArray, summary: Summary) -> Derivatives:
    value, gradient, _ = _timing_parts(params, summary)
    return Derivatives(value, gradient)


_LOG_LIKELIHOOD = SplitLogLikelihood(_frequency_terms, _timing_terms)


def pareto_nbd_log_likelihood(
    params: ParetoNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Log-likelihood of each customer's history under ``params`` (Fader & Hardie 2005, eq. 18)."""
    summary = check_summary(frequency, recency, T)
    return _LOG_LIKELIHOOD.per_customer(np.array(astuple(params)), summary)[0]


def pareto_nbd_log_likelihood_gradient(
    params: ParetoNBDParams, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
) -> FloatArray:
    """Gradient of each customer's log-likelihood in (r, alpha, s, beta): shape (n, 4)."""
    summary = check_summary(frequency, recency, T)
    return _LOG_LIKELIHOOD.per_customer(np.array(astuple(params)), summary)[1]


def _starting_point(summary: Summary) -> FloatArray:
    """r = s = 1, alpha matched to the average purchase rate and beta to the observed span."""
    w = summary.weights
    rate = max(_dot(w, summary.frequency), 1.0) / _dot(w, summary.T)
    return np.array([1.0, 1.0 / rate, 1.0, _dot(w, summary.T) / float(w.sum())])


def _expected_time_alive(s: float, scale: FloatArray, horizon: FloatArray) -> FloatArray:
    """Expected time alive in the next ``horizon`` for a customer alive now whose dropout rate
    is Gamma(s, scale): scale / (s-1) * (1 - (scale / (scale + horizon))^(s-1))."""
    log_growth = np.log1p(horizon / scale)
    if abs(s - 1.0) < 1e-9:
        return scale * log_growth
    result: FloatArray = scale * -np.expm1(-(s - 1.0) * log_growth) / (s - 1.0)
    return result


class ParetoNBDModel:
    """Pareto/NBD fitted by maximum likelihood; ``params_``, ``standard_errors_`` and
    ``log_likelihood_`` exist after ``fit``."""

    params_: ParetoNBDParams
    standard_errors_: ParetoNBDParams
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
        self.params_ = ParetoNBDParams(*optimum.params.tolist())
        self.standard_errors_ = ParetoNBDParams(*optimum.standard_errors.tolist())
        self.log_likelihood_ = optimum.log_likelihood
        return self

    def conditional_probability_alive(
        self, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        """P(still a customer at T | history): E / (E + s I) in the terms above."""
        summary = check_summary(frequency, recency, T)
        return _timing_parts(np.array(astuple(self.params_)), summary)[2]

    def conditional_expected_number_of_purchases_up_to_time(
        self, t: ArrayLike, frequency: ArrayLike, recency: ArrayLike, T: ArrayLike
    ) -> FloatArray:
        """Expected repeat purchases in the next ``t`` time units given the history
        (Fader & Hardie 2005, eq. 41)."""
        horizon = check_horizon(t)
        summary = check_summary(frequency, recency, T)
        r, alpha, s, beta = astuple(self.params_)
        alive = _timing_parts(np.array(astuple(self.params_)), summary)[2]
        rate = (r + summary.frequency) / (alpha + summary.T)
        expected: FloatArray = rate * _expected_time_alive(s, beta + summary.T, horizon) * alive
        return expected

    def expected_number_of_purchases_up_to_time(self, t: ArrayLike) -> FloatArray:
        """Expected repeat purchases of a new customer in ``t`` time units."""
        horizon = check_horizon(t)
        r, alpha, s, beta = astuple(self.params_)
        expected: FloatArray = r / alpha * _expected_time_alive(s, np.asarray(beta), horizon)
        return expected
