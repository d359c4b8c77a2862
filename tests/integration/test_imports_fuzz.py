"""Malformed import files through the real import path into a real database (SQLite and
PostgreSQL): each file is either imported whole or refused with a clear error naming the file
and its bad lines, and a refused file leaves no row behind. Never a crash.

tests/unit/imports/test_readers.py fuzzes the CSV and JSONL *readers* alone; here every format
(CSV, JSONL, EML, mbox) goes through ``imports.service.import_file`` in its own unit of work, as
the CLI and the API run it, starting from valid files that Hypothesis breaks: bytes cut,
inserted or replaced (quotes, line ends, NUL, bytes that are not UTF-8, ``From`` lines, header
lines, encoded words, very long values, numbers too large for a column), or files that are
noise from the start. ``GOODWILL_FUZZ_EXAMPLES`` (default 40) asks for a deeper run.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Account, Customer
from goodwill.database import Base
from goodwill.errors import ImportRejected, InvalidInput
from goodwill.imports.models import ImportBatch
from goodwill.imports.rows import Kind
from goodwill.imports.service import ImportResult
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.relationships.models import Relationship
from tests.factories.imports import (
    count_rows,
    customer_rows,
    interaction_rows,
    make_message,
    mbox_bytes,
    run_import,
    thread_messages,
    write_csv,
    write_jsonl,
)
from tests.factories.organisations import OrgContext

Factory = sessionmaker[Session]
# every table an import writes, and what the result counts it as
STORED: dict[type[Base], str | None] = {
    Account: "accounts",
    Customer: "customers",
    Conversation: "conversations",
    Interaction: "interactions",
    Relationship: None,
    InteractionRaw: None,
    ImportBatch: None,
}
# pieces that break each format in its own way
TOKENS = [
    b'"',
    b",",
    b"\n",
    b"\r\n",
    b"\r",
    b"\x00",
    b"\\u0000",
    b"\xff\xfe",
    b"\xe9",
    b"{",
    b"[1]",
    b"null",
    b'"type": "customer"',
    b"2026-02-30T25:00:00Z",
    b"From ",
    b"\nFrom x Mon Jan  5 09:00:00 2026\n",
    b">From ",
    b"\n\n",
    b"Date: yesterday\n",
    b"From: <>\n",
    b"Message-ID: <>\n",
    b"Content-Type: multipart/mixed; boundary=zz\n",
    b"Content-Transfer-Encoding: base64\n",
    b"=?utf-8?b?w6k=?=",
    b"=?x-unknown?q?=FF?=",
    b"--zz\n",
    b"x" * 300,
    "é€😀".encode(),
]
# a value that is a whole number (a quantity), not part of a date, an id or an amount
WHOLE_NUMBER = re.compile(rb"(?<![\w.:-])\d+(?![\w.:-])")
EXAMPLES = int(os.environ.get("GOODWILL_FUZZ_EXAMPLES", "40"))  # per format and database
SEEDS = ["customers.csv", "interactions.csv", "mixed.jsonl", "message.eml", "inbox.mbox"]


def _seeds(folder: Path) -> dict[str, bytes]:
    """One valid file of each format, importable into an organisation that already has the
    customers F-0, F-1 and F-2 (see ``_with_customers``)."""
    jsonl = [
        {"type": "account", "external_id": "FA-1", "name": "Foo"},
        {"type": "customer", "external_id": "FJ-1", "email": "j@foo.example"},
        *({"type": "interaction"} | row for row in interaction_rows(3, customers=3, prefix="F")),
    ]
    files = {
        "customers.csv": write_csv(folder / "c.csv", Kind.CUSTOMERS, customer_rows(3, prefix="F")),
        "interactions.csv": write_csv(
            folder / "i.csv", Kind.INTERACTIONS, interaction_rows(6, customers=3, prefix="F")
        ),
        "mixed.jsonl": write_jsonl(folder / "m.jsonl", jsonl),
    }
    seeds = {name: path.read_bytes() for name, path in files.items()}
    seeds["message.eml"] = make_message(
        message_id="fuzz-1@foo.example",
        sender='"Maria" <maria@foo.example>',
        to="support@acme.example",
        attachment=("invoice.pdf", b"%PDF-1.4"),
    )
    seeds["inbox.mbox"] = b"".join(mbox_bytes(thread_messages(4, customers=2)))
    return seeds


@st.composite
def broken(draw: st.DrawFn, seed: bytes) -> bytes:
    """``seed`` with up to four edits (none: the valid file), or one time in ten noise."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.binary(max_size=400))
    data = bytearray(seed)
    numbers = [m.start() for m in WHOLE_NUMBER.finditer(seed)]
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(data)))
        token = draw(st.sampled_from(TOKENS))
        edit = draw(st.sampled_from(["insert", "replace", "delete", "cut", "grow"]))
        if edit == "insert":
            data[at:at] = token
        elif edit == "replace":
            data[at : at + len(token)] = token
        elif edit == "delete":
            del data[at : at + draw(st.integers(1, 40))]
        elif edit == "cut":
            del data[at:]
        elif numbers:  # a number grows past what a database column holds
            place = min(draw(st.sampled_from(numbers)), len(data))
            data[place:place] = b"9" * 10
    return bytes(data)


