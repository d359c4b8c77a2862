"""The coach on its labelled development set keeps the targets (tests/data/coach/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from goodwill.coach import IRRITANTS, Coach
from goodwill.coach.evaluation import Report, evaluate, load

DATA = Path(__file__).resolve().parents[2] / "data" / "coach"


@pytest.fixture(scope="module")
def report(coach: Coach) -> Report:
    items = load(DATA / "dev.jsonl")
    assert len(items) >= 300
    return evaluate(coach, items)[0]


def test_dev_set_is_large_and_balanced() -> None:
    items = load(DATA / "dev.jsonl")
    clean = [i for i in items if not any(c in IRRITANTS for c, _, _ in i.labels)]
    assert len(clean) >= 0.3 * len(items)
    labelled = {c for i in items for c, _, _ in i.labels}
    assert set(IRRITANTS) <= labelled
    assert len(load(DATA / "holdout.jsonl")) >= 80


def test_micro_precision_and_recall_on_dev(report: Report) -> None:
    micro = report.micro(IRRITANTS)
    assert micro.precision >= 0.85
    assert micro.recall >= 0.75


def test_no_irritant_category_below_060_on_dev(report: Report) -> None:
    for category in IRRITANTS:
        tally = report.per_category[category]
        assert tally.precision >= 0.6, category
        assert tally.recall >= 0.6, category


def test_fewer_than_one_false_alarm_per_ten_excellent_replies(report: Report) -> None:
    assert report.false_irritants_per_10_clean < 1.0
