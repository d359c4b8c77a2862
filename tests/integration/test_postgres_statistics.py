"""PostgreSQL's statistics before an import: a table that outgrew them is analysed, so the
foreign-key check of each imported row reads the primary key, not the whole organisation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.orm import Session

from goodwill import migrations, postgres_statistics, tenancy
from goodwill.database import make_session_factory, unit_of_work
from goodwill.imports import service as import_service
from goodwill.imports.rows import Kind
from tests.factories.imports import customer_rows, interaction_rows, write_csv
from tests.factories.organisations import make_organisation

# the check PostgreSQL runs for each interaction's customer (ri_triggers.c, generic plan)
_CHECK = "SELECT 1 FROM ONLY customer x WHERE id = $1 AND organisation_id = $2 FOR KEY SHARE OF x"


def _check_plan(conn: Connection) -> str:
    conn.execute(text("SET plan_cache_mode = force_generic_plan"))
    conn.execute(text(f"PREPARE customer_check (uuid, uuid) AS {_CHECK}"))
    try:
        rows = conn.execute(
            text(
                "EXPLAIN EXECUTE customer_check"
                " ('00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000000')"
            )
        ).scalars()
        return " | ".join(rows)
    finally:
        conn.execute(text("DEALLOCATE customer_check"))


def _import(engine: Engine, org_id: object, path: Path) -> None:
    factory = make_session_factory(engine)
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)  # type: ignore[arg-type]
        import_service.import_file(db=db, path=path)


def test_an_import_analyses_what_outgrew_its_statistics(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    migrations.upgrade(fresh_engine)
    org = make_organisation(make_session_factory(fresh_engine), "Stats Bank")
    customers = write_csv(tmp_path / "customers.csv", Kind.CUSTOMERS, customer_rows(1000))
    with Session(fresh_engine) as db:
        if fresh_engine.dialect.name != "postgresql":
            assert postgres_statistics.refresh(db) == []  # SQLite has its own
            return
        assert postgres_statistics.refresh(db) == []  # a new database: nothing worth it
    _import(fresh_engine, org.organisation_id, customers)
    with fresh_engine.connect() as conn:
        assert "organisation_id" in _check_plan(conn)  # never analysed: the wrong index

    interactions = write_csv(
        tmp_path / "interactions.csv", Kind.INTERACTIONS, interaction_rows(200, customers=1000)
    )
    _import(fresh_engine, org.organisation_id, interactions)  # analyses the customers first
    with fresh_engine.connect() as conn:
        plan = _check_plan(conn)
        analysed = conn.execute(
            text("SELECT reltuples FROM pg_class WHERE relname = 'customer'")
        ).scalar_one()
    assert "pk_customer" in plan, plan
    assert analysed == 1000
    with Session(fresh_engine) as db:
        assert postgres_statistics.refresh(db) == []  # up to date now


def test_a_session_on_a_test_transaction_is_left_alone(engine: Engine) -> None:
    with engine.connect() as conn, Session(bind=conn) as db:
        assert postgres_statistics.refresh(db) == []


def test_only_the_tables_asked_for(fresh_engine: Engine) -> None:
    if fresh_engine.dialect.name != "postgresql":
        pytest.skip("PostgreSQL's statistics")
    migrations.upgrade(fresh_engine)
    with fresh_engine.begin() as conn:
        conn.execute(text("CREATE TABLE probe AS SELECT g FROM generate_series(1, 5000) g"))
    with Session(fresh_engine) as db:
        assert postgres_statistics.refresh(db) == []  # outgrown, but not an import's table
        assert postgres_statistics.refresh(db, tables=("customer", "probe")) == ["probe"]
        assert postgres_statistics.refresh(db, tables=("probe",)) == []
