"""Exports write the import formats: an export imports unchanged into another organisation."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work
from goodwill.errors import InvalidInput
from goodwill.exports import service as export_service
from goodwill.imports.rows import Kind
from tests.factories.imports import (
    CliEnv,
    cli_home,
    customer_rows,
    interaction_rows,
    run_import,
    thread_messages,
    write_csv,
    write_jsonl,
    write_mbox,
)
from tests.factories.organisations import OrgContext

Factory = sessionmaker[Session]


def _fill(factory: Factory, org: OrgContext, folder: Path) -> None:
    """Every kind of record, with the optional fields used: accounts to e-mail threads."""
    accounts = [
        {
            "external_id": "A-1",
            "name": "Foo Ltd",
            "domain": "foo.example",
            "attributes": {"tier": 1},
        },
        {"external_id": "A-2", "name": "Bar"},
    ]
    customers = list(customer_rows(6))
    customers[0] |= {"account_external_id": "A-1", "attr.plan": "gold", "language": "de"}
    conversations = [
        {
            "external_id": "T-1",
            "customer_external_id": "C-0",
            "subject": "Refund",
            "opened_at": "2026-01-02T10:00:00Z",
        },
        {
            "external_id": "T-2",
            "customer_email": "customer1@c.example",
            "channel": "chat",
            "status": "closed",
            "opened_at": "2026-01-03",
            "closed_at": "2026-01-04T08:30:00+02:00",
        },
    ]
    interactions = list(interaction_rows(60, customers=6))
    customers_in_mail = 2
    interactions[0] |= {"conversation_external_id": "T-1", "attributes": '{"nps": true}'}
    interactions[1] |= {"kind": "survey", "channel": "survey", "score": "9", "body": "Great"}
    interactions[2] |= {"body": 'Line one,\n"quoted"\nline three', "external_id": ""}
    files = [
        write_jsonl(folder / "accounts.jsonl", accounts),
        write_csv(folder / "customers.csv", Kind.CUSTOMERS, customers),
        write_csv(folder / "conversations.csv", Kind.CONVERSATIONS, conversations),
        write_csv(folder / "interactions.csv", Kind.INTERACTIONS, interactions),
        write_mbox(folder / "mail.mbox", thread_messages(10, customers=customers_in_mail)),
    ]
    for path in files:
        run_import(factory, org, path=path)


def _export(factory: Factory, org: OrgContext, kind: Kind, fmt: str) -> tuple[str, int]:
    """The exported text and the number of records in it."""
    out = io.StringIO()
    with unit_of_work(factory) as db:
        tenancy.scope(db, org.organisation_id)
        count = export_service.export(db=db, kind=kind, fmt=fmt, out=out)
    return out.getvalue(), count


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_an_export_imports_unchanged_into_another_organisation(
    session_factory: Factory, org_a: OrgContext, org_b: OrgContext, tmp_path: Path, fmt: str
) -> None:
    _fill(session_factory, org_a, tmp_path)
    assert _export(session_factory, org_b, Kind.CUSTOMERS, "jsonl") == ("", 0)
    exported = {kind: _export(session_factory, org_a, kind, fmt) for kind in Kind}
    assert {k.value: n for k, (_, n) in exported.items()} == {
        "accounts": 2,
        "customers": 6 + 2,  # two more: the e-mail senders
        "conversations": 2 + 5,  # five e-mail threads
        "interactions": 60 + 10,
    }
    for kind, (text, count) in exported.items():
        path = tmp_path / f"{kind.value}-export.{fmt}"
        path.write_text(text, encoding="utf-8")
        assert run_import(session_factory, org_b, path=path).created[kind.value] == count
    for kind in Kind:
        again, _ = _export(session_factory, org_b, kind, fmt)
        assert sorted(again.splitlines()) == sorted(exported[kind][0].splitlines()), kind


def test_jsonl_lines_carry_their_type_and_leave_out_empty_fields(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    run_import(
        session_factory,
        org_a,
        path=write_jsonl(tmp_path / "accounts.jsonl", [{"external_id": "A-1", "name": "Foo"}]),
    )
    (line,) = _export(session_factory, org_a, Kind.ACCOUNTS, "jsonl")[0].splitlines()
    assert json.loads(line) == {"type": "account", "external_id": "A-1", "name": "Foo"}
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        with pytest.raises(InvalidInput, match="format: 'xml' is not one of"):
            export_service.export(db=db, kind=Kind.ACCOUNTS, fmt="xml", out=io.StringIO())


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliEnv]:
    with cli_home(tmp_path, monkeypatch) as env:
        yield env


def test_cli_export_writes_a_file_or_standard_output(cli: CliEnv, tmp_path: Path) -> None:
    customers = write_csv(tmp_path / "customers.csv", Kind.CUSTOMERS, customer_rows(3))
    assert cli.run("import", str(customers)).exit_code == 0
    out = tmp_path / "out" / "people.csv"
    out.parent.mkdir()
    result = cli.run("export", "--kind", "customers", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote 3 customers to {out}" in result.stdout
    assert out.read_text().splitlines()[0].startswith("external_id,name,email,")
    assert [p.name for p in out.parent.iterdir()] == ["people.csv"]
    result = cli.run("export", "--kind", "customer")
    assert [json.loads(line)["external_id"] for line in result.stdout.splitlines()] == [
        "C-0",
        "C-1",
        "C-2",
    ]
    result = cli.run("export", "--kind", "widgets")
    assert result.exit_code == 1
    assert "unknown kind 'widgets'" in result.stderr
