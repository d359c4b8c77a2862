"""Moments of truth, pure: counting-process rows from an organisation's history, and the Cox fit.

The time axis is tenure (days since the relationship started), so tenure is controlled by the
baseline hazard itself. A relationship is followed from its start while it has not yet had the
outcome: *decline* is the first move from a coming-together stage into a coming-apart one
(differentiating … terminating), *termination* the first move into terminating. Relationships
whose first recorded stage already is the outcome were never seen at risk and are left out.
Follow-up ends at the outcome or at the last time the engine looked (censored).

Covariates, all time-varying: per touchpoint type, "had one in the last ``window`` days" (on for
``(s, s + window]`` after each touchpoint at ``s``: strictly after it, so the covariate is known
before the change it may precede), and the lifecycle phase as indicators (the most common phase
is the reference). A touchpoint type enters the model only with enough course changes both with
and without it in the window before (else its coefficient is not estimable); the others are
listed as skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from goodwill.errors import ConvergenceError
from goodwill.journeys.schemas import Moment, Outcome, Skipped
from goodwill.stats.survival import CoxPHModel
from goodwill.types import KNAPP_STAGES

FloatArray = NDArray[np.float64]
APART = frozenset(KNAPP_STAGES[5:])
TARGETS: dict[str, frozenset[str]] = {"decline": APART, "termination": frozenset({"terminating"})}
SPAN = 1e5  # days per relationship block in the sort keys: no block overlaps the next
MIN_RELATIONSHIPS = 30
MIN_EVENTS = 20
MIN_TYPE_EVENTS = 5  # course changes with, and without, the touchpoint in the window before
MIN_TOUCHES = 20


@dataclass(frozen=True)
class Stage:
    at: float  # days
    stage: str
    phase: str


@dataclass
class History:
    """One organisation's history, in days since any fixed origin, per relationship index."""

    start: list[float]  # when each relationship started
    looked: list[float]  # the last time the engine computed its stage
    stages: list[list[Stage]]  # its stage history, oldest first
    touches: dict[str, tuple[list[int], list[float]]] = field(default_factory=dict)


@dataclass(frozen=True)
class Fitted:
    relationships: int
    events: int
    rows: int
    items: list[Moment]
    skipped: list[Skipped]
    error: str | None = None
    note: str | None = None  # a control that had to be left out, and why


@dataclass(frozen=True)
class _Followed:
    index: NDArray[np.intp]  # relationship indices followed
    origin: FloatArray
    end: FloatArray
    event: NDArray[np.bool_]


def follow(history: History, outcome: Outcome) -> _Followed:
    """Who is at risk, from when, until when, and whether it ended with the outcome."""
    target = TARGETS[outcome]
    rows: list[tuple[int, float, float, bool]] = []
    for i, stages in enumerate(history.stages):
        if not stages or stages[0].stage in target:
            continue
        hit = next((s.at for s in stages[1:] if s.stage in target), None)
        origin = min(history.start[i], stages[0].at)
        end = hit if hit is not None else max(history.looked[i], stages[-1].at)
        if end > origin:
            rows.append((i, origin, end, hit is not None))
    table: list[tuple[float | bool, ...]] = list(zip(*rows, strict=True)) or [(), (), (), ()]
    return _Followed(
        np.asarray(table[0], np.intp),
        np.asarray(table[1], np.float64),
        np.asarray(table[2], np.float64),
        np.asarray(table[3], bool),
    )


@dataclass(frozen=True)
class Rows:
    """Counting-process intervals (tenure axis) with their exposures and phases."""

    start: FloatArray
    stop: FloatArray
    event: FloatArray
    exposed: dict[str, FloatArray]  # touchpoint → 0/1 per row
    phase: list[str]
    touches: dict[str, int]


def _keys(rel: FloatArray, at: FloatArray) -> FloatArray:
    return rel * SPAN + at


def build_rows(history: History, followed: _Followed, window: float, types: Sequence[str]) -> Rows:
    """Split each follow-up at every point where a covariate may change."""
    n = len(history.stages)
    origin, end = np.full(n, np.nan), np.full(n, np.nan)
    origin[followed.index], end[followed.index] = followed.origin, followed.end
    points = [(followed.index, followed.origin), (followed.index, followed.end)]
    phase_rel = np.array([i for i in followed.index for _ in history.stages[i]], np.float64)
    phase_at = np.array([s.at for i in followed.index for s in history.stages[i]], np.float64)
    points.append((phase_rel.astype(np.intp), phase_at))
    touch_keys, touches = {}, {}
    for name in types:
        rel, at = (np.asarray(a) for a in history.touches[name])
        inside = ~np.isnan(origin[rel]) & (at >= origin[rel]) & (at < end[rel])
        rel, at = rel[inside], at[inside].astype(np.float64)
        touches[name] = int(rel.size)
        touch_keys[name] = np.sort(_keys(rel.astype(np.float64), at))
        points += [(rel, at), (rel, at + window)]
    rel = np.concatenate([p[0] for p in points]).astype(np.intp)
    at = np.concatenate([p[1] for p in points]).astype(np.float64)
    keep = (at >= origin[rel]) & (at <= end[rel])
    keys = np.unique(_keys(rel[keep].astype(np.float64), at[keep]))
    block = np.floor(keys / SPAN + 1e-9)
    same = block[1:] == block[:-1]
    starts, stops, rels = keys[:-1][same], keys[1:][same], block[1:][same]
    base = rels * SPAN + origin[rels.astype(np.intp)]
    event = (np.abs(stops - _keys(rels, end[rels.astype(np.intp)])) < 1e-6) & np.isin(
        rels.astype(np.intp), followed.index[followed.event]
    )
    exposed = {
        name: (
            np.searchsorted(k, stops, side="left") - np.searchsorted(k, stops - window, "left") > 0
        ).astype(np.float64)
        for name, k in touch_keys.items()
    }
    phases = _phases(history, followed.index, rels.astype(np.intp), stops)
    return Rows(starts - base, stops - base, event.astype(np.float64), exposed, phases, touches)


