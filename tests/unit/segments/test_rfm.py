"""RFM quintile scores on small sets whose scores are worked out by hand."""

from __future__ import annotations

import numpy as np

from goodwill.segments import rfm

NAN = float("nan")


def test_ten_distinct_values_make_two_per_quintile() -> None:
    scores = rfm.quintile_scores(np.arange(1.0, 11.0))

    assert scores.tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_equal_values_share_a_score_from_the_share_strictly_below() -> None:
    # 1 has nothing below (1); 2 has 5 of 10 below (1 + 2.5 → 3); 3 has 7 (4); 4 and 10 (5)
    counts = np.array([1, 1, 1, 1, 1, 2, 2, 3, 4, 10], dtype=float)

    assert rfm.quintile_scores(counts).tolist() == [1, 1, 1, 1, 1, 3, 3, 4, 5, 5]


def test_scores_do_not_depend_on_the_order_of_the_rows() -> None:
    rng = np.random.default_rng(3)
    values = rng.integers(0, 40, 200).astype(float)
    order = rng.permutation(200)

    assert np.array_equal(rfm.quintile_scores(values)[order], rfm.quintile_scores(values[order]))
    found = rfm.quintile_scores(values)
    assert set(np.unique(found)) <= {1, 2, 3, 4, 5}
    higher = values[:, None] > values[None, :]
    assert np.all(found[:, None] >= found[None, :], where=higher)  # never lower for more


def test_recent_frequent_big_buyers_score_555_and_non_buyers_have_no_scores() -> None:
    days = np.array([2, 400, 30, 90, 10, NAN])
    count = np.array([9, 1, 3, 2, 5, 0], dtype=float)
    value = np.array([900, 10, 120, 40, 300, 0], dtype=float)

    found = rfm.scores(days, count, value)

    # five buyers: each value's rank (0 to 4 strictly below) is its score minus one
    assert found.recency[:5].tolist() == [5, 1, 3, 2, 4]
    assert found.frequency[:5].tolist() == [5, 1, 3, 2, 4]
    assert found.monetary[:5].tolist() == [5, 1, 3, 2, 4]
    assert found.codes().tolist() == ["555", "111", "333", "222", "444", ""]
    assert np.isnan([found.recency[5], found.frequency[5], found.monetary[5]]).all()
