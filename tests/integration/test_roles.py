"""What each role may do: agents and managers work with data; admins manage people; managers
and admins import files."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session, sessionmaker

from goodwill.types import Role
from tests.factories.organisations import OrgContext, add_member

API = "/api/v1"


@dataclass(frozen=True)
class Team:
    """Organisation A with one member of each role (and a bystander agent to act on)."""

    org: OrgContext
    tokens: dict[Role, str]
    bystander_id: uuid.UUID
    bystander_token: str

    def headers(self, role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


@pytest.fixture
def team(session_factory: sessionmaker[Session], org_a: OrgContext) -> Team:
    _, agent = add_member(session_factory, org_a, "agent@acme.example", Role.AGENT)
    _, manager = add_member(session_factory, org_a, "manager@acme.example", Role.MANAGER)
    bystander_id, bystander_token = add_member(
        session_factory, org_a, "bystander@acme.example", Role.AGENT
    )
    tokens = {Role.AGENT: agent, Role.MANAGER: manager, Role.ADMIN: org_a.token}
    return Team(org_a, tokens, bystander_id, bystander_token)


def _bystander_token_id(client: TestClient, team: Team) -> str:
    mine = client.get(
        f"{API}/tokens", headers={"Authorization": f"Bearer {team.bystander_token}"}
    ).json()
    return str(mine[0]["id"])


Action = Callable[[TestClient, Team, Role], Response]


def _add_member(client: TestClient, team: Team, role: Role) -> Response:
    body = {"email": f"new-{role.value}@acme.example", "role": "agent"}
    return client.post(f"{API}/members", json=body, headers=team.headers(role))


def _promote_bystander(client: TestClient, team: Team, role: Role) -> Response:
    url = f"{API}/members/{team.bystander_id}"
    return client.patch(url, json={"role": "manager"}, headers=team.headers(role))


def _revoke_bystanders_token(client: TestClient, team: Team, role: Role) -> Response:
    url = f"{API}/tokens/{_bystander_token_id(client, team)}"
    return client.delete(url, headers=team.headers(role))


def _import(client: TestClient, team: Team, role: Role) -> Response:
    csv = f"external_id,email\nIMP-{role.value},imported-{role.value}@example.com\n"
    files = {"file": ("customers.csv", csv.encode(), "text/csv")}
    return client.post(f"{API}/imports", files=files, headers=team.headers(role))


def _state(client: TestClient, team: Team) -> Any:
    """What the actions above change, read as the admin."""
    admin = team.headers(Role.ADMIN)
    bystander = {"Authorization": f"Bearer {team.bystander_token}"}
    return (
        client.get(f"{API}/members", headers=admin).json(),
        client.get(f"{API}/tokens", headers=bystander).json(),
        client.get(f"{API}/customers", headers=admin).json(),
    )


ALLOWED = {
    "add a member": (_add_member, {Role.ADMIN}, 201),
    "change a member's role": (_promote_bystander, {Role.ADMIN}, 200),
    "revoke another member's token": (_revoke_bystanders_token, {Role.ADMIN}, 204),
    "import a file": (_import, {Role.MANAGER, Role.ADMIN}, 201),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_role_decides_who_may_act(client: TestClient, team: Team, action: str, role: Role) -> None:
    call, allowed, success = ALLOWED[action]
    before = _state(client, team)
    r = call(client, team, role)
    if role in allowed:
        assert r.status_code == success, r.text
        assert _state(client, team) != before
        return
    # another member's token is simply not there for a non-admin; the rest says why not
    expected = 404 if action == "revoke another member's token" else 403
    assert r.status_code == expected, r.text
    if expected == 403:
        assert "role" in r.json()["detail"]
    assert _state(client, team) == before


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_every_member_reads_the_team_and_manages_own_tokens(
    client: TestClient, team: Team, role: Role
) -> None:
    headers = team.headers(role)
    emails = {m["email"] for m in client.get(f"{API}/members", headers=headers).json()}
    assert {"agent@acme.example", "manager@acme.example", "bystander@acme.example"} <= emails
    created = client.post(f"{API}/tokens", json={"name": "laptop"}, headers=headers)
    assert created.status_code == 201
    listed = client.get(f"{API}/tokens", headers=headers).json()
    assert {t["id"] for t in listed} >= {created.json()["id"]}
    assert _bystander_token_id(client, team) not in {t["id"] for t in listed}
    revoked = client.delete(f"{API}/tokens/{created.json()['id']}", headers=headers)
    assert revoked.status_code == 204
    stale = {"Authorization": f"Bearer {created.json()['token']}"}
    assert client.get(f"{API}/me", headers=stale).status_code == 401
    assert client.get(f"{API}/me", headers=headers).json()["role"] == role.value


def test_the_last_admin_cannot_be_demoted(client: TestClient, team: Team) -> None:
    admin = team.headers(Role.ADMIN)
    url = f"{API}/members/{team.org.admin_member_id}"
    r = client.patch(url, json={"role": "manager"}, headers=admin)
    assert r.status_code == 409
    assert "last admin" in r.json()["detail"]
    assert client.get(f"{API}/me", headers=admin).json()["role"] == "admin"
