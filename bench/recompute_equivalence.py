"""Does a change to the relationship engine change any result? Run a fixed recompute scenario on a
copy of a database, dump every computed field, and compare two dumps.

``run`` copies ``--template`` (a database built by ``goodwill demo --build-only``) into
``--workdir``, forgets everything computed (as ``bench/recompute_scale.py`` does) and runs, with
fixed times so that two runs are comparable:

1. ``full1``: a full recompute from scratch as of ``--as-of``;
2. ``full2``: a second full recompute ten days later (transitions, promises broken or kept,
   score history rows, the "alive" entries refitted);
3. ``incremental``: an incremental recompute an hour after one new inbound message.

After each step it dumps, in a deterministic order, every relationship's stage, phase, stage
evidence, health, risk, trust document (pillars, connection, health, alive) and computed time; the
stage and score history; the commitments with their statuses; the organisation's risk model and
"alive" fit; the next-conversation tasks; and the step's summary counts. Commitment ids (new
random UUIDs on every run) are replaced by their (interaction, start) key wherever they appear.
It prints each step's time, so two code versions can be timed back to back:

    .venv/bin/python bench/recompute_equivalence.py run --template /tmp/gw-demo/goodwill.sqlite3 \
        --workdir /tmp/gw-eq/new --out /tmp/gw-eq/new.jsonl
    PYTHONPATH=/tmp/old_src .venv/bin/python bench/recompute_equivalence.py run ... (old code)
    .venv/bin/python bench/recompute_equivalence.py compare /tmp/gw-eq/old.jsonl \
        /tmp/gw-eq/new.jsonl

``run --processes N`` runs the two full recomputes with ``N`` worker processes
(:func:`goodwill.relationships.parallel.recompute_all_parallel`), to compare with a serial dump:

    .venv/bin/python bench/recompute_equivalence.py run --template /tmp/gw-demo/goodwill.sqlite3 \
        --workdir /tmp/gw-eq/par --out /tmp/gw-eq/par.jsonl --processes 2

``compare`` prints the differences (the first ``--show`` of them) and their counts per step and
table; it exits non-zero when there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sqlite3
import sys
import time
import uuid
from collections import Counter
from dataclasses import asdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.interactions.models import Interaction
from goodwill.organisations.models import Organisation
from goodwill.relationships import engine, nextconv, parallel
from goodwill.relationships.models import Relationship

sys.path.insert(0, str(Path(__file__).parent))
from recompute_scale import forget_computed

UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")
QUERIES = {
    "relationship": "SELECT id, stage, phase, stage_evidence, health, risk, trust, computed_at "
    "FROM relationship ORDER BY id",
    "stage_history": "SELECT relationship_id, valid_from, stage, phase, evidence "
    "FROM relationship_stage_history ORDER BY relationship_id, valid_from",
    "score_history": "SELECT relationship_id, computed_at, health, scores "
    "FROM relationship_score_history ORDER BY relationship_id, computed_at",
    "commitment": "SELECT relationship_id, interaction_id, start, owner_member_id, text, due_at, "
    "status, closed_at, closed_by_interaction_id FROM commitment "
    "ORDER BY relationship_id, interaction_id, start",
}
NEW_MESSAGE_ID = uuid.UUID("01a23d6a-0000-7000-8000-000000000001")  # fixed: evidence cites it
JSON_COLUMNS = {"stage_evidence", "trust", "evidence", "scores"}


def _value(column: str, value: Any) -> Any:
    if column in JSON_COLUMNS and isinstance(value, str):
        return json.loads(value)
    return value


def _commitment_names(con: sqlite3.Connection) -> dict[str, str]:
    """Each commitment id (hex and dashed spellings) → a name that is the same on every run."""
    names = {}
    for cid, interaction_id, start in con.execute(
        "SELECT id, interaction_id, start FROM commitment"
    ):
        name = f"commitment({interaction_id},{start})"
        names[str(cid).replace("-", "")] = name
        names[str(uuid.UUID(str(cid)))] = name
    return names


def _rows(con: sqlite3.Connection) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for table, query in QUERIES.items():
        cursor = con.execute(query)
        columns = [d[0] for d in cursor.description]
        for row in cursor:
            out.append((table, {c: _value(c, v) for c, v in zip(columns, row, strict=True)}))
    for (settings,) in con.execute("SELECT settings FROM organisation"):
        found = json.loads(settings) if isinstance(settings, str) else settings or {}
        for key in ("risk_model", "alive_fit"):
            out.append(("settings", {"key": key, "value": found.get(key)}))
    return out


def _tasks(db: Session, as_of: datetime) -> list[tuple[str, Any]]:
    found = nextconv.tasks(db=db, limit=None, as_of=as_of, include_hidden=True)
    return [("task", asdict(task)) for task in found]  # the task id hashes a commitment id


def dump(path: Path, factory: Any, organisation_id: uuid.UUID, step: str, extra: Any) -> list[str]:
    """The lines of one step's dump: JSON, commitment ids renamed."""
    con = sqlite3.connect(path)
    try:
        rows = _rows(con)
        names = _commitment_names(con)
    finally:
        con.close()
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        rows += _tasks(db, extra["as_of"])
    rows.append(("summary", {k: v for k, v in extra.items() if k != "as_of"}))
    lines = []
    for index, (table, row) in enumerate(rows):
        text = json.dumps({"step": step, "table": table, "n": index, "row": row}, default=str)
        lines.append(UUID.sub(lambda m: names.get(m.group(0), m.group(0)), text))
    return lines


