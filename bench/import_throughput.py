"""Import throughput: interactions per second from CSV and from mbox, into SQLite and PostgreSQL.

    .venv/bin/python bench/import_throughput.py [--rows 100000] [--messages 5000] [--repeat 3]
        [--database both|sqlite|postgresql]

Each run imports into a fresh database (a new SQLite file; a PostgreSQL database created on
127.0.0.1:5432 as user postgres and dropped afterwards) through the same service the CLI uses,
one transaction per file, commit included. Customers are imported first and not timed. Prints the
median of the runs. Numbers, never pass/fail.
"""

from __future__ import annotations

import argparse
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.factories.imports import (  # noqa: E402
    customer_rows,
    interaction_rows,
    thread_messages,
    write_csv,
    write_mbox,
)
from tests.factories.organisations import make_organisation  # noqa: E402

from goodwill import migrations, tenancy  # noqa: E402
from goodwill.database import make_engine, make_session_factory, unit_of_work  # noqa: E402
from goodwill.imports import service  # noqa: E402
from goodwill.imports.rows import Kind  # noqa: E402

CUSTOMERS = 1000
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def sqlite_database(folder: Path) -> Iterator[str]:
    path = folder / f"bench-{secrets.token_hex(4)}.sqlite3"
    yield f"sqlite:///{path}"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@contextmanager
def postgres_database(_: Path) -> Iterator[str]:
    name = f"goodwill_bench_{secrets.token_hex(4)}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield PG_ADMIN.rsplit("/", 1)[0] + "/" + name
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def one_run(url: str, files: dict[str, Path]) -> dict[str, float]:
    """Seconds to import each timed file into a fresh, migrated database."""
    engine = make_engine(url)
    try:
        migrations.upgrade(engine)
        factory = make_session_factory(engine)
        org = make_organisation(factory, "Acme Bench", domains=["acme.example"])
        seconds: dict[str, float] = {}
        for name, path in files.items():
            started = time.perf_counter()
            with unit_of_work(factory) as db:
                tenancy.scope(db, org.organisation_id)
                service.import_file(db=db, path=path)
            seconds[name] = time.perf_counter() - started
        return seconds
    finally:
        engine.dispose()


Database = Callable[[Path], AbstractContextManager[str]]


def measure(
    database: Database, folder: Path, files: dict[str, Path], repeat: int
) -> dict[str, float]:
    """Median seconds per file over ``repeat`` fresh databases."""
    runs: list[dict[str, float]] = []
    for _ in range(repeat):
        with database(folder) as url:
            runs.append(one_run(url, files))
    return {name: statistics.median(run[name] for run in runs) for name in files}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="interactions in the CSV")
    parser.add_argument("--messages", type=int, default=5_000, help="messages in the mbox")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--database", choices=("both", "sqlite", "postgresql"), default="both", help="import into"
    )
    parser.add_argument("--skip-postgres", action="store_true", help="as --database sqlite")
    args = parser.parse_args()
    if args.skip_postgres:
        args.database = "sqlite"
    with tempfile.TemporaryDirectory(prefix="goodwill-bench-") as tmp:
        folder = Path(tmp)
        files = {
            "customers.csv": write_csv(
                folder / "customers.csv", Kind.CUSTOMERS, customer_rows(CUSTOMERS)
            ),
            "interactions.csv": write_csv(
                folder / "interactions.csv",
                Kind.INTERACTIONS,
                interaction_rows(args.rows, customers=CUSTOMERS),
            ),
            "mail.mbox": write_mbox(folder / "mail.mbox", thread_messages(args.messages)),
        }
        counts = {"interactions.csv": args.rows, "mail.mbox": args.messages}
        sizes = {name: path.stat().st_size / 1024**2 for name, path in files.items()}
        print(
            f"{args.rows} CSV rows ({sizes['interactions.csv']:.1f} MiB), "
            f"{args.messages} messages ({sizes['mail.mbox']:.1f} MiB), median of {args.repeat}"
        )
        backends: list[tuple[str, Database]] = []
        if args.database in ("both", "sqlite"):
            backends.append(("SQLite", sqlite_database))
        if args.database in ("both", "postgresql"):
            backends.append(("PostgreSQL", postgres_database))
        for label, database in backends:
            seconds = measure(database, folder, files, args.repeat)
            for name, count in counts.items():
                rate = count / seconds[name]
                print(f"{label:<11} {name:<17} {seconds[name]:7.2f} s  {rate:9,.0f} interactions/s")


if __name__ == "__main__":
    main()
