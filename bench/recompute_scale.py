"""Full and incremental recompute at scale on SQLite: 100,000 relationships, 3 million interactions.

The organisation is the demo's (Northwind Money: generated customers whose e-mails, calls,
purchases and usage went through the real importer and the real analysis pipeline), copied
``--copies`` times inside the same database: every copy of a customer gets new ids, external ids
and e-mail address, with all its interactions, conversations and stored analyses. So the engine
reads realistic histories, not uniform random rows. Message embeddings and raw e-mail bytes are not
copied: the engine reads neither.

Then it times, each in its own unit of work as ``goodwill recompute`` runs it:
1. a full recompute from scratch (no relationship computed yet, no commitment, no stage history),
   as after a first import;
2. an incremental recompute after one new analysed message (median of ``--repeats``).

    .venv/bin/python bench/recompute_scale.py --template /tmp/gw-demo/goodwill.sqlite3 \
        --out /tmp/gw-scale/goodwill.sqlite3 --copies 50

``--template`` is a database built by ``goodwill demo --build-only`` (GOODWILL_HOME=/tmp/gw-demo).
``--processes N`` runs the full recompute with ``N`` worker processes
(:func:`goodwill.relationships.parallel.recompute_all_parallel`, as ``goodwill recompute --all
--processes N``); its CPU time counts the workers' too.
"""

from __future__ import annotations

import argparse
import logging
import resource
import shutil
import sqlite3
import statistics
import time
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work, utcnow
from goodwill.interactions.models import Interaction
from goodwill.messages import flows as message_flows
from goodwill.organisations.models import Organisation
from goodwill.relationships import engine, parallel
from goodwill.relationships.models import Relationship

# Tables copied per customer, in foreign-key order; the id columns rewritten in each copy.
COPIED: dict[str, tuple[str, ...]] = {
    "customer": ("id", "account_id"),
    "relationship": ("id", "customer_id"),
    "conversation": ("id", "customer_id"),
    "interaction": ("id", "customer_id", "conversation_id"),
    "message_analysis": ("interaction_id",),
}
UNIQUE_TEXT = {
    "customer": ("external_id", "email"),
    "conversation": ("external_id",),
    "interaction": ("external_id", "email_message_id"),
}


def copied_id(column: str) -> str:
    """The id of copy ``k`` of a row: the UUID's last 32 bits replaced by the copy number (the
    first 96 bits, 48 of them time and about 40 random, keep copies of different rows apart)."""
    copy = f"substr({column}, 1, 24) || printf('%08x', k)"
    return f"CASE WHEN {column} IS NULL THEN NULL ELSE {copy} END"


def copy_statement(table: str, columns: list[str]) -> str:
    rewritten = COPIED[table]
    unique = UNIQUE_TEXT.get(table, ())
    select_list = []
    for column in columns:
        if column in rewritten and not (table == "customer" and column == "account_id"):
            select_list.append(copied_id(column))
        elif column in unique:
            select_list.append(
                f"CASE WHEN {column} IS NULL THEN NULL ELSE 'c' || k || '.' || {column} END"
            )
        else:
            select_list.append(column)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) "
        f"SELECT {', '.join(select_list)} FROM {table}, copies"
    )


def forget_computed(con: sqlite3.Connection) -> None:
    """Back to "just imported": no promise, stage, score or risk computed yet."""
    for table in ("commitment", "relationship_stage_history", "relationship_score_history"):
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone():
            con.execute(f"DELETE FROM {table}")
    columns = {row[1] for row in con.execute("PRAGMA table_info(relationship)")}
    risk = ", risk = NULL" if "risk" in columns else ""
    con.execute(
        "UPDATE relationship SET computed_at = NULL, stage = NULL, phase = NULL, trust = NULL"
        + risk
    )


def reset(out: Path) -> None:
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("BEGIN")
    forget_computed(con)
    con.execute("COMMIT")
    con.close()


