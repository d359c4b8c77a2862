"""Pareto/NBD: published CDNOW estimates, the 2F1 closed form, exact gradient, invariants."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import gammaln, hyp2f1

from goodwill.stats import (
    ParetoNBDModel,
    ParetoNBDParams,
    Summary,
    pareto_nbd_log_likelihood,
    pareto_nbd_log_likelihood_gradient,
)
from goodwill.stats.simulation import simulate_pareto_nbd

HISTORIES = (
    np.array([0.0, 2.0, 2.0, 7.0, 29.0]),
    np.array([0.0, 30.43, 5.0, 35.0, 38.0]),
    np.full(5, 38.86),
)
HARD_HISTORIES = (
    np.array([0.0, 1, 5, 20, 60, 100, 3, 3]),
    np.array([0.0, 0.01, 1, 2, 30, 38, 0.5, 38.9]),
    np.full(8, 39.0),
)
PARAMS = [
    ParetoNBDParams(0.553, 10.578, 0.606, 11.669),  # CDNOW: alpha < beta, close
    ParetoNBDParams(2.0, 0.1, 0.3, 100.0),  # alpha far below beta
    ParetoNBDParams(0.2, 100.0, 3.0, 0.05),  # alpha far above beta
    ParetoNBDParams(0.5, 1.0, 0.5, 1.0),  # alpha == beta
]


def _log_likelihood_with_2f1(p: ParetoNBDParams, x: np.ndarray, t_x: np.ndarray, T: np.ndarray):
    """Fader & Hardie (2005) note, eqs. 18-22: the 2F1 form, one branch per sign of alpha-beta."""
    r_s_x = p.r + p.s + x
    if p.alpha >= p.beta:
        second, larger, gap = p.s + 1, p.alpha, p.alpha - p.beta
    else:
        second, larger, gap = p.r + x, p.beta, p.beta - p.alpha
    a_0 = hyp2f1(r_s_x, second, r_s_x + 1, gap / (larger + t_x)) / (larger + t_x) ** r_s_x
    a_0 -= hyp2f1(r_s_x, second, r_s_x + 1, gap / (larger + T)) / (larger + T) ** r_s_x
    alive = (p.alpha + T) ** -(p.r + x) * (p.beta + T) ** -p.s
    head = gammaln(p.r + x) - gammaln(p.r) + p.r * np.log(p.alpha) + p.s * np.log(p.beta)
    return head + np.log(alive + p.s / r_s_x * a_0)


def test_pareto_nbd_matches_fader_hardie_2005(pareto_nbd_cdnow: ParetoNBDModel) -> None:
    p = pareto_nbd_cdnow.params_
    assert (round(p.r, 3), round(p.alpha, 3), round(p.s, 3), round(p.beta, 3)) == (
        0.553,
        10.578,
        0.606,
        11.669,
    )
    assert round(pareto_nbd_cdnow.log_likelihood_, 1) == -9595.0


def test_pareto_nbd_on_the_rounded_summary_file_is_within_rounding(cdnow_summary: Summary) -> None:
    # the published file rounds recency and T to 2 decimals; beta, the least determined
    # parameter (standard error 6.2), then peaks at 11.668 instead of 11.669
    s = cdnow_summary
    model = ParetoNBDModel().fit(s.frequency, s.recency, s.T)
    p = model.params_
    assert [p.r, p.alpha, p.s, p.beta] == pytest.approx([0.553, 10.578, 0.606, 11.669], abs=1.5e-3)
    assert round(model.log_likelihood_, 1) == -9595.0


@pytest.mark.parametrize("params", PARAMS)
def test_pareto_nbd_log_likelihood_matches_the_2f1_closed_form(
    params: ParetoNBDParams, cdnow_summary: Summary
) -> None:
    for x, t_x, age in (
        HARD_HISTORIES,
        (cdnow_summary.frequency, cdnow_summary.recency, cdnow_summary.T),
    ):
        ours = pareto_nbd_log_likelihood(params, x, t_x, age)
        assert ours == pytest.approx(_log_likelihood_with_2f1(params, x, t_x, age), abs=1e-10)


@pytest.mark.parametrize("params", PARAMS)
def test_pareto_nbd_gradient_matches_finite_differences(params: ParetoNBDParams) -> None:
    x, t_x, age = HARD_HISTORIES
    analytic = pareto_nbd_log_likelihood_gradient(params, x, t_x, age).sum(axis=0)
    values = np.array([params.r, params.alpha, params.s, params.beta])
    numeric = np.empty(4)
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * values[i]
        upper = pareto_nbd_log_likelihood(ParetoNBDParams(*(values + step)), x, t_x, age).sum()
        lower = pareto_nbd_log_likelihood(ParetoNBDParams(*(values - step)), x, t_x, age).sum()
        numeric[i] = (upper - lower) / (2 * step[i])
    assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-6)


def test_pareto_nbd_predictions_match_lifetimes() -> None:
    # lifetimes 0.11.3 ParetoNBDFitter given the same parameters
    model = ParetoNBDModel()
    model.params_ = ParetoNBDParams(0.5532755078, 10.5776122246, 0.6062135488, 11.6679107124)
    expected = model.conditional_expected_number_of_purchases_up_to_time(39, *HISTORIES)
    assert expected == pytest.approx([0.107060, 1.455113, 0.217770, 4.636152, 19.116532], rel=1e-5)
    alive = model.conditional_probability_alive(*HISTORIES)
    assert alive == pytest.approx([0.295097, 0.869119, 0.130071, 0.936057, 0.986469], rel=1e-5)
    unconditional = model.expected_number_of_purchases_up_to_time(np.array([1.0, 10, 39, 78]))
    assert unconditional == pytest.approx([0.051007, 0.427794, 1.213408, 1.909881], rel=1e-5)


def test_pareto_nbd_probability_alive_is_a_probability(
    pareto_nbd_cdnow: ParetoNBDModel, cdnow_exact_summary: Summary
) -> None:
    s = cdnow_exact_summary
    alive = pareto_nbd_cdnow.conditional_probability_alive(s.frequency, s.recency, s.T)
    assert np.all((alive >= 0) & (alive <= 1))
    # a customer who bought at the very end is certainly still there
    assert pareto_nbd_cdnow.conditional_probability_alive([0, 4], [0, 20], [0, 20]) == (
        pytest.approx([1.0, 1.0])
    )
    # silence is evidence of leaving, even without a repeat purchase
    silent = pareto_nbd_cdnow.conditional_probability_alive([0, 0, 0], [0, 0, 0], [5, 20, 40])
    assert silent[0] > silent[1] > silent[2]


def test_pareto_nbd_expected_purchases_grow_with_time(pareto_nbd_cdnow: ParetoNBDModel) -> None:
    horizons = np.linspace(0, 200, 41)
    unconditional = pareto_nbd_cdnow.expected_number_of_purchases_up_to_time(horizons)
    assert unconditional[0] == 0
    assert np.all(np.diff(unconditional) > 0)
    conditional = pareto_nbd_cdnow.conditional_expected_number_of_purchases_up_to_time(
        horizons, 2, 30.43, 38.86
    )
    assert np.all(np.diff(conditional) > 0)


def test_pareto_nbd_expected_purchases_at_s_equal_one_is_the_limit() -> None:
    horizons = np.array([1.0, 10.0, 100.0])
    at_one = ParetoNBDModel()
    at_one.params_ = ParetoNBDParams(0.5, 10.0, 1.0, 12.0)
    near_one = ParetoNBDModel()
    near_one.params_ = ParetoNBDParams(0.5, 10.0, 1.0 + 1e-7, 12.0)
    assert at_one.expected_number_of_purchases_up_to_time(horizons) == pytest.approx(
        near_one.expected_number_of_purchases_up_to_time(horizons), rel=1e-6
    )


def test_pareto_nbd_recovers_simulated_parameters() -> None:
    rng = np.random.default_rng(19870101)
    truth = ParetoNBDParams(0.6, 8.0, 0.8, 12.0)
    s = simulate_pareto_nbd(truth, np.round(rng.uniform(26.0, 52.0, 8000), 1), rng)
    model = ParetoNBDModel().fit(s.frequency, np.round(s.recency, 1), s.T)
    for name in ("r", "alpha", "s", "beta"):
        error = getattr(model.params_, name) - getattr(truth, name)
        assert abs(error) < 4 * getattr(model.standard_errors_, name), name
