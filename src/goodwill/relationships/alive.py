"""Whether a purchase relationship is "still alive": BG/NBD or Pareto/NBD fitted on the
organisation's purchases, for the whole organisation and, if asked, per segment.

During a recompute the engine fits the model (``goodwill.stats``) on every purchasing customer's
(frequency, recency, T), in weeks, with the calibration period ending now: always on a full
recompute, otherwise when the stored fit is absent, more than a day old, or made with other
settings. Purchases are interactions of kind ``purchase``, read in one query for the whole
organisation; segments (``Relationship.segment``) in a second one.

What is fitted is the organisation's choice, in its ``settings`` JSON under ``"alive_model"``::

    {"model": "bgnbd" | "paretonbd", "by_segment": false, "min_customers": 30}

With ``by_segment`` one model is fitted per segment with at least ``min_customers`` purchasing
customers; the customers of other segments (and those without one) get the organisation-wide fit.

Where things are kept (no table of their own, so no migration):

* the organisation-wide fit (model, parameters, standard errors, log-likelihood, customers, when),
  or the reason there is none, in the organisation's ``settings`` under ``"alive_fit"``, with the
  segments' fits (or why a segment has none and uses the organisation-wide one) under
  ``"segments"``;
* each purchasing relationship's P(alive) and expected purchases in the next 12 weeks in its
  ``trust`` JSON under ``"alive"``, with the ``model`` and ``segment`` (a segment's name, or
  ``"all"`` for the organisation-wide fit) that produced them; relationships without a purchase,
  or whose fit could not be made, have no such entry.

A fit that cannot be made (too few purchasing customers, no convergence) is recorded with its
reason and skipped; it never fails the recompute.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.interactions.models import Interaction
from goodwill.organisations import service as organisation_service
from goodwill.relationships.models import Relationship
from goodwill.relationships.rows import as_uuid, raw
from goodwill.stats import (
    BGNBDModel,
    ConvergenceError,
    ParetoNBDModel,
    Summary,
    summary_from_transactions,
)

FIT_KEY = "alive_fit"
SETTINGS_KEY = "alive_model"
TRUST_KEY = "alive"
MIN_CUSTOMERS = 30
REFIT_AFTER = timedelta(hours=24)
HORIZON_WEEKS = 12.0
MODEL = "bgnbd"
MODELS = ("bgnbd", "paretonbd")
ALL = "all"
NOT_ENOUGH = "not enough purchase history"

AliveByCustomer = dict[uuid.UUID, dict[str, Any]]
ModelName = Literal["bgnbd", "paretonbd"]
AnyModel = BGNBDModel | ParetoNBDModel


@dataclass(frozen=True)
class AliveConfig:
    """What to fit: the model, whether per segment, and the customers a fit needs."""

    model: ModelName = "bgnbd"
    by_segment: bool = False
    min_customers: int = MIN_CUSTOMERS

    @classmethod
    def of(cls, settings: Mapping[str, Any] | None) -> AliveConfig:
        """The configuration in an organisation's settings; ``ValueError`` naming the bad key."""
        raw = (settings or {}).get(SETTINGS_KEY) or {}
        if not isinstance(raw, Mapping):
            raise ValueError(f"{SETTINGS_KEY}: must be an object, got {raw!r}")
        model = raw.get("model", MODEL)
        by_segment = raw.get("by_segment", False)
        min_customers = raw.get("min_customers", MIN_CUSTOMERS)
        if model not in MODELS:
            raise ValueError(f"{SETTINGS_KEY}.model: must be one of {MODELS}, got {model!r}")
        if not isinstance(by_segment, bool):
            raise ValueError(f"{SETTINGS_KEY}.by_segment: must be true or false")
        if isinstance(min_customers, bool) or not isinstance(min_customers, int):
            raise ValueError(f"{SETTINGS_KEY}.min_customers: must be a whole number")
        if min_customers < 2:
            raise ValueError(f"{SETTINGS_KEY}.min_customers: must be at least 2")
        return cls(model=model, by_segment=by_segment, min_customers=min_customers)


def stored_fit(*, db: Session) -> dict[str, Any] | None:
    """The organisation's last fit, or the reason it has none; ``None`` if never attempted."""
    return organisation_service.get_setting(db=db, key=FIT_KEY)


def _config_of(fit: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "model": fit.get("model", MODEL),
        "by_segment": bool(fit.get("by_segment", False)),
        "min_customers": fit.get("min_customers", MIN_CUSTOMERS),
    }


