"""The audit log: views of records, exports and every write, recorded with the change; admins
read it; it never holds what a customer wrote."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.audit.trail import action_of
from goodwill.main import API_PREFIX
from goodwill.types import Role
from tests.factories.customers import make_customer
from tests.factories.interactions import interaction_payload
from tests.factories.organisations import OrgContext, add_member

AUDIT = f"{API_PREFIX}/audit-events"


def _events(client: TestClient, org: OrgContext, **params: str) -> list[dict[str, Any]]:
    r = client.get(AUDIT, params=params, headers=org.headers)
    assert r.status_code == 200, r.text
    return r.json()["items"]  # type: ignore[no-any-return]


def test_views_and_writes_are_recorded_with_who_and_what(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    member_id, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    created = client.post(
        f"{API_PREFIX}/customers", json={"email": "ana@example.com", "name": "Ana"}, headers=agent
    )
    assert created.status_code == 201, created.text
    customer_id = created.json()["id"]
    assert client.get(f"{API_PREFIX}/customers/{customer_id}", headers=agent).status_code == 200
    patched = client.patch(
        f"{API_PREFIX}/customers/{customer_id}", json={"name": "Ana B"}, headers=agent
    )
    assert patched.status_code == 200
    assert client.get(f"{API_PREFIX}/customers", headers=agent).status_code == 200  # a list
    events = _events(client, org_a, actor_member_id=str(member_id))
    assert [(e["action"], e["target_type"], e["target_id"]) for e in events] == [
        ("update", "customers", customer_id),
        ("view", "customers", customer_id),
        ("create", "customers", None),
    ]
    assert {e["actor"] for e in events} == {"api_token"}
    assert events[0]["route"] == "PATCH /customers/{customer_id}"
    history = _events(client, org_a, target_id=customer_id)
    assert [e["action"] for e in history] == ["update", "view"]


def test_computing_without_storing_and_refused_requests_leave_no_event(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    member_id, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    coach = client.post(
        f"{API_PREFIX}/coach",
        json={"customer_message": "Where is my card?", "reply": "Please trust us."},
        headers=agent,
    )
    assert coach.status_code == 200
    refused = client.post(f"{API_PREFIX}/customers", json={"email": "not an e-mail"}, headers=agent)
    assert refused.status_code == 422
    assert _events(client, org_a, actor_member_id=str(member_id)) == []


def test_only_admins_read_the_log_and_no_customer_words_are_kept(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    _, token = add_member(session_factory, org_a, "manager@acme.example", Role.MANAGER)
    manager = {"Authorization": f"Bearer {token}"}
    assert client.get(AUDIT, headers=manager).status_code == 403
    customer = make_customer(session_factory, org_a, email="bo@example.com")
    secret = "my PIN is 4921 and I am furious"
    posted = client.post(
        f"{API_PREFIX}/interactions",
        json=interaction_payload(customer.id, body=secret),
        headers=org_a.headers,
    )
    assert posted.status_code == 201, posted.text
    dumped = str(_events(client, org_a))
    assert "interactions" in dumped
    assert secret not in dumped
    assert "bo@example.com" not in dumped


def test_the_action_is_read_from_the_route() -> None:
    def action(method: str, template: str, wrote: bool = True) -> tuple[str, str] | None:
        found = action_of(method, template, {"idea_id": "x", "draft_id": "y"}, wrote)
        return (found.action, found.target_type) if found else None

    assert action("POST", "/ideas/{idea_id}/merge") == ("merge", "ideas")
    assert action("POST", "/loop-drafts/{draft_id}/send") == ("send", "loop-drafts")
    assert action("POST", "/reasons/train") == ("train", "reasons")
    assert action("POST", "/ideas") == ("create", "ideas")
    assert action("DELETE", "/ideas/{idea_id}") == ("delete", "ideas")
    assert action("GET", "/ideas") is None
    assert action("GET", "/customers/{idea_id}/personal-data") == ("export", "customers")
    assert action("PATCH", "/ideas/{idea_id}", wrote=False) is None
