"""Maximum-likelihood fitting shared by the "still alive" models.

The search runs on log-parameters, so every parameter stays positive without constraints and the
optimiser sees a problem of similar scale in every direction; standard errors come from the
inverse Hessian of the negative log-likelihood at the optimum, in the natural parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from goodwill.stats.errors import ConvergenceError
from goodwill.stats.summary import FloatArray, Summary

TotalLogLikelihood = Callable[[FloatArray, Summary], tuple[float, FloatArray]]
"""Weighted total log-likelihood and its exact gradient in the natural parameters."""

_LOG_BOUND = 30.0  # a parameter beyond e**±30 means the data cannot pin it down
_GRADIENT_TOLERANCE = 1e-6  # on the per-customer mean log-likelihood, per log-parameter
_RELATIVE_STEP = 1e-5  # central differences of the exact gradient, for the Hessian


@dataclass(frozen=True)
class Optimum:
    """Where the likelihood peaks, how sharply (standard errors) and how high."""

    params: FloatArray
    standard_errors: FloatArray
    log_likelihood: float
    iterations: int


def maximise_likelihood(
    total_log_likelihood: TotalLogLikelihood, start: FloatArray, summary: Summary
) -> Optimum:
    """Find the maximum-likelihood parameters, or raise ``ConvergenceError``."""
    customers = float(summary.weights.sum())

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        params = np.exp(log_params)
        value, gradient = total_log_likelihood(params, summary)
        if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
            return np.inf, np.zeros_like(log_params)
        return -value / customers, -(gradient * params) / customers

    result = minimize(
        objective,
        np.log(start),
        jac=True,
        method="L-BFGS-B",
        bounds=[(-_LOG_BOUND, _LOG_BOUND)] * start.shape[0],
        options={"maxiter": 1000, "ftol": 1e-15, "gtol": 1e-10},
    )
    _check_converged(result.x, result.jac, str(result.message))
    params = np.exp(result.x)
    log_likelihood, _ = total_log_likelihood(params, summary)
    covariance = _covariance(total_log_likelihood, params, summary)
    return Optimum(params, np.sqrt(np.diag(covariance)), log_likelihood, int(result.nit))


def _check_converged(log_params: FloatArray, gradient: FloatArray, message: str) -> None:
    # L-BFGS-B often stops on "no further progress in the line search" once the optimum is
    # reached to machine precision, so the test is the gradient, not the optimiser's verdict.
    if not np.all(np.isfinite(log_params)) or not np.all(np.isfinite(gradient)):
        raise ConvergenceError(f"the likelihood became non-finite during the search ({message})")
    at_bound = np.abs(log_params) >= _LOG_BOUND - 1e-6
    if at_bound.any():
        raise ConvergenceError(
            f"parameter {int(np.argmax(at_bound))} ran off to {np.exp(log_params).tolist()}: "
            "the data cannot identify the model (too few repeat purchases?)"
        )
    if np.max(np.abs(gradient)) > _GRADIENT_TOLERANCE:
        raise ConvergenceError(
            f"the search stopped away from an optimum (gradient {gradient.tolist()}, {message})"
        )


def _covariance(
    total_log_likelihood: TotalLogLikelihood, params: FloatArray, summary: Summary
) -> FloatArray:
    """Inverse of the negative log-likelihood's Hessian, from differences of the exact gradient."""
    k = params.shape[0]
    hessian = np.empty((k, k))
    for i in range(k):
        step = _RELATIVE_STEP * params[i]
        shift = np.zeros(k)
        shift[i] = step
        _, upper = total_log_likelihood(params + shift, summary)
        _, lower = total_log_likelihood(params - shift, summary)
        hessian[:, i] = -(upper - lower) / (2.0 * step)
    hessian = (hessian + hessian.T) / 2.0
    try:
        inverse_root = np.linalg.inv(np.linalg.cholesky(hessian))
    except np.linalg.LinAlgError as exc:
        raise ConvergenceError(
            "the log-likelihood is not curved downwards at the optimum, so it is no maximum"
        ) from exc
    covariance: FloatArray = inverse_root.T @ inverse_root
    return covariance
