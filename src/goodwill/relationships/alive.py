"""Whether a purchase relationship is "still alive": BG/NBD fitted on the organisation's purchases.

During a recompute the engine fits BG/NBD (``goodwill.stats``) on every purchasing customer's
(frequency, recency, T), in weeks, with the calibration period ending now: always on a full
recompute, otherwise when the stored fit is absent or more than a day old. Purchases are
interactions of kind ``purchase``, read in one query for the whole organisation.

Where things are kept (no table of their own, so no migration):

* the organisation's fit (parameters, standard errors, log-likelihood, customers, when), or the
  reason there is none, in the organisation's ``settings`` JSON under ``"alive_fit"``;
* each purchasing relationship's P(alive) and expected purchases in the next 12 weeks in its
  ``trust`` JSON under ``"alive"``; relationships without a purchase have no such entry.

A fit that cannot be made (fewer than 30 purchasing customers, no convergence) is recorded with
its reason and skipped; it never fails the recompute.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill.interactions.models import Interaction
from goodwill.organisations import service as organisation_service
from goodwill.relationships.models import Relationship
from goodwill.stats import BGNBDModel, ConvergenceError, Summary, summary_from_transactions

FIT_KEY = "alive_fit"
TRUST_KEY = "alive"
MIN_CUSTOMERS = 30
REFIT_AFTER = timedelta(hours=24)
HORIZON_WEEKS = 12.0
MODEL = "bgnbd"
NOT_ENOUGH = "not enough purchase history"

AliveByCustomer = dict[uuid.UUID, dict[str, Any]]


def stored_fit(*, db: Session) -> dict[str, Any] | None:
    """The organisation's last fit, or the reason it has none; ``None`` if never attempted."""
    fit = (organisation_service.get_organisation(db=db).settings or {}).get(FIT_KEY)
    return fit if isinstance(fit, dict) else None


def is_due(*, db: Session, as_of: datetime) -> bool:
    """True when the stored fit is absent or was attempted more than a day before ``as_of``."""
    fit = stored_fit(db=db)
    if fit is None or not fit.get("checked_at"):
        return True
    return as_of - datetime.fromisoformat(fit["checked_at"]) >= REFIT_AFTER


def _day(at: datetime) -> np.datetime64:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return np.datetime64(aware.astimezone(UTC).date(), "D")


def purchase_summary(*, db: Session, as_of: datetime) -> tuple[list[uuid.UUID], Summary] | None:
    """Each purchasing customer's (frequency, recency, T) in weeks up to ``as_of`` (one query);
    ``None`` without any purchase."""
    rows = db.execute(
        select(Interaction.customer_id, Interaction.occurred_at).where(
            Interaction.kind == "purchase", Interaction.occurred_at <= as_of
        )
    ).all()
    if not rows:
        return None
    ids = np.array([str(customer_id) for customer_id, _ in rows])
    days = np.array([_day(at) for _, at in rows], dtype="datetime64[D]")
    found, summary = summary_from_transactions(
        ids, days, calibration_period_end=_day(as_of), time_unit="weeks"
    )
    return [uuid.UUID(str(c)) for c in found], summary


def _fit_record(model: BGNBDModel, customers: int, as_of: datetime) -> dict[str, Any]:
    return {
        "model": MODEL,
        "status": "fitted",
        "reason": None,
        "params": asdict(model.params_),
        "standard_errors": asdict(model.standard_errors_),
        "log_likelihood": model.log_likelihood_,
        "customers": customers,
        "time_unit": "weeks",
        "fitted_at": as_of.isoformat(),
        "checked_at": as_of.isoformat(),
    }


def _skip_record(status: str, reason: str, customers: int, as_of: datetime) -> dict[str, Any]:
    return {
        "model": MODEL,
        "status": status,
        "reason": reason,
        "customers": customers,
        "checked_at": as_of.isoformat(),
    }


def _per_customer(model: BGNBDModel, ids: Sequence[uuid.UUID], summary: Summary) -> AliveByCustomer:
    x, t_x, age = summary.frequency, summary.recency, summary.T
    p_alive = model.conditional_probability_alive(x, t_x, age)
    expected = model.conditional_expected_number_of_purchases_up_to_time(HORIZON_WEEKS, x, t_x, age)
    return {
        customer_id: {
            "p_alive": float(np.clip(p_alive[i], 0.0, 1.0)),
            "expected_purchases_12w": float(expected[i]),
            "frequency": int(x[i]),
            "recency_weeks": float(t_x[i]),
            "T_weeks": float(age[i]),
            "model": MODEL,
        }
        for i, customer_id in enumerate(ids)
    }


def refit(*, db: Session, as_of: datetime) -> AliveByCustomer:
    """Fit BG/NBD on the organisation's purchases, store the fit (or why there is none) in its
    settings and return each purchasing customer's entry (empty when the fit was skipped)."""
    found = purchase_summary(db=db, as_of=as_of)
    ids, summary = found if found is not None else ([], None)
    values: AliveByCustomer = {}
    if summary is None or len(ids) < MIN_CUSTOMERS:
        reason = f"{NOT_ENOUGH}: {len(ids)} purchasing customers, {MIN_CUSTOMERS} needed"
        record = _skip_record("not_enough_data", reason, len(ids), as_of)
    else:
        try:
            model = BGNBDModel().fit(summary.frequency, summary.recency, summary.T)
            values = _per_customer(model, ids, summary)
            record = _fit_record(model, len(ids), as_of)
        except ConvergenceError as exc:
            record = _skip_record("failed", f"the fit did not converge: {exc}", len(ids), as_of)
        except ValueError as exc:  # InvalidSummaryError: a history the model cannot take
            record = _skip_record("failed", f"unusable purchase history: {exc}", len(ids), as_of)
    org = organisation_service.get_organisation(db=db)
    org.settings = {**(org.settings or {}), FIT_KEY: record}
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
