"""How long segment assignment takes on the demo organisation, at its size and copied to 100,000.

The demo organisation (Northwind Money, built by ``goodwill demo --build-only``: generated
customers whose purchases, messages and calls went through the real importer, relationships
computed by the engine) is copied into ``--out`` ``--copies`` times: every customer with a new id,
external id and e-mail, its relationship as the engine left it (stage, phase, health, risk,
label) and the interactions segment rules read (purchases with their amounts; messages, calls
and meetings without their text) with their contact reasons. Then five segments whose rules read
every kind of field (tenure, stage, phase, health, last contact, purchases, RFM, label; reasons
when the organisation has any) are created without assigning, and it times
:func:`goodwill.segments.service.assign` as the engine would call it, each in its own unit of work:

1. the first assignment (every member enters: one row written per member);
2. again with nothing changed (nothing written), median of ``--repeats``;
3. after a segment's threshold moved (many relationships move), median of ``--repeats``
   (alternating two thresholds);
and ``preview`` of a rule with a priority (median of ``--repeats``).

    GOODWILL_HOME=/tmp/gw-seg-demo .venv/bin/goodwill demo --build-only
    .venv/bin/python bench/segments_assign.py --template /tmp/gw-seg-demo/goodwill.sqlite3 \\
        --out /tmp/gw-seg/goodwill.sqlite3 --copies 50
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.organisations.models import Organisation
from goodwill.reasons.models import ContactReason
from goodwill.segments import service
from goodwill.segments.models import Segment

READ_KINDS = ("purchase", "message", "call", "meeting")
COPIED: dict[str, tuple[str, ...]] = {  # table → the id columns rewritten in each copy
    "customer": ("id",),
    "relationship": ("id", "customer_id"),
    "interaction": ("id", "customer_id"),
    "message_reason": ("id", "interaction_id"),
}
UNIQUE_TEXT = {"customer": ("external_id", "email"), "interaction": ("external_id",)}
DROPPED = {"interaction": ("conversation_id", "body", "subject", "email_message_id", "attributes")}


def copied_id(column: str) -> str:
    """Copy ``k`` of an id (32 hex digits on SQLite): its last 32 bits replaced by ``k``."""
    copy = f"substr({column}, 1, 24) || printf('%08x', k)"
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE {copy} END"


def copy_statement(table: str, columns: list[str]) -> str:
    select_list = []
    for column in columns:
        if column in COPIED[table]:
            select_list.append(copied_id(column))
        elif column in UNIQUE_TEXT.get(table, ()):
            copy = f"'c' || k || '.' || {column}"
            select_list.append(f"CASE WHEN {column} IS NULL THEN NULL ELSE {copy} END")
        elif column in DROPPED.get(table, ()):
            select_list.append("NULL")
        else:
            select_list.append(column)
    where = f" WHERE kind IN {READ_KINDS}" if table == "interaction" else ""
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(select_list)} FROM {table}, copies{where}"
    )


def build(template: Path, out: Path, copies: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, out)
    if copies < 2:
        return
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    con.execute(
        "CREATE TEMP TABLE copies AS WITH RECURSIVE c(k) AS "
        f"(SELECT 1 UNION ALL SELECT k + 1 FROM c WHERE k < {copies - 1}) SELECT k FROM c"
    )
    for table in COPIED:
        columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})")]
        started = time.perf_counter()
        con.execute(copy_statement(table, columns))
        print(f"  copied {table} in {time.perf_counter() - started:.0f} s", flush=True)
    con.execute("COMMIT")
    con.execute("ANALYZE")
    con.close()


RULES: list[tuple[str, int, list[dict[str, Any]]]] = [
    ("Champions", 1, [{"field": "rfm", "op": "in", "value": ["555", "554", "545", "455"]}]),
    (
        "Drifting apart",
        2,
        [
            {"field": "stage", "op": "in", "value": ["circumscribing", "stagnating", "avoiding"]},
            {"field": "last_contact_days", "op": "gt", "value": 30},
        ],
    ),
    (
        "Loyal",
        3,
        [
            {"field": "tenure_days", "op": "gte", "value": 365},
            {"field": "health", "op": "gte", "value": 60},
            {"field": "purchases_count", "op": "gte", "value": 3},
        ],
    ),
    ("Newcomers", 4, [{"field": "phase", "op": "eq", "value": "early_days"}]),
    (
        "Premium, quiet",
        5,
        [
            {"field": "label", "op": "eq", "value": "premium"},
            {"field": "purchases_value", "op": "lt", "value": 500},
        ],
    ),
]


def create_segments(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> None:
    """The segments, stored without assigning (so the first assignment is timed below)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        for old in db.scalars(select(Segment)):
            db.delete(old)
        rules = list(RULES)
        reason = db.scalar(select(ContactReason.name).limit(1))
        if reason is not None:
            seen = [{"field": "reasons", "op": "eq", "value": reason, "days": 60}]
            rules.append(("Asked lately", 6, seen))
        for name, priority, conditions in rules:
            db.add(Segment(name=name, priority=priority, rule={"groups": [conditions]}))


