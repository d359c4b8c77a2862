"""Trust pillars, connection and health on hand-built histories, through the engine and the API."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations.models import Organisation
from goodwill.relationships import engine, scores
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext

NOW = utcnow()
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
ANGRY = {"label": "negative", "score": -0.8}
CALM = {"label": "positive", "score": 0.6}


def _message(
    db: Session, customer: Customer, at: datetime, direction: str = "inbound", **analyses: Any
) -> Interaction:
    row = Interaction(
        external_id=f"I-{uuid.uuid4()}",
        customer_id=customer.id,
        kind="message",
        channel="email",
        direction=direction,
        occurred_at=at,
        body="Hello",
    )
    db.add(row)
    db.flush()
    for analyser, value in analyses.items():
        db.add(
            MessageAnalysis(
                interaction_id=row.id, analyser=analyser, version="1", result={"value": value}
            )
        )
    db.flush()
    return row


def _promises(count: int, due_at: datetime) -> list[dict[str, Any]]:
    return [
        {"text": f"promise {i}", "due_at": due_at.isoformat(), "start": 10 * i, "end": 10 * i + 9}
        for i in range(count)
    ]


def _trust(client: TestClient, org: OrgContext, relationship_id: uuid.UUID) -> dict[str, Any]:
    response = client.get(f"/api/v1/relationships/{relationship_id}/trust", headers=org.headers)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


def test_broken_promises_score_lower_reliability_than_kept_ones(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    keeper, breaker = (make_customer(session_factory, org_a) for _ in range(2))
    with org_session(session_factory, org_a) as db:
        _message(db, keeper, NOW - 10 * DAY, "outbound", commitments=_promises(3, NOW - 5 * DAY))
        _message(db, keeper, NOW - 9 * DAY, "outbound")
        said = _message(
            db, breaker, NOW - 10 * DAY, "outbound", commitments=_promises(3, NOW - 5 * DAY)
        )
        engine.recompute(db=db)
    kept_rel = relationship_of(session_factory, org_a, keeper.id)
    broken_rel = relationship_of(session_factory, org_a, breaker.id)

    kept = _trust(client, org_a, kept_rel.id)
    broken = _trust(client, org_a, broken_rel.id)

    assert kept["pillars"]["reliability"]["score"] == pytest.approx(100 * 5 / 7, abs=0.1)
    assert broken["pillars"]["reliability"]["score"] == pytest.approx(100 * 2 / 7, abs=0.1)
    pointed = {e.get("interaction_id") for e in broken["pillars"]["reliability"]["evidence"]}
    assert str(said.id) in pointed
    assert broken["health"]["score"] < kept["health"]["score"]
    assert broken_rel.health == broken["health"]["score"]
    overdue = next(c for c in broken["health"]["components"] if c["name"] == "overdue_promises")
    assert overdue["value"] < 100


def test_owning_a_complaint_quickly_is_accountable_and_ignoring_it_is_not(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    owned, ignored = (make_customer(session_factory, org_a) for _ in range(2))
    apology = [{"type": "apology", "text": "I'm sorry", "start": 0, "end": 9}]
    with org_session(session_factory, org_a) as db:
        for customer in (owned, ignored):
            _message(db, customer, NOW - 30 * DAY, intent=["complaint"], sentiment=ANGRY)
        _message(db, owned, NOW - 30 * DAY + 2 * HOUR, "outbound", trust_signals=apology)
        _message(db, owned, NOW - 25 * DAY, sentiment=CALM, emotion={"label": "joy"})
        unanswered = _message(db, ignored, NOW - 20 * DAY, intent=["complaint"], sentiment=ANGRY)
        _message(db, ignored, NOW - 10 * DAY, "outbound", trust_signals=[])
        engine.recompute(db=db)

    good = _trust(client, org_a, relationship_of(session_factory, org_a, owned.id).id)
    bad = _trust(client, org_a, relationship_of(session_factory, org_a, ignored.id).id)

    assert good["pillars"]["accountability"]["score"] > 50
    assert bad["pillars"]["accountability"]["score"] < 50
    complaints = [
        e for e in bad["pillars"]["accountability"]["evidence"] if e["signal"] == "complaint"
    ]
    assert str(unanswered.id) in {e["interaction_id"] for e in complaints}
    assert good["connection"]["tensility"]["score"] > bad["connection"]["tensility"]["score"]
    assert good["connection"]["carrying_capacity"]["score"] > 0


def test_an_organisation_can_set_its_own_health_weights(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    only_reliability = dict.fromkeys(scores.DEFAULT_WEIGHTS, 0) | {"reliability": 1}
    with org_session(session_factory, org_a) as db, tenancy.system_scope(db):
        org = db.get(Organisation, org_a.organisation_id)
        assert org is not None
        org.settings = {**(org.settings or {}), engine.WEIGHTS_KEY: only_reliability}
    with org_session(session_factory, org_a) as db:
        _message(db, customer, NOW - 10 * DAY, "outbound", commitments=_promises(1, NOW - DAY))
        engine.recompute(db=db)

    trust = _trust(client, org_a, relationship_of(session_factory, org_a, customer.id).id)

    assert trust["health"]["weights"]["reliability"] == 1
    assert trust["health"]["score"] == trust["pillars"]["reliability"]["score"]


def test_trust_is_shown_before_the_first_recompute_and_only_to_its_organisation(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a)
    rel_id = relationship_of(session_factory, org_a, customer.id).id

    fresh = _trust(client, org_a, rel_id)
    elsewhere = client.get(f"/api/v1/relationships/{rel_id}/trust", headers=org_b.headers)

    assert fresh["pillars"]["reliability"]["score"] == 50  # nothing known yet: the prior
    assert 0 <= fresh["health"]["score"] <= 100
    assert elsewhere.status_code == 404
