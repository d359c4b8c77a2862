"""Maximum-likelihood search shared by the "still alive" models.

Both searches run on log-parameters, so every parameter stays positive without constraints and
the problem has a similar scale in every direction. Newton's method is used where the model
supplies its exact Hessian (about ten evaluations), BFGS with the exact gradient otherwise.
Standard errors come from the inverse Hessian of the negative log-likelihood at the optimum, in
the natural parameters: the exact one, or central differences of the exact gradient.

Neither search uses L-BFGS-B: its LAPACK calls wake OpenBLAS threads that then spin against the
likelihood for the cores, which made fits 2 to 20 times slower on a busy machine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from goodwill.stats.errors import ConvergenceError
from goodwill.stats.summary import FloatArray

TotalLogLikelihood = Callable[[FloatArray], tuple[float, FloatArray, FloatArray | None]]
"""Weighted total log-likelihood of the data with its exact gradient and, if known, Hessian, in
the natural parameters."""

_LOG_BOUND = 30.0  # a parameter beyond e**±30 means the data cannot pin it down
_GRADIENT_TOLERANCE = 1e-6  # accepted, on the mean log-likelihood per customer, per log-parameter
_NEWTON_TOLERANCE = 1e-10  # aimed at, likewise
_NEWTON_STEPS = 100
_RELATIVE_STEP = 1e-5  # central differences of the exact gradient, for the Hessian


@dataclass(frozen=True)
class Optimum:
    """Where the likelihood peaks, how sharply (standard errors) and how high."""

    params: FloatArray
    standard_errors: FloatArray
    log_likelihood: float
    iterations: int


def maximise_with_newton(
    total_log_likelihood: TotalLogLikelihood, start: FloatArray, customers: float
) -> Optimum:
    """Newton's method with a backtracking line search; ``ConvergenceError`` if it fails."""
    log_params = np.log(start)
    value, gradient, hessian = _evaluate(total_log_likelihood, log_params)
    steps = 0
    while steps < _NEWTON_STEPS:
        log_gradient, log_hessian = _on_log_scale(np.exp(log_params), gradient, hessian)
        if np.max(np.abs(log_gradient)) < _NEWTON_TOLERANCE * customers:
            break
        steps += 1
        step = _ascent_direction(log_gradient, log_hessian)
        found = _line_search(total_log_likelihood, log_params, value, log_gradient, step)
        if found is None:
            break  # no further progress: at the optimum to rounding, or stuck (checked below)
        log_params, value, gradient, hessian = found
    log_gradient, _ = _on_log_scale(np.exp(log_params), gradient, hessian)
    _check_converged(log_params, log_gradient / customers, f"after {steps} Newton steps")
    params = np.exp(log_params)
    return Optimum(params, _standard_errors(-hessian), value, steps)


def _evaluate(
    total_log_likelihood: TotalLogLikelihood, log_params: FloatArray
) -> tuple[float, FloatArray, FloatArray]:
    value, gradient, hessian = total_log_likelihood(np.exp(log_params))
    if hessian is None:
        raise TypeError("Newton's method needs a log-likelihood that gives its Hessian")
    return value, gradient, hessian


