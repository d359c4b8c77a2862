"""SQLite's planner statistics are gathered when missing or outgrown, and after migrations.

Without them SQLite reads interactions by id through the organisation's index (every tenant
query says ``organisation_id = ?``), scanning the organisation; with them, by primary key."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, sqlite_statistics
from goodwill.database import make_engine, make_session_factory, utcnow
from goodwill.interactions import service as interaction_service
from goodwill.interactions.models import Interaction
from goodwill.interactions.schemas import InteractionCreate
from tests.factories.customers import make_customer, org_session
from tests.factories.interactions import interaction_payload
from tests.factories.organisations import OrgContext, make_organisation

ROWS = 10  # the tests' threshold in place of MIN_ROWS


def _database(tmp_path: Path) -> tuple[Engine, sessionmaker[Session], OrgContext]:
    engine = make_engine(f"sqlite:///{tmp_path / 'stats.sqlite3'}")
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    return engine, factory, make_organisation(factory, "Stats Bank")


def _add_messages(factory: sessionmaker[Session], org: OrgContext, count: int) -> None:
    customer = make_customer(factory, org).id
    with org_session(factory, org) as db:
        for i in range(count):
            when = (utcnow() - timedelta(minutes=i)).isoformat()
            payload = interaction_payload(customer, occurred_at=when, body=f"Refund? (#{i})")
            interaction_service.create(
                db=db, interaction_in=InteractionCreate.model_validate(payload)
            )


def _plan_by_ids(conn: Connection, org: OrgContext, ids: list[str]) -> str:
    marks = ", ".join("?" for _ in ids)
    rows = conn.exec_driver_sql(
        "EXPLAIN QUERY PLAN SELECT occurred_at FROM interaction "
        f"WHERE id IN ({marks}) AND organisation_id = ?",
        (*ids, org.organisation_id.hex),
    ).all()
    return " | ".join(str(r[-1]) for r in rows)


def test_gathered_when_missing_then_only_when_outgrown(tmp_path: Path) -> None:
    engine, factory, org = _database(tmp_path)
    _add_messages(factory, org, 4)
    assert not sqlite_statistics.refresh(engine, min_rows=ROWS)  # too small to matter

    _add_messages(factory, org, 20)
    with engine.connect() as conn:
        assert not sqlite_statistics.has_statistics(conn)
        with Session(bind=conn) as db:
            ids = [i.hex for i in db.scalars(select(Interaction.id).limit(3))]
        assert "organisation_id" in _plan_by_ids(conn, org, ids)  # the guess misleads it
    assert sqlite_statistics.refresh(engine, min_rows=ROWS)
    with engine.connect() as conn:
        assert sqlite_statistics.has_statistics(conn)
        plan = _plan_by_ids(conn, org, ids)
    assert "autoindex" in plan, plan  # by primary key now
    assert "organisation_id" not in plan, plan

    assert not sqlite_statistics.refresh(engine, min_rows=ROWS)  # fresh: nothing to do
    _add_messages(factory, org, 40)  # more than twice the rows counted
    assert sqlite_statistics.refresh(engine, min_rows=ROWS)
    engine.dispose()


def test_a_migration_gives_its_new_indexes_statistics(tmp_path: Path) -> None:
    engine, factory, org = _database(tmp_path)
    _add_messages(factory, org, 30)
    assert sqlite_statistics.refresh(engine, min_rows=ROWS)
    head = migrations.current_revision(engine)
    migrations.downgrade(engine, "-1")
    with engine.connect() as conn:
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")  # stale leftovers of dropped indexes
        conn.exec_driver_sql("ANALYZE interaction")
        conn.commit()
    migrations.upgrade(engine)
    assert migrations.current_revision(engine) == head
    with engine.connect() as conn:
        indexed = set(
            conn.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = :t"),
                {"t": "relationship"},
            ).scalars()
        )
        gathered = set(conn.exec_driver_sql("SELECT idx FROM sqlite_stat1").scalars())
    assert "ix_relationship_board_last_contact" in indexed
    assert "ix_relationship_board_last_contact" in gathered
    engine.dispose()


def test_a_no_op_on_postgresql(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        return
    assert not sqlite_statistics.refresh(engine, force=True)
