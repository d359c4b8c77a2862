"""BG/NBD: published CDNOW estimates, exact gradient, invariants, recovery from simulated data."""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.stats import (
    BGNBDModel,
    BGNBDParams,
    ConvergenceError,
    Summary,
    bg_nbd_log_likelihood,
    bg_nbd_log_likelihood_gradient,
)
from goodwill.stats.simulation import simulate_bg_nbd

HISTORIES = (
    np.array([0.0, 2.0, 2.0, 7.0, 29.0]),
    np.array([0.0, 30.43, 5.0, 35.0, 38.0]),
    np.full(5, 38.86),
)


def test_bg_nbd_matches_fader_hardie_lee_2005(bg_nbd_cdnow: BGNBDModel) -> None:
    p = bg_nbd_cdnow.params_
    assert (round(p.r, 3), round(p.alpha, 3), round(p.a, 3), round(p.b, 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert round(bg_nbd_cdnow.log_likelihood_, 1) == -9582.4


def test_bg_nbd_matches_fader_hardie_lee_2005_from_transactions(
    cdnow_exact_summary: Summary,
) -> None:
    s = cdnow_exact_summary
    model = BGNBDModel().fit(s.frequency, s.recency, s.T)
    p = model.params_
    assert (round(p.r, 3), round(p.alpha, 3), round(p.a, 3), round(p.b, 3)) == (
        0.243,
        4.414,
        0.793,
        2.426,
    )
    assert round(model.log_likelihood_, 1) == -9582.4


def test_bg_nbd_standard_errors_match_lifetimes(bg_nbd_cdnow: BGNBDModel) -> None:
    # lifetimes 0.11.3 BetaGeoFitter.summary on the same file (autograd's exact Hessian)
    se = bg_nbd_cdnow.standard_errors_
    assert [se.r, se.alpha, se.a, se.b] == pytest.approx(
        [0.012557, 0.378221, 0.185719, 0.705345], rel=1e-4
    )


def test_bg_nbd_predictions_match_lifetimes(bg_nbd_cdnow: BGNBDModel) -> None:
    # lifetimes 0.11.3 BetaGeoFitter fitted to the same file; (2, 30.43, 38.86) -> 1.226 is the
    # worked example of Fader, Hardie & Lee
    model = bg_nbd_cdnow
    expected = model.conditional_expected_number_of_purchases_up_to_time(39, *HISTORIES)
    assert expected == pytest.approx([0.194781, 1.225910, 0.208778, 4.387529, 19.453013], rel=1e-5)
    alive = model.conditional_probability_alive(*HISTORIES)
    assert alive == pytest.approx([1.0, 0.726609, 0.123745, 0.843787, 0.955228], rel=1e-5)
    unconditional = model.expected_number_of_purchases_up_to_time(np.array([1.0, 10, 39, 78]))
    assert unconditional == pytest.approx([0.053185, 0.431761, 1.195016, 1.857972], rel=1e-5)


@pytest.mark.parametrize(
    "params", [BGNBDParams(0.243, 4.414, 0.793, 2.426), BGNBDParams(2.0, 0.5, 3.0, 0.7)]
)
def test_bg_nbd_gradient_matches_finite_differences(
    params: BGNBDParams, cdnow_summary: Summary
) -> None:
    s = cdnow_summary
    analytic = bg_nbd_log_likelihood_gradient(params, s.frequency, s.recency, s.T).sum(axis=0)
    values = np.array([params.r, params.alpha, params.a, params.b])
    numeric = np.empty(4)
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * values[i]
        upper = bg_nbd_log_likelihood(BGNBDParams(*(values + step)), s.frequency, s.recency, s.T)
        lower = bg_nbd_log_likelihood(BGNBDParams(*(values - step)), s.frequency, s.recency, s.T)
        numeric[i] = (upper.sum() - lower.sum()) / (2 * step[i])
    assert analytic == pytest.approx(numeric, rel=1e-6, abs=1e-4)


def test_bg_nbd_probability_alive_is_a_probability(
    bg_nbd_cdnow: BGNBDModel, cdnow_summary: Summary
) -> None:
    s = cdnow_summary
    alive = bg_nbd_cdnow.conditional_probability_alive(s.frequency, s.recency, s.T)
    assert np.all((alive >= 0) & (alive <= 1))
    assert np.all(alive[s.frequency == 0] == 1.0)
    assert alive[s.frequency > 0].min() < 0.1  # some repeat buyers have visibly gone


def test_bg_nbd_probability_alive_falls_with_silence(bg_nbd_cdnow: BGNBDModel) -> None:
    alive = bg_nbd_cdnow.conditional_probability_alive([3, 3, 3], [30.0, 20.0, 5.0], [38.0] * 3)
    assert alive[0] > alive[1] > alive[2]


def test_bg_nbd_expected_purchases_grow_with_time(bg_nbd_cdnow: BGNBDModel) -> None:
    horizons = np.linspace(0, 200, 41)
    unconditional = bg_nbd_cdnow.expected_number_of_purchases_up_to_time(horizons)
    assert unconditional[0] == 0
    assert np.all(np.diff(unconditional) > 0)
    conditional = bg_nbd_cdnow.conditional_expected_number_of_purchases_up_to_time(
        horizons, 2, 30.43, 38.86
    )
    assert np.all(np.diff(conditional) > 0)


def test_bg_nbd_recovers_simulated_parameters() -> None:
    rng = np.random.default_rng(20050401)
    truth = BGNBDParams(0.5, 6.0, 0.7, 2.5)
    s = simulate_bg_nbd(truth, rng.uniform(26.0, 52.0, 20_000), rng)
    model = BGNBDModel().fit(s.frequency, s.recency, s.T)
    for name in ("r", "alpha", "a", "b"):
        error = getattr(model.params_, name) - getattr(truth, name)
        assert abs(error) < 4 * getattr(model.standard_errors_, name), name


def test_bg_nbd_weights_give_the_same_fit_as_repeated_rows() -> None:
    rng = np.random.default_rng(7)
    s = simulate_bg_nbd(BGNBDParams(0.5, 6.0, 0.7, 2.5), rng.integers(20, 40, 3000), rng)
    rows, counts = np.unique(
        np.column_stack([s.frequency, np.ceil(s.recency), s.T]), axis=0, return_counts=True
    )
    weighted = BGNBDModel().fit(rows[:, 0], rows[:, 1], rows[:, 2], weights=counts)
    repeated = BGNBDModel().fit(s.frequency, np.ceil(s.recency), s.T)
    assert rows.shape[0] < s.frequency.shape[0] / 2
    assert weighted.params_.r == pytest.approx(repeated.params_.r, rel=1e-6)
    assert weighted.log_likelihood_ == pytest.approx(repeated.log_likelihood_, rel=1e-9)


def test_bg_nbd_without_repeat_purchases_raises_convergence_error() -> None:
    # nobody came back: the purchase rate's shape r runs to zero and nothing pins down a and b
    with pytest.raises(ConvergenceError):
        BGNBDModel().fit(np.zeros(50), np.zeros(50), np.linspace(1, 30, 50))


@pytest.mark.parametrize(
    "params", [BGNBDParams(0.243, 4.414, 0.793, 2.426), BGNBDParams(2.0, 0.5, 3.0, 0.7)]
)
def test_bg_nbd_hessian_matches_differences_of_the_gradient(
    params: BGNBDParams, cdnow_summary: Summary
) -> None:
    # the fit's Newton steps and standard errors rest on this exact Hessian
    from goodwill.stats.bgnbd import _LOG_LIKELIHOOD
    from goodwill.stats.summary import FrequencyGroups, compress

    s = compress(cdnow_summary)
    groups = FrequencyGroups.of(s)
    values = np.array([params.r, params.alpha, params.a, params.b])
    _, _, hessian = _LOG_LIKELIHOOD.total(values, s, groups)
    numeric = np.empty((4, 4))
    for i in range(4):
        step = np.zeros(4)
        step[i] = 1e-6 * values[i]
        upper = _LOG_LIKELIHOOD.total(values + step, s, groups)[1]
        lower = _LOG_LIKELIHOOD.total(values - step, s, groups)[1]
        numeric[:, i] = (upper - lower) / (2 * step[i])
    assert hessian == pytest.approx(numeric, rel=1e-5, abs=1e-2)