def is_due(*, db: Session, as_of: datetime) -> bool:
    """True when the stored fit is absent, was attempted more than a day before ``as_of``, or
    was made with other settings than the organisation's current ``alive_model``."""
    fit = stored_fit(db=db)
    if fit is None or not fit.get("checked_at") or fit.get("unusable_settings"):
        return True
    try:
        config = AliveConfig.of(organisation_service.get_organisation(db=db).settings)
    except ValueError:
        return True  # refit records why the settings are unusable
    if _config_of(fit) != asdict(config):
        return True
    return as_of - datetime.fromisoformat(fit["checked_at"]) >= REFIT_AFTER


def _day(at: datetime) -> np.datetime64:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return np.datetime64(aware.astimezone(UTC).date(), "D")


def _purchase_days(values: Sequence[Any]) -> NDArray[Any]:
    """UTC days of :func:`~goodwill.relationships.rows.raw` times: SQLite's naive UTC text starts
    with the date; PostgreSQL gives aware datetimes."""
    if values and isinstance(values[0], str):
        return np.array([value[:10] for value in values], dtype="datetime64[D]")
    return np.array([_day(value) for value in values], dtype="datetime64[D]")


def purchase_summary(*, db: Session, as_of: datetime) -> tuple[list[uuid.UUID], Summary] | None:
    """Each purchasing customer's (frequency, recency, T) in weeks up to ``as_of`` (one query,
    its columns read raw: hundreds of thousands of purchases on a large organisation)."""
    stmt = select(raw(Interaction.customer_id), raw(Interaction.occurred_at)).where(
        Interaction.kind == "purchase", Interaction.occurred_at <= as_of
    )
    rows = db.execute(stmt).all()
    if not rows:
        return None
    keys, times = zip(*rows, strict=True)
    unique, inverse = np.unique(np.array([str(k) for k in keys]), return_inverse=True)
    customers = np.array([str(as_uuid(k)) for k in unique])[inverse]
    found, summary = summary_from_transactions(
        customers, _purchase_days(times), calibration_period_end=_day(as_of), time_unit="weeks"
    )
    return [uuid.UUID(str(c)) for c in found], summary


def _segments_of(db: Session, ids: Sequence[uuid.UUID]) -> list[str | None]:
    """Each customer's relationship segment (``None`` without one), row for row (one query)."""
    rows = db.execute(
        select(Relationship.customer_id, Relationship.segment).where(
            Relationship.segment.is_not(None)
        )
    )
    segment = {uuid.UUID(str(row.customer_id)): str(row.segment) for row in rows}
    return [segment.get(customer_id) for customer_id in ids]


def _skip_record(
    model: str, status: str, reason: str, customers: int, as_of: datetime
) -> dict[str, Any]:
    return {
        "model": model,
        "status": status,
        "reason": reason,
        "customers": customers,
        "checked_at": as_of.isoformat(),
    }


def _fit_record(model: str, fitted: AnyModel, customers: int, as_of: datetime) -> dict[str, Any]:
    return {
        "model": model,
        "status": "fitted",
        "reason": None,
        "params": asdict(fitted.params_),
        "standard_errors": asdict(fitted.standard_errors_),
        "log_likelihood": fitted.log_likelihood_,
        "customers": customers,
        "time_unit": "weeks",
        "fitted_at": as_of.isoformat(),
        "checked_at": as_of.isoformat(),
    }


@dataclass(frozen=True)
class _Group:
    """The purchasing customers one fit is made on: ``segment`` is a name or ``"all"``."""

    segment: str
    ids: list[uuid.UUID]
    frequency: NDArray[np.float64]
    recency: NDArray[np.float64]
    T: NDArray[np.float64]

    @classmethod
    def of(cls, segment: str, ids: Sequence[uuid.UUID], summary: Summary, rows: Any) -> _Group:
        return cls(
            segment,
            [ids[int(i)] for i in np.flatnonzero(rows)],
            summary.frequency[rows],
            summary.recency[rows],
            summary.T[rows],
        )


def _fit_group(
    group: _Group, config: AliveConfig, as_of: datetime
) -> tuple[AliveByCustomer, dict[str, Any]]:
    """Fit the configured model on one group: each customer's entry and the fit's record."""
    count = len(group.ids)
    if count < config.min_customers:
        reason = f"{NOT_ENOUGH}: {count} purchasing customers, {config.min_customers} needed"
        return {}, _skip_record(config.model, "not_enough_data", reason, count, as_of)
    fitted: AnyModel = BGNBDModel() if config.model == "bgnbd" else ParetoNBDModel()
    try:
        fitted.fit(group.frequency, group.recency, group.T)
    except ConvergenceError as exc:
        reason = f"the fit did not converge: {exc}"
        return {}, _skip_record(config.model, "failed", reason, count, as_of)
    except ValueError as exc:  # InvalidSummaryError: a history the model cannot take
        reason = f"unusable purchase history: {exc}"
        return {}, _skip_record(config.model, "failed", reason, count, as_of)
    return _per_customer(fitted, config.model, group), _fit_record(
        config.model, fitted, count, as_of
    )


