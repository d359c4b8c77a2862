"""The settings page: members and roles (admins only), API tokens (shown once, revoked), domains,
playbook, reasons' value to the company, integrations without secrets; CSRF and tenancy."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.organisations.models import ApiToken, Member, Organisation
from goodwill.reasons.models import ContactReason
from goodwill.types import Role
from tests.factories.customers import org_session
from tests.integration.conftest import World
from tests.web_support import sign_in


def test_an_admin_sees_every_section_and_no_secret(client: TestClient, world: World) -> None:
    sign_in(client, world.a.ctx.admin_email)
    page = client.get("/settings")
    assert page.status_code == 200
    for heading in ["Members and roles", "Your API tokens", "E-mail domains", "Playbook"]:
        assert heading in page.text
    assert "Integrations" in page.text
    assert f"/api/v1/webhooks/{world.a.ids['endpoint']}/interactions" in page.text
    assert world.a.webhook_secret not in page.text
    assert "whsec_" not in page.text
    assert world.b.values["member_email"] not in page.text


def test_an_agent_cannot_change_roles_and_sees_no_integrations(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    page = client.get("/settings")
    assert "Integrations" not in page.text
    assert "Only an admin changes roles." in page.text
    me = world.a.ids["member"]
    refused = client.post(
        f"/settings/members/{me}/role", data={"role": "admin", "csrf_token": token}
    )
    assert refused.status_code == 403
    with org_session(session_factory, world.a.ctx) as db:
        member = db.get(Member, me)
        assert member is not None
        assert member.role == Role.AGENT


def test_an_admin_changes_a_role_but_not_the_last_admins_nor_another_orgs(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    agent = world.a.ids["member"]
    url = f"/settings/members/{agent}/role"
    assert client.post(url, data={"role": "manager"}).status_code == 403  # no CSRF token
    assert client.post(url, data={"role": "boss", "csrf_token": token}).status_code == 422
    assert client.post(url, data={"role": "manager", "csrf_token": token}).status_code == 200
    me = world.a.ctx.admin_member_id
    last = client.post(f"/settings/members/{me}/role", data={"role": "agent", "csrf_token": token})
    assert last.status_code == 409
    assert "last admin" in last.text
    theirs = f"/settings/members/{world.b.ids['member']}/role"
    assert client.post(theirs, data={"role": "admin", "csrf_token": token}).status_code == 404
    with org_session(session_factory, world.a.ctx) as db:
        member = db.get(Member, agent)
        assert member is not None
        assert member.role == Role.MANAGER


def test_a_new_token_is_shown_once_escaped_and_can_be_revoked(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    created = client.post("/settings/tokens", data={"name": "<b>CRM</b>", "csrf_token": token})
    assert created.status_code == 200
    assert created.headers["cache-control"] == "no-store"
    assert "&lt;b&gt;CRM&lt;/b&gt;" in created.text
    found = re.search(r'id="new-token">([^<]+)<', created.text)
    assert found is not None
    plain = found.group(1)
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {plain}"}).status_code == 200
    assert plain not in client.get("/settings").text
    with org_session(session_factory, world.a.ctx) as db:
        new = db.scalar(select(ApiToken).where(ApiToken.name == "<b>CRM</b>"))
        assert new is not None
    theirs = world.a.ids["admin_token"]  # another member's: not found for an agent
    assert (
        client.post(f"/settings/tokens/{theirs}/revoke", data={"csrf_token": token}).status_code
        == 404
    )
    client.post(f"/settings/tokens/{new.id}/revoke", data={"csrf_token": token})
    assert client.get("/api/v1/me", headers={"authorization": f"Bearer {plain}"}).status_code == 401
    assert (
        client.post("/settings/tokens", data={"name": " ", "csrf_token": token}).status_code == 422
    )


def test_a_manager_sets_a_reasons_value_to_the_company_from_settings(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    reason_id = world.a.ids["reason"]
    data = {"name": "acme-reason", "company_value": "-0.4", "back": "settings", "csrf_token": token}
    answer = client.post(f"/reasons/{reason_id}/update", data=data, follow_redirects=False)
    assert answer.headers["location"] == "/settings#reasons"
    bad = client.post(f"/reasons/{reason_id}/update", data={**data, "company_value": "3"})
    assert bad.status_code == 422
    with org_session(session_factory, world.a.ctx) as db:
        reason = db.get(ContactReason, reason_id)
        assert reason is not None
        assert reason.company_value == -0.4


def test_a_manager_edits_the_rules_as_json_and_a_bad_set_is_refused_unsaved(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.ctx.admin_email)
    page = client.get("/settings")
    assert "Rules as data" in page.text
    assert "&#34;stages&#34;" in page.text or "&quot;stages&quot;" in page.text  # escaped JSON
    playbook = '{"cadence": {"*": {"ideal_days": 7, "max_days": 14}}}'
    saved = client.post(
        "/settings/rules",
        data={"part": "playbook", "rules": playbook, "csrf_token": token},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    bad = '{"stages": [{"stage": "bonding", "when": [["praise", ">=", 1]], "reason": "x"}]}'
    refused = client.post(
        "/settings/rules", data={"part": "relationship-rules", "rules": bad, "csrf_token": token}
    )
    assert refused.status_code == 422
    assert "the last stage rule must have no conditions" in refused.text
    broken = client.post(
        "/settings/rules", data={"part": "health-weights", "rules": "{", "csrf_token": token}
    )
    assert broken.status_code == 422
    assert "Not saved" in broken.text
    with org_session(session_factory, world.a.ctx) as db:
        stored = db.get(Organisation, world.a.ctx.organisation_id)
        assert stored is not None
        assert stored.settings["playbook_rules"] == {
            "cadence": {"*": {"ideal_days": 7, "max_days": 14}}
        }
        assert "relationship_rules" not in stored.settings
    agent = TestClient(client.app, base_url="https://testserver")
    agent_token = sign_in(agent, world.a.values["member_email"])
    assert "Rules as data" not in agent.get("/settings").text
    forbidden = agent.post(
        "/settings/rules", data={"part": "playbook", "rules": playbook, "csrf_token": agent_token}
    )
    assert forbidden.status_code == 403
