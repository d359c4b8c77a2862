"""Customers' repeat-purchase summaries: the (frequency, recency, T) the "still alive" models use.

``frequency`` is the number of repeat purchases (x in the literature), ``recency`` the time from
the first to the last purchase (t_x) and ``T`` the time from the first purchase to the end of the
calibration period. Purchases on the same day count once, as in Fader, Hardie & Lee (2005).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from goodwill.stats.errors import InvalidSummaryError

FloatArray = NDArray[np.float64]
TimeUnit = Literal["days", "weeks"]

_DAYS_PER_UNIT: dict[str, int] = {"days": 1, "weeks": 7}


@dataclass(frozen=True)
class Summary:
    """Checked customer histories; ``weights`` counts the customers sharing each row."""

    frequency: FloatArray
    recency: FloatArray
    T: FloatArray
    weights: FloatArray

    def __len__(self) -> int:
        return int(self.frequency.shape[0])


def _as_column(name: str, values: ArrayLike, length: int | None) -> FloatArray:
    try:
        column = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InvalidSummaryError(name, "must be numbers") from exc
    column = np.atleast_1d(column)
    if column.ndim != 1:
        raise InvalidSummaryError(name, f"must be one-dimensional, got shape {column.shape}")
    if length is not None and column.shape[0] != length:
        raise InvalidSummaryError(name, f"has {column.shape[0]} values, frequency has {length}")
    _reject_first(name, ~np.isfinite(column), "must be a finite number")
    _reject_first(name, column < 0, "must not be negative")
    return column


def _reject_first(name: str, bad: NDArray[np.bool_], message: str) -> None:
    if bad.any():
        raise InvalidSummaryError(name, message, index=int(np.argmax(bad)))


def check_summary(
    frequency: ArrayLike, recency: ArrayLike, T: ArrayLike, weights: ArrayLike | None = None
) -> Summary:
    """Return the inputs as float arrays, or raise ``InvalidSummaryError`` naming the bad field."""
    x = _as_column("frequency", frequency, None)
    n = x.shape[0]
    if n == 0:
        raise InvalidSummaryError("frequency", "no customers given")
    t_x = _as_column("recency", recency, n)
    age = _as_column("T", T, n)
    w = np.ones(n) if weights is None else _as_column("weights", weights, n)
    _reject_first("frequency", x != np.floor(x), "must be a whole number of repeat purchases")
    _reject_first("recency", t_x > age, "must not exceed T")
    _reject_first("recency", (x == 0) & (t_x != 0), "must be 0 when frequency is 0")
    if not w.sum() > 0:
        raise InvalidSummaryError("weights", "must not all be zero")
    return Summary(x, t_x, age, w)


@dataclass(frozen=True)
class FrequencyGroups:
    """The distinct frequencies of a summary, which row has which, and the customers with each.

    Several likelihood terms depend on a history only through its frequency; computing them once
    per distinct frequency instead of once per row is most of the speed of a fit.
    """

    frequency: FloatArray
    row_group: NDArray[np.intp]
    weights: FloatArray

    @classmethod
    def of(cls, summary: Summary) -> FrequencyGroups:
        frequency, row_group = np.unique(summary.frequency, return_inverse=True)
        weights = np.bincount(row_group, weights=summary.weights, minlength=frequency.shape[0])
        return cls(frequency, row_group, weights.astype(np.float64))


def check_horizon(t: ArrayLike) -> FloatArray:
    """Return a forecast horizon as floats, or raise ``InvalidSummaryError`` if it is unusable."""
    horizon = np.asarray(t, dtype=np.float64)
    if not np.all(np.isfinite(horizon)) or np.any(horizon < 0):
        raise InvalidSummaryError("t", "must be a finite, non-negative time")
    return horizon


def compress(summary: Summary) -> Summary:
    """Merge identical (frequency, recency, T) rows, summing their weights.

    The likelihood of identical histories is identical, so a fit on the merged rows gives the same
    answer at a fraction of the cost; real data, measured in days, repeats itself a lot.
    """
    order = np.lexsort((summary.T, summary.recency, summary.frequency))
    x, t_x, age = summary.frequency[order], summary.recency[order], summary.T[order]
    starts = np.ones(len(summary), dtype=bool)
    starts[1:] = (np.diff(x) != 0) | (np.diff(t_x) != 0) | (np.diff(age) != 0)
    first = np.flatnonzero(starts)
    weights = np.add.reduceat(summary.weights[order], first)
    keep = weights > 0
    return Summary(x[first][keep], t_x[first][keep], age[first][keep], weights[keep])


def summary_from_transactions(
    customer_ids: ArrayLike,
    dates: ArrayLike,
    *,
    calibration_period_end: Any = None,
    time_unit: TimeUnit = "weeks",
) -> tuple[NDArray[Any], Summary]:
    """Summarise a transaction log into each customer's (frequency, recency, T).

    ``dates`` are anything NumPy reads as ``datetime64[D]`` (ISO strings, ``datetime.date``).
    Transactions after ``calibration_period_end`` (default: the last date in the log) are ignored,
    and so are customers whose first purchase falls after it. Returns the sorted customer ids and
    their summary, row for row.
    """
    if time_unit not in _DAYS_PER_UNIT:
        raise ValueError(f"time_unit: must be 'days' or 'weeks', got {time_unit!r}")
    ids = np.asarray(customer_ids)
    days = np.asarray(dates, dtype="datetime64[D]")
    if ids.ndim != 1 or ids.shape != days.shape:
        raise ValueError("dates: must be one-dimensional and as many as the customer_ids")
    if days.shape[0] == 0:
        raise ValueError("dates: no transactions given")
    if np.isnat(days).any():
        raise ValueError(f"dates: missing date at row {int(np.argmax(np.isnat(days)))}")
    end = (
        days.max() if calibration_period_end is None else np.datetime64(calibration_period_end, "D")
    )
    in_period = days <= end
    if not in_period.any():
        raise ValueError("calibration_period_end: falls before every transaction")
    unique_ids, customer = np.unique(ids[in_period], return_inverse=True)
    summary = _summarise_days(customer, days[in_period].astype(np.int64), int(end.astype(np.int64)))
    unit = float(_DAYS_PER_UNIT[time_unit])
    return unique_ids, Summary(
        summary.frequency, summary.recency / unit, summary.T / unit, summary.weights
    )


def _summarise_days(customer: NDArray[np.intp], day: NDArray[np.int64], end_day: int) -> Summary:
    """(frequency, recency, T) in days for customers numbered 0..k-1, each with a purchase."""
    order = np.lexsort((day, customer))
    customer, day = customer[order], day[order]
    new_customer = np.ones(day.shape[0], dtype=bool)
    new_customer[1:] = np.diff(customer) != 0
    new_day = new_customer.copy()
    new_day[1:] |= np.diff(day) != 0
    starts = np.flatnonzero(new_customer)
    ends = np.append(starts[1:], day.shape[0]) - 1
    first_day, last_day = day[starts], day[ends]
    purchase_days = np.add.reduceat(new_day.astype(np.int64), starts)
    return Summary(
        frequency=(purchase_days - 1).astype(np.float64),
        recency=(last_day - first_day).astype(np.float64),
        T=(end_day - first_day).astype(np.float64),
        weights=np.ones(starts.shape[0]),
    )
