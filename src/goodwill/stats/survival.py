"""Cox proportional-hazards regression on counting-process data: no database, NumPy and SciPy.

Each row is one interval ``(start, stop]`` of one subject during which its covariates are
constant, with ``event`` 1 when the subject had the event at ``stop``. A subject whose covariates
change over time ("had a call in the last 30 days") is several rows; a row is at risk at an
event time ``t`` when ``start < t <= stop``.

The estimate maximises Cox's partial likelihood with tied event times handled by Efron's
approximation (the default; Breslow's on request), by Newton's method with the exact gradient and
Hessian and step halving. Standard errors come from the inverse of the observed information
(minus the Hessian) at the optimum; confidence intervals of the hazard ratios are
``exp(coef ± z * se)``; p-values are two-sided Wald tests. A likelihood that keeps rising as a
coefficient runs off to infinity (a covariate that separates events from non-events) or a
singular information matrix (a constant or collinear covariate) raises ``ConvergenceError``.

The risk-set sums are cumulative sums over rows sorted by ``stop`` minus those over rows sorted by
``start``; the Hessian's risk-set term is one weighted ``Xᵀ W X``, so a fit costs O(n p²) per
Newton step and never holds an n × p × p array. Products are ``einsum`` rather than ``@`` (no
BLAS threads, as in ``fitting.py``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Self

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.stats import norm

from goodwill.stats.errors import ConvergenceError, InvalidSummaryError

FloatArray = NDArray[np.float64]
Ties = Literal["efron", "breslow"]
_COEF_BOUND = 20.0  # a hazard ratio beyond e**±20: the data cannot pin the coefficient down
_HALVINGS = 40


@dataclass(frozen=True)
class CountingProcess:
    """Checked input: covariates (rows × p), interval starts and stops, and event flags."""

    covariates: FloatArray
    start: FloatArray
    stop: FloatArray
    event: NDArray[np.bool_]

    @classmethod
    def of(
        cls, covariates: ArrayLike, start: ArrayLike, stop: ArrayLike, event: ArrayLike
    ) -> CountingProcess:
        """Validate and convert; ``InvalidSummaryError`` names the field and the first bad row."""
        x = np.asarray(covariates, dtype=np.float64)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2:
            raise InvalidSummaryError("covariates", "must be a 2-D array (rows × covariates)")
        n = x.shape[0]
        arrays = {}
        for name, values in (("start", start), ("stop", stop), ("event", event)):
            a = np.asarray(values, dtype=np.float64)
            if a.shape != (n,):
                raise InvalidSummaryError(name, f"has shape {a.shape}, expected ({n},)")
            arrays[name] = a
        for name, a in (("covariates", x), *arrays.items()):
            bad = ~np.isfinite(a).reshape(n, -1).all(axis=1)
            if bad.any():
                raise InvalidSummaryError(name, "must be finite", int(np.argmax(bad)))
        _check_rows(arrays)
        return cls(x, arrays["start"], arrays["stop"], arrays["event"] == 1.0)


def _check_rows(arrays: dict[str, FloatArray]) -> None:
    empty = arrays["stop"] <= arrays["start"]
    if empty.any():
        raise InvalidSummaryError("stop", "must be after start", int(np.argmax(empty)))
    flag = ~np.isin(arrays["event"], (0.0, 1.0))
    if flag.any():
        raise InvalidSummaryError("event", "must be 0 or 1", int(np.argmax(flag)))
    if not (arrays["event"] == 1.0).any():
        raise InvalidSummaryError("event", "no events: nothing to estimate")


@dataclass(frozen=True)
class _EventSets:
    """Distinct event times and, per event, its time index and Efron fraction (l / d)."""

    times: FloatArray
    of_event: NDArray[np.intp]  # per tied-event slot: which event time
    fraction: FloatArray  # per slot: l / d (Efron) or 0 (Breslow)
    event_rows: NDArray[np.intp]  # the rows with an event
    row_time: NDArray[np.intp]  # per event row: its event time index


def _event_sets(data: CountingProcess, ties: Ties) -> _EventSets:
    event_rows = np.flatnonzero(data.event)
    times, row_time, counts = np.unique(
        data.stop[event_rows], return_inverse=True, return_counts=True
    )
    of_event = np.repeat(np.arange(times.size), counts)
    within = np.arange(of_event.size) - np.repeat(np.cumsum(counts) - counts, counts)
    fraction = within / counts[of_event] if ties == "efron" else np.zeros(of_event.size)
    return _EventSets(times, of_event, fraction.astype(np.float64), event_rows, row_time)


def _at_risk_sums(data: CountingProcess, values: FloatArray, times: FloatArray) -> FloatArray:
    """Per event time t, the sum of ``values`` (rows × k) over rows with start < t <= stop."""
    by_stop, by_start = np.argsort(data.stop), np.argsort(data.start)
    zero = np.zeros((1, values.shape[1]))
    stop_tail = np.vstack([np.cumsum(values[by_stop][::-1], axis=0)[::-1], zero])
    start_tail = np.vstack([np.cumsum(values[by_start][::-1], axis=0)[::-1], zero])
    at_stop = np.searchsorted(data.stop[by_stop], times, side="left")
    at_start = np.searchsorted(data.start[by_start], times, side="left")
    return stop_tail[at_stop] - start_tail[at_start]


def _per_row_cumulative(data: CountingProcess, times: FloatArray, c: FloatArray) -> FloatArray:
    """Per row, the sum of ``c`` over the event times at which the row is at risk."""
    cum = np.concatenate([[0.0], np.cumsum(c)])
    upto_stop = np.searchsorted(times, data.stop, side="right")
    upto_start = np.searchsorted(times, data.start, side="right")
    return cum[upto_stop] - cum[upto_start]  # type: ignore[no-any-return]


def cox_partial_log_likelihood(
    beta: ArrayLike, data: CountingProcess, ties: Ties = "efron"
) -> tuple[float, FloatArray, FloatArray]:
    """The partial log-likelihood at ``beta``, with its exact gradient and Hessian."""
    b = np.asarray(beta, dtype=np.float64)
    x = data.covariates - data.covariates.mean(axis=0)  # centring changes none of the three
    # einsum, not @: BLAS threads would spin against the fit on a busy machine (see fitting.py)
    eta = np.einsum("np,p->n", x, b)
    shift = float(eta.max())
    w = np.exp(eta - shift)
    sets = _event_sets(data, ties)
    wx = w[:, None] * x
    risk = _at_risk_sums(data, np.column_stack([w, wx]), sets.times)
    died = np.zeros((sets.times.size, 1 + x.shape[1]))
    np.add.at(died, sets.row_time, np.column_stack([w, wx])[sets.event_rows])
    j, f = sets.of_event, sets.fraction
    den = risk[j, 0] - f * died[j, 0]
    num = (risk[j, 1:] - f[:, None] * died[j, 1:]) / den[:, None]
    value = float(eta[sets.event_rows].sum() - np.log(den).sum() - shift * den.size)
    gradient = x[sets.event_rows].sum(axis=0) - num.sum(axis=0)
    per_time = np.bincount(j, weights=1.0 / den, minlength=sets.times.size).astype(np.float64)
    tied = np.bincount(j, weights=f / den, minlength=sets.times.size)
    a = _per_row_cumulative(data, sets.times, per_time)
    a[sets.event_rows] -= tied[sets.row_time]
    hessian = -np.einsum("ni,nj->ij", x, x * (w * a)[:, None]) + np.einsum("ei,ej->ij", num, num)
    return value, gradient, hessian


class CoxPHModel:
    """Cox proportional hazards with time-varying covariates (counting-process rows)."""

    def __init__(self, *, ties: Ties = "efron", max_steps: int = 50, tolerance: float = 1e-9):
        if ties not in ("efron", "breslow"):
            raise ValueError(f"ties: 'efron' or 'breslow', not {ties!r}")
        self.ties: Ties = ties
        self.max_steps = max_steps
        self.tolerance = tolerance

    def fit(
        self,
        covariates: ArrayLike,
        start: ArrayLike,
        stop: ArrayLike,
        event: ArrayLike,
        names: Sequence[str] | None = None,
    ) -> Self:
        """Estimate the coefficients; ``InvalidSummaryError`` on bad input, ``ConvergenceError``
        when the likelihood has no finite maximum or Newton's method does not settle."""
        data = CountingProcess.of(covariates, start, stop, event)
        p = data.covariates.shape[1]
        self.names_ = list(names) if names is not None else [f"x{i}" for i in range(p)]
        if len(self.names_) != p:
            raise InvalidSummaryError("names", f"{len(self.names_)} names for {p} covariates")
        beta, value, hessian, steps = self._newton(data)
        information = -hessian
        covariance = np.linalg.inv(information)
        self.params_ = beta
        self.standard_errors_ = np.sqrt(np.diag(covariance))
        self.log_likelihood_ = value
        self.iterations_ = steps
        self.rows_ = int(data.stop.size)
        self.events_ = int(data.event.sum())
        return self

    def _newton(self, data: CountingProcess) -> tuple[FloatArray, float, FloatArray, int]:
        beta = np.zeros(data.covariates.shape[1])
        value, gradient, hessian = cox_partial_log_likelihood(beta, data, self.ties)
        for steps in range(1, self.max_steps + 1):
            step = self._direction(gradient, hessian)
            for _ in range(_HALVINGS):
                trial = cox_partial_log_likelihood(beta + step, data, self.ties)
                if trial[0] >= value - 1e-12 * abs(value):
                    break
                step = step / 2.0
            else:
                raise ConvergenceError(f"Cox fit: no step improves the likelihood (step {steps})")
            beta = beta + step
            value, gradient, hessian = trial
            self._check_bounded(beta)
            if np.max(np.abs(step)) < self.tolerance:
                self._direction(gradient, hessian)  # the information must be invertible here
                return beta, value, hessian, steps
        raise ConvergenceError(f"Cox fit did not converge in {self.max_steps} Newton steps")

    def _direction(self, gradient: FloatArray, hessian: FloatArray) -> FloatArray:
        try:
            factor = np.linalg.cholesky(-hessian)
        except np.linalg.LinAlgError:
            raise ConvergenceError(
                "Cox fit: the information matrix is singular (a covariate is constant "
                "among those at risk, or covariates are collinear)"
            ) from None
        y = np.linalg.solve(factor, gradient)
        return np.linalg.solve(factor.T, y)

    def _check_bounded(self, beta: FloatArray) -> None:
        runaway = np.flatnonzero(np.abs(beta) > _COEF_BOUND)
        if runaway.size:
            name = self.names_[int(runaway[0])]
            raise ConvergenceError(
                f"Cox fit: the coefficient of {name} runs off to infinity (it separates the "
                "events from the rest: no finite estimate)"
            )

    @property
    def hazard_ratios_(self) -> FloatArray:
        return np.exp(self.params_)

    def confidence_intervals_(self, level: float = 0.95) -> FloatArray:
        """Per covariate, the (lower, upper) bounds of the hazard ratio's Wald interval."""
        z = float(norm.ppf(0.5 + level / 2.0))
        half = z * self.standard_errors_
        return np.exp(np.column_stack([self.params_ - half, self.params_ + half]))

    @property
    def p_values_(self) -> FloatArray:
        """Two-sided Wald p-values of each coefficient being zero."""
        return np.asarray(2.0 * norm.sf(np.abs(self.params_ / self.standard_errors_)), np.float64)