def _per_customer(fitted: AnyModel, model: str, group: _Group) -> AliveByCustomer:
    x, t_x, age = group.frequency, group.recency, group.T
    p_alive = fitted.conditional_probability_alive(x, t_x, age)
    expected = fitted.conditional_expected_number_of_purchases_up_to_time(
        HORIZON_WEEKS, x, t_x, age
    )
    return {
        customer_id: {
            "p_alive": float(np.clip(p_alive[i], 0.0, 1.0)),
            "expected_purchases_12w": float(max(expected[i], 0.0)),
            "frequency": int(x[i]),
            "recency_weeks": float(t_x[i]),
            "T_weeks": float(age[i]),
            "model": model,
            "segment": group.segment,
        }
        for i, customer_id in enumerate(group.ids)
    }


def _fit_segments(
    db: Session, ids: Sequence[uuid.UUID], summary: Summary, config: AliveConfig, as_of: datetime
) -> tuple[AliveByCustomer, dict[str, dict[str, Any]]]:
    """One fit per segment of purchasing customers: the entries of the segments fitted, and
    every segment's record (a small or failed one says it uses the organisation-wide fit)."""
    segments = np.array(_segments_of(db, ids), dtype=object)
    values: AliveByCustomer = {}
    records: dict[str, dict[str, Any]] = {}
    for name in sorted({s for s in segments if s is not None}):
        group = _Group.of(name, ids, summary, segments == name)
        found, record = _fit_group(group, config, as_of)
        if not found:
            record["reason"] = f"{record['reason']}; uses the organisation-wide fit"
        values.update(found)
        records[name] = record
    return values, records


def fit(
    *, db: Session, as_of: datetime, config: AliveConfig
) -> tuple[AliveByCustomer, dict[str, Any]]:
    """Fit ``config`` on the organisation's purchases up to ``as_of`` without storing anything:
    each purchasing customer's entry (empty when no fit could be made) and the fit's record,
    with the segments' records under ``"segments"``."""
    found = purchase_summary(db=db, as_of=as_of)
    ids, summary = found if found is not None else ([], None)
    if summary is None:
        group = _Group(ALL, [], np.zeros(0), np.zeros(0), np.zeros(0))
    else:
        group = _Group.of(ALL, ids, summary, np.ones(len(ids), dtype=bool))
    values, record = _fit_group(group, config, as_of)
    record["segments"] = {}
    if config.by_segment and summary is not None and values:
        by_segment, record["segments"] = _fit_segments(db, ids, summary, config, as_of)
        values.update(by_segment)
    return values, {**record, **asdict(config)}


def refit(*, db: Session, as_of: datetime) -> AliveByCustomer:
    """Fit the organisation's model on its purchases (and per segment if so configured), store
    the fits (or why there are none) in its settings and return each purchasing customer's entry
    (empty when no fit could be made)."""
    org = organisation_service.get_organisation(db=db)
    values: AliveByCustomer = {}
    try:
        config = AliveConfig.of(org.settings)
    except ValueError as exc:
        record = _skip_record(MODEL, "failed", f"unusable settings: {exc}", 0, as_of)
        record.update(segments={}, unusable_settings=True)
    else:
        values, record = fit(db=db, as_of=as_of, config=config)
    organisation_service.set_setting(db=db, key=FIT_KEY, value=record)
    db.flush()
    return values


def with_alive(
    trust: dict[str, Any], customer_id: uuid.UUID, values: Mapping[uuid.UUID, dict[str, Any]]
) -> dict[str, Any]:
    """``trust`` with the customer's "alive" entry set from ``values``, or removed if absent."""
    kept = {k: v for k, v in trust.items() if k != TRUST_KEY}
    if customer_id in values:
        kept[TRUST_KEY] = values[customer_id]
    return kept


def apply(*, db: Session, relationship_ids: Sequence[uuid.UUID], values: AliveByCustomer) -> None:
    """Set (or clear) the "alive" entry of these already computed relationships."""
    rels = db.scalars(select(Relationship).where(Relationship.id.in_(relationship_ids)))
    for rel in rels:
        if rel.trust is not None:
            rel.trust = with_alive(rel.trust, rel.customer_id, values)
    db.flush()
