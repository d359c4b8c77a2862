"""The relationship engine on hand-built histories: commitments kept, kept late or broken; the
Knapp stage and lifecycle phase with their evidence and history; and the API over them."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import tenancy
from goodwill.cli import app
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations.models import Organisation
from goodwill.relationships import engine
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Commitment, Relationship, StageHistory
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext

NOW = utcnow()
runner = CliRunner()
DAY = timedelta(days=1)


def _message(
    db: Session,
    customer: Customer,
    at: datetime,
    direction: str = "inbound",
    *,
    kind: str = "message",
    conversation: Conversation | None = None,
    body: str = "Hello",
    **analyses: Any,
) -> Interaction:
    """A stored interaction with the analyses given (field → stored value)."""
    row = Interaction(
        external_id=f"I-{uuid.uuid4()}",
        customer_id=customer.id,
        conversation_id=conversation.id if conversation else None,
        kind=kind,
        channel="email",
        direction=direction,
        occurred_at=at,
        body=body,
    )
    db.add(row)
    db.flush()
    for field, value in analyses.items():
        db.add(
            MessageAnalysis(
                interaction_id=row.id, analyser=field, version="1", result={"value": value}
            )
        )
    db.flush()
    return row


def _promise(text: str, due_at: datetime | None) -> list[dict[str, Any]]:
    due = due_at.isoformat() if due_at else None
    return [{"text": text, "due_at": due, "owner": "I", "start": 6, "end": 6 + len(text)}]


def _conversation(db: Session, customer: Customer, status: str = "open") -> Conversation:
    convo = Conversation(
        external_id=f"T-{uuid.uuid4()}",
        customer_id=customer.id,
        channel="email",
        status=status,
        opened_at=NOW - 30 * DAY,
    )
    db.add(convo)
    db.flush()
    return convo


def _statuses(db: Session, customer: Customer) -> list[str]:
    """The statuses of the customer's commitments."""
    rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
    return list(db.scalars(select(Commitment.status).where(Commitment.relationship_id == rel.id)))


