"""Does fitting "still alive" per segment predict better than one organisation-wide fit?

On an organisation's own purchases (the demo by default: ``goodwill demo --build-only`` first),
fits BG/NBD and Pareto/NBD with the calibration period ending 12 weeks before the last purchase,
organisation-wide and per segment (``goodwill.relationships.alive.fit``, nothing stored), and
compares each customer's expected repeat purchases in the next 12 weeks with the purchase days
that actually followed: mean absolute error per segment and in total, and predicted vs actual sums.

    GOODWILL_HOME=/tmp/gw-policy .venv/bin/python bench/alive_segments.py [--org SLUG]
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

import goodwill.models  # noqa: F401 (every table mapped, so keys come back as UUIDs)
from goodwill import tenancy
from goodwill.cli_support import resolve_organisation, session_factory
from goodwill.interactions.models import Interaction
from goodwill.relationships import alive
from goodwill.relationships.models import Relationship

HOLDOUT = timedelta(weeks=12)
MODELS: tuple[alive.ModelName, ...] = ("bgnbd", "paretonbd")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--org", default=None, help="organisation slug (if several)")
    parser.add_argument("--min-customers", type=int, default=alive.MIN_CUSTOMERS)
    args = parser.parse_args()
    db = session_factory(migrate=False)()
    try:
        tenancy.scope(db, resolve_organisation(db, args.org).id)
        purchases = Interaction.kind == "purchase"
        last = db.scalar(select(func.max(Interaction.occurred_at)).where(purchases))
        if last is None:
            raise SystemExit("no purchases in this organisation")
        cut = (last if last.tzinfo else last.replace(tzinfo=UTC)) - HOLDOUT
        actual = _holdout_purchase_days(db, cut)
        rows = db.execute(select(Relationship.customer_id, Relationship.segment))
        segment = {uuid.UUID(str(row.customer_id)): row.segment for row in rows}
        print(f"calibration ends {cut:%Y-%m-%d}; holdout {HOLDOUT.days // 7} weeks")
        for model in MODELS:
            for by_segment in (False, True):
                config = alive.AliveConfig(model, by_segment, args.min_customers)
                started = time.perf_counter()
                values, record = alive.fit(db=db, as_of=cut, config=config)
                seconds = time.perf_counter() - started
                _report(config, record, values, actual, segment, seconds)
    finally:
        db.rollback()
        db.close()


def _holdout_purchase_days(db: Session, cut: datetime) -> dict[uuid.UUID, int]:
    """Per customer, the distinct days with a purchase in (cut, cut + 12 weeks]."""
    rows = db.execute(
        select(Interaction.customer_id, Interaction.occurred_at).where(
            Interaction.kind == "purchase",
            Interaction.occurred_at > cut,
            Interaction.occurred_at <= cut + HOLDOUT,
        )
    )
    days: dict[uuid.UUID, set[date]] = defaultdict(set)
    for customer_id, at in rows:
        days[uuid.UUID(str(customer_id))].add(at.date())
    return {customer_id: len(found) for customer_id, found in days.items()}


def _report(
    config: alive.AliveConfig,
    record: dict[str, Any],
    values: alive.AliveByCustomer,
    actual: dict[uuid.UUID, int],
    segment: dict[uuid.UUID, str | None],
    seconds: float,
) -> None:
    errors: dict[str, list[float]] = defaultdict(list)
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for customer_id, entry in values.items():
        name = segment.get(customer_id) or "(none)"
        predicted, happened = entry["expected_purchases_12w"], actual.get(customer_id, 0)
        for key in (name, "total"):
            errors[key].append(abs(predicted - happened))
            sums[key][0] += predicted
            sums[key][1] += happened
    fits = record.get("segments") or {}
    fitted = [name for name, fit in fits.items() if fit.get("status") == "fitted"]
    print(
        f"\n{config.model} {'by segment' if config.by_segment else 'organisation-wide'}: "
        f"{record.get('status')}, {record.get('customers')} customers, "
        f"segments fitted {fitted or '-'}, {seconds:.2f} s"
    )
    if record.get("reason"):
        print(f"  reason: {record['reason']}")
    for key in sorted(errors, key=lambda k: (k == "total", k)):
        mae = sum(errors[key]) / len(errors[key])
        print(
            f"  {key:<10} n={len(errors[key]):>5}  MAE {mae:.3f}  "
            f"predicted {sums[key][0]:8.1f}  actual {sums[key][1]:6.0f}"
        )


if __name__ == "__main__":
    main()
