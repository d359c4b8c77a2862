"""The termination-risk model on simulated histories: customers who fall quiet before leaving."""

from __future__ import annotations

import numpy as np
import pytest

from goodwill.stats.churn import DAY, FEATURES, Events, TerminationRiskModel, features_at
from goodwill.stats.errors import InvalidSummaryError

END = 1_000 * DAY


def _world(
    count: int, seed: int, leave_share: float = 0.4
) -> tuple[Events, np.ndarray, np.ndarray]:
    """Customers in touch every ~20 days; those who leave go quiet 60–120 days before the end
    and stop buying."""
    rng = np.random.default_rng(seed)
    started = rng.uniform(0, 300 * DAY, count)
    ended = np.full(count, np.nan)
    leavers = rng.random(count) < leave_share
    ended[leavers] = rng.uniform(450 * DAY, END, leavers.sum())
    contact: tuple[list[int], list[float]] = ([], [])
    purchase: tuple[list[int], list[float]] = ([], [])
    for i in range(count):
        stop = ended[i] - rng.uniform(60, 120) * DAY if leavers[i] else END
        t = started[i]
        while t < min(stop, END):
            contact[0].append(i)
            contact[1].append(t)
            if rng.random() < 0.5:
                purchase[0].append(i)
                purchase[1].append(t)
            t += rng.exponential(20 * DAY)
    kinds = {"contact": contact, "purchase": purchase}
    arrays = {k: (np.asarray(v[0]), np.asarray(v[1])) for k, v in kinds.items()}
    return Events.build(count, arrays), started, ended


def test_events_count_and_find_the_last_event_per_relationship() -> None:
    events = Events.build(3, {"contact": (np.array([0, 0, 2]), np.array([10.0, 30.0, 5.0]))})

    assert events.between("contact", 0, 20).tolist() == [1, 0, 1]
    assert events.between("contact", 0, 31).tolist() == [2, 0, 1]
    last = events.last_before("contact", 25)
    assert last[0] == 10.0
    assert np.isnan(last[1])
    assert last[2] == 5.0
    assert features_at(events, np.zeros(3), 40.0).shape == (3, len(FEATURES))


def test_quiet_customers_are_ranked_as_leaving_on_a_later_holdout() -> None:
    events, started, ended = _world(600, seed=1)

    model = TerminationRiskModel().fit(events, started, ended, END)

    assert model.summary_["holdout_auc"] > 0.8
    assert model.summary_["holdout_ended"] > 0
    assert model.summary_["holdout_cutoff"] == END - 90 * DAY
    weights = dict(zip(FEATURES, model.coef_, strict=True))
    assert weights["days_since_contact"] > 0  # long silence raises the risk
    probability = model.predict(features_at(events, started, END))
    assert np.all((probability >= 0) & (probability <= 1))
    again = TerminationRiskModel.from_json(model.to_json())
    x = features_at(events, started, END)
    assert np.allclose(again.predict(x), model.predict(x))


def test_a_model_without_signal_scores_near_chance_on_the_holdout() -> None:
    events, started, _ = _world(600, seed=2, leave_share=0.0)
    rng = np.random.default_rng(3)
    ended = np.where(rng.random(600) < 0.3, rng.uniform(450 * DAY, END, 600), np.nan)

    model = TerminationRiskModel().fit(events, started, ended, END)

    assert 0.3 < model.summary_["holdout_auc"] < 0.7


def test_too_few_ended_relationships_is_said_not_guessed() -> None:
    events, started, ended = _world(60, seed=4, leave_share=0.05)

    with pytest.raises(InvalidSummaryError, match="needed"):
        TerminationRiskModel().fit(events, started, ended, END)


def test_a_capped_fit_samples_by_class_and_finds_the_same_model() -> None:
    events, started, ended = _world(1500, seed=5)
    everything = TerminationRiskModel().fit(events, started, ended, END)
    rows = everything.summary_["train_snapshots"]

    capped = TerminationRiskModel(max_fit_rows=rows // 4).fit(events, started, ended, END)
    again = TerminationRiskModel(max_fit_rows=rows // 4).fit(events, started, ended, END)

    assert capped.summary_["fitted_snapshots"] == rows // 4 < rows
    assert np.array_equal(capped.coef_, again.coef_)  # a fixed seed: the same model each time
    # the same direction for every feature, and close strengths
    assert np.corrcoef(capped.coef_, everything.coef_)[0, 1] > 0.95
    assert abs(capped.summary_["holdout_auc"] - everything.summary_["holdout_auc"]) < 0.03
    x = features_at(events, started, END)
    assert np.corrcoef(capped.predict(x), everything.predict(x))[0, 1] > 0.95


def test_a_capped_fit_keeps_the_rare_class_whole() -> None:
    x = np.arange(40, dtype=np.float64).reshape(20, 2)
    y = np.zeros(20, dtype=bool)
    y[[3, 11]] = True

    sampled_x, sampled_y = TerminationRiskModel(max_fit_rows=6)._sample(x, y)

    assert len(sampled_y) == 6
    assert sampled_y.sum() == 2  # both ended relationships kept
    assert {3.0, 11.0} <= {row[0] / 2 for row in sampled_x}