def _on_log_scale(
    params: FloatArray, gradient: FloatArray, hessian: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Gradient and Hessian with respect to log(params) (chain rule, p = exp(theta))."""
    log_gradient = params * gradient
    log_hessian = params[:, None] * hessian * params[None, :] + np.diag(log_gradient)
    return log_gradient, log_hessian


def _ascent_direction(gradient: FloatArray, hessian: FloatArray) -> FloatArray:
    """Newton's step, with the Hessian's eigenvalues made negative where they are not (far from
    the optimum), so the step always climbs; at most 3 in any log-parameter."""
    eigenvalues, vectors = np.linalg.eigh(-hessian)
    floor = 1e-8 * max(float(np.max(np.abs(eigenvalues))), 1e-300)
    curvature = np.maximum(np.abs(eigenvalues), floor)
    step = np.einsum("ij,j->i", vectors, np.einsum("ji,j->i", vectors, gradient) / curvature)
    largest = float(np.max(np.abs(step)))
    scaled: FloatArray = step * (3.0 / largest) if largest > 3.0 else step
    return scaled


def _line_search(
    total_log_likelihood: TotalLogLikelihood,
    log_params: FloatArray,
    value: float,
    gradient: FloatArray,
    step: FloatArray,
) -> tuple[FloatArray, float, FloatArray, FloatArray] | None:
    """The first of step, step/2, step/4, ... that climbs enough (Armijo), or None."""
    slope = float(np.einsum("i,i->", gradient, step))
    fraction = 1.0
    for _ in range(40):
        candidate = log_params + fraction * step
        if np.max(np.abs(candidate)) <= _LOG_BOUND:
            new_value, new_gradient, new_hessian = _evaluate(total_log_likelihood, candidate)
            finite = np.isfinite(new_value) and np.all(np.isfinite(new_gradient))
            if finite and new_value >= value + 1e-4 * fraction * slope and new_value > value:
                return candidate, new_value, new_gradient, new_hessian
        fraction /= 2.0
    return None


def maximise_with_bfgs(
    total_log_likelihood: TotalLogLikelihood, start: FloatArray, customers: float
) -> Optimum:
    """BFGS, then one Newton step on a difference Hessian, which also gives standard errors."""

    def objective(log_params: FloatArray) -> tuple[float, FloatArray]:
        if np.max(np.abs(log_params)) > _LOG_BOUND:
            return np.inf, np.zeros_like(log_params)
        params = np.exp(log_params)
        value, gradient, _ = total_log_likelihood(params)
        if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
            return np.inf, np.zeros_like(log_params)
        return -value / customers, -(gradient * params) / customers

    result = minimize(
        objective, np.log(start), jac=True, method="BFGS", options={"gtol": 1e-7, "maxiter": 500}
    )
    _check_converged(result.x, result.jac, str(result.message))
    params = np.exp(result.x)
    curvature = _difference_hessian(total_log_likelihood, params)
    gradient = -result.jac * customers / params
    params, log_likelihood = _newton_step(
        total_log_likelihood, params, -float(result.fun) * customers, gradient, curvature
    )
    return Optimum(params, _standard_errors(curvature), log_likelihood, int(result.nit))


def _newton_step(
    total_log_likelihood: TotalLogLikelihood,
    params: FloatArray,
    log_likelihood: float,
    gradient: FloatArray,
    curvature: FloatArray,
) -> tuple[FloatArray, float]:
    """One Newton step from BFGS's answer, kept if it climbs: it takes the flattest direction
    (Pareto/NBD's beta) to full precision for the cost of one evaluation, where BFGS would need
    several dozen."""
    stepped = params + np.linalg.solve(curvature, gradient)
    if np.any(stepped <= 0):
        return params, log_likelihood
    stepped_log_likelihood, _, _ = total_log_likelihood(stepped)
    if not stepped_log_likelihood >= log_likelihood:
        return params, log_likelihood
    return stepped, stepped_log_likelihood


def _check_converged(log_params: FloatArray, gradient: FloatArray, how: str) -> None:
    """Judge by the gradient (per customer, per log-parameter), not the optimiser's verdict: both
    searches may stop on "no further progress" once at the optimum to machine precision."""
    if not np.all(np.isfinite(log_params)) or not np.all(np.isfinite(gradient)):
        raise ConvergenceError(f"the likelihood became non-finite during the search ({how})")
    if np.max(np.abs(log_params)) >= _LOG_BOUND - 1.0:
        raise ConvergenceError(
            f"a parameter ran off to {np.exp(log_params).tolist()}: the data cannot identify "
            "the model (too few repeat purchases?)"
        )
    if np.max(np.abs(gradient)) > _GRADIENT_TOLERANCE:
        raise ConvergenceError(
            f"the search stopped away from an optimum (gradient {gradient.tolist()}, {how})"
        )


def _difference_hessian(total_log_likelihood: TotalLogLikelihood, params: FloatArray) -> FloatArray:
    """The negative log-likelihood's Hessian, from central differences of the exact gradient."""
    k = params.shape[0]
    hessian = np.empty((k, k))
    for i in range(k):
        shift = np.zeros(k)
        shift[i] = _RELATIVE_STEP * params[i]
        _, upper, _ = total_log_likelihood(params + shift)
        _, lower, _ = total_log_likelihood(params - shift)
        hessian[:, i] = -(upper - lower) / (2.0 * shift[i])
    return (hessian + hessian.T) / 2.0


def _standard_errors(curvature: FloatArray) -> FloatArray:
    """Square roots of the diagonal of the inverse of the negative log-likelihood's Hessian;
    ``ConvergenceError`` unless that is positive definite, as it is at a strict maximum."""
    if not np.all(np.isfinite(curvature)) or np.any(np.linalg.eigvalsh(curvature) <= 0):
        raise ConvergenceError(
            "the log-likelihood is flat or not curved downwards at the optimum: "
            "the data do not determine the parameters"
        )
    inverse_root = np.linalg.inv(np.linalg.cholesky(curvature))
    errors: FloatArray = np.sqrt(np.einsum("ki,ki->i", inverse_root, inverse_root))
    return errors
