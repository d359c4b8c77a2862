"""The long-term customer policy check (seed 003) on constructed data: long-term customers who wait
longer, get less polite replies and no offers are flagged, with the evidence; equal treatment is
not; another organisation's messages are never counted; and ``goodwill policy-check --json``."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import cli_support
from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.customers import service as customer_service
from goodwill.customers.models import Customer
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import utcnow
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.relationships import service as relationship_service
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext, add_member

NOW = utcnow()
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)
URL = "/api/v1/policy-check"
runner = CliRunner()


def _message(
    db: Session,
    customer: Customer,
    at: datetime,
    direction: str,
    body: str = "Hello",
    politeness: float | None = None,
) -> uuid.UUID:
    row = Interaction(
        external_id=f"M-{uuid.uuid4()}",
        customer_id=customer.id,
        kind="message",
        channel="email",
        direction=direction,
        occurred_at=at,
        body=body,
    )
    db.add(row)
    db.flush()
    if politeness is not None:
        db.add(
            MessageAnalysis(
                interaction_id=row.id,
                analyser="politeness",
                version="test",
                result={"value": politeness},
            )
        )
    return row.id


def _customer(
    factory: sessionmaker[Session], org: OrgContext, phase: str, tenure_days: int | None = None
) -> Customer:
    customer = make_customer(factory, org)
    with org_session(factory, org) as db:
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        rel.phase = phase
        rel.started_at = NOW - (tenure_days or (800 if phase == "long_term" else 20)) * DAY
    return customer


def _group(
    factory: sessionmaker[Session],
    org: OrgContext,
    phase: str,
    *,
    wait_hours: float,
    politeness: float,
    offer: bool,
    count: int = 8,
    tenure_days: int | None = None,
) -> dict[uuid.UUID, list[uuid.UUID]]:
    """``count`` customers in ``phase``, each with two questions answered after about
    ``wait_hours``; returns each customer's question ids."""
    questions: dict[uuid.UUID, list[uuid.UUID]] = {}
    for i in range(count):
        customer = _customer(factory, org, phase, tenure_days)
        with org_session(factory, org) as db:
            for turn in range(2):
                asked = NOW - (10 + 3 * turn + i % 3) * DAY
                found = _message(db, customer, asked, "inbound", "Why was I charged twice?")
                _message(db, customer, asked + HOUR / 2, "inbound", "Hello?")  # same turn
                reply_at = asked + (wait_hours + i * 0.25 + turn * 0.1) * HOUR
                _message(db, customer, reply_at, "outbound", "We will look.", politeness)
                questions.setdefault(customer.id, []).append(found)
            if offer:
                _message(db, customer, NOW - 2 * DAY, "outbound", "A welcome gift: 20% off!")
    return questions


