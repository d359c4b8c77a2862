"""Importing e-mail (EML, mbox): direction, customers, threads, raw messages, idempotency."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.database import unit_of_work
from goodwill.errors import ImportRejected
from goodwill.imports.rows import Kind
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.relationships.models import Relationship
from tests.factories.imports import (
    START,
    count_rows,
    make_message,
    run_import,
    write_csv,
    write_mbox,
)
from tests.factories.organisations import OrgContext

Factory = sessionmaker[Session]
MARIA = '"Maria Garcia" <maria@foo.example>'
ANNA = "Anna <anna@acme.example>"  # org_a's domain is acme.example


def _msg(n: int, sender: str, to: str, *, parents: list[str] | None = None, **kw: object) -> bytes:
    return make_message(
        message_id=f"m{n}@x",
        sender=sender,
        to=to,
        subject="Invoice" if not parents else "Re: Invoice",
        date=START + timedelta(hours=n),
        in_reply_to=parents[-1] if parents else None,
        references=parents,
        **kw,  # type: ignore[arg-type]
    )


def _interactions(factory: Factory, org: OrgContext) -> list[Interaction]:
    with unit_of_work(factory) as db:
        tenancy.scope(db, org.organisation_id)
        return list(db.scalars(select(Interaction).order_by(Interaction.occurred_at)))


def test_direction_comes_from_the_organisations_domains(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    messages = [
        _msg(1, MARIA, "support@acme.example", body="Where is my refund?\n"),
        _msg(2, ANNA, "Maria <maria@foo.example>", parents=["m1@x"], body="Sent today.\n"),
        _msg(3, ANNA, "bob@acme.example", body="Internal note between colleagues\n"),
        _msg(4, ANNA, "boss@acme.example, Lee <lee@client.example>", body="Hi Lee\n"),
    ]
    mbox = write_mbox(tmp_path / "inbox.mbox", messages)
    result = run_import(session_factory, org_a, path=mbox)
    assert result.created == {"accounts": 0, "customers": 2, "conversations": 2, "interactions": 3}
    assert result.skipped["internal_messages"] == 1
    rows = _interactions(session_factory, org_a)
    assert [(r.external_id, r.direction) for r in rows] == [
        ("m1@x", "inbound"),
        ("m2@x", "outbound"),
        ("m4@x", "outbound"),
    ]
    assert rows[0].customer_id == rows[1].customer_id
    assert rows[0].conversation_id == rows[1].conversation_id
    assert rows[0].body == "Where is my refund?"
    assert rows[1].author_name == "Anna"
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        maria = db.get(Customer, rows[0].customer_id)
        assert maria is not None
        assert (maria.email, maria.name, maria.external_id) == (
            "maria@foo.example",
            "Maria Garcia",
            "email:maria@foo.example",
        )
        assert db.scalar(select(Relationship.id).where(Relationship.customer_id == maria.id))
        lee = db.get(Customer, rows[2].customer_id)
        assert lee is not None
        assert lee.email == "lee@client.example"
        raw = db.get(InteractionRaw, rows[0].id)
        assert raw is not None
        assert (raw.content, raw.content_type) == (messages[0], "message/rfc822")
        conversation = db.get(Conversation, rows[0].conversation_id)
        assert conversation is not None
        assert (conversation.external_id, conversation.subject) == ("email:m1@x", "Invoice")


def test_a_reply_chain_split_over_two_archives_is_one_conversation(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    first = write_mbox(
        tmp_path / "2026-01.mbox",
        [
            _msg(1, MARIA, "support@acme.example"),
            _msg(2, ANNA, MARIA, parents=["m1@x"]),
        ],
    )
    second = write_mbox(
        tmp_path / "2026-02.mbox",
        [
            _msg(3, MARIA, "support@acme.example", parents=["m1@x", "m2@x"]),
            _msg(5, MARIA, "support@acme.example"),  # a new thread
            make_message(  # answers m3 with In-Reply-To only, as some clients do
                message_id="m4@x",
                sender=ANNA,
                to=MARIA,
                in_reply_to="m3@x",
                date=START + timedelta(hours=4),
            ),
        ],
    )
    run_import(session_factory, org_a, path=first)
    result = run_import(session_factory, org_a, path=second)
    assert result.created["conversations"] == 1
    rows = _interactions(session_factory, org_a)
    threads = {r.external_id: r.conversation_id for r in rows}
    assert threads["m1@x"] == threads["m2@x"] == threads["m3@x"] == threads["m4@x"]
    assert threads["m5@x"] != threads["m1@x"]
    assert count_rows(session_factory, org_a, Conversation) == 2


def test_a_reply_imported_before_its_thread_start_still_joins_it(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    reply = write_mbox(tmp_path / "later.mbox", [_msg(2, ANNA, MARIA, parents=["m1@x"])])
    root = write_mbox(tmp_path / "earlier.mbox", [_msg(1, MARIA, "support@acme.example")])
    run_import(session_factory, org_a, path=reply)
    run_import(session_factory, org_a, path=root)
    rows = _interactions(session_factory, org_a)
    assert len({r.conversation_id for r in rows}) == 1


def test_eml_matches_a_known_customer_by_address_and_is_idempotent(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    write_csv(
        tmp_path / "customers.csv",
        Kind.CUSTOMERS,
        [{"external_id": "CRM-7", "email": "maria@foo.example"}],
    )
    run_import(session_factory, org_a, path=tmp_path / "customers.csv")
    eml = tmp_path / "question.eml"
    eml.write_bytes(make_message(message_id=None, sender=MARIA, to="help@acme.example"))
    first = run_import(session_factory, org_a, path=eml)
    again = run_import(session_factory, org_a, path=eml)
    assert (first.created["interactions"], first.created["customers"]) == (1, 0)
    assert (again.created["interactions"], again.skipped["interactions"]) == (0, 1)
    (row,) = _interactions(session_factory, org_a)
    assert row.external_id.startswith("sha256:")
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        assert (
            db.scalar(select(Customer.external_id).where(Customer.id == row.customer_id)) == "CRM-7"
        )


def test_a_bad_message_refuses_the_whole_archive(
    session_factory: Factory, org_a: OrgContext, tmp_path: Path
) -> None:
    good = _msg(1, MARIA, "support@acme.example")
    undated = _msg(2, MARIA, "support@acme.example").replace(b"Date: ", b"X-Old-Date: ")
    mbox = write_mbox(tmp_path / "inbox.mbox", [good, undated, good.replace(b"m1@x", b"m3@x")])
    with pytest.raises(ImportRejected) as exc:
        run_import(session_factory, org_a, path=mbox)
    assert [(e.line, e.field, e.reason) for e in exc.value.errors] == [
        (3 + good.count(b"\n"), "Date", "missing")
    ]
    assert count_rows(session_factory, org_a, Interaction) == 0
    assert count_rows(session_factory, org_a, Customer) == 0