def test_promises_are_kept_kept_late_or_broken_by_later_contact(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    kept, late, broken = (make_customer(session_factory, org_a) for _ in range(3))
    with org_session(session_factory, org_a) as db:
        _message(
            db,
            kept,
            NOW - 5 * DAY,
            "outbound",
            commitments=_promise("I'll call you", NOW - 4 * DAY),
        )
        _message(db, kept, NOW - 4.5 * DAY, "outbound", kind="call")
        _message(
            db,
            late,
            NOW - 5 * DAY,
            "outbound",
            commitments=_promise("I'll call you", NOW - 4 * DAY),
        )
        _message(db, late, NOW - 2 * DAY, "outbound")
        _message(
            db,
            broken,
            NOW - 5 * DAY,
            "outbound",
            commitments=_promise("refund by Friday", NOW - DAY),
        )
        _message(db, broken, NOW - 3 * DAY, "inbound")
        first = engine.recompute(db=db)
        again = engine.recompute(db=db, all_relationships=True)

        assert first.commitments_added == 3
        assert again.commitments_added == 0  # idempotent: one row per message and promise
        assert _statuses(db, kept) == ["kept"]
        assert _statuses(db, late) == ["kept_late"]
        assert _statuses(db, broken) == ["broken"]


def test_a_promise_not_yet_due_stays_open(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - DAY, "outbound", commitments=_promise("I'll check", NOW + DAY))
        engine.recompute(db=db)

        assert _statuses(db, customer) == ["open"]


def test_an_unresolved_complaint_then_a_calm_message_moves_stage_and_phase(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        convo = _conversation(db, customer)
        _message(db, customer, NOW - 400 * DAY, body="Opening an account")
        complaint = _message(
            db,
            customer,
            NOW - 10 * DAY,
            conversation=convo,
            body="You charged me twice!",
            intent=["complaint", "billing"],
            sentiment={"label": "negative", "score": -0.8},
        )
        engine.recompute(db=db)
        rel = relationship_of(session_factory, org_a, customer.id)
        assert (rel.stage, rel.phase) == ("differentiating", "first_disagreement")
        assert str(complaint.id) in {e.get("interaction_id") for e in rel.stage_evidence or []}

        _message(
            db,
            customer,
            NOW - 2 * DAY,
            conversation=convo,
            body="Thanks, that is sorted now.",
            intent=["other"],
            sentiment={"label": "neutral", "score": 0.1},
        )
        summary = engine.recompute(db=db)  # incremental: only this relationship has news

        assert summary.relationships == 1
        history = db.scalars(select(StageHistory).order_by(StageHistory.valid_from)).all()
        assert [(h.stage, h.phase) for h in history] == [
            ("differentiating", "first_disagreement"),
            ("integrating", "long_term"),
        ]


def test_recompute_without_news_touches_nothing(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 3 * DAY)
        assert engine.recompute(db=db).relationships == 1
        assert engine.recompute(db=db).relationships == 0
        assert engine.recompute(db=db, all_relationships=True).relationships == 1


def test_cancellation_and_closed_conversation(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Asking to cancel is terminating; a complaint in a closed conversation is resolved."""
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        closed = _conversation(db, customer, status="closed")
        _message(db, customer, NOW - 200 * DAY, body="Hi")
        _message(db, customer, NOW - 20 * DAY, conversation=closed, intent=["complaint"])
        _message(db, customer, NOW - 5 * DAY, intent=["cancellation"], body="Close my account")
        engine.recompute(db=db)
        rel = relationship_of(session_factory, org_a, customer.id)

        assert (rel.stage, rel.phase) == ("terminating", "established")


def test_an_old_request_to_leave_ends_the_relationship_unless_the_customer_wrote_again(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """A year-old cancellation followed by silence is still terminating; one followed by more
    messages from the customer is not (they stayed)."""
    gone = make_customer(session_factory, org_a)
    stayed = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        for customer in (gone, stayed):
            _message(db, customer, NOW - 500 * DAY, body="Hi")
            _message(db, customer, NOW - 400 * DAY, intent=["cancellation"], body="Close it")
        _message(db, stayed, NOW - 390 * DAY, intent=["question"], body="How do I top up?")
        engine.recompute(db=db)

    assert relationship_of(session_factory, org_a, gone.id).stage == "terminating"
    assert relationship_of(session_factory, org_a, stayed.id).stage != "terminating"


def test_the_api_shows_stage_evidence_history_and_commitments(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 10 * DAY, intent=["cancellation"], body="cancel my plan")
        engine.recompute(db=db)
    rel_id = relationship_of(session_factory, org_a, customer.id).id
    url = f"/api/v1/relationships/{rel_id}"

    got = client.get(url, headers=org_a.headers).json()
    history = client.get(f"{url}/stage-history", headers=org_a.headers).json()["items"]
    created = client.post(
        f"{url}/commitments",
        json={"text": "I'll call you on Monday", "due_at": (NOW + DAY).isoformat()},
        headers=org_a.headers,
    )
    closed = client.patch(
        f"/api/v1/commitments/{created.json()['id']}",
        json={"status": "kept"},
        headers=org_a.headers,
    )
    listed = client.get(f"{url}/commitments", headers=org_a.headers).json()["items"]

    assert got["stage"] == "terminating"
    assert got["evidence"][0]["signal"] == "cancellations"
    assert [h["stage"] for h in history] == ["terminating"]
    assert created.status_code == 201
    assert closed.json()["status"] == "kept"
    assert [c["status"] for c in listed] == ["kept"]
    for path in ("", "/stage-history", "/commitments"):
        assert client.get(f"{url}{path}", headers=org_b.headers).status_code == 404
    assert (
        client.patch(
            f"/api/v1/commitments/{created.json()['id']}",
            json={"status": "broken"},
            headers=org_b.headers,
        ).status_code
        == 404
    )


def test_an_organisation_can_replace_the_stage_rules(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    own_rules = {
        "stages": [
            {"stage": "bonding", "match": "all", "when": [["praise", ">=", 1]], "reason": "kind"},
            {"stage": "experimenting", "match": "all", "when": [], "reason": "everyone else"},
        ]
    }
    with org_session(session_factory, org_a) as db, tenancy.system_scope(db):
        org = db.get(Organisation, org_a.organisation_id)
        assert org is not None
        org.settings = {**(org.settings or {}), engine.SETTINGS_KEY: own_rules}
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 3 * DAY, intent=["praise"], body="Great service")
        engine.recompute(db=db)

    assert relationship_of(session_factory, org_a, customer.id).stage == "bonding"


def test_goodwill_recompute_prints_what_it_did(cli_env: Path) -> None:
    init = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            "Test Co",
            "--admin-email",
            "ada@test.example",
            "--admin-password",
            "a long demo password 42",
            "--domain",
            "test.example",
        ],
    )
    assert init.exit_code == 0, init.output

    first = runner.invoke(app, ["recompute", "--json"])
    unknown = runner.invoke(app, ["recompute", "--org", "nope"])

    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["relationships"] == 0
    assert unknown.exit_code != 0
    assert "nope" in unknown.output


def test_recompute_after_ingest_runs_in_its_own_transaction(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 3 * DAY, intent=["cancellation"], body="cancel my plan")

    assert engine.recompute_new(session_factory, org_a.organisation_id) == 1
    assert relationship_of(session_factory, org_a, customer.id).stage == "terminating"
    assert engine.recompute_new(session_factory, org_a.organisation_id) == 0


def test_objects_loaded_before_a_recompute_show_what_it_wrote(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """The engine writes with bulk statements: the session's copies are read again after it."""
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 5 * DAY, "outbound", commitments=_promise("I'll call", None))
        engine.recompute(db=db)
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        promise = db.scalars(select(Commitment).where(Commitment.relationship_id == rel.id)).one()
        assert (promise.status, rel.computed_at is not None) == ("open", True)
        before = rel.computed_at
        _message(db, customer, NOW - DAY, "outbound", kind="call")
        engine.recompute(db=db, all_relationships=True)

        assert promise.status == "kept"
        assert rel.computed_at is not None
        assert before is not None
        assert rel.computed_at > before
        assert rel.trust is not None
        assert rel.health == rel.trust["health"]["score"]


def test_the_oldest_computation_is_the_earliest_computed_at(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Incremental recomputes look for news since the earliest ``computed_at`` (read as the
    first entry of its index, not as ``min()``): none before any computation, and relationships
    never computed do not count."""
    customers = [make_customer(session_factory, org_a) for _ in range(2)]
    rels = [relationship_of(session_factory, org_a, customer.id) for customer in customers]
    with org_session(session_factory, org_a) as db:
        assert engine._oldest_computation(db) is None
        db.execute(
            update(Relationship).where(Relationship.id == rels[0].id).values(computed_at=NOW)
        )
        assert engine._oldest_computation(db) == NOW
        earlier = NOW - 3 * DAY
        db.execute(
            update(Relationship).where(Relationship.id == rels[1].id).values(computed_at=earlier)
        )
        assert engine._oldest_computation(db) == earlier
