"""How often the relationship engine's Knapp stage and lifecycle phase agree with the demo's intent.

The demo generator records, per customer, the stage and phase its persona was meant to show
(customer attributes ``demo_intended_stage`` and ``demo_intended_phase``). This script uses the
demo organisation of the configured database (GOODWILL_HOME), building it first if there is none,
recomputes every relationship with the default rules (or the organisation's own), and prints the
commitments ledger by status and the accuracy and confusion matrices
(rows: intended, columns: inferred). The engine's ``established`` phase (neither new, nor in a
disagreement, nor long-term) has no demo counterpart and counts as a disagreement.

    GOODWILL_HOME=/tmp/gw-demo .venv/bin/python bench/stage_agreement.py --customers 2000
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import func, select

from goodwill import tenancy
from goodwill.cli_support import session_factory
from goodwill.config import get_settings
from goodwill.customers.models import Customer
from goodwill.database import unit_of_work
from goodwill.demo import service as demo_service
from goodwill.demo.personas import PHASES, STAGES
from goodwill.relationships import engine
from goodwill.relationships.models import Commitment, Relationship


def confusion(pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> str:
    """A text table of counts: intended (rows) against inferred (columns)."""
    inferred = list(labels) + sorted({got for _, got in pairs} - set(labels))
    counts = Counter(pairs)
    width = max(len(label) for label in [*labels, *inferred]) + 1
    short = [label[:6] for label in inferred]
    lines = [" " * width + " ".join(f"{s:>6}" for s in short)]
    for want in labels:
        row = " ".join(f"{counts[(want, got)]:>6}" for got in inferred)
        lines.append(f"{want:<{width}}{row}")
    return "\n".join(lines)


def report(name: str, pairs: Sequence[tuple[str, str]], labels: Sequence[str]) -> None:
    right = sum(want == got for want, got in pairs)
    print(f"\n{name}: {right}/{len(pairs)} agree ({right / max(len(pairs), 1):.1%})")
    print(confusion(pairs, labels))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000, help="demo size if built here")
    parser.add_argument("--seed", type=int, default=7, help="demo seed if built here")
    args = parser.parse_args()
    factory = session_factory()
    demo = demo_service.get_existing(factory=factory)
    if demo is None:
        print(f"building the demo ({args.customers} customers, seed {args.seed})...")
        built = demo_service.build(
            factory=factory, settings=get_settings(), seed=args.seed, customers=args.customers
        )
        org_id = built.organisation_id
    else:
        org_id = demo.id
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        started = time.perf_counter()
        summary = engine.recompute(db=db, all_relationships=True)
        seconds = time.perf_counter() - started
        statuses = db.execute(
            select(Commitment.status, func.count()).group_by(Commitment.status)
        ).all()
        rows = db.execute(
            select(Relationship.stage, Relationship.phase, Customer.attributes).join(
                Customer, Customer.id == Relationship.customer_id
            )
        ).all()
    print(
        f"recomputed {summary.relationships:,} relationships in {seconds:.2f} s "
        f"({summary.commitments_added:,} commitments found, {summary.commitments_closed:,} closed)"
    )
    print("commitments: " + ", ".join(f"{status} {count:,}" for status, count in sorted(statuses)))
    intended = [(r.attributes or {}, r.stage or "", r.phase or "") for r in rows]
    known = [(a, s, p) for a, s, p in intended if a.get("demo_intended_stage")]
    report("stage", [(a["demo_intended_stage"], s) for a, s, _ in known], STAGES)
    report("phase", [(a["demo_intended_phase"], p) for a, _, p in known], PHASES)


if __name__ == "__main__":
    main()
