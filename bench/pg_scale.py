"""PostgreSQL at scale: one organisation of 1,000,000 customers and 10,000,000 interactions.

The organisation is the demo's (Northwind Money, built on PostgreSQL by ``goodwill demo
--build-only``: generated customers whose e-mails, calls, purchases and usage went through the real
importer and the real analysis pipeline), copied inside the same database until it has
``--customers`` customers. Copy 0 is the demo itself, whole. Every further copy of a customer gets
new ids, external ids and e-mail address, and a share of the demo customer's history: whole
conversations (and single interactions outside conversations) chosen by a hash of the thread and the
copy number, so threads stay intact, copies differ, and the organisation ends near
``--interactions`` interactions. The stored analyses of the kept messages are copied with them, so
the engine and the pages read realistic histories, not uniform random rows. Message embeddings and
raw e-mail bytes are not copied: nothing timed here reads them.

Steps (each can be run on its own; ``build`` first):

    createdb -h 127.0.0.1 -U postgres gw_scale
    GOODWILL_HOME=/tmp/gw-pgscale \\
    GOODWILL_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/gw_scale \\
        goodwill demo --build-only
    .venv/bin/python bench/pg_scale.py build --url postgresql+psycopg://postgres@127.0.0.1:5432/gw_scale
    .venv/bin/python bench/pg_scale.py recompute --url ... --processes 2
    .venv/bin/python bench/pg_scale.py incremental --url ... --repeats 7

``build`` prints what it made; ``recompute`` times a full recompute from scratch (nothing computed
yet, as after a first import) with ``--processes`` worker processes, as ``goodwill recompute --all
--processes N`` runs it; ``incremental`` times the recompute after one new analysed message
(median of ``--repeats``). The import rate, the analysis rate per worker and the latency under
load have their own benches (``import_throughput.py --database postgresql``, ``jobs_workers.py``,
and ``http_load.py`` against ``goodwill serve`` on this database); docs/benchmarks.md lists the
commands.
"""

from __future__ import annotations

import argparse
import logging
import time
import uuid

import psycopg
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.organisations.models import Organisation
from recompute_scale import (  # the SQLite bench's, beside this file
    UNIQUE_TEXT,
    full_recompute,
    incremental,
)

# Tables copied per customer, in foreign-key order, with the id columns rewritten in each copy.
COPIED: dict[str, tuple[str, ...]] = {
    "customer": ("id",),
    "relationship": ("id", "customer_id"),
    "conversation": ("id", "customer_id"),
    "interaction": ("id", "customer_id", "conversation_id"),
    "message_analysis": ("interaction_id",),
}
COPIES_PER_STATEMENT = 25  # one transaction per this many copies: progress, bounded WAL per commit
DERIVED = ("commitment", "relationship_stage_history", "relationship_score_history")


def copied_id(column: str) -> str:
    """The id of copy ``k`` of a row: the UUID's last 32 bits replaced by the copy number (the
    first 96 bits, 48 of them time and about 40 random, keep copies of different rows apart)."""
    return f"overlay({column}::text placing lpad(to_hex(k), 8, '0') from 29)::uuid"


def kept(alias: str) -> str:
    """Whether copy ``k`` keeps an interaction: its whole thread, by a hash of thread and copy."""
    thread = f"coalesce({alias}.conversation_id, {alias}.id)::text || '/' || k"
    return f"(hashtext({thread}) & 1048575) < %(share)s::float8 * 1048576"


def copy_statement(table: str, columns: list[str]) -> str:
    rewritten = COPIED[table]
    unique = UNIQUE_TEXT.get(table, ())
    select_list = []
    for column in columns:
        if column in rewritten:
            select_list.append(
                f"CASE WHEN t.{column} IS NULL THEN NULL ELSE {copied_id('t.' + column)} END"
            )
        elif column in unique:
            select_list.append(
                f"CASE WHEN t.{column} IS NULL THEN NULL ELSE 'c' || k || '.' || t.{column} END"
            )
        else:
            select_list.append(f"t.{column}")
    source = f"source_{table} t CROSS JOIN generate_series(%(first)s::int, %(last)s::int) AS k"
    if table == "interaction":
        source += f" WHERE {kept('t')}"
    elif table == "conversation":
        source += (
            " WHERE EXISTS (SELECT 1 FROM source_interaction i WHERE i.conversation_id = t.id"
            f" AND {kept('i')})"
        )
    elif table == "message_analysis":
        source += (
            " JOIN source_interaction i"
            " ON i.id = t.interaction_id AND i.organisation_id = t.organisation_id"
            f" WHERE {kept('i')}"
        )
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(select_list)} FROM {source}"
    )


def forget_computed(con: psycopg.Connection) -> None:
    """Back to "just imported": no promise, stage, score or risk computed yet."""
    for table in DERIVED:
        con.execute(f"DELETE FROM {table}")
    con.execute(
        "UPDATE relationship SET computed_at = NULL, stage = NULL, phase = NULL, trust = NULL,"
        " risk = NULL"
    )


