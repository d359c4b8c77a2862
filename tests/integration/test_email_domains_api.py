"""The organisation's e-mail domains through the API: any member reads them, managers replace
them (checked and normalised, each change in the audit log), and the next e-mail import tells
the team's mail from customers' by them."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.audit.models import AuditEvent
from goodwill.database import unit_of_work
from goodwill.interactions.models import Interaction
from goodwill.types import Role
from tests.factories.imports import START, make_message, run_import, write_mbox
from tests.factories.organisations import OrgContext, add_member

URL = "/api/v1/settings/email-domains"


def test_a_manager_replaces_the_domains_normalised_and_an_agent_only_reads_them(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, manager = add_member(session_factory, org_a, "mia@acme.example", Role.MANAGER)
    _, agent = add_member(session_factory, org_a, "ana@acme.example", Role.AGENT)
    as_manager = {"Authorization": f"Bearer {manager}"}
    as_agent = {"Authorization": f"Bearer {agent}"}
    assert client.get(URL, headers=as_agent).json() == {
        "organisation_id": str(org_a.organisation_id),
        "domains": ["acme.example"],
    }
    body = {"domains": ["Acme.example", "@Bücher.example", "mail.acme.example."]}
    answer = client.put(URL, json=body, headers=as_manager)
    assert answer.status_code == 200, answer.text
    stored = ["acme.example", "xn--bcher-kva.example", "mail.acme.example"]
    assert answer.json()["domains"] == stored
    refused = client.put(URL, json={"domains": ["x.example"]}, headers=as_agent)
    assert refused.status_code == 403
    assert client.get(URL, headers=as_agent).json()["domains"] == stored
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        events = db.scalars(select(AuditEvent).where(AuditEvent.target_type == "settings"))
        assert [(e.action, e.route) for e in events] == [("update", "PUT /settings/email-domains")]


def test_a_bad_or_repeated_domain_is_refused_by_its_position_and_nothing_changes(
    client: TestClient, org_a: OrgContext
) -> None:
    cases = {
        "domains[1]: 'localhost' is not a domain name": ["a.example", "localhost"],
        "domains[0]: 'exa mple.com' is not a domain name": ["exa mple.com"],
        "domains[0]: '1.2.3.4' is not a domain name": ["1.2.3.4"],
        "domains[2]: a.example is listed twice": ["a.example", "b.example", "A.EXAMPLE"],
    }
    for message, domains in cases.items():
        answer = client.put(URL, json={"domains": domains}, headers=org_a.headers)
        assert answer.status_code == 422, domains
        assert message in answer.text, answer.text
    too_many = [f"d{i}.example" for i in range(51)]
    assert client.put(URL, json={"domains": too_many}, headers=org_a.headers).status_code == 422
    assert client.get(URL, headers=org_a.headers).json()["domains"] == ["acme.example"]
    emptied = client.put(URL, json={"domains": []}, headers=org_a.headers)
    assert emptied.json()["domains"] == []


def test_the_next_import_counts_mail_from_a_new_domain_as_the_teams(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, tmp_path: Path
) -> None:
    body = {"domains": ["acme.example", "helpdesk.example"]}
    assert client.put(URL, json=body, headers=org_a.headers).status_code == 200
    question = make_message(
        message_id="q1@x", sender="Maria <maria@foo.example>", to="help@helpdesk.example"
    )
    answer = make_message(
        message_id="a1@x",
        sender="Help <help@helpdesk.example>",
        to="maria@foo.example",
        in_reply_to="q1@x",
        references=["q1@x"],
        date=START + timedelta(hours=1),
        body="Your refund was sent today.\n",
    )
    run_import(session_factory, org_a, path=write_mbox(tmp_path / "mail.mbox", [question, answer]))
    with unit_of_work(session_factory) as db:
        tenancy.scope(db, org_a.organisation_id)
        found = db.scalars(select(Interaction.direction).order_by(Interaction.occurred_at))
        assert list(found) == ["inbound", "outbound"]
