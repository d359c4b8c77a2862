"""Timing of the journey map and the moments of truth on the demo organisation, and what they find.

Uses the demo organisation of the configured database (GOODWILL_HOME), building it first if there
is none (as bench/stage_agreement.py does), and prints the median of ``--repeat`` runs of each
computation (wall clock, and the process's CPU time, which moves less with the machine's load),
the map's largest cells and the moments of truth for both outcomes. The map is timed twice: each
run in its own unit of work, as a web request runs it (SQLite: a new connection, so its page cache
starts empty), and all runs in one session (the cache warm after the first).

A freshly built demo has one stage-history row per relationship (its single recompute), so there
is no course change to learn from. ``--replay-months N`` first DELETES the organisation's stage
history and replays the relationship engine at the first of each of the last N months and now
(the engine reads only what happened up to its ``as_of``), giving the history a monthly engine
run would have recorded. Use it on a copy of the demo database only.

    GOODWILL_HOME=/tmp/gw-journeys .venv/bin/python bench/journeys.py --repeat 5
    GOODWILL_HOME=/tmp/gw-journeys .venv/bin/python bench/journeys.py --replay-months 17
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update

from goodwill import tenancy
from goodwill.cli_support import session_factory
from goodwill.config import get_settings
from goodwill.database import unit_of_work
from goodwill.demo import service as demo_service
from goodwill.interactions.models import Interaction
from goodwill.journeys import service
from goodwill.relationships import engine
from goodwill.relationships.models import Relationship, StageHistory

T = TypeVar("T")


def timed(repeat: int, run: Callable[[], T]) -> tuple[float, float, T]:
    """The median seconds (wall clock, CPU) of ``repeat`` runs, and the last result."""
    seconds, cpu, result = [], [], None
    for _ in range(repeat):
        started, used = time.perf_counter(), time.process_time()
        result = run()
        seconds.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    assert result is not None
    return statistics.median(seconds), statistics.median(cpu), result


def map_in_own_unit(factory: Any, org_id: Any) -> Any:
    """The journey map as the web page computes it: in a unit of work of its own."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        return service.journey_map(db=db, since=None, until=None)


def replay(factory: Any, org_id: Any, months: int) -> None:
    """Forget the stage history, then recompute at the first of each of the last months."""
    now = datetime.now(UTC)
    points = []
    for back in range(months, 0, -1):
        year, month = divmod(now.year * 12 + now.month - 1 - back, 12)
        points.append(datetime(year, month + 1, 1, tzinfo=UTC))
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        db.execute(delete(StageHistory))
        db.execute(update(Relationship).values(stage=None, phase=None))
    for as_of in [*points, now]:
        started = time.perf_counter()
        with unit_of_work(factory) as db:
            tenancy.scope(db, org_id)
            done = engine.recompute(db=db, all_relationships=True, as_of=as_of)
        print(f"  replayed {as_of:%Y-%m-%d}: {done.relationships} relationships "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip


def report_moments(db: Any, outcome: Any, repeat: int) -> None:
    seconds, _, moments = timed(repeat, lambda: service.moments_of_truth(db=db, outcome=outcome))
    print(f"\nmoments of truth ({outcome}): median {seconds * 1000:.0f} ms; "
          f"{moments.status}: {moments.message}; {moments.relationships} relationships, "
          f"{moments.events} events, {moments.rows} rows")  # fmt: skip
    for m in moments.items:
        print(f"  {m.touchpoint:<18} HR {m.hazard_ratio:.2f} "
              f"({m.ci_low:.2f}-{m.ci_high:.2f}) p={m.p_value:.3g}"
              f"{'  flagged' if m.significant else ''}")  # fmt: skip
    for s in moments.skipped:
        print(f"  skipped {s.touchpoint}: {s.reason}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=2000, help="demo size if built here")
    parser.add_argument("--seed", type=int, default=7, help="demo seed if built here")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--replay-months", type=int, default=0, help="see above: a copy only")
    args = parser.parse_args()
    factory = session_factory()
    demo = demo_service.get_existing(factory=factory)
    if demo is None:
        print(f"building the demo ({args.customers} customers, seed {args.seed})...")
        org_id = demo_service.build(
            factory=factory, settings=get_settings(), seed=args.seed, customers=args.customers
        ).organisation_id
    else:
        org_id = demo.id
    if args.replay_months:
        replay(factory, org_id, args.replay_months)
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        counts = [
            db.scalar(select(func.count()).select_from(model))
            for model in (Relationship, Interaction, StageHistory)
        ]
        rels, touches, stages = counts
        print(f"relationships {rels}, interactions {touches}, stage-history rows {stages}")
        seconds, cpu, found = timed(args.repeat, lambda: map_in_own_unit(factory, org_id))
        print(f"\njourney map (last 365 days), each run in its own unit of work: median "
              f"{seconds * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms) of {args.repeat}")  # fmt: skip
        seconds, cpu, _ = timed(
            args.repeat, lambda: service.journey_map(db=db, since=None, until=None)
        )
        print(f"journey map, all runs in one session: median {seconds * 1000:.0f} ms "
              f"(CPU {cpu * 1000:.0f} ms)")  # fmt: skip
        for c in sorted(found.cells, key=lambda c: -c.interactions)[:12]:
            sentiment = "-" if c.sentiment_mean is None else f"{c.sentiment_mean:+.2f}"
            heat = "-" if c.irritant_heat is None else f"{c.irritant_heat:.2f}"
            print(f"  {c.phase:<19}{c.touchpoint:<18}{c.interactions:>7}{c.customers:>6}"
                  f"  sentiment {sentiment:>6}  irritants/reply {heat}")  # fmt: skip
        for outcome in ("decline", "termination"):
            report_moments(db, outcome, args.repeat)
        db.rollback()


if __name__ == "__main__":
    main()
