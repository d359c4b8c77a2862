"""Termination risk: which relationships are likely to end soon, learnt from the ones that did.

Pure NumPy (and scikit-learn's logistic regression): no database. The input is an organisation's
event history as sorted arrays (:class:`Events`), each relationship's start and, for those that
ended, when. The model is trained on *snapshots*: at each cutoff (monthly), every relationship
that had started and not yet ended is described by what happened before the cutoff only
(:data:`FEATURES`) and labelled by whether it ended within the ``horizon`` that followed.

Validation is on a time-based holdout, never on a random split: the model is fitted on cutoffs
whose whole horizon lies before the holdout cutoff and is scored on the snapshot at the holdout
cutoff, ``horizon`` before the end of the data, whose outcome is fully known. The AUC reported is
that one. The model kept is then refitted on every cutoff, the holdout included.

Logistic regression on standardised features, so every prediction is explained by each feature's
contribution (coefficient × standardised value), readable by a manager.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from goodwill.stats.errors import InvalidSummaryError

DAY = 86400.0
WINDOW_DAYS = 90.0
# name → the event kind it counts, or a derived measure; the order is the model's column order
FEATURES: tuple[str, ...] = (
    "days_since_contact",
    "tenure_days",
    "contacts_recent",
    "contact_trend",
    "inbound_recent",
    "negative_share_recent",
    "complaints_recent",
    "purchases_recent",
    "purchase_trend",
    "usage_recent",
    "usage_trend",
)
EVENT_KINDS = ("contact", "inbound", "negative", "complaint", "purchase", "usage")
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Events:
    """Per event kind, (relationship index, time in seconds) pairs, sorted by index then time."""

    count: int  # number of relationships
    keys: Mapping[str, NDArray[np.float64]]  # kind → sorted index * SPAN + time

    SPAN = 1e11  # seconds: more than 3,000 years, so index blocks never overlap

    @classmethod
    def build(cls, count: int, kinds: Mapping[str, tuple[NDArray[Any], NDArray[Any]]]) -> Events:
        """From, per kind, (relationship indices, times in epoch seconds) in any order."""
        keys = {}
        for kind in EVENT_KINDS:
            index, times = kinds.get(kind, (np.empty(0), np.empty(0)))
            index, times = np.asarray(index, np.float64), np.asarray(times, np.float64)
            if index.shape != times.shape:
                raise InvalidSummaryError(kind, "indices and times differ in length")
            keys[kind] = np.sort(index * cls.SPAN + times)
        return cls(count=count, keys=keys)

    def between(self, kind: str, start: float, end: float) -> FloatArray:
        """Per relationship, how many events of ``kind`` fell in [start, end)."""
        base = np.arange(self.count, dtype=np.float64) * self.SPAN
        keys = self.keys[kind]
        upper = np.searchsorted(keys, base + end, side="left")
        lower = np.searchsorted(keys, base + start, side="left")
        return (upper - lower).astype(np.float64)

    def last_before(self, kind: str, at: float) -> FloatArray:
        """Per relationship, the time of the last event of ``kind`` before ``at`` (NaN if none)."""
        base = np.arange(self.count, dtype=np.float64) * self.SPAN
        keys = self.keys[kind]
        if len(keys) == 0:
            return np.full(self.count, np.nan)
        position = np.searchsorted(keys, base + at, side="left") - 1
        found = keys[np.clip(position, 0, len(keys) - 1)]
        inside = (position >= 0) & (found >= base)
        return np.where(inside, found - base, np.nan)


def features_at(events: Events, started: FloatArray, at: float) -> FloatArray:
    """The :data:`FEATURES` of every relationship at time ``at``, from events before it only."""
    window = WINDOW_DAYS * DAY
    recent = {k: events.between(k, at - window, at) for k in EVENT_KINDS}
    prior = {k: events.between(k, at - 2 * window, at - window) for k in EVENT_KINDS}
    last = events.last_before("contact", at)
    since = np.where(np.isnan(last), at - started, at - last) / DAY
    tenure = np.maximum(at - started, 0.0) / DAY
    negative_share = (recent["negative"] + 0.1) / (recent["inbound"] + 1.0)

    def trend(kind: str) -> FloatArray:
        return np.log1p(recent[kind]) - np.log1p(prior[kind])

    columns = [
        np.log1p(np.maximum(since, 0.0)),
        np.log1p(tenure),
        np.log1p(recent["contact"]),
        trend("contact"),
        np.log1p(recent["inbound"]),
        negative_share,
        np.log1p(recent["complaint"]),
        np.log1p(recent["purchase"]),
        trend("purchase"),
        np.log1p(recent["usage"]),
        trend("usage"),
    ]
    return np.column_stack(columns)


def snapshot(
    events: Events, started: FloatArray, ended: FloatArray, at: float, horizon: float
) -> tuple[FloatArray, NDArray[np.bool_], NDArray[np.intp]]:
    """Features, labels (ended within ``horizon`` after ``at``) and indices of the relationships
    alive at ``at``: started before it, not ended before it."""
    alive = (started < at) & ~(ended <= at)
    rows = np.flatnonzero(alive)
    label = ended[rows] <= at + horizon  # NaN (never ended) compares False
    return features_at(events, started, at)[rows], label, rows


@dataclass
class TerminationRiskModel:
    """Logistic regression on standardised snapshot features, validated on a later snapshot.

    ``fit`` returns self; fitted state ends in ``_``. ``summary_`` holds what a manager sees
    beside the scores: the holdout AUC, the counts it rests on, the cutoffs.
    """

    horizon_days: float = 90.0
    step_days: float = 30.0
    history_days: float = 540.0
    min_ended: int = 30
    regularisation: float = 1.0
    max_fit_rows: int = 200_000  # snapshots a fit uses at most (see ``_sample``)
    seed: int = 0
    coef_: FloatArray = field(default_factory=lambda: np.zeros(0))
    intercept_: float = 0.0
    mean_: FloatArray = field(default_factory=lambda: np.zeros(0))
    scale_: FloatArray = field(default_factory=lambda: np.zeros(0))
    summary_: dict[str, Any] = field(default_factory=dict)

    def _cutoffs(self, end: float) -> tuple[list[float], float]:
        """Training cutoffs (their horizon ends by the holdout cutoff) and the holdout cutoff."""
        horizon, step = self.horizon_days * DAY, self.step_days * DAY
        holdout = end - horizon
        count = int(max(0.0, self.history_days * DAY - horizon) // step)
        train = [holdout - horizon - i * step for i in range(count + 1)]
        return sorted(train), holdout

    def _stack(
        self, events: Events, started: FloatArray, ended: FloatArray, cutoffs: Sequence[float]
    ) -> tuple[FloatArray, NDArray[np.bool_]]:
        parts = [snapshot(events, started, ended, c, self.horizon_days * DAY) for c in cutoffs]
        x = np.vstack([p[0] for p in parts]) if parts else np.zeros((0, len(FEATURES)))
        y = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, bool)
        return x, y

    def _sample(self, x: FloatArray, y: NDArray[np.bool_]) -> tuple[FloatArray, NDArray[np.bool_]]:
        """At most ``max_fit_rows`` snapshots, drawn by class (case-control sampling): the rarer
        class whole if it fits in half the rows (else half the rows of it) and the other class
        sampled to fill the rest, at random with a fixed seed, so the same history gives the same
        model. The fit weighs the classes equally whatever their counts, so it aims at the same
        coefficients as on every snapshot; below the cap every snapshot is used."""
        if len(y) <= self.max_fit_rows:
            return x, y
        rng = np.random.default_rng(self.seed)
        small, large = sorted((np.flatnonzero(y), np.flatnonzero(~y)), key=len)
        if len(small) > self.max_fit_rows // 2:
            small = rng.choice(small, self.max_fit_rows // 2, replace=False)
        large = rng.choice(large, self.max_fit_rows - len(small), replace=False)
        chosen = np.sort(np.concatenate([small, large]))
        return x[chosen], y[chosen]

    def _train(self, x: FloatArray, y: NDArray[np.bool_]) -> None:
        x, y = self._sample(x, y)
        self.mean_ = x.mean(axis=0)
        self.scale_ = np.where(x.std(axis=0) > 1e-9, x.std(axis=0), 1.0)
        model = LogisticRegression(C=self.regularisation, class_weight="balanced", max_iter=1000)
        model.fit((x - self.mean_) / self.scale_, y)
        self.coef_ = model.coef_[0].astype(np.float64)
        self.intercept_ = float(model.intercept_[0])

    def fit(self, events: Events, started: FloatArray, ended: FloatArray, end: float) -> Self:
        """Train on the history up to ``end`` (epoch seconds); raises
        :class:`InvalidSummaryError` when there are too few ended relationships to learn from
        or to validate on."""
        train_cutoffs, holdout = self._cutoffs(end)
        x, y = self._stack(events, started, ended, train_cutoffs)
        x_test, y_test = self._stack(events, started, ended, [holdout])
        ended_train = int(np.sum(ended <= holdout))
        if ended_train < self.min_ended or y.sum() < self.min_ended // 2:
            raise InvalidSummaryError(
                "ended",
                f"{ended_train} relationships ended before the holdout; {self.min_ended} needed",
            )
        if y_test.sum() == 0 or y_test.all():
            raise InvalidSummaryError("ended", "no relationship ended in the holdout period")
        self._train(x, y)
        auc = float(roc_auc_score(y_test, self.predict(x_test)))
        self.summary_ = {
            "holdout_auc": round(auc, 4),
            "holdout_cutoff": holdout,
            "holdout_relationships": len(y_test),
            "holdout_ended": int(y_test.sum()),
            "train_snapshots": len(y),
            "fitted_snapshots": min(len(y), self.max_fit_rows),
            "train_ended": int(y.sum()),
            "cutoffs": len(train_cutoffs),
            "horizon_days": self.horizon_days,
        }
        # every cutoff, the holdout last: the snapshots already built, stacked in that order
        self._train(np.vstack([x, x_test]), np.concatenate([y, y_test]))
        return self

    def predict(self, x: FloatArray) -> FloatArray:
        """P(the relationship ends within the horizon) for feature rows ``x``."""
        z = ((x - self.mean_) / self.scale_) @ self.coef_ + self.intercept_
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def contributions(self, x: FloatArray) -> FloatArray:
        """Each feature's push on the log-odds, per row (positive: towards ending)."""
        return np.asarray(((x - self.mean_) / self.scale_) * self.coef_, dtype=np.float64)

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(FEATURES),
            "coef": [round(float(c), 6) for c in self.coef_],
            "intercept": round(self.intercept_, 6),
            "mean": [float(m) for m in self.mean_],
            "scale": [float(s) for s in self.scale_],
            "horizon_days": self.horizon_days,
            "summary": self.summary_,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> TerminationRiskModel:
        if list(data.get("features", [])) != list(FEATURES):
            raise InvalidSummaryError("features", "stored model has other features: retrain it")
        model = cls(horizon_days=float(data["horizon_days"]))
        model.coef_ = np.asarray(data["coef"], np.float64)
        model.intercept_ = float(data["intercept"])
        model.mean_ = np.asarray(data["mean"], np.float64)
        model.scale_ = np.asarray(data["scale"], np.float64)
        model.summary_ = dict(data.get("summary", {}))
        return model
