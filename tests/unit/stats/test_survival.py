"""The Cox model (goodwill.stats.survival): agreement with lifelines, recovery of known hazard
ratios from simulated histories, exact derivatives, and refusal of bad or hopeless input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from goodwill.stats.errors import ConvergenceError, InvalidSummaryError
from goodwill.stats.survival import CountingProcess, CoxPHModel, cox_partial_log_likelihood

DATA = Path(__file__).resolve().parents[2] / "data" / "survival" / "cox_counting_process.csv"


def _table() -> np.ndarray:
    # columns: id, start, stop, event, recent (time-varying 0/1), age
    return np.loadtxt(DATA, delimiter=",", skiprows=1)


def test_cox_matches_lifelines_0_30_3_coxtimevaryingfitter() -> None:
    """Reference: lifelines 0.30.3 CoxTimeVaryingFitter (Efron ties) on the same file, run once
    in a separate environment (lifelines is not a dependency): coefficients, standard errors
    and log partial likelihood."""
    d = _table()
    model = CoxPHModel().fit(d[:, 4:6], d[:, 1], d[:, 2], d[:, 3], names=["recent", "age"])
    assert model.params_ == pytest.approx([0.660108462602276, 0.49107844860955574], abs=1e-6)
    assert model.standard_errors_ == pytest.approx(
        [0.23330698015736942, 0.09902485681251921], abs=1e-6
    )
    assert model.log_likelihood_ == pytest.approx(-470.10182105170094, abs=1e-6)
    assert model.events_ == 116
    assert model.rows_ == 233


def test_breslow_differs_from_efron_only_through_ties() -> None:
    d = _table()
    efron = CoxPHModel(ties="efron").fit(d[:, 4:6], d[:, 1], d[:, 2], d[:, 3])
    breslow = CoxPHModel(ties="breslow").fit(d[:, 4:6], d[:, 1], d[:, 2], d[:, 3])
    assert abs(efron.params_[0] - breslow.params_[0]) > 1e-3  # the file has tied event days
    jitter = d[:, 2] + np.arange(d.shape[0]) * 1e-6  # break every tie
    a = CoxPHModel(ties="efron").fit(d[:, 4:6], d[:, 1], jitter, d[:, 3])
    b = CoxPHModel(ties="breslow").fit(d[:, 4:6], d[:, 1], jitter, d[:, 3])
    assert a.params_ == pytest.approx(b.params_, abs=1e-10)


def test_gradient_and_hessian_are_exact() -> None:
    d = _table()
    data = CountingProcess.of(d[:, 4:6], d[:, 1], d[:, 2], d[:, 3])
    beta, eps = np.array([0.3, -0.2]), 1e-6
    _, gradient, hessian = cox_partial_log_likelihood(beta, data)
    for k in range(2):
        e = np.zeros(2)
        e[k] = eps
        up, down = (
            cox_partial_log_likelihood(beta + e, data),
            cox_partial_log_likelihood(beta - e, data),
        )
        assert (up[0] - down[0]) / (2 * eps) == pytest.approx(gradient[k], rel=1e-6)
        assert (up[1] - down[1]) / (2 * eps) == pytest.approx(hessian[k], rel=1e-5, abs=1e-6)


def _simulate(n: int, seed: int, beta_recent: float, beta_other: float) -> tuple[np.ndarray, ...]:
    """Subjects with a baseline covariate and a 0/1 covariate that switches on at a random time;
    exponential baseline hazard; censored at a random time. Counting-process rows."""
    rng = np.random.default_rng(seed)
    rows = []
    for _ in range(n):
        other, switch = rng.normal(), rng.uniform(5, 60)
        rate = 0.02 * np.exp(beta_other * other)
        u = rng.exponential()
        t = (
            u / rate
            if u < rate * switch
            else switch + (u - rate * switch) / (rate * np.exp(beta_recent))
        )
        end = min(t, rng.uniform(20, 120))
        event = float(t <= end)
        if end <= switch:
            rows.append((0.0, end, event, 0.0, other))
        else:
            rows += [(0.0, switch, 0.0, 0.0, other), (switch, end, event, 1.0, other)]
    table = np.array(rows)
    return table[:, 3:5], table[:, 0], table[:, 1], table[:, 2]


@pytest.mark.parametrize(("beta_recent", "beta_other"), [(np.log(2.5), 0.5), (0.0, -0.7)])
def test_recovers_known_hazard_ratios_of_simulated_histories(
    beta_recent: float, beta_other: float
) -> None:
    x, start, stop, event = _simulate(4000, seed=11, beta_recent=beta_recent, beta_other=beta_other)
    model = CoxPHModel().fit(x, start, stop, event)
    truth = np.array([beta_recent, beta_other])
    assert np.all(np.abs(model.params_ - truth) < 3 * model.standard_errors_)
    low, high = model.confidence_intervals_().T
    assert np.all((low < np.exp(truth)) & (np.exp(truth) < high))
    assert model.hazard_ratios_ == pytest.approx(np.exp(model.params_))
    if beta_recent == 0.0:
        assert model.p_values_[0] > 0.01
        assert low[0] < 1 < high[0]
    else:
        assert model.p_values_[0] < 1e-6
        assert low[0] > 1


def test_confidence_interval_widens_with_level() -> None:
    x, start, stop, event = _simulate(500, seed=3, beta_recent=0.5, beta_other=0.2)
    model = CoxPHModel().fit(x, start, stop, event)
    narrow, wide = model.confidence_intervals_(0.8), model.confidence_intervals_(0.99)
    assert np.all(wide[:, 0] < narrow[:, 0])
    assert np.all(narrow[:, 1] < wide[:, 1])


def test_separating_covariate_raises_convergence_error() -> None:
    start, stop = np.zeros(6), np.arange(1.0, 7.0)
    event = np.array([1, 1, 1, 0, 0, 0])
    x = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0])  # only the exposed have events, all early
    with pytest.raises(ConvergenceError, match="infinity"):
        CoxPHModel().fit(x, start, stop, event, names=["recent"])


def test_constant_covariate_raises_convergence_error() -> None:
    start, stop = np.zeros(5), np.arange(1.0, 6.0)
    with pytest.raises(ConvergenceError, match="singular"):
        CoxPHModel().fit(np.ones(5), start, stop, [1, 0, 1, 0, 1])


@pytest.mark.parametrize(
    ("start", "stop", "event", "field"),
    [
        ([0, 2], [1, 2], [1, 0], "stop"),
        ([0, 0], [1, 2], [1, 2], "event"),
        ([0, 0], [1, 2], [0, 0], "event"),
        ([0, np.nan], [1, 2], [1, 0], "start"),
        ([0, 0, 0], [1, 2], [1, 0], "start"),
    ],
)
def test_bad_input_names_the_field(
    start: list[float], stop: list[float], event: list[float], field: str
) -> None:
    with pytest.raises(InvalidSummaryError) as raised:
        CoxPHModel().fit(np.zeros((2, 1)), start, stop, event)
    assert raised.value.field == field


def test_ties_option_is_checked() -> None:
    with pytest.raises(ValueError, match="ties"):
        CoxPHModel(ties="exact")  # type: ignore[arg-type]
