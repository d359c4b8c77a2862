"""The segments API: agents read, managers write; rules refused with the condition named; a
preview stores nothing; members page by page; another organisation sees nothing; and the
`goodwill segments` commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import cli_support
from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.main import API_PREFIX
from goodwill.relationships import service as relationship_service
from goodwill.segments.models import Segment, SegmentMembership
from goodwill.types import Role
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext, add_member
from tests.factories.segments import make_relationship

S = f"{API_PREFIX}/segments"
HAPPY = {"conditions": [{"field": "health", "op": "gte", "value": 70}]}
runner = CliRunner()


def _as(factory: sessionmaker[Session], org: OrgContext, role: Role) -> dict[str, str]:
    _, token = add_member(factory, org, f"{role.value}@acme.example", role)
    return {"Authorization": f"Bearer {token}"}


def _happy_people(factory: sessionmaker[Session], org: OrgContext, n: int) -> None:
    for i in range(n):
        make_relationship(factory, org, f"Person {i}", health=80.0 + i)
    make_relationship(factory, org, "Grumpy", health=20.0)


def test_agents_read_and_managers_write(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _happy_people(session_factory, org_a, 2)
    agent = _as(session_factory, org_a, Role.AGENT)
    manager = _as(session_factory, org_a, Role.MANAGER)
    body = {"name": "Happy", "rule": HAPPY, "priority": 5}

    refused = client.post(S, json=body, headers=agent)
    created = client.post(S, json=body, headers=manager)

    assert refused.status_code == 403, refused.text
    assert created.status_code == 201, created.text
    segment = created.json()
    assert segment["members"] == 2
    assert segment["cadence"] == {"ideal_days": 60, "max_days": 120, "source": "*"}
    assert segment["rule"] == {"groups": [HAPPY["conditions"]]}
    url = f"{S}/{segment['id']}"
    for path in (S, url, f"{url}/members", f"{url}/history"):
        assert client.get(path, headers=agent).status_code == 200, path
    for method, path, sent in (
        ("PUT", url, body),
        ("DELETE", url, None),
        ("POST", f"{S}/preview", {"rule": HAPPY}),
        ("POST", f"{S}/assign", None),
    ):
        answer = client.request(method, path, json=sent, headers=agent)
        assert answer.status_code == 403, f"{method} {path}: {answer.text}"


def test_a_bad_rule_is_refused_with_the_condition_and_nothing_is_stored(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rule = {
        "conditions": [
            {"field": "health", "op": "gte", "value": 70},
            {"field": "risk", "op": "between", "value": [0.9, 0.1]},
        ]
    }

    r = client.post(S, json={"name": "Odd", "rule": rule}, headers=org_a.headers)
    unknown = client.post(
        f"{S}/preview",
        json={"rule": {"conditions": [{"field": "mood", "op": "eq", "value": "sunny"}]}},
        headers=org_a.headers,
    )

    assert r.status_code == 422
    assert "condition 2 (risk): between needs low <= high" in r.json()["detail"]
    assert unknown.status_code == 422
    assert "condition 1: unknown field 'mood'" in unknown.json()["detail"]
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(Segment)) == 0


def test_names_are_unique_and_a_rename_keeps_the_segments_cadence(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _happy_people(session_factory, org_a, 1)
    own = {"cadence": {"ideal_days": 7, "max_days": 14}}
    first = client.post(
        S, json={"name": "Happy", "rule": HAPPY, "playbook": own}, headers=org_a.headers
    ).json()

    twice = client.post(S, json={"name": "Happy", "rule": HAPPY}, headers=org_a.headers)
    renamed = client.put(
        f"{S}/{first['id']}", json={"name": "Delighted", "rule": HAPPY}, headers=org_a.headers
    )
    rules_now = client.get(f"{API_PREFIX}/settings/relationship-rules", headers=org_a.headers)

    assert twice.status_code == 409
    assert "already a segment named 'Happy'" in twice.json()["detail"]
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["cadence"] == {"ideal_days": 7, "max_days": 14, "source": "Delighted"}
    assert renamed.json()["playbook"] == own
    assert rules_now.json()["playbook"]["segments"] == {"Delighted": own}
    assert "Delighted" not in rules_now.json()["playbook"]["cadence"]  # shown once, there
    round_trip = client.put(
        f"{API_PREFIX}/settings/playbook",
        json=rules_now.json()["playbook"],
        headers=org_a.headers,
    )
    assert round_trip.json()["playbook"] == rules_now.json()["playbook"]
    deleted = client.delete(f"{S}/{first['id']}", headers=org_a.headers)
    assert deleted.status_code == 204
    assert client.get(f"{S}/{first['id']}", headers=org_a.headers).status_code == 404
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(SegmentMembership)) == 0


def test_a_segments_playbook_is_checked_where_the_playbook_is_stored(
    client: TestClient, org_a: OrgContext
) -> None:
    wide = {"segments": {"Happy": {"cadence": {"ideal_days": 30, "max_days": 10}}}}
    good = {
        "segments": {
            "Happy": {"rules": [{"kind": "stay_in_touch", "priority": 2, "opening": "Hi"}]}
        }
    }

    bad = client.put(f"{API_PREFIX}/settings/playbook", json=wide, headers=org_a.headers)
    fine = client.put(f"{API_PREFIX}/settings/playbook", json=good, headers=org_a.headers)

    assert bad.status_code == 422
    assert "segments.Happy.cadence" in bad.json()["detail"]
    assert "ideal_days must not exceed max_days" in bad.json()["detail"]
    assert fine.status_code == 200, fine.text
    assert fine.json()["playbook"]["segments"]["Happy"]["rules"][0]["priority"] == 2


def test_preview_counts_and_samples_without_storing(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _happy_people(session_factory, org_a, 3)
    client.post(
        S,
        json={
            "name": "Very happy",
            "priority": 1,
            "rule": {"conditions": [{"field": "health", "op": "gte", "value": 82}]},
        },
        headers=org_a.headers,
    )

    alone = client.post(f"{S}/preview", json={"rule": HAPPY, "sample": 2}, headers=org_a.headers)
    after = client.post(
        f"{S}/preview", json={"rule": HAPPY, "priority": 5, "name": "Happy"}, headers=org_a.headers
    )

    assert alone.status_code == 200, alone.text
    assert alone.json()["relationships"] == 4
    assert alone.json()["matching"] == 3
    assert alone.json()["members"] is None
    assert len(alone.json()["sample"]) == 2
    assert after.json()["matching"] == 3
    assert after.json()["members"] == 2  # "Very happy" (priority 1) takes Person 2 first
    assert {s["customer_name"] for s in after.json()["sample"]} == {"Person 0", "Person 1"}
    with org_session(session_factory, org_a) as db:
        assert db.scalar(select(func.count()).select_from(Segment)) == 1


def test_members_come_page_by_page(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _happy_people(session_factory, org_a, 3)
    segment = client.post(S, json={"name": "Happy", "rule": HAPPY}, headers=org_a.headers).json()
    url = f"{S}/{segment['id']}/members"

    first = client.get(url, params={"limit": 2}, headers=org_a.headers).json()
    rest = client.get(
        url, params={"limit": 2, "cursor": first["next_cursor"]}, headers=org_a.headers
    ).json()

    names = [m["customer_name"] for m in first["items"] + rest["items"]]
    assert sorted(names) == ["Person 0", "Person 1", "Person 2"]
    assert rest["next_cursor"] is None
    assert first["items"][0]["health"] >= 80
    naive = client.get(
        f"{S}/{segment['id']}/history",
        params={"since": "2026-12-01T00:00:00"},
        headers=org_a.headers,
    )
    assert naive.status_code == 422
    assert "since: give the time with its offset" in naive.json()["detail"]


def test_another_organisation_can_neither_see_nor_change_a_segment(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    _happy_people(session_factory, org_a, 1)
    mine = client.post(S, json={"name": "Happy", "rule": HAPPY}, headers=org_a.headers).json()
    url = f"{S}/{mine['id']}"

    answers = [
        client.get(url, headers=org_b.headers),
        client.get(f"{url}/members", headers=org_b.headers),
        client.put(url, json={"name": "Taken", "rule": HAPPY}, headers=org_b.headers),
        client.delete(url, headers=org_b.headers),
    ]
    listed = client.get(S, headers=org_b.headers).json()

    assert [a.status_code for a in answers] == [404, 404, 404, 404]
    assert listed["items"] == []
    assert client.get(url, headers=org_a.headers).json()["name"] == "Happy"


def _cli(*args: str) -> Any:
    result = runner.invoke(app, [*args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output) if "--json" in args else result.output


def test_the_segments_commands(cli_env: Path, tmp_path: Path) -> None:
    init = runner.invoke(
        app,
        ["init", "--org-name", "Acme", "--admin-email", "ada@acme.example"],
        env={"GOODWILL_ADMIN_PASSWORD": "a long demo password 42"},
    )
    assert init.exit_code == 0, init.output
    with organisation_session(cli_support.session_factory(), None) as db:
        for name, health in (("Ann", 90.0), ("Bo", 75.0), ("Cy", 20.0)):
            customer = customer_service.create(
                db=db, customer_in=CustomerCreate(email=f"{name}@example.com", name=name)
            )
            relationship_service.get_by_customer(db=db, customer_id=customer.id).health = health
    spec = tmp_path / "happy.json"
    spec.write_text(json.dumps({"name": "Happy", "priority": 3, "rule": HAPPY}))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"name": "Bad", "rule": {"conditions": [{"field": "x"}]}}))

    saved = _cli("segments", "save", str(spec), "--json")
    listed = _cli("segments", "list", "--json")
    shown = _cli("segments", "show", "Happy")
    applied = _cli("segments", "apply", "--json")
    refused = runner.invoke(app, ["segments", "save", str(bad)])
    missing = runner.invoke(app, ["segments", "show", "Sad"])

    assert saved["members"] == 2
    assert [(s["name"], s["members"]) for s in listed["items"]] == [("Happy", 2)]
    assert listed["unsegmented"] == 1
    assert "Happy (priority 3): 2 members" in shown
    assert "rule: health gte 70" in shown
    assert applied["segments"] == {"Happy": 2}
    assert (applied["entered"], applied["left"]) == (0, 0)
    assert refused.exit_code == 1
    assert "condition 1: unknown field 'x'" in refused.output
    assert missing.exit_code == 1
    assert "no segment named 'Sad'" in missing.output