def timed(
    factory: sessionmaker[Session], organisation_id: uuid.UUID, work: Callable[[Session], Any]
) -> tuple[tuple[float, float], Any]:
    """(wall, CPU) seconds of ``work`` in its own unit of work (the commit included)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        wall, cpu = time.perf_counter(), time.process_time()
        found = work(db)
    return (time.perf_counter() - wall, time.process_time() - cpu), found


def move_threshold(value: int) -> Callable[[Session], Any]:
    def work(db: Session) -> Any:
        loyal = service.get_by_name(db=db, name="Loyal")
        tenure, _, purchases = loyal.rule["groups"][0]
        health = {"field": "health", "op": "gte", "value": value}
        loyal.rule = {"groups": [[tenure, health, purchases]]}
        db.flush()
        return service.assign(db=db)

    return work


def report(name: str, seconds: list[tuple[float, float]]) -> None:
    walls, cpus = [w for w, _ in seconds], [c for _, c in seconds]
    shown = ", ".join(f"{w:.2f}" for w in walls)
    print(
        f"{name}: median {statistics.median(walls):.2f} s wall ({shown}), "
        f"{statistics.median(cpus):.2f} s CPU",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an existing --out database")
    args = parser.parse_args()
    if not (args.reuse and args.out.exists()):
        started = time.perf_counter()
        build(args.template, args.out, args.copies)
        print(f"built in {time.perf_counter() - started:.0f} s")
    db_engine = make_engine(f"sqlite:///{args.out}")
    migrations.upgrade(db_engine)
    factory = make_session_factory(db_engine)
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        organisation_id = db.scalars(select(Organisation.id)).one()
    create_segments(factory, organisation_id)
    first, summary = timed(factory, organisation_id, lambda db: service.assign(db=db))
    print(
        f"{summary.relationships:,} relationships; members {summary.segments}, "
        f"unsegmented {summary.unsegmented:,}"
    )
    report(f"first assignment ({summary.entered:,} entered)", [first])
    same = [
        timed(factory, organisation_id, lambda db: service.assign(db=db))[0]
        for _ in range(args.repeats)
    ]
    report("again, nothing changed", same)
    moved: list[tuple[float, float]] = []
    counts: list[int] = []
    for n in range(args.repeats):
        seconds, found = timed(factory, organisation_id, move_threshold(80 if n % 2 == 0 else 60))
        moved.append(seconds)
        counts.append(found.entered + found.left)
    report(f"after a threshold moved ({min(counts):,} to {max(counts):,} rows written)", moved)
    rule = {"conditions": [{"field": "rfm_monetary", "op": "gte", "value": 4}]}
    preview = [
        timed(factory, organisation_id, lambda db: service.preview(db=db, rule=rule, priority=3))[0]
        for _ in range(args.repeats)
    ]
    report("preview with a priority", preview)


if __name__ == "__main__":
    main()
