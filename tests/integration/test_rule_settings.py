"""The organisation's relationship rules are data a manager can read and replace through the API;
bad rules are refused with the field at fault and never stored; the engine uses what is stored."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.main import API_PREFIX
from goodwill.relationships import engine, nextconv
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member

R = f"{API_PREFIX}/settings/relationship-rules"
EVERYONE_INTEGRATING = {
    "stages": [
        {"stage": "integrating", "when": [["tenure_days", ">=", 0]], "reason": "all of ours"},
        {"stage": "initiating", "when": [], "reason": "otherwise"},
    ],
    "phases": {"early_days_days": 10, "long_term_days": 20},
}


def _put(client: TestClient, org: OrgContext, path: str, body: dict[str, Any]) -> Any:
    return client.put(f"{API_PREFIX}/settings/{path}", json=body, headers=org.headers)


def test_a_manager_replaces_the_stage_rules_and_the_engine_uses_them(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    shown = client.get(R, headers=org_a.headers).json()
    assert shown["customised"]["relationship_rules"] is False
    assert shown["stages"][-1]["when"] == []
    r = _put(client, org_a, "relationship-rules", EVERYONE_INTEGRATING)
    assert r.status_code == 200, r.text
    assert r.json()["customised"]["relationship_rules"] is True
    assert r.json()["phases"]["long_term_days"] == 20
    customer = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        engine.recompute(db=db, all_relationships=True)
    assert relationship_of(session_factory, org_a, customer.id).stage == "integrating"
    reset = _put(client, org_a, "relationship-rules", {"stages": None, "phases": None})
    assert reset.json()["customised"]["relationship_rules"] is False


def test_bad_rules_are_refused_with_the_field_at_fault_and_nothing_is_stored(
    client: TestClient, org_a: OrgContext
) -> None:
    bad: list[tuple[dict[str, Any], str]] = [
        ({"stages": [{"stage": "dating", "when": [], "reason": "x"}]}, "stage"),
        (
            {"stages": [{"stage": "bonding", "when": [["mood", ">=", 1]], "reason": "x"}]},
            "unknown signal 'mood'",
        ),
        (
            {"stages": [{"stage": "bonding", "when": [["praise", "~", 1]], "reason": "x"}]},
            "unknown operator",
        ),
        (
            {"stages": [{"stage": "bonding", "when": [["praise", ">=", 1]], "reason": "x"}]},
            "the last stage rule must have no conditions",
        ),
        ({"phases": {"early_days_days": 400, "long_term_days": 365}}, "below long_term_days"),
    ]
    for body, expected in bad:
        r = _put(client, org_a, "relationship-rules", body)
        assert r.status_code == 422, body
        assert expected in r.text, r.text
    assert client.get(R, headers=org_a.headers).json()["customised"]["relationship_rules"] is False


def test_playbook_and_health_weights_are_checked_then_used(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    too_wide = {"cadence": {"premium": {"ideal_days": 50, "max_days": 10}}}
    assert _put(client, org_a, "playbook", too_wide).status_code == 422
    unknown = {"rules": [{"kind": "send_flowers", "priority": 1, "opening": "Hi"}]}
    assert _put(client, org_a, "playbook", unknown).status_code == 422
    playbook = {
        "rules": [{"kind": "stay_in_touch", "priority": 2, "opening": "Hi {first_name}"}],
        "cadence": {"*": {"ideal_days": 5, "max_days": 9}},
    }
    r = _put(client, org_a, "playbook", playbook)
    assert r.status_code == 200, r.text
    assert [rule["kind"] for rule in r.json()["playbook"]["rules"]] == ["stay_in_touch"]
    with org_session(session_factory, org_a) as db:
        stored = nextconv.playbook_of(db)
    assert stored.cadence["*"] == {"ideal_days": 5, "max_days": 9}
    assert stored.rule("stay_in_touch")["cold_priority"] == 3  # type: ignore[index]
    assert _put(client, org_a, "health-weights", {"weights": {"luck": 1}}).status_code == 422
    weights = _put(client, org_a, "health-weights", {"weights": {"reliability": 0.9}})
    assert weights.json()["health_weights"]["reliability"] == 0.9


def test_agents_read_the_rules_but_cannot_change_them(
    client: TestClient, org_a: OrgContext, session_factory: sessionmaker[Session]
) -> None:
    _, token = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    agent = {"Authorization": f"Bearer {token}"}
    assert client.get(R, headers=agent).status_code == 200
    assert client.put(R, json=EVERYONE_INTEGRATING, headers=agent).status_code == 403
