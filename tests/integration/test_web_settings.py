"""The settings page: members and roles (admins only), API tokens (shown once, revoked), e-mail
domains (managers add and remove them), the rules as JSON (managers; the forms:
test_web_settings_forms.py), reasons' value to the company, integrations without secrets; CSRF,
tenancy and the audit log."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.audit.models import AuditEvent
from goodwill.organisations.models import ApiToken, Member, Organisation
from goodwill.reasons.models import ContactReason
from goodwill.types import Role
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext, add_member
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
        events = db.scalars(select(AuditEvent).where(AuditEvent.target_type == "members"))
        # the accepted change only, by whom and how
        assert [(e.action, e.target_id, e.actor, e.actor_member_id, e.detail) for e in events] == [
            ("update", str(agent), "session", world.a.ctx.admin_member_id, {"role": "manager"})
        ]


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


def stored_organisation(factory: sessionmaker[Session], org: OrgContext) -> Organisation:
    with org_session(factory, org) as db:
        found = db.get(Organisation, org.organisation_id)
        assert found is not None
        return found


def settings_events(factory: sessionmaker[Session], org: OrgContext, target: str) -> list[str]:
    with org_session(factory, org) as db:
        events = db.scalars(
            select(AuditEvent).where(
                AuditEvent.target_type == "settings", AuditEvent.target_id == target
            )
        )
        return [f"{e.action} {e.actor} {e.route}" for e in events]


def test_a_manager_adds_and_removes_e_mail_domains_checked_and_audited(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    add_member(session_factory, world.a.ctx, "mia@acme.example", Role.MANAGER)  # not an admin
    token = sign_in(client, "mia@acme.example")
    assert 'action="/settings/email-domains"' in client.get("/settings").text
    add = "/settings/email-domains"
    for given in ("Support.ACME.example", "@bücher.example"):
        answer = client.post(add, data={"domain": given, "csrf_token": token})
        assert answer.status_code == 200, answer.text  # redirected to the page
    domains = ["acme.example", "support.acme.example", "xn--bcher-kva.example"]
    assert stored_organisation(session_factory, world.a.ctx).email_domains == domains
    page = client.get("/settings").text
    assert "bücher.example" in page  # as people write it, beside the stored form
    assert "xn--bcher-kva.example" in page
    twice = client.post(add, data={"domain": " ACME.example ", "csrf_token": token})
    assert twice.status_code == 422
    assert "Not added: acme.example is already in the list." in twice.text
    bad = client.post(add, data={"domain": "<b>not a domain</b>", "csrf_token": token})
    assert bad.status_code == 422
    assert "is not a domain name" in bad.text
    assert 'value="&lt;b&gt;not a domain&lt;/b&gt;"' in bad.text  # shown again, escaped
    assert 'aria-invalid="true"' in bad.text
    assert client.post(add, data={"domain": "a.example"}).status_code == 403  # no CSRF token
    remove = "/settings/email-domains/remove"
    assert client.post(remove, data={"domain": "acme.example", "csrf_token": token}).is_success
    gone = client.post(remove, data={"domain": "nobody.example", "csrf_token": token})
    assert gone.status_code == 404
    assert stored_organisation(session_factory, world.a.ctx).email_domains == domains[1:]
    routes = settings_events(session_factory, world.a.ctx, "email_domains")
    assert routes == [
        "update session POST /settings/email-domains",
        "update session POST /settings/email-domains",
        "update session POST /settings/email-domains/remove",
    ]
    assert stored_organisation(session_factory, world.b.ctx).email_domains == ["beta.example"]


def test_an_agent_cannot_change_e_mail_domains(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    token = sign_in(client, world.a.values["member_email"])
    page = client.get("/settings").text
    assert "acme.example" in page
    assert 'action="/settings/email-domains"' not in page
    assert "A manager or an admin adds and removes them." in page
    for url in ("/settings/email-domains", "/settings/email-domains/remove"):
        data = {"domain": "acme.example", "csrf_token": token}
        assert client.post(url, data=data).status_code == 403
    assert stored_organisation(session_factory, world.a.ctx).email_domains == ["acme.example"]
    assert settings_events(session_factory, world.a.ctx, "email_domains") == []
