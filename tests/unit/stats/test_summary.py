"""Input checks and the transaction-log summary."""

from __future__ import annotations

import numpy as np
import pytest

import goodwill.stats
from goodwill.stats import (
    BGNBDModel,
    InvalidSummaryError,
    ParetoNBDModel,
    Summary,
    check_summary,
    summary_from_transactions,
)


def test_stats_public_api_is_exact() -> None:
    assert sorted(goodwill.stats.__all__) == [
        "BGNBDModel",
        "BGNBDParams",
        "ConvergenceError",
        "InvalidSummaryError",
        "ParetoNBDModel",
        "ParetoNBDParams",
        "Summary",
        "TimeUnit",
        "bg_nbd_log_likelihood",
        "bg_nbd_log_likelihood_gradient",
        "check_summary",
        "pareto_nbd_log_likelihood",
        "pareto_nbd_log_likelihood_gradient",
        "summary_from_transactions",
    ]
    for name in goodwill.stats.__all__:
        assert hasattr(goodwill.stats, name)


@pytest.mark.parametrize(
    ("frequency", "recency", "T", "field", "index", "reason"),
    [
        ([1, -1], [1, 0], [2, 2], "frequency", 1, "negative"),
        ([1, 1], [1, -0.5], [2, 2], "recency", 1, "negative"),
        ([1, 1], [1, 3], [2, 2], "recency", 1, "exceed T"),
        ([0, 1], [0.5, 1], [2, 2], "recency", 0, "0 when frequency is 0"),
        ([1, 1], [1, 1], [2, np.nan], "T", 1, "finite"),
        ([1, np.inf], [1, 1], [2, 2], "frequency", 1, "finite"),
        ([1.5, 1], [1, 1], [2, 2], "frequency", 0, "whole number"),
        ([1, 1], [1, 1, 1], [2, 2], "recency", None, "has 3 values"),
        ([], [], [], "frequency", None, "no customers"),
        ([1, 1], [1, 1], ["2", "x"], "T", None, "numbers"),
    ],
)
def test_bad_summaries_are_rejected_naming_the_field(
    frequency: list[float],
    recency: list[float],
    T: list[float],
    field: str,
    index: int | None,
    reason: str,
) -> None:
    with pytest.raises(InvalidSummaryError, match=reason) as raised:
        check_summary(frequency, recency, T)
    assert raised.value.field == field
    assert raised.value.index == index
    assert str(raised.value).startswith(f"{field}:")


@pytest.mark.parametrize("model", [BGNBDModel(), ParetoNBDModel()])
def test_models_check_their_inputs_on_entry(model: BGNBDModel | ParetoNBDModel) -> None:
    with pytest.raises(ValueError, match="recency"):
        model.fit([1, 2], [3, 1], [2, 2])
    with pytest.raises(ValueError, match="weights"):
        model.fit([1, 2], [1, 1], [2, 2], weights=[1, -1])


def test_summary_from_transactions_reproduces_the_published_cdnow_summary(
    cdnow_sample_transactions: tuple[np.ndarray, np.ndarray], cdnow_summary: Summary
) -> None:
    ids, dates = cdnow_sample_transactions
    customers, summary = summary_from_transactions(
        ids, dates, calibration_period_end="1997-09-30", time_unit="weeks"
    )
    assert customers.shape[0] == 2357
    assert summary.frequency == pytest.approx(cdnow_summary.frequency)
    assert summary.recency == pytest.approx(cdnow_summary.recency, abs=0.005)
    ages = summary.T
    assert ages == pytest.approx(cdnow_summary.T, abs=0.005)


def test_summary_from_transactions_counts_days_and_cuts_at_the_calibration_end() -> None:
    ids = ["b", "a", "a", "a", "a", "c", "b"]
    dates = [
        "2024-01-10",
        "2024-01-01",
        "2024-01-01",
        "2024-01-05",
        "2024-02-01",
        "2024-01-31",
        "2024-01-03",
    ]
    customers, summary = summary_from_transactions(
        ids, dates, calibration_period_end="2024-01-15", time_unit="days"
    )
    # "a" bought twice on 1 January (one purchase day) and after the end; "c" only after it
    assert customers.tolist() == ["a", "b"]
    assert summary.frequency.tolist() == [1, 1]
    assert summary.recency.tolist() == [4, 7]
    assert summary.T.tolist() == [14, 12]
    _, weekly = summary_from_transactions(ids, dates, calibration_period_end="2024-01-15")
    assert weekly.T.tolist() == [2.0, 12 / 7]
    _, to_last = summary_from_transactions(ids, dates, time_unit="days")
    assert to_last.T.tolist() == [31, 29, 1]


def test_summary_from_transactions_rejects_unusable_logs() -> None:
    with pytest.raises(ValueError, match="time_unit"):
        summary_from_transactions(["a"], ["2024-01-01"], time_unit="months")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="calibration_period_end"):
        summary_from_transactions(["a"], ["2024-01-01"], calibration_period_end="2023-12-31")
    with pytest.raises(ValueError, match="as many as the customer_ids"):
        summary_from_transactions(["a", "b"], ["2024-01-01"])
    with pytest.raises(ValueError, match="missing date"):
        summary_from_transactions(["a", "b"], ["2024-01-01", "NaT"])
