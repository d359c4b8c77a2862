"""Right of access, erasure and retention, on records made by the real pipeline (analyses,
reasons, promises, suggestions) so every derived record is there to be found."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import ingest
from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_sessions
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import utcnow
from goodwill.interactions.models import Conversation, Interaction
from goodwill.main import API_PREFIX
from goodwill.messages.models import MessageAnalysis
from goodwill.privacy import records, retention
from goodwill.reasons.models import ReasonExample
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session
from tests.factories.interactions import make_conversation, make_interaction
from tests.factories.organisations import OrgContext, add_member
from tests.factories.reasons import add_example, make_reason

C = f"{API_PREFIX}/customers"


def _history(factory: sessionmaker[Session], org: OrgContext, email: str) -> uuid.UUID:
    """A customer with a conversation, a complaint, a suggestion, our promise and a labelled
    example cut from their message, all analysed and recomputed by the real pipeline."""
    customer = make_customer(factory, org, email=email, name="Ana Lima")
    conversation = make_conversation(factory, org, customer_id=customer.id)
    complaint = make_interaction(
        factory,
        org,
        customer_id=customer.id,
        conversation_id=str(conversation.id),
        body="My card was declined twice at the pharmacy. It would be great if the app "
        "showed why a payment was declined.",
        raw=b"From: ana@example.com\r\n\r\nMy card was declined",
    )
    make_interaction(
        factory,
        org,
        customer_id=customer.id,
        conversation_id=str(conversation.id),
        direction="outbound",
        occurred_at=(utcnow() - timedelta(days=1)).isoformat(),
        body="Hi Ana, I'll call you back tomorrow with the reason for the decline.",
    )
    add_example(factory, org, make_reason(factory, org, f"Declined {email}"), "declined card")
    with org_session(factory, org) as db:
        db.add(
            ReasonExample(
                reason_id=db.scalars(select(ReasonExample.reason_id)).first(),
                text="My card was declined twice",
                source="message",
                interaction_id=complaint.id,
            )
        )
    ingest.in_process(factory, org.organisation_id)
    return customer.id


def test_personal_data_holds_every_record_about_the_customer_and_nothing_else(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    ana = _history(session_factory, org_a, "ana@example.com")
    other = _history(session_factory, org_a, "bo@example.com")
    r = client.get(f"{C}/{ana}/personal-data", headers=org_a.headers)
    assert r.status_code == 200, r.text
    tables: dict[str, list[dict[str, Any]]] = r.json()["tables"]
    for table in ("customer", "relationship", "conversation", "interaction", "interaction_raw"):
        assert tables[table], table
    assert tables["message_analysis"]
    assert tables["commitment"][0]["text"].startswith("I'll call you back tomorrow")
    assert [e["text"] for e in tables["reason_example"]] == ["My card was declined twice"]
    assert "vector" not in str(tables.get("message_embedding", []))
    assert str(other) not in json.dumps(tables)
    assert {i["customer_id"] for i in tables["interaction"]} == {str(ana)}


def test_erasure_removes_the_customer_and_every_derived_record_only(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    ana = _history(session_factory, org_a, "ana@example.com")
    other = _history(session_factory, org_a, "bo@example.com")
    with org_session(session_factory, org_a) as db:
        before_other = records.about_customer(db=db, customer_id=other).counts()
    r = client.delete(f"{C}/{ana}", headers=org_a.headers)
    assert r.status_code == 200, r.text
    erased = r.json()["erased"]
    assert erased["customer"] == 1
    assert erased["interaction"] == 2
    assert erased["reason_example"] == 1
    with org_session(session_factory, org_a) as db:
        assert records.about_customer(db=db, customer_id=ana).counts() == {}
        assert records.about_customer(db=db, customer_id=other).counts() == before_other
        assert db.scalar(select(func.count()).select_from(ReasonExample)) == 3  # 2 imported
    assert client.get(f"{C}/{ana}", headers=org_a.headers).status_code == 404
    assert client.delete(f"{C}/{ana}", headers=org_a.headers).status_code == 404
    audit = client.get(f"{API_PREFIX}/audit-events", headers=org_a.headers).json()["items"]
    erase = next(e for e in audit if e["action"] == "erase")
    assert (erase["target_id"], erase["detail"]["erased"]) == (str(ana), erased)
    assert "ana@example.com" not in json.dumps(audit)
    assert "Ana Lima" not in json.dumps(audit)


def test_only_admins_export_or_erase(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    customer = make_customer(session_factory, org_a)
    _, token = add_member(session_factory, org_a, "manager@acme.example", Role.MANAGER)
    manager = {"Authorization": f"Bearer {token}"}
    assert client.get(f"{C}/{customer.id}/personal-data", headers=manager).status_code == 403
    assert client.delete(f"{C}/{customer.id}", headers=manager).status_code == 403
    assert client.get(f"{C}/{customer.id}", headers=manager).status_code == 200


def test_retention_deletes_old_interactions_with_their_analyses(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    customer = make_customer(session_factory, org_a)
    old = make_conversation(session_factory, org_a, customer_id=customer.id)
    long_ago = (utcnow() - timedelta(days=400)).isoformat()
    make_interaction(
        session_factory,
        org_a,
        customer_id=customer.id,
        conversation_id=str(old.id),
        occurred_at=long_ago,
    )
    recent = make_interaction(session_factory, org_a, customer_id=customer.id)
    ingest.in_process(session_factory, org_a.organisation_id)
    too_short = client.put(
        f"{API_PREFIX}/retention", json={"interaction_days": 7}, headers=org_a.headers
    )
    assert too_short.status_code == 422
    r = client.put(f"{API_PREFIX}/retention", json={"interaction_days": 365}, headers=org_a.headers)
    assert (r.json()["interaction_days"], r.json()["due_now"]) == (365, 1)
    outcomes = retention.apply_everywhere(session_factory)
    assert [(o.interactions, o.conversations) for o in outcomes if o.cutoff] == [(1, 1)]
    with org_session(session_factory, org_a) as db:
        assert list(db.scalars(select(Interaction.id))) == [recent.id]
        assert list(db.scalars(select(MessageAnalysis.interaction_id).distinct())) == [recent.id]
        assert db.get(Conversation, old.id) is None
    assert client.get(f"{API_PREFIX}/retention", headers=org_a.headers).json()["due_now"] == 0


def test_cli_exports_to_a_file_and_erasing_needs_confirmation(
    cli_env: Path, tmp_path: Path
) -> None:
    runner = CliRunner()
    init = ["init", "--org-name", "Test Co", "--admin-email", "ada@test.example"]
    init += ["--admin-password", "a long demo password 42", "--domain", "test.example"]
    assert runner.invoke(app, init).exit_code == 0
    with organisation_session(cli_sessions(), None) as db:
        customer_id = customer_service.create(
            db=db, customer_in=CustomerCreate(email="cli@example.com")
        ).id
    out = tmp_path / "ana.json"
    export = ["privacy", "export", "--customer", str(customer_id), "--out", str(out)]
    exported = runner.invoke(app, export)
    assert exported.exit_code == 0, exported.output
    assert json.loads(out.read_text())["tables"]["customer"][0]["email"] == "cli@example.com"
    refused = runner.invoke(app, ["privacy", "erase", "--customer", str(customer_id)])
    assert refused.exit_code != 0
    assert "--yes" in refused.output
    erased = runner.invoke(app, ["privacy", "erase", "--customer", str(customer_id), "--yes"])
    assert erased.exit_code == 0, erased.output
    assert "customer 1" in erased.output
    again = runner.invoke(app, ["privacy", "erase", "--customer", str(customer_id), "--yes"])
    assert again.exit_code == 1
    assert "not found" in again.output
