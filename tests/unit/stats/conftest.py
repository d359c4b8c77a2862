"""CDNOW data (as shipped with lifetimes) for the tests that check published numbers."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from goodwill.stats import BGNBDModel, ParetoNBDModel, Summary, summary_from_transactions

REPO = Path(__file__).resolve().parents[3]
CDNOW = REPO / os.environ.get("GOODWILL_DATA_DIR", "../shared/data") / "cdnow"


def _cdnow_file(name: str) -> Path:
    path = CDNOW / name
    if not path.exists():
        pytest.skip(f"{path} is absent: set GOODWILL_DATA_DIR to the shared data folder")
    return path


@pytest.fixture(scope="session")
def cdnow_summary() -> Summary:
    """The 39-week calibration summary of the CDNOW sample, rounded to 2 decimals as published."""
    table = np.loadtxt(_cdnow_file("cdnow_customers_summary.csv"), delimiter=",", skiprows=1)
    return Summary(table[:, 1], table[:, 2], table[:, 3], np.ones(table.shape[0]))


@pytest.fixture(scope="session")
def cdnow_sample_transactions() -> tuple[np.ndarray, np.ndarray]:
    """(customer id, purchase date) of each line of the 1/10 CDNOW sample."""
    rows = [line.split() for line in _cdnow_file("CDNOW_sample.txt").read_text().splitlines()]
    ids = np.array([row[1] for row in rows])
    dates = np.array([f"{row[2][:4]}-{row[2][4:6]}-{row[2][6:]}" for row in rows])
    return ids, dates


@pytest.fixture(scope="session")
def cdnow_exact_summary(cdnow_sample_transactions: tuple[np.ndarray, np.ndarray]) -> Summary:
    """The same calibration summary computed from the transactions, unrounded."""
    ids, dates = cdnow_sample_transactions
    return summary_from_transactions(ids, dates, calibration_period_end="1997-09-30")[1]


@pytest.fixture(scope="session")
def bg_nbd_cdnow(cdnow_summary: Summary) -> BGNBDModel:
    return BGNBDModel().fit(cdnow_summary.frequency, cdnow_summary.recency, cdnow_summary.T)


@pytest.fixture(scope="session")
def pareto_nbd_cdnow(cdnow_exact_summary: Summary) -> ParetoNBDModel:
    s = cdnow_exact_summary
    return ParetoNBDModel().fit(s.frequency, s.recency, s.T)