def _one_new_message(factory: Any, organisation_id: uuid.UUID, at: datetime) -> None:
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        customer_id = db.scalars(select(Relationship.customer_id).order_by(Relationship.id)).first()
        assert customer_id is not None
        db.add(
            Interaction(
                id=NEW_MESSAGE_ID,
                external_id="equivalence-new-message",
                customer_id=customer_id,
                kind="message",
                channel="email",
                direction="inbound",
                occurred_at=at,
                created_at=at,
                body="I was offered a better deal elsewhere; I recommended you to my sister.",
            )
        )


def _recompute(
    factory: Any, organisation_id: uuid.UUID, as_of: datetime, full: bool, processes: int
) -> Any:
    if full and processes > 1:
        done = parallel.recompute_all_parallel(
            factory, organisation_id, processes=processes, as_of=as_of
        )
    else:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            done = engine.recompute(db=db, all_relationships=full, as_of=as_of)
    return {
        "as_of": as_of,
        "relationships": done.relationships,
        "transitions": done.transitions,
        "commitments_added": done.commitments_added,
        "commitments_closed": done.commitments_closed,
    }


def run(template: Path, workdir: Path, out: Path, as_of: datetime, processes: int = 1) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "goodwill.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, path)
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("BEGIN")
    forget_computed(con)
    con.execute("COMMIT")
    con.close()
    db_engine = make_engine(f"sqlite:///{path}")
    migrations.upgrade(db_engine)
    factory = make_session_factory(db_engine)
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        organisation_id = db.scalars(select(Organisation.id)).one()
    later = as_of + timedelta(days=10)
    steps = [("full1", as_of, True), ("full2", later, True), ("incremental", None, False)]
    lines: list[str] = []
    for step, at, full in steps:
        if at is None:
            _one_new_message(factory, organisation_id, later + timedelta(minutes=1))
            at = later + timedelta(hours=1)
        started = time.perf_counter()
        extra = _recompute(factory, organisation_id, at, full, processes)
        print(
            f"{step}: {extra['relationships']} relationships in "
            f"{time.perf_counter() - started:.2f} s"
        )
        lines += dump(path, factory, organisation_id, step, extra)
    out.write_text("\n".join(lines) + "\n")
    print(f"{len(lines):,} lines in {out}")


def _keyed(path: Path) -> dict[tuple[str, str, int], str]:
    out = {}
    for line in path.read_text().splitlines():
        item = json.loads(line)
        out[(item["step"], item["table"], item["n"])] = json.dumps(item["row"])
    return out


def compare(old: Path, new: Path, show: int) -> int:
    a, b = _keyed(old), _keyed(new)
    counts: Counter[tuple[str, str]] = Counter()
    totals: Counter[tuple[str, str]] = Counter(k[:2] for k in a)
    shown = 0
    for key in sorted(a.keys() | b.keys()):
        if a.get(key) == b.get(key):
            continue
        counts[key[:2]] += 1
        if shown < show:
            print(f"DIFF {key}:\n  old {a.get(key)}\n  new {b.get(key)}")
            shown += 1
    for step, table in sorted(totals.keys() | counts.keys()):
        n, total = counts[(step, table)], totals[(step, table)]
        print(f"{step:12} {table:14} {total:7,} rows, {n:,} different")
    print("IDENTICAL" if not counts else f"{sum(counts.values()):,} differences")
    return 1 if counts else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    runner = sub.add_parser("run")
    runner.add_argument("--template", type=Path, required=True)
    runner.add_argument("--workdir", type=Path, required=True)
    runner.add_argument("--out", type=Path, required=True)
    runner.add_argument("--as-of", default="2026-12-03T12:00:00+00:00")
    runner.add_argument(
        "--processes", type=int, default=1, help="worker processes for the full recomputes"
    )
    comparer = sub.add_parser("compare")
    comparer.add_argument("old", type=Path)
    comparer.add_argument("new", type=Path)
    comparer.add_argument("--show", type=int, default=10)
    args = parser.parse_args()
    if args.command == "run":
        as_of = datetime.fromisoformat(args.as_of)
        run(args.template, args.workdir, args.out, as_of, args.processes)
    else:
        sys.exit(compare(args.old, args.new, args.show))


if __name__ == "__main__":
    main()