def _metrics(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {m["name"]: m for m in body["metrics"]}


def test_long_term_customers_who_wait_longer_and_get_no_offers_are_flagged(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    slow = _group(session_factory, org_a, "long_term", wait_hours=20, politeness=0.2, offer=False)
    _group(session_factory, org_a, "early_days", wait_hours=4, politeness=0.9, offer=True)
    _customer(session_factory, org_a, "established")  # in neither group

    response = client.get(URL, headers=org_a.headers)
    assert response.status_code == 200, response.text
    body = response.json()
    metrics = _metrics(body)
    assert body["flagged"] is True
    assert body["organisation_id"] == str(org_a.organisation_id)
    assert {k: v["customers"] for k, v in body["groups"].items()} == {"long_term": 8, "new": 8}
    waiting = metrics["waiting"]
    assert waiting["flagged"] is True
    assert (waiting["long_term"]["size"], waiting["new"]["size"]) == (16, 16)  # one per turn
    assert 20 < waiting["long_term"]["value"] < 22
    assert 4 < waiting["new"]["value"] < 6
    assert waiting["ratio"] > 3
    assert waiting["p_value"] < 0.001
    assert waiting["explanation"].startswith("Long-term customers wait ")
    assert "longer for a first reply than new ones (median 21 h vs 5 h" in waiting["explanation"]
    assert "16 and 16 replies, p < 0.001)" in waiting["explanation"]
    asked = {q for found in slow.values() for q in found}
    assert 0 < len(waiting["examples"]) <= 5
    assert set(waiting["examples"]) <= {str(q) for q in asked}
    assert metrics["politeness"]["flagged"] is True
    assert metrics["politeness"]["difference"] < -0.5
    offers = metrics["offers"]
    assert (offers["long_term"]["value"], offers["new"]["value"]) == (0.0, 1.0)
    assert offers["flagged"] is True
    assert offers["test"] == "fisher-exact"
    assert len(offers["examples"]) == 5
    assert metrics["trust_signals"]["flagged"] is False  # no trust analyses stored
    assert metrics["trust_signals"]["p_value"] is None


def test_equal_treatment_is_not_flagged(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _group(session_factory, org_a, "long_term", wait_hours=6, politeness=0.8, offer=True)
    _group(session_factory, org_a, "early_days", wait_hours=6, politeness=0.8, offer=True)

    body = client.get(URL, headers=org_a.headers).json()
    metrics = _metrics(body)
    assert body["flagged"] is False
    assert not any(m["flagged"] for m in metrics.values())
    assert metrics["waiting"]["long_term"]["size"] == metrics["waiting"]["new"]["size"] == 16
    assert "about as long" in metrics["waiting"]["explanation"]
    assert metrics["offers"]["long_term"]["value"] == metrics["offers"]["new"]["value"] == 1.0


def test_the_period_and_the_groups_come_from_the_query_and_the_settings(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _group(session_factory, org_a, "long_term", wait_hours=20, politeness=0.2, offer=False)
    _group(session_factory, org_a, "established", wait_hours=4, politeness=0.9, offer=True)
    before = client.get(URL, headers=org_a.headers).json()
    with org_session(session_factory, org_a) as db:
        found = organisation_service.get_organisation(db=db)
        found.settings = {**(found.settings or {}), "policy_check": {"new_phases": ["established"]}}
    after = client.get(URL, headers=org_a.headers).json()
    old = client.get(
        URL,
        params={"from": (NOW - 100 * DAY).isoformat(), "to": (NOW - 30 * DAY).isoformat()},
        headers=org_a.headers,
    ).json()
    backwards = client.get(
        URL, params={"from": NOW.isoformat(), "to": (NOW - DAY).isoformat()}, headers=org_a.headers
    )

    assert (before["flagged"], before["groups"]["new"]["customers"]) == (False, 0)
    assert _metrics(before)["waiting"]["p_value"] is None
    assert "Too few to compare" in _metrics(before)["waiting"]["explanation"]
    assert (after["flagged"], after["groups"]["new"]["phases"]) == (True, ["established"])
    assert _metrics(old)["waiting"]["long_term"]["size"] == 0
    assert backwards.status_code == 422
    assert "must be before" in backwards.text


def test_by_tenure_a_long_term_customer_in_a_disagreement_still_counts_as_long_term(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    kw: dict[str, Any] = {"politeness": 0.5, "offer": False}
    _group(session_factory, org_a, "first_disagreement", wait_hours=30, tenure_days=900, **kw)
    _group(session_factory, org_a, "early_days", wait_hours=3, tenure_days=30, **kw)
    _group(session_factory, org_a, "established", wait_hours=3, tenure_days=200, count=3, **kw)
    by_phase = client.get(URL, headers=org_a.headers).json()
    with org_session(session_factory, org_a) as db:
        found = organisation_service.get_organisation(db=db)
        found.settings = {**(found.settings or {}), "policy_check": {"group_by": "tenure"}}
    by_tenure = client.get(URL, headers=org_a.headers).json()

    assert by_phase["groups"]["long_term"]["customers"] == 0
    assert by_phase["flagged"] is False
    groups = by_tenure["groups"]
    assert (groups["long_term"]["customers"], groups["new"]["customers"]) == (8, 8)
    assert "at least 365 days" in groups["long_term"]["rule"]
    assert "fewer than 60 days" in groups["new"]["rule"]
    assert by_tenure["flagged"] is True
    assert _metrics(by_tenure)["waiting"]["flagged"] is True


def test_another_organisations_messages_are_never_counted(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    _group(session_factory, org_a, "long_term", wait_hours=6, politeness=0.8, offer=False)
    _group(session_factory, org_a, "early_days", wait_hours=6, politeness=0.8, offer=False)
    _group(session_factory, org_b, "long_term", wait_hours=40, politeness=-0.5, offer=False)
    _group(session_factory, org_b, "early_days", wait_hours=2, politeness=0.9, offer=True, count=5)

    mine = client.get(URL, headers=org_a.headers).json()
    theirs = client.get(URL, headers=org_b.headers).json()
    assert mine["flagged"] is False
    assert {k: v["customers"] for k, v in mine["groups"].items()} == {"long_term": 8, "new": 8}
    assert _metrics(mine)["waiting"]["new"]["size"] == 16
    assert _metrics(mine)["offers"]["new"]["count"] == 0
    assert theirs["flagged"] is True
    assert {k: v["customers"] for k, v in theirs["groups"].items()} == {"long_term": 8, "new": 5}
    assert _metrics(theirs)["waiting"]["new"]["size"] == 10


def test_unusable_settings_are_a_422_naming_the_key(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    with org_session(session_factory, org_a) as db:
        found = organisation_service.get_organisation(db=db)
        found.settings = {**(found.settings or {}), "policy_check": {"margins": {"speed": 2}}}
    response = client.get(URL, headers=org_a.headers)
    assert response.status_code == 422
    assert "policy_check.margins" in response.text


def test_a_plain_member_may_not_run_the_check(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, token = add_member(session_factory, org_a, "agent@a.example", Role.AGENT)
    response = client.get(URL, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_goodwill_policy_check_prints_json(cli_env: Path) -> None:
    init = runner.invoke(
        app,
        [
            "init", "--org-name", "Test Co", "--admin-email", "ada@test.example",
            "--admin-password", "a long demo password 42", "--domain", "test.example",
        ],
    )  # fmt: skip
    assert init.exit_code == 0, init.output
    with organisation_session(cli_support.session_factory(), None) as db:
        for i, phase in enumerate(["long_term"] * 6 + ["early_days"] * 6):
            customer = customer_service.create(
                db=db, customer_in=CustomerCreate(email=f"c{i}@example.com", name=f"C{i}")
            )
            rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
            rel.phase, rel.started_at = phase, NOW - 400 * DAY
            asked = NOW - (5 + i % 4) * DAY
            _message(db, customer, asked, "inbound")
            wait = 30 if phase == "long_term" else 3
            _message(db, customer, asked + (wait + i) * HOUR, "outbound")

    found = runner.invoke(app, ["policy-check", "--json", "--from", (NOW - 30 * DAY).isoformat()])
    table = runner.invoke(app, ["policy-check"])
    bad = runner.invoke(app, ["policy-check", "--from", "yesterday"])

    assert found.exit_code == 0, found.output
    body = json.loads(found.output)
    waiting = _metrics(body)["waiting"]
    assert (waiting["long_term"]["size"], waiting["new"]["size"], waiting["flagged"]) == (
        6,
        6,
        True,
    )
    assert body["from"].startswith((NOW - 30 * DAY).date().isoformat())
    assert table.exit_code == 0
    assert "FLAGGED" in table.output
    assert bad.exit_code != 0
    assert "--from" in bad.output