def _counts(factory: Factory, org: OrgContext) -> dict[type[Base], int]:
    return {model: count_rows(factory, org, model) for model in STORED}


def _assert_clear(exc: InvalidInput, name: str, data: bytes) -> None:
    """The error names the file, and each bad row its line (within the file) and a reason."""
    assert str(exc).startswith(f"{name}: "), str(exc)
    if isinstance(exc, ImportRejected):
        last_line = data.count(b"\n") + 1
        assert exc.errors, str(exc)
        assert exc.total_errors >= len(exc.errors)
        for error in exc.errors:
            assert 1 <= error.line <= last_line, str(error)
            assert error.reason.strip(), str(error)


def _import(
    factory: Factory, org: OrgContext, data: bytes, name: str
) -> ImportResult | InvalidInput:
    """The import's result, or the error that refused the file (anything else is a crash)."""
    try:
        return run_import(factory, org, stream=io.BytesIO(data), source_name=name)
    except InvalidInput as exc:
        return exc


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return _seeds(tmp_path_factory.mktemp("seeds"))


@pytest.fixture
def org_with_customers(
    session_factory: Factory, org_a: OrgContext, seeds: dict[str, bytes]
) -> OrgContext:
    """Organisation A (domain acme.example) with the customers the seed files refer to."""
    stream = io.BytesIO(seeds["customers.csv"])
    run_import(session_factory, org_a, stream=stream, source_name="customers.csv")
    return org_a


def test_every_seed_imports_cleanly(
    session_factory: Factory, org_with_customers: OrgContext, seeds: dict[str, bytes]
) -> None:
    """The files the fuzzing starts from are valid: what it finds is down to its edits."""
    for name in SEEDS[1:]:
        result = run_import(
            session_factory, org_with_customers, stream=io.BytesIO(seeds[name]), source_name=name
        )
        assert sum(result.created.values()) > 0, name


@pytest.mark.parametrize("name", SEEDS)
def test_a_malformed_file_is_imported_whole_or_refused_with_nothing_stored(
    session_factory: Factory,
    org_with_customers: OrgContext,
    seeds: dict[str, bytes],
    name: str,
) -> None:
    org = org_with_customers
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=broken(seeds[name]))
    def import_or_refuse(data: bytes) -> None:
        before = _counts(session_factory, org)
        result = _import(session_factory, org, data, name)
        after = _counts(session_factory, org)
        if isinstance(result, InvalidInput):
            assert after == before, f"{result} but rows were stored"
            _assert_clear(result, name, data)
            outcomes["refused"] += 1
            return
        assert after[ImportBatch] == before[ImportBatch] + 1
        for model, key in STORED.items():
            if key is not None:
                assert after[model] - before[model] == result.created[key], key
        outcomes["imported"] += 1

    import_or_refuse()
    # the edits broke files, and some files survived them: both ways were taken
    assert outcomes["refused"] > 0
    assert outcomes["imported"] > 0


def test_a_quantity_beyond_a_database_integer_is_a_bad_row(
    session_factory: Factory, org_with_customers: OrgContext, tmp_path: Path
) -> None:
    """What the fuzzing above found: PostgreSQL's integer (int4) failed the whole file in the
    database, SQLite stored the number."""
    rows = [
        {"external_id": f"Q-{quantity}", "customer_external_id": "F-0", "kind": "purchase"}
        | {"occurred_at": "2026-01-05T09:00Z", "channel": "store", "quantity": quantity}
        for quantity in ("2147483647", "99999999999")
    ]
    path = write_csv(tmp_path / "interactions.csv", Kind.INTERACTIONS, rows)
    result = _import(session_factory, org_with_customers, path.read_bytes(), path.name)
    assert isinstance(result, ImportRejected)
    assert [(e.line, e.field, e.reason) for e in result.errors] == [
        (3, "quantity", "99999999999 is out of range (at most 2,147,483,647 either way)")
    ]
    assert count_rows(session_factory, org_with_customers, Interaction) == 0
