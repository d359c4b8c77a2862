"""Importing files through the service, on SQLite and PostgreSQL: all or nothing, idempotent."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers.models import Account, Customer
from goodwill.database import unit_of_work
from goodwill.errors import ImportRejected, InvalidInput
from goodwill.imports.models import ImportBatch
from goodwill.imports.rows import Kind
from goodwill.interactions.models import Conversation, Interaction
from goodwill.relationships.models import Relationship
from tests.factories.imports import (
    count_rows,
    interaction_rows,
    run_import,
    write_csv,
    write_jsonl,
)
from tests.factories.organisations import OrgContext

Factory = sessionmaker[Session]


def _customers_csv(path: Path, owner: str) -> Path:
    rows = [
        {
            "external_id": "C-0",
            "name": "Maria",
            "email": "Maria@Foo.example",
            "account_external_id": "A-1",
            "owner_email": owner,
            "segment": "enterprise",
            "customer_since": "2021-06-01",
        },
        {"external_id": "C-1", "name": "Bo", "email": "bo@bar.example"},
    ]
    return write_csv(path / "customers.csv", Kind.CUSTOMERS, rows)


def _setup_customers(factory: Factory, org: OrgContext, tmp_path: Path) -> None:
    accounts = write_jsonl(tmp_path / "accounts.jsonl", [{"external_id": "A-1", "name": "Foo"}])
    run_import(factory, org, path=accounts)
    run_import(factory, org, path=_customers_csv(tmp_path, org.admin_email))


def test_customers_get_relationships_and_each_file_an_import_batch(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _setup_customers(session_factory, org_a, tmp_path)
    interactions = write_csv(
        tmp_path / "interactions.csv",
        Kind.INTERACTIONS,
        interaction_rows(30, customers=2),
    )
    result = run_import(session_factory, org_a, path=interactions)
    assert result.created == {"accounts": 0, "customers": 0, "conversations": 0, "interactions": 30}
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        maria = db.scalars(select(Customer).where(Customer.external_id == "C-0")).one()
        assert maria.email == "maria@foo.example"
        account = db.scalars(select(Account)).one()
        assert maria.account_id == account.id
        rel = db.scalars(select(Relationship).where(Relationship.customer_id == maria.id)).one()
        assert (rel.owner_member_id, rel.segment) == (org_a.admin_member_id, "enterprise")
        assert rel.started_at == datetime(2021, 6, 1, tzinfo=UTC)
        assert len(db.scalars(select(Relationship)).all()) == 2
        batch = db.get(ImportBatch, result.import_id)
        assert batch is not None
        assert batch.source_sha256 == hashlib.sha256(interactions.read_bytes()).hexdigest()
        assert (batch.format, batch.source_name) == ("csv", "interactions.csv")
        assert batch.counts["created"]["interactions"] == 30
        linked = db.scalars(select(Interaction.import_batch_id).distinct()).all()
        assert linked == [result.import_id]


def test_importing_the_same_rows_again_creates_nothing(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _setup_customers(session_factory, org_a, tmp_path)
    rows = list(interaction_rows(40, customers=2))
    for row in rows[::2]:
        del row["external_id"]  # half of them get an id derived from their content
    csv_file = write_csv(tmp_path / "interactions.csv", Kind.INTERACTIONS, rows)
    first = run_import(session_factory, org_a, path=csv_file)
    again = run_import(session_factory, org_a, path=csv_file)
    as_jsonl = run_import(
        session_factory, org_a, path=write_jsonl(tmp_path / "i.jsonl", rows), kind="interactions"
    )
    assert first.created["interactions"] == 40
    assert again.created["interactions"] == as_jsonl.created["interactions"] == 0
    assert again.skipped["interactions"] == as_jsonl.skipped["interactions"] == 40
    assert count_rows(session_factory, org_a, Interaction) == 40
    customers_again = run_import(session_factory, org_a, path=tmp_path / "customers.csv")
    assert customers_again.skipped["customers"] == 2
    assert count_rows(session_factory, org_a, Relationship) == 2


def test_one_bad_row_among_500_stores_nothing_and_every_bad_row_is_reported(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _setup_customers(session_factory, org_a, tmp_path)
    rows = list(interaction_rows(500, customers=2))
    rows[136]["occurred_at"] = "2026-13-01"
    rows[299]["customer_external_id"] = "C-991"
    rows[419]["conversation_external_id"] = "T-404"
    path = write_csv(tmp_path / "interactions.csv", Kind.INTERACTIONS, rows)
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=path)
    assert [str(e) for e in exc.value.errors] == [
        "line 138, field 'occurred_at': '2026-13-01' is not an ISO 8601 time "
        "(e.g. 2026-03-01T14:05:00Z)",
        "line 301, field 'customer_external_id': unknown customer 'C-991'",
        "line 421, field 'conversation_external_id': unknown conversation 'T-404'",
    ]
    assert exc.value.total_errors == 3
    assert count_rows(session_factory, org_a, Interaction) == 0
    assert count_rows(session_factory, org_a, ImportBatch) == 2  # accounts and customers only


def test_mixed_jsonl_may_refer_to_records_on_earlier_lines(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    lines = [
        {"type": "account", "external_id": "A-9", "name": "Nine Ltd", "domain": "nine.example"},
        {
            "type": "customer",
            "external_id": "C-9",
            "email": "n@nine.example",
            "account_external_id": "A-9",
        },
        {
            "type": "conversation",
            "external_id": "T-9",
            "customer_email": "n@nine.example",
            "opened_at": "2026-03-01",
        },
        {
            "type": "interaction",
            "customer_external_id": "C-9",
            "conversation_external_id": "T-9",
            "kind": "message",
            "channel": "email",
            "direction": "inbound",
            "occurred_at": "2026-03-01T10:00:00Z",
            "body": "Hello",
            "attributes": {"priority": "high"},
        },
    ]
    result = run_import(session_factory, org_a, path=write_jsonl(tmp_path / "all.jsonl", lines))
    assert result.created == {"accounts": 1, "customers": 1, "conversations": 1, "interactions": 1}
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        interaction = db.scalars(select(Interaction)).one()
        conversation = db.scalars(select(Conversation)).one()
        assert interaction.conversation_id == conversation.id
        assert interaction.attributes == {"priority": "high"}
        assert interaction.external_id.startswith("sha256:")


def test_rows_referring_to_a_bad_row_say_which_line_is_bad(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    lines = [
        {"type": "customer", "external_id": "C-1", "email": "not an address"},
        {"type": "customer", "external_id": "C-2", "email": "taken@x.example"},
        {"type": "customer", "external_id": "C-3", "email": "TAKEN@x.example"},
        {
            "type": "interaction",
            "customer_external_id": "C-1",
            "kind": "note",
            "channel": "other",
            "occurred_at": "2026-01-01",
        },
        {"type": "widget"},
        {"type": "customer", "external_id": "C-4", "owner_email": "nobody@acme.example"},
    ]
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=write_jsonl(tmp_path / "mixed.jsonl", lines))
    assert [str(e) for e in exc.value.errors] == [
        "line 1, field 'email': 'not an address' is not an e-mail address",
        "line 3, field 'email': taken@x.example is also on line 2",
        "line 4, field 'customer_external_id': customer 'C-1' is on line 1, which is bad",
        "line 5, field 'type': 'widget' is not one of: "
        "account, customer, conversation, interaction",
        "line 6, field 'owner_email': no member with e-mail nobody@acme.example",
    ]
    assert count_rows(session_factory, org_a, Customer) == 0


def test_a_cp1252_file_is_refused_with_its_line_then_read_with_its_encoding(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes("external_id,name\nC-1,Zoë\nC-2,Bob\n".encode("cp1252"))
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=path)
    assert exc.value.errors[0].line == 2
    assert "cannot be decoded as UTF-8" in exc.value.errors[0].reason
    assert count_rows(session_factory, org_a, Customer) == 0
    result = run_import(session_factory, org_a, path=path, encoding="cp1252")
    assert result.created["customers"] == 2
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        assert db.scalar(select(Customer.name).where(Customer.external_id == "C-1")) == "Zoë"


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("external_id\n" + "C\n" * 3000)
    with pytest.raises(InvalidInput, match=r"customers.csv: 5.87 KiB is over the limit of 4 KiB"):
        run_import(session_factory, org_a, path=path, max_bytes=4096)
    assert count_rows(session_factory, org_a, ImportBatch) == 0


def test_each_organisation_imports_into_its_own_records(
    session_factory: Factory, org_a: OrgContext, org_b: OrgContext, tmp_path: Path
) -> None:
    path = _customers_csv(tmp_path, org_a.admin_email)
    accounts = write_jsonl(tmp_path / "accounts.jsonl", [{"external_id": "A-1", "name": "Foo"}])
    for org in (org_a, org_b):
        run_import(session_factory, org, path=accounts)
    run_import(session_factory, org_a, path=path)
    with pytest.raises(ImportRejected, match="no member with e-mail"):
        run_import(session_factory, org_b, path=path)  # org A's admin is not a member of B
    path.write_text(path.read_text().replace(org_a.admin_email, org_b.admin_email))
    assert run_import(session_factory, org_b, path=path).created["customers"] == 2
    assert count_rows(session_factory, org_a, Customer) == 2
    assert count_rows(session_factory, org_b, Customer) == 2


def test_unknown_columns_are_refused_once_on_the_header_line(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text('external_id,name,plan,attr.tier,attributes\nA-1,Foo,gold,2,"{""x"": 1}"\n' * 1)
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=path)
    assert [str(e) for e in exc.value.errors] == [
        "line 1, field 'plan': unknown field (to keep it, name it 'attr.plan')"
    ]
    path.write_text(path.read_text().replace(",plan,", ",attr.plan,"))
    run_import(session_factory, org_a, path=path)
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        account = db.scalars(select(Account)).one()
        assert account.attributes == {"x": 1, "plan": "gold", "tier": "2"}


def test_error_details_are_capped_but_the_total_is_exact(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    path = tmp_path / "accounts.jsonl"
    path.write_text("".join(json.dumps({"external_id": f"A-{i}"}) + "\n" for i in range(1500)))
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=path)
    assert exc.value.total_errors == 1500
    assert len(exc.value.errors) == 1000
    assert str(exc.value).startswith("accounts.jsonl: 1500 bad row(s), nothing imported")


def test_nul_characters_are_bad_rows_not_database_errors(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    lines = [
        {"type": "account", "external_id": "A-1", "name": "Foo\u0000Bar"},
        {"type": "account", "external_id": "A-2", "name": "Baz", "attributes": {"k": "a\u0000"}},
    ]
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=write_jsonl(tmp_path / "all.jsonl", lines))
    assert [(e.line, e.field, e.reason) for e in exc.value.errors] == [
        (1, "name", "contains a NUL character"),
        (2, "attributes", "contains a NUL character"),
    ]


def test_relationships_show_the_imported_activity(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    _setup_customers(session_factory, org_a, tmp_path)
    rows = list(interaction_rows(30, customers=2))
    run_import(
        session_factory,
        org_a,
        path=write_csv(tmp_path / "interactions.csv", Kind.INTERACTIONS, rows),
    )
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        for customer in db.scalars(select(Customer)):
            mine = [
                datetime.fromisoformat(r["occurred_at"])
                for r in rows
                if r["customer_external_id"] == customer.external_id
            ]
            rel = db.scalars(
                select(Relationship).where(Relationship.customer_id == customer.id)
            ).one()
            assert rel.interaction_count == len(mine)
            assert rel.last_interaction_at == max(mine)
            if customer.external_id == "C-0":  # customer_since wins over the first interaction
                assert rel.started_at == datetime(2021, 6, 1, tzinfo=UTC)
            else:
                assert rel.started_at == min(mine)