def _phases(
    history: History, index: NDArray[np.intp], rels: NDArray[np.intp], stops: FloatArray
) -> list[str]:
    """Each row's lifecycle phase: the last recorded before its stop (the first before any)."""
    names = [s.phase for i in index for s in history.stages[i]]
    rel = np.array([i for i in index for _ in history.stages[i]], np.float64)
    at = np.array([s.at for i in index for s in history.stages[i]], np.float64)
    keys = _keys(rel, at)
    order = np.argsort(keys, kind="stable")
    keys, names = keys[order], [names[k] for k in order]
    first = np.searchsorted(keys, rels * SPAN - SPAN / 2, side="left")
    last = np.searchsorted(keys, stops, side="left") - 1
    return [names[max(int(f), int(k))] for f, k in zip(first, last, strict=True)]


def candidate_types(touches: Mapping[str, tuple[list[int], list[float]]]) -> list[str]:
    return sorted(name for name, (rel, _) in touches.items() if len(rel) >= MIN_TOUCHES)


def fit(rows: Rows) -> Fitted:
    """The Cox model on the rows; touchpoints without enough events either way are skipped."""
    ev = rows.event == 1.0
    skipped, used = [], []
    for name, z in rows.exposed.items():
        with_it, without = int((ev & (z == 1.0)).sum()), int((ev & (z == 0.0)).sum())
        if min(with_it, without) < MIN_TYPE_EVENTS:
            reason = f"{with_it} course change(s) within the window after it, {without} without"
            skipped.append(Skipped(touchpoint=name, reason=f"{reason}: need {MIN_TYPE_EVENTS}"))
        else:
            used.append(name)
    phases = _phase_columns(rows.phase, ev)
    if not used:
        return Fitted(0, int(ev.sum()), ev.size, [], skipped)
    phase_note: str | None = None
    try:
        model = _cox(rows, used, phases)
    except ConvergenceError as exc:
        try:  # phase can be a function of tenure (the time axis): then it cannot be a control
            model = _cox(rows, used, {})
            phase_note = f"lifecycle phase left out of the controls ({exc})"
        except ConvergenceError as again:
            return Fitted(0, int(ev.sum()), ev.size, [], skipped, str(again))
    bounds = model.confidence_intervals_()
    items = [
        _moment(n, model, k, bounds[k], rows.touches[n], int((ev & (rows.exposed[n] == 1)).sum()))
        for k, n in enumerate(used)
    ]
    items.sort(key=lambda m: (-abs(np.log(m.hazard_ratio)), m.touchpoint))
    return Fitted(0, int(ev.sum()), ev.size, items, skipped, note=phase_note)


def _cox(rows: Rows, used: list[str], phases: dict[str, FloatArray]) -> CoxPHModel:
    columns = [rows.exposed[n] for n in used] + list(phases.values())
    return CoxPHModel().fit(
        np.column_stack(columns), rows.start, rows.stop, rows.event, [*used, *phases]
    )


def _moment(
    name: str, model: CoxPHModel, k: int, bounds: FloatArray, touches: int, exposed: int
) -> Moment:
    low, high = float(bounds[0]), float(bounds[1])
    ratio = float(model.hazard_ratios_[k])
    return Moment(
        touchpoint=name,
        hazard_ratio=ratio,
        ci_low=low,
        ci_high=high,
        p_value=float(model.p_values_[k]),
        touches=touches,
        exposed_events=exposed,
        significant=low > 1.0 or high < 1.0,
        direction="raises" if ratio >= 1.0 else "lowers",
    )


def _phase_columns(phase: Sequence[str], ev: NDArray[np.bool_]) -> dict[str, FloatArray]:
    """Indicators of each phase but the most common, for the phases with enough events."""
    labels = np.asarray(phase)
    values, counts = np.unique(labels, return_counts=True)
    if values.size < 2:
        return {}
    reference = values[np.argmax(counts)]
    found = {}
    for value in values:
        column = (labels == value).astype(np.float64)
        if value != reference and min((ev & (column == 1)).sum(), (ev & (column == 0)).sum()) >= 1:
            found[f"phase={value}"] = column
    return found