def dsn(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def build(url: str, customers: int, interactions: int) -> None:
    with psycopg.connect(dsn(url), autocommit=True) as con:
        demo_customers = con.execute("SELECT count(*) FROM customer").fetchone()[0]  # type: ignore[index]
        demo_interactions = con.execute("SELECT count(*) FROM interaction").fetchone()[0]  # type: ignore[index]
        copies = customers // demo_customers
        if copies < 2:
            raise SystemExit(f"--customers must be at least twice the demo's {demo_customers:,}")
        share = (interactions - demo_interactions) / ((copies - 1) * demo_interactions)
        share = min(1.0, max(0.0, share))
        print(
            f"demo: {demo_customers:,} customers, {demo_interactions:,} interactions; "
            f"{copies - 1} copies, each keeping {share:.1%} of the threads",
            flush=True,
        )
        with con.transaction():
            con.execute("DELETE FROM message_embedding")
            con.execute("DELETE FROM interaction_raw")
            forget_computed(con)
        statements = {}
        for table in COPIED:  # the demo's rows, the source of every copy
            con.execute(f"CREATE TEMP TABLE source_{table} AS SELECT * FROM {table}")
        con.execute("CREATE INDEX ON source_interaction (conversation_id)")
        con.execute("ANALYZE")
        for table in COPIED:
            columns = [
                row[0]
                for row in con.execute(
                    "SELECT column_name FROM information_schema.columns"
                    " WHERE table_name = %s ORDER BY ordinal_position",
                    (table,),
                )
            ]
            statements[table] = copy_statement(table, columns)
        # A bulk load's usual order: secondary indexes dropped and built again at the end, and the
        # foreign-key triggers off (the copies refer only to rows copied before them).
        indexes = con.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i"
            " WHERE i.schemaname = 'public' AND i.tablename = ANY(%s) AND NOT EXISTS"
            " (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            (list(COPIED),),
        ).fetchall()
        for name, _ in indexes:
            con.execute(f'DROP INDEX "{name}"')
        con.execute("SET session_replication_role = replica")
        for first in range(1, copies, COPIES_PER_STATEMENT):
            last = min(copies - 1, first + COPIES_PER_STATEMENT - 1)
            started = time.perf_counter()
            with con.transaction():
                for statement in statements.values():
                    con.execute(statement, {"first": first, "last": last, "share": share})
            print(
                f"  copies {first} to {last} in {time.perf_counter() - started:.0f} s", flush=True
            )
        con.execute("SET session_replication_role = DEFAULT")
        started = time.perf_counter()
        con.execute("SET maintenance_work_mem = '1GB'")
        for _, definition in indexes:
            con.execute(definition)
        print(
            f"  {len(indexes)} indexes built in {time.perf_counter() - started:.0f} s", flush=True
        )
        started = time.perf_counter()
        con.execute("VACUUM ANALYZE")
        print(f"  vacuum analyze in {time.perf_counter() - started:.0f} s", flush=True)
    print(counts(url))


def counts(url: str) -> str:
    with psycopg.connect(dsn(url)) as con:
        found = {
            table: con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
            for table in ("customer", "interaction", "message_analysis", "conversation")
        }
        size = con.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()
    return ", ".join(f"{n:,} {table}" for table, n in found.items()) + f"; database {size[0]}"  # type: ignore[index]


WRITTEN = (*DERIVED, "relationship", "segment_membership")


def vacuum_written(url: str) -> None:
    """VACUUM ANALYZE what a full recompute rewrote, as autovacuum does soon after on a server
    with its default settings (this machine's test server runs with ``autovacuum = off``): until
    then the planner's statistics say "never computed" of every relationship, and the partial
    index of never-computed relationships still holds a million dead entries."""
    started = time.perf_counter()
    with psycopg.connect(dsn(url), autocommit=True) as con:
        for table in WRITTEN:
            con.execute(f"VACUUM ANALYZE {table}")
    print(f"  vacuum analyze of {', '.join(WRITTEN)}: {time.perf_counter() - started:.0f} s")


def reset(url: str) -> None:
    with psycopg.connect(dsn(url), autocommit=True) as con:
        with con.transaction():
            forget_computed(con)
        con.execute("VACUUM ANALYZE relationship")


def organisation(factory: sessionmaker[Session]) -> uuid.UUID:
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        return db.scalars(select(Organisation.id).order_by(Organisation.created_at)).first()  # type: ignore[return-value]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("step", choices=("build", "counts", "recompute", "incremental"))
    parser.add_argument("--url", required=True, help="postgresql+psycopg://… of the demo database")
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--interactions", type=int, default=10_000_000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not args.url.startswith("postgresql"):
        raise SystemExit("--url: a PostgreSQL database (postgresql+psycopg://…)")
    logging.basicConfig(format="  %(name)s: %(message)s")
    logging.getLogger("goodwill.relationships.parallel").setLevel(logging.DEBUG)
    if args.step == "build":
        started = time.perf_counter()
        build(args.url, args.customers, args.interactions)
        print(f"built in {time.perf_counter() - started:.0f} s")
        return
    if args.step == "counts":
        print(counts(args.url))
        return
    db_engine = make_engine(args.url)
    migrations.upgrade(db_engine)
    factory = make_session_factory(db_engine)
    organisation_id = organisation(factory)
    print(counts(args.url), flush=True)
    if args.step == "recompute":
        reset(args.url)
        full_recompute(factory, organisation_id, args.processes)
        vacuum_written(args.url)
    else:
        incremental(factory, organisation_id, args.repeats)


if __name__ == "__main__":
    main()
