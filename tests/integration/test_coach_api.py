"""The reply coach over HTTP: POST /api/v1/coach."""

from __future__ import annotations

import uuid
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from tests.factories.customers import make_customer, relationship_of
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext
from tests.unit.coach import seeds

URL = "/api/v1/coach"


def test_coach_returns_score_reading_and_findings(client: TestClient, org_a: OrgContext) -> None:
    body = {"customer_message": seeds.MICHAEL, "reply": seeds.FINTECH_REPLY}
    r = client.post(URL, json=body, headers=org_a.headers)
    assert r.status_code == 200, r.text
    out = r.json()
    assert set(out) == {"score", "intent", "emotion", "findings"}
    assert 0 <= out["score"] <= 25
    assert out["intent"] == "suggestion"
    finding = next(f for f in out["findings"] if f["category"] == "patronising")
    assert seeds.FINTECH_REPLY[finding["start"] : finding["end"]] == finding["text"]
    assert finding["kind"] == "irritant"
    assert finding["explanation"]
    assert finding["suggestion"]
    whole = next(f for f in out["findings"] if f["category"] == "missing_next_step")
    assert whole["start"] is None
    assert whole["text"] is None


def test_context_turns_change_the_verdict(client: TestClient, org_a: OrgContext) -> None:
    reply = "Hi Ann,\n\nPlease rest assured your refund is on its way.\n\nSam"
    plain = {"customer_message": "Any news on my refund?", "reply": reply}
    after_promise = plain | {
        "context": [
            {"direction": "outbound", "text": "Your refund will arrive within 5 days."},
            {
                "direction": "inbound",
                "text": "You promised 5 days. It's been three weeks. Still nothing.",
            },
        ]
    }
    calm = client.post(URL, json=plain, headers=org_a.headers).json()
    hot = client.post(URL, json=after_promise, headers=org_a.headers).json()
    assert _severities(calm)["trust_appeal"] == "medium"
    assert _severities(hot)["trust_appeal"] == "high"


def _severities(out: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    return {f["category"]: f["severity"] for f in out["findings"]}


def test_relationship_history_is_read_from_stored_interactions(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a, email="ann@example.com")
    relationship = relationship_of(session_factory, org_a, customer.id)
    make_interaction(
        session_factory,
        org_a,
        customer_id=customer.id,
        occurred_at=(utcnow() - timedelta(days=3)).isoformat(),
        body="You promised an engineer on Tuesday and nobody came. I'm furious.",
    )
    reply = "Hi Ann,\n\nYes, Friday is confirmed. Rest assured he will be there.\n\nSam"
    body = {
        "customer_message": "Can you confirm Friday's visit?",
        "reply": reply,
        "relationship_id": str(relationship.id),
    }
    out = client.post(URL, json=body, headers=org_a.headers).json()
    assert _severities(out)["trust_appeal"] == "high"


def test_another_organisations_relationship_is_not_found(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    theirs = make_customer(session_factory, org_b, email="bob@example.com")
    relationship = relationship_of(session_factory, org_b, theirs.id)
    body = {"customer_message": "Hi", "reply": "Hello", "relationship_id": str(relationship.id)}
    assert client.post(URL, json=body, headers=org_a.headers).status_code == 404
    missing = body | {"relationship_id": str(uuid.uuid4())}
    assert client.post(URL, json=missing, headers=org_a.headers).status_code == 404


def test_needs_a_member_and_valid_input(client: TestClient, org_a: OrgContext) -> None:
    body = {"customer_message": "Hi", "reply": "Hello"}
    assert client.post(URL, json=body).status_code == 401
    bad = client.post(URL, json={"customer_message": "Hi"}, headers=org_a.headers)
    assert bad.status_code == 422
    assert "reply" in bad.json()["detail"]
    wrong_turn = body | {"context": [{"direction": "sideways", "text": "x"}]}
    assert client.post(URL, json=wrong_turn, headers=org_a.headers).status_code == 422
