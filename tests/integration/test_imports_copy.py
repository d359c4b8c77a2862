"""The importer's bulk inserts on PostgreSQL go in with COPY (goodwill.database_copy): awkward
values round-trip exactly as an INSERT stores them, Python-side defaults are filled, a file stays
all or nothing and idempotent, the result equals SQLite's, and a row of another organisation is
refused before anything is sent."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, sessionmaker

from goodwill import database_copy, migrations, tenancy
from goodwill.customers.models import Account, Customer
from goodwill.database import Base, make_engine, make_session_factory, new_id, unit_of_work
from goodwill.errors import Conflict, ImportRejected, TenancyViolation
from goodwill.imports import service as import_service
from goodwill.imports.rows import Kind
from goodwill.imports.store import insert_rows
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.relationships.models import Relationship
from tests.factories.imports import (
    count_rows,
    customer_rows,
    interaction_rows,
    run_import,
    write_csv,
    write_jsonl,
)
from tests.factories.organisations import OrgContext, make_organisation

Factory = sessionmaker[Session]
on_postgresql = pytest.mark.parametrize("engine", ["postgresql"], indirect=True)

AWKWARD_TEXTS = [
    "tab\there and\ttwice",
    "lines\none\r\ntwo\rthree\n",
    "back\\slash, \\N, \\., \\t and a lone \\",
    "quotes \"double\", 'single' and ,commas,",
    "unicode: żółć, 中文, עברית, 🎉, zero\u200bwidth, \u2028separator",
    "  spaces around  ",
    "control \x01\x1b\x7f\u0085 characters",
    "x" * 20_000,
]


def _customer(db: Session, external_id: str = "C-awk") -> uuid.UUID:
    customer_id = new_id()
    row = {
        "id": customer_id,
        "organisation_id": tenancy.current_organisation_id(db),
        "external_id": external_id,
        "name": "Żaneta \\ \t O'Brien",
        "email": f"{external_id.lower()}@example.com",
        "attributes": {"tier": "gold"},
    }
    insert_rows(db, Customer, [row])
    return customer_id


def _awkward_interactions(db: Session, customer_id: uuid.UUID, prefix: str) -> list[dict[str, Any]]:
    organisation_id = tenancy.current_organisation_id(db)
    plus_0530 = timezone(timedelta(hours=5, minutes=30))
    times = [
        datetime(2026, 3, 1, 14, 5, tzinfo=plus_0530),
        datetime(2026, 3, 1, 8, 35, 0, 123456, tzinfo=UTC),
        datetime(1901, 1, 1, tzinfo=UTC),
        datetime(2999, 12, 31, 23, 59, 59, 999999, tzinfo=timezone(timedelta(hours=-12))),
    ]
    attributes: list[dict[str, Any] | None] = [
        None,
        {},
        {"nested": {"list": [1, 2.5, None, True, "a\tb\nc\\d"]}, "ünï": "🎉"},
        {"big": 2**53 + 1, "small": 0.1, "neg": -1e-300, "empty": "", "null": None},
    ]
    rows = []
    for i, body in enumerate([*AWKWARD_TEXTS, None]):
        rows.append(
            {
                "id": new_id(),
                "organisation_id": organisation_id,
                "external_id": f"{prefix}{i}",
                "customer_id": customer_id,
                "conversation_id": None,
                "kind": "message" if i % 2 else "purchase",
                "channel": "email",
                "direction": None if i % 3 == 0 else "inbound",
                "occurred_at": times[i % len(times)],
                "subject": None if body is None else body[:500],
                "body": body,
                "author_member_id": None,
                "author_name": "Łukasz \t\\ 中" if i % 2 else None,
                "amount": [Decimal("0.10"), Decimal("-12.34"), Decimal("999999999999.99"), None][
                    i % 4
                ],
                "currency": "EUR" if i % 4 != 3 else None,
                "quantity": [2**31 - 1, -(2**31), 0, None][i % 4],
                "score": [0.1, -1e-300, 1.7976931348623157e308, None][i % 4],
                "email_message_id": "<a\\b@example.com>" if i == 0 else None,
                "attributes": attributes[i % len(attributes)],
                "import_batch_id": None,
                "created_at": datetime(2026, 12, 4, 5, 0, tzinfo=UTC),
            }
        )
    return rows


def _as_text(
    db: Session, model: type[Base], key: str, keys: list[str]
) -> dict[str, dict[str, str | None]]:
    """The stored columns (but the id) of the rows whose ``key`` is in ``keys``, as PostgreSQL
    prints them (``None`` for SQL NULL), by ``key``."""
    columns = [c.name for c in model.__table__.columns if c.name not in ("id", key)]
    listed = ", ".join(f'"{c}"::text' for c in columns)
    stmt = text(f'SELECT "{key}", {listed} FROM "{model.__tablename__}" WHERE "{key}" = ANY(:keys)')
    found = db.execute(stmt, {"keys": keys})
    return {row[0]: dict(zip(columns, row[1:], strict=True)) for row in found}


@on_postgresql
def test_awkward_values_round_trip_and_are_stored_as_an_insert_stores_them(db: Session) -> None:
    assert database_copy.supports_copy(db)
    customer_id = _customer(db)
    copied = _awkward_interactions(db, customer_id, "copy-")
    inserted = _awkward_interactions(db, customer_id, "insert-")
    insert_rows(db, Interaction, copied)
    db.execute(insert(Interaction), inserted, execution_options={"render_nulls": True})
    read = {i.external_id: i for i in db.scalars(select(Interaction)).all()}
    for row in copied:
        stored = read[row["external_id"]]
        for name, value in row.items():
            assert getattr(stored, name) == value, (row["external_id"], name)
        assert stored.occurred_at.tzinfo == UTC
    as_copied = _as_text(db, Interaction, "external_id", [r["external_id"] for r in copied])
    as_inserted = _as_text(db, Interaction, "external_id", [r["external_id"] for r in inserted])
    assert len(as_copied) == len(copied)
    for i in range(len(copied)):
        assert as_copied[f"copy-{i}"] == as_inserted[f"insert-{i}"]
    # a Python None in a JSON column is JSON null, as the INSERT stores it, not SQL NULL
    assert as_copied["copy-0"]["attributes"] == "null"


@on_postgresql
def test_bytes_round_trip(db: Session) -> None:
    customer_id = _customer(db)
    interaction = _awkward_interactions(db, customer_id, "raw-")[:1]
    insert_rows(db, Interaction, interaction)
    content = bytes(range(256)) * 3 + b"\\N\t\n\r"
    insert_rows(
        db,
        InteractionRaw,
        [
            {
                "organisation_id": tenancy.current_organisation_id(db),
                "interaction_id": interaction[0]["id"],
                "content_type": "message/rfc822",
                "content": content,
            }
        ],
    )
    stored = db.scalars(select(InteractionRaw.content)).one()
    assert stored == content


@on_postgresql
def test_python_side_defaults_are_filled_as_the_orm_insert_fills_them(db: Session) -> None:
    organisation_id = tenancy.current_organisation_id(db)
    partial = [
        {"organisation_id": organisation_id, "external_id": f"D-{i}", "name": None}
        for i in range(3)
    ]
    before = datetime.now(UTC)
    insert_rows(db, Customer, [dict(r) for r in partial[:2]])
    db.execute(insert(Customer), partial[2:], execution_options={"render_nulls": True})
    after = datetime.now(UTC)
    customers = db.scalars(select(Customer).order_by(Customer.external_id)).all()
    assert [c.external_id for c in customers] == ["D-0", "D-1", "D-2"]
    assert len({c.id for c in customers}) == 3
    for c in customers:
        assert c.attributes == {}
        assert before <= c.created_at <= after
        assert before <= c.updated_at <= after
    insert_rows(
        db,
        Relationship,
        [{"organisation_id": organisation_id, "customer_id": c.id} for c in customers[:2]],
    )
    relationships = db.scalars(select(Relationship)).all()
    assert [(r.interaction_count, r.stage, r.trust) for r in relationships] == [(0, None, None)] * 2
    as_text = _as_text(db, Customer, "external_id", ["D-0", "D-2"])
    for row in as_text.values():  # the times differ by microseconds; the rest is the same
        del row["created_at"], row["updated_at"]
    assert as_text["D-0"] == as_text["D-2"]
    assert as_text["D-0"]["attributes"] == "{}"


@pytest.mark.parametrize("scoped", [True, False])
def test_a_row_of_another_organisation_is_refused_and_nothing_is_written(
    session_factory: Factory, org_a: OrgContext, org_b: OrgContext, scoped: bool
) -> None:
    session = session_factory()
    if scoped:
        tenancy.scope(session, org_a.organisation_id)
    rows = [
        {"id": new_id(), "organisation_id": org, "external_id": f"T-{i}", "name": "Tenant"}
        for i, org in enumerate([org_a.organisation_id] * 2 + [org_b.organisation_id])
    ]
    with pytest.raises(TenancyViolation):
        insert_rows(session, Account, rows)
    session.rollback()
    session.close()
    with unit_of_work(session_factory) as check, tenancy.system_scope(check):
        assert check.scalars(select(Account.external_id)).all() == []


def _import_files(factory: Factory, org: OrgContext, folder: Path) -> None:
    accounts = [
        {"external_id": "A-1", "name": "Foo \t Bar", "attributes": {"x": "a\\b\nc"}},
        {"external_id": "A-2", "name": "中文 Ltd"},
    ]
    customers = list(customer_rows(40, prefix="C"))
    customers[0] |= {"account_external_id": "A-1", "owner_email": org.admin_email}
    customers[1] |= {"name": "Zoë \\ O'Brien", "phone": "+33 1 23\t45", "language": "fr"}
    customers[2] |= {"attributes": '{"vip": true, "note": "line\\nbreak \\\\ é"}'}
    conversations = [
        {
            "external_id": f"T-{i}",
            "customer_external_id": f"C-{i}",
            "subject": AWKWARD_TEXTS[i][:500],
            "channel": "chat",
            "opened_at": "2026-02-01T10:00:00+01:00",
            "closed_at": "2026-02-02T10:00:00.5Z" if i % 2 else "",
            "status": "closed" if i % 2 else "open",
        }
        for i in range(len(AWKWARD_TEXTS))
    ]
    interactions = list(interaction_rows(4500, customers=40))
    for i, body in enumerate(AWKWARD_TEXTS):
        interactions[2100 + i] |= {
            "body": body,
            "author_name": "Ана \t Łukasz",
            "conversation_external_id": f"T-{i}",
            "attributes": '{"ünï": "🎉", "n": 2.5, "deep": {"k": [null, "\\\\"]}}',
            "score": "0.1",
        }
    for i in range(10):
        del interactions[4000 + i]["external_id"]  # derived from the content
    files = [
        write_jsonl(folder / "accounts.jsonl", accounts),
        write_csv(folder / "customers.csv", Kind.CUSTOMERS, customers),
        write_csv(folder / "conversations.csv", Kind.CONVERSATIONS, conversations),
        write_csv(folder / "interactions.csv", Kind.INTERACTIONS, interactions),
    ]
    for path in files:
        run_import(factory, org, path=path, kind="accounts" if path.suffix == ".jsonl" else None)


def _stored(factory: Factory, org: OrgContext) -> dict[str, list[tuple[Any, ...]]]:
    """What the files stored, without the ids and times that differ between runs."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, org.organisation_id)
        customer, conversation, account = aliased(Customer), aliased(Conversation), aliased(Account)
        i = Interaction
        interactions = select(
            i.external_id, customer.external_id, conversation.external_id, i.kind, i.channel,
            i.direction, i.occurred_at, i.subject, i.body, i.author_name, i.amount, i.currency,
            i.quantity, i.score, i.attributes, i.email_message_id, i.import_batch_id.is_not(None),
        ).join(customer, i.customer_id == customer.id).outerjoin(
            conversation, i.conversation_id == conversation.id
        )  # fmt: skip
        c = Customer
        customers = select(
            c.external_id, c.name, c.email, c.phone, c.language, c.attributes, account.external_id,
            Relationship.segment, Relationship.started_at, Relationship.owner_member_id,
            Relationship.interaction_count, Relationship.last_interaction_at,
        ).outerjoin(account, c.account_id == account.id).join(
            Relationship, Relationship.customer_id == c.id
        )  # fmt: skip
        t = Conversation
        conversations = select(
            t.external_id, customer.external_id, t.subject, t.channel, t.status, t.opened_at,
            t.closed_at,
        ).join(customer, t.customer_id == customer.id)  # fmt: skip
        accounts = select(Account.external_id, Account.name, Account.domain, Account.attributes)
        return {
            name: sorted(tuple(row) for row in db.execute(stmt))
            for name, stmt in [
                ("interactions", interactions),
                ("customers", customers),
                ("conversations", conversations),
                ("accounts", accounts),
            ]
        }


