"""Suggestions collected from analysed inbound messages (idempotently), the loop metrics through
the API, and the ``goodwill feedback`` commands."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import ingest
from goodwill.cli import app
from goodwill.feedback import collect, flows
from goodwill.feedback.models import Suggestion
from goodwill.main import API_PREFIX
from goodwill.messages import flows as message_flows
from tests.factories.customers import make_customer, org_session
from tests.factories.feedback import make_suggestion, mark_sent, set_status
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext

WHEN = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SUGGESTS = "Hi, the app works well. It would be great if you could add a dark mode. Thanks, Ann"
ASKS = "Where is my new card? I ordered it two weeks ago."


def _analyse(factory: sessionmaker[Session], org: OrgContext) -> None:
    with org_session(factory, org) as db:
        message_flows.analyse_stored(db=db, pipeline=message_flows.shared_pipeline(), mode="new")


def test_analysed_suggestions_become_suggestions_once(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    ann = make_customer(session_factory, org_a, name="Ann").id
    suggesting = make_interaction(
        session_factory, org_a, customer_id=ann, body=SUGGESTS, channel="chat"
    )
    make_interaction(session_factory, org_a, customer_id=ann, body=ASKS)
    make_interaction(session_factory, org_a, customer_id=ann, body=SUGGESTS, direction="outbound")
    _analyse(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        result = collect.collect_suggestions(db=db)
        assert (result.collected, result.new_ideas) == (1, 1)
        (suggestion,) = db.scalars(select(Suggestion)).all()
        assert suggestion.interaction_id == suggesting.id
        assert suggestion.text == "It would be great if you could add a dark mode."
        assert (suggestion.channel, suggestion.source) == ("chat", "message")
        assert suggestion.suggested_at == suggesting.occurred_at
        assert collect.collect_suggestions(db=db).collected == 0


def test_after_ingest_collects_suggestions(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    ann = make_customer(session_factory, org_a, name="Ann").id
    make_interaction(session_factory, org_a, customer_id=ann, body=SUGGESTS)
    ingest.after_ingest(session_factory, org_a.organisation_id)
    with org_session(session_factory, org_a) as db:
        assert len(db.scalars(select(Suggestion)).all()) == 1


def test_loop_metrics_by_period_and_team(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    owned = make_customer(
        session_factory, org_a, name="Ann", owner_member_id=org_a.admin_member_id
    ).id
    other = make_customer(session_factory, org_a, name="Bo").id
    s1 = make_suggestion(session_factory, org_a, customer_id=owned, suggested_at=WHEN)
    make_suggestion(
        session_factory, org_a, customer_id=other, suggested_at=WHEN, idea_id=s1.idea_id
    )
    drafts = set_status(session_factory, org_a, s1.idea_id, "shipped")
    sent = next(d for d in drafts if d.customer_id == owned)
    mark_sent(session_factory, org_a, sent.id)
    r = client.get(f"{API_PREFIX}/feedback/metrics", headers=org_a.headers)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["overall"]["suggestions"] == 2
    assert body["overall"]["acknowledged_share"] == 0.5
    assert body["overall"]["median_hours_to_hear_back"] > 0
    assert body["overall"]["ideas_shipped_from_suggestions"] == 1
    assert body["by_period"][0]["period"] == "2026-03"
    teams = {t["team_name"]: t for t in body["by_team"]}
    assert teams["Support"]["acknowledged_share"] == 1.0  # the admin's team owns Ann
    assert teams[None]["acknowledged_share"] == 0.0
    later = (WHEN + timedelta(days=1)).isoformat()
    r = client.get(f"{API_PREFIX}/feedback/metrics", params={"from": later}, headers=org_a.headers)
    assert r.json()["overall"]["suggestions"] == 0
    r = client.get(
        f"{API_PREFIX}/feedback/metrics",
        params={"from": later, "to": WHEN.isoformat()},
        headers=org_a.headers,
    )
    assert r.status_code == 422


def test_cli_collect_and_metrics_json(cli_env: Path) -> None:
    runner = CliRunner()
    init = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            "Acme",
            "--admin-email",
            "a@acme.example",
            "--admin-password",
            "correct horse battery staple",
        ],
    )
    assert init.exit_code == 0, init.output
    r = runner.invoke(app, ["feedback", "collect"])
    assert r.exit_code == 0, r.output
    assert "collected 0 suggestion(s)" in r.output
    r = runner.invoke(app, ["feedback", "metrics", "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.output)
    assert data["overall"]["suggestions"] == 0
    assert data["overall"]["acknowledged_share"] is None
    bad = runner.invoke(app, ["feedback", "metrics", "--from", "2026-03-01T00:00:00"])
    assert bad.exit_code == 1
    table = runner.invoke(app, ["feedback", "metrics"])
    assert table.exit_code == 0, table.output
    assert "overall" in table.output
    refused = runner.invoke(app, ["feedback", "webhook", "--url", "ftp://helpdesk.example/x"])
    assert refused.exit_code == 1
    assert "http or https" in refused.output
    hook = runner.invoke(app, ["feedback", "webhook", "--url", "https://helpdesk.example/x"])
    assert hook.exit_code == 0, hook.output
    secret = hook.output.split("secret: ")[1].strip()
    assert secret.startswith("whsec_")
    assert len(secret) == len("whsec_") + 64


def test_a_late_suggestion_to_a_decided_idea_gets_its_draft_at_once(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    early = make_customer(session_factory, org_a, name="Ann").id
    first = make_suggestion(session_factory, org_a, customer_id=early)
    set_status(session_factory, org_a, first.idea_id, "shipped")
    late = make_customer(session_factory, org_a, name="Bo").id
    make_interaction(session_factory, org_a, customer_id=late, body=SUGGESTS)
    _analyse(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        assert collect.collect_suggestions(db=db).new_ideas == 0
        drafts = flows.drafts_of(db=db, idea_id=first.idea_id)
        assert {(d.customer_id, d.outcome) for d in drafts} == {
            (early, "shipped"),
            (late, "shipped"),
        }