def build(template: Path, out: Path, copies: int) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{out}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(template, out)
    con = sqlite3.connect(out, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.execute("BEGIN")
    con.execute("DELETE FROM message_embedding")
    con.execute("DELETE FROM interaction_raw")
    forget_computed(con)
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


def analyse_new_indexes(out: Path) -> None:
    """Statistics for the indexes that have none (those a migration added after the copy was
    built and analysed): with statistics for some indexes and none for another, SQLite takes the
    one without for any ``organisation_id = ?`` query (it guesses ten rows per organisation) and
    reads every relationship where it should have read 500 by id."""
    con = sqlite3.connect(out, isolation_level=None)
    try:
        analysed = {row[0] for row in con.execute("SELECT idx FROM sqlite_stat1")}
        indexes = con.execute("SELECT name FROM sqlite_master WHERE type = 'index'").fetchall()
        for (name,) in indexes:
            if name not in analysed and not name.startswith("sqlite_"):
                con.execute(f'ANALYZE "{name}"')
    finally:
        con.close()


def counts(url: str) -> tuple[int, int, int]:
    con = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return tuple(  # type: ignore[return-value]
            con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("relationship", "interaction", "message_analysis")
        )
    finally:
        con.close()


def one_new_message(factory, organisation_id, relationship_id) -> None:  # type: ignore[no-untyped-def]
    """Store one inbound message for a customer and analyse it, as ingest does."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        rel = db.get(Relationship, relationship_id)
        assert rel is not None
        db.add(
            Interaction(
                external_id=f"bench-{time.time_ns()}",
                customer_id=rel.customer_id,
                kind="message",
                channel="email",
                direction="inbound",
                occurred_at=utcnow() - timedelta(minutes=1),
                body="Hi, my card was declined twice today and nobody answered my e-mail.",
            )
        )
    message_flows.analyse_new(factory, organisation_id)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--template", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep an existing --out database")
    parser.add_argument(
        "--processes", type=int, default=1, help="worker processes for the full recompute"
    )
    parser.add_argument(
        "--incremental-only", action="store_true", help="skip the full recompute (--reuse)"
    )
    args = parser.parse_args()
    logging.basicConfig(format="  %(name)s: %(message)s")
    for phases in ("goodwill.relationships.parallel", "goodwill.relationships.engine"):
        logging.getLogger(phases).setLevel(logging.DEBUG)  # their phases
    if not (args.reuse and args.out.exists()):
        started = time.perf_counter()
        build(args.template, args.out, args.copies)
        print(f"built in {time.perf_counter() - started:.0f} s")
    elif not args.incremental_only:
        reset(args.out)  # a reused copy: the full recompute starts from scratch again
    url = f"sqlite:///{args.out}"
    rels, interactions, analyses = counts(url)
    print(f"{rels:,} relationships, {interactions:,} interactions, {analyses:,} stored analyses")
    db_engine = make_engine(url)
    migrations.upgrade(db_engine)
    analyse_new_indexes(args.out)
    factory = make_session_factory(db_engine)
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        organisation_id = db.scalars(select(Organisation.id)).one()
    if not args.incremental_only:
        full_recompute(factory, organisation_id, args.processes)
    incremental(factory, organisation_id, args.repeats)


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def full_recompute(
    factory: sessionmaker[Session], organisation_id: uuid.UUID, processes: int = 1
) -> None:
    cpu, children = time.process_time(), _children_cpu()
    if processes > 1:
        summary = parallel.recompute_all_parallel(factory, organisation_id, processes=processes)
    else:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            summary = engine.recompute(db=db, all_relationships=True)
    cpu, children = time.process_time() - cpu, _children_cpu() - children
    print(
        f"full recompute ({processes} process{'es' if processes > 1 else ''}): "
        f"{summary.relationships:,} relationships in {summary.seconds:.1f} s wall, "
        f"{cpu + children:.1f} s CPU ({children:.1f} s of it in workers; "
        f"{summary.transitions:,} stage transitions, "
        f"{summary.commitments_added:,} promises)"
    )


def incremental(factory: sessionmaker[Session], organisation_id: uuid.UUID, repeats: int) -> None:
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        some = db.scalars(select(Relationship.id).limit(repeats)).all()
    timings = []
    for relationship_id in some:
        one_new_message(factory, organisation_id, relationship_id)
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            done = engine.recompute(db=db)
        timings.append(done.seconds * 1000)
        print(f"  incremental: {done.relationships} relationship(s) in {timings[-1]:.0f} ms")
    median = statistics.median(timings)
    print(f"incremental recompute after one new message: median {median:.0f} ms")


if __name__ == "__main__":
    main()