@on_postgresql
def test_an_import_stores_on_postgresql_what_it_stores_on_sqlite(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    sqlite = make_engine(f"sqlite:///{tmp_path / 'same.sqlite3'}")
    try:
        migrations.upgrade(sqlite)
        sqlite_factory = make_session_factory(sqlite)
        sqlite_org = make_organisation(sqlite_factory, "Acme Money")
        (tmp_path / "files").mkdir()
        _import_files(sqlite_factory, sqlite_org, tmp_path / "files")
        on_sqlite = _stored(sqlite_factory, sqlite_org)
    finally:
        sqlite.dispose()
    _import_files(session_factory, org_a, tmp_path / "files")
    on_postgresql = _stored(session_factory, org_a)
    assert [len(rows) for rows in on_postgresql.values()] == [4500, 40, len(AWKWARD_TEXTS), 2]
    for name in ("interactions", "conversations", "accounts"):
        assert on_postgresql[name] == on_sqlite[name], name
    owner = {org_a.admin_member_id: "admin", sqlite_org.admin_member_id: "admin", None: None}
    for table in (on_postgresql, on_sqlite):
        table["customers"] = [(*row[:9], owner[row[9]], *row[10:]) for row in table["customers"]]
    assert on_postgresql["customers"] == on_sqlite["customers"]


def _interactions_csv(folder: Path, rows: list[dict[str, Any]]) -> Path:
    return write_csv(folder / "interactions.csv", Kind.INTERACTIONS, rows)


def _with_customers(factory: Factory, org: OrgContext, folder: Path) -> None:
    run_import(
        factory, org, path=write_csv(folder / "customers.csv", Kind.CUSTOMERS, customer_rows(20))
    )


def _in_unit_of_work(factory: Factory, org: OrgContext, work: Callable[[Session], None]) -> None:
    with unit_of_work(factory) as db:
        tenancy.scope(db, org.organisation_id)
        work(db)


@on_postgresql
def test_a_bad_row_in_a_later_chunk_leaves_nothing_of_the_chunks_already_copied(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _with_customers(session_factory, org_a, tmp_path)
    rows = list(interaction_rows(5000, customers=20))
    rows[4321]["customer_external_id"] = "C-404"
    path = _interactions_csv(tmp_path, rows)
    seen: list[bool] = []

    def import_and_look(db: Session) -> None:
        def two_chunks_stored(_: int) -> None:
            seen.append(db.scalar(select(Interaction.id).limit(1).offset(3999)) is not None)

        import_service.import_file(db=db, path=path, on_progress=two_chunks_stored)

    with pytest.raises(ImportRejected) as exc:
        _in_unit_of_work(session_factory, org_a, import_and_look)
    assert [str(e) for e in exc.value.errors] == [
        "line 4323, field 'customer_external_id': unknown customer 'C-404'"
    ]
    assert seen == [False, True, True]  # two chunks were in the database, inside the transaction
    assert count_rows(session_factory, org_a, Interaction) == 0


@on_postgresql
def test_an_exception_mid_file_rolls_back_every_chunk(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _with_customers(session_factory, org_a, tmp_path)
    path = _interactions_csv(tmp_path, list(interaction_rows(5000, customers=20)))
    chunks: list[int] = []

    def fail_after_two_chunks(_: int) -> None:
        chunks.append(1)
        if len(chunks) == 2:
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        run_import(session_factory, org_a, path=path, on_progress=fail_after_two_chunks)
    assert count_rows(session_factory, org_a, Interaction) == 0
    again = run_import(session_factory, org_a, path=path)
    assert again.created["interactions"] == 5000


@on_postgresql
def test_importing_the_same_file_again_copies_nothing(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _with_customers(session_factory, org_a, tmp_path)
    rows = list(interaction_rows(2500, customers=20))
    for row in rows[::3]:
        del row["external_id"]
    path = _interactions_csv(tmp_path, rows)
    first = run_import(session_factory, org_a, path=path)
    again = run_import(session_factory, org_a, path=path)
    assert (first.created["interactions"], first.skipped["interactions"]) == (2500, 0)
    assert (again.created["interactions"], again.skipped["interactions"]) == (0, 2500)
    assert count_rows(session_factory, org_a, Interaction) == 2500
    customers_again = run_import(session_factory, org_a, path=tmp_path / "customers.csv")
    assert customers_again.skipped["customers"] == 20
    assert count_rows(session_factory, org_a, Relationship) == 20


@on_postgresql
def test_a_duplicate_key_from_copy_is_sqlalchemys_integrity_error(db: Session) -> None:
    customer_id = _customer(db)
    rows = _awkward_interactions(db, customer_id, "dup-")[:2]
    rows[1]["external_id"] = rows[0]["external_id"]
    with pytest.raises(IntegrityError, match="uq_interaction_organisation_id_external_id"):
        insert_rows(db, Interaction, rows)


def _wait_for(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _waiting_for_a_lock(engine: Engine) -> bool:
    """Whether a session of the database waits for a lock (a fresh snapshot of the statistics)."""
    with engine.connect() as watch:
        return bool(
            watch.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


@pytest.mark.parametrize("fresh_engine", ["postgresql"], indirect=True)
def test_two_imports_of_one_file_at_once_end_in_a_conflict_not_a_crash(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    migrations.upgrade(fresh_engine)
    factory = make_session_factory(fresh_engine)
    org = make_organisation(factory, "Acme Money")
    _with_customers(factory, org, tmp_path)
    path = _interactions_csv(tmp_path, list(interaction_rows(300, customers=20)))
    first = factory()
    tenancy.scope(first, org.organisation_id)
    import_service.import_file(db=first, path=path)  # not committed yet
    outcome: list[BaseException | None] = []

    def second_import() -> None:
        try:
            run_import(factory, org, path=path)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=second_import)
    thread.start()
    try:
        _wait_for(lambda: _waiting_for_a_lock(fresh_engine) or bool(outcome), "the second import")
        first.commit()
    finally:
        first.close()
        thread.join(30)
    assert len(outcome) == 1
    assert isinstance(outcome[0], Conflict), outcome
    assert "another import stored some of these records at the same time" in str(outcome[0])
    assert count_rows(factory, org, Interaction) == 300
