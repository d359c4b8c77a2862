"""Row parsing per kind, field by field, and choosing what a file holds (no database)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from goodwill.errors import InvalidInput
from goodwill.imports.fields import FieldReader, parse_time
from goodwill.imports.readers import ErrorLog
from goodwill.imports.rows import (
    Kind,
    Record,
    parse_conversation,
    parse_customer,
    parse_interaction,
)
from goodwill.imports.service import Format, detect, plan_directory

MESSAGE = {
    "customer_external_id": "C-1",
    "kind": "message",
    "channel": "email",
    "direction": "inbound",
    "occurred_at": "2026-03-01T14:05:00+01:00",
    "body": "Where is my refund?",
}


def parse(
    values: dict[str, Any], parser: Any = parse_interaction
) -> tuple[Record | None, list[str]]:
    log = ErrorLog()
    record = parser(FieldReader(values, 7, log))
    return record, [str(e) for e in log.errors]


def test_a_good_message_becomes_typed_values() -> None:
    record, errors = parse(MESSAGE | {"amount": "", "attr.plan": "gold", "score": "4.5"})
    assert errors == []
    assert record is not None
    assert record["occurred_at"] == datetime(2026, 3, 1, 13, 5, tzinfo=UTC)
    assert record["kind"] == "message"
    assert record["amount"] is None
    assert record["score"] == 4.5
    assert record["attributes"] == {"plan": "gold"}
    assert record["line"] == 7


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T13:05:00Z", datetime(2026, 3, 1, 13, 5, tzinfo=UTC)),
        ("2026-03-01T14:05:00+01:00", datetime(2026, 3, 1, 13, 5, tzinfo=UTC)),
        ("2026-03-01", datetime(2026, 3, 1, tzinfo=UTC)),
        ("2026-03-01T13:05:00", datetime(2026, 3, 1, 13, 5, tzinfo=UTC)),
    ],
)
def test_iso_times_are_read_as_utc(text: str, expected: datetime) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("occurred_at", "2026-13-01", "'2026-13-01' is not an ISO 8601 time"),
        ("occurred_at", "yesterday", "'yesterday' is not an ISO 8601 time"),
        ("kind", "letter", "'letter' is not one of: billing, call, meeting, message"),
        ("channel", "pigeon", "'pigeon' is not one of: app, billing, chat, email"),
        ("direction", "sideways", "'sideways' is not one of: inbound, internal, outbound"),
        ("amount", "12,50", "'12,50' is not a decimal number (use a dot: 12.50)"),
        ("amount", "1.234", "'1.234' has more than 2 decimal places"),
        ("quantity", "2.5", "'2.5' is not a whole number"),
        ("score", "high", "'high' is not a number"),
        ("currency", "euro", "'euro' is not an ISO 4217 currency code"),
        ("author_email", "not-an-address", "'not-an-address' is not an e-mail address"),
        ("attributes", "{plan: gold}", "not a JSON object"),
    ],
)
def test_each_bad_field_is_named_with_its_reason(field: str, value: str, reason: str) -> None:
    record, errors = parse(MESSAGE | {field: value})
    assert record is None
    assert len(errors) == 1
    assert errors[0].startswith(f"line 7, field {field!r}: {reason}")


def test_every_bad_field_of_a_row_is_reported() -> None:
    values = {"kind": "message", "channel": "email", "occurred_at": "2026-02-30"}
    record, errors = parse(values)
    assert record is None
    assert [e.split(":")[0] for e in errors] == [
        "line 7, field 'customer_external_id'",
        "line 7, field 'occurred_at'",
        "line 7, field 'direction'",
        "line 7, field 'body'",
    ]


def test_json_values_are_checked_by_type() -> None:
    record, errors = parse(MESSAGE | {"quantity": 3, "score": True, "subject": {"x": 1}})
    assert record is None
    assert errors == [
        "line 7, field 'subject': must be text",
        "line 7, field 'score': True is not a number",
    ]
    record, errors = parse(MESSAGE | {"amount": 12.5, "quantity": 3, "attributes": {"a": [1]}})
    assert errors == []
    assert record is not None
    assert (record["amount"], record["quantity"], record["attributes"]) == (
        Decimal("12.50"),
        3,
        {"a": [1]},
    )


def test_a_purchase_needs_no_direction_or_body() -> None:
    values = {
        "customer_email": "Ann@Example.com",
        "kind": "purchase",
        "channel": "store",
        "occurred_at": "2026-03-01",
        "amount": "19.9",
        "currency": "eur",
    }
    record, errors = parse(values)
    assert errors == []
    assert record is not None
    assert (record["customer_email"], record["amount"], record["currency"]) == (
        "ann@example.com",
        Decimal("19.90"),
        "EUR",
    )


def test_customer_and_conversation_rows() -> None:
    record, errors = parse(
        {"external_id": "C-1", "email": "x@y.example", "customer_since": "2020-01-01"},
        parse_customer,
    )
    assert errors == []
    assert record is not None
    assert record["customer_since"] == datetime(2020, 1, 1, tzinfo=UTC)
    record, errors = parse(
        {
            "external_id": "T-1",
            "customer_external_id": "C-1",
            "opened_at": "2026-03-02",
            "closed_at": "2026-03-01",
            "status": "solved",
        },
        parse_conversation,
    )
    assert record is None
    assert errors == [
        "line 7, field 'status': 'solved' is not one of: closed, open, pending",
        "line 7, field 'closed_at': is before opened_at",
    ]


def test_kinds_are_named_in_plural_or_singular() -> None:
    assert Kind.from_name("Customer") is Kind.CUSTOMERS
    assert Kind.from_name("interactions") is Kind.INTERACTIONS
    assert Kind.from_name("widgets") is None


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("customers.csv", None, (Format.CSV, Kind.CUSTOMERS)),
        ("interactions-2026-01.jsonl", None, (Format.JSONL, Kind.INTERACTIONS)),
        ("export.csv", "accounts", (Format.CSV, Kind.ACCOUNTS)),
        ("everything.jsonl", None, (Format.JSONL, None)),
        ("inbox.mbox", None, (Format.MBOX, None)),
        ("one.EML", None, (Format.EML, None)),
    ],
)
def test_what_a_file_holds(name: str, kind: str | None, expected: tuple[Format, Kind]) -> None:
    plan = detect(name, kind)
    assert (plan.format, plan.kind) == expected


def test_unknown_kinds_and_types_are_refused_clearly() -> None:
    with pytest.raises(InvalidInput, match="unknown kind 'widgets'"):
        detect("widgets.csv", "widgets")
    with pytest.raises(InvalidInput, match="cannot tell what the rows are"):
        detect("export.csv")
    with pytest.raises(InvalidInput, match=r"unknown file type \(expected .csv"):
        detect("notes.txt")


def test_a_file_without_suffix_is_sniffed_when_the_kind_is_given() -> None:
    assert detect("Inbox", "email", b"From MAILER-DAEMON").format is Format.MBOX
    assert detect("message", "email", b"Received: by").format is Format.EML
    assert detect("dump", "customers", b'{"external_id"').format is Format.JSONL
    assert detect("dump", "customers", b"external_id,name").format is Format.CSV


def test_a_folder_is_planned_in_dependency_order(tmp_path: Path) -> None:
    for name in ("mail.mbox", "interactions.csv", "all.jsonl", "customers.csv", "accounts.jsonl"):
        (tmp_path / name).write_text("")
    (tmp_path / "README.txt").write_text("ignored")
    names = [p.name for p, _ in plan_directory(path=tmp_path)]
    assert names == [
        "accounts.jsonl",
        "customers.csv",
        "interactions.csv",
        "all.jsonl",
        "mail.mbox",
    ]
    (tmp_path / "export.csv").write_text("")
    with pytest.raises(InvalidInput, match=r"cannot tell what export\.csv hold"):
        plan_directory(path=tmp_path)
