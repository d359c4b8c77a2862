"""Next best conversations on hand-built relationships: the tasks an owner sees, with their
reasons pointing at the interactions and promises behind them; the stay-in-touch cadence by
segment; an organisation's own rules; tenancy; the owner filter; and ``goodwill next``."""

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
from goodwill.organisations.models import Organisation
from goodwill.relationships import nextconv
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Commitment, Relationship, StageHistory
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext, add_member

NOW = utcnow()
DAY = timedelta(days=1)
API = "/api/v1"
runner = CliRunner()


def _customer(
    factory: sessionmaker[Session], org: OrgContext, name: str, **state: Any
) -> tuple[Customer, Relationship]:
    """A customer whose relationship has the stored state given (phase, stage, segment...)."""
    owner = state.pop("owner_member_id", org.admin_member_id)
    customer = make_customer(factory, org, name=name, owner_member_id=owner)
    state.setdefault("started_at", NOW - 200 * DAY)
    state.setdefault("phase", "established")
    with org_session(factory, org) as db:
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        for field, value in state.items():
            setattr(rel, field, value)
    _interaction(factory, org, customer, NOW - DAY)  # in touch: no cadence task by default
    with org_session(factory, org) as db:
        return customer, relationship_service.get_by_customer(db=db, customer_id=customer.id)


def _interaction(
    factory: sessionmaker[Session],
    org: OrgContext,
    customer: Customer,
    at: datetime,
    *,
    kind: str = "message",
    direction: str = "inbound",
    body: str = "Hello",
) -> uuid.UUID:
    with org_session(factory, org) as db:
        row = Interaction(
            external_id=f"I-{uuid.uuid4()}",
            customer_id=customer.id,
            kind=kind,
            channel="billing" if kind == "billing" else "email",
            direction=direction,
            occurred_at=at,
            body=body,
        )
        db.add(row)
        db.flush()
        return row.id


def _tasks(client: TestClient, org: OrgContext, rel: Relationship) -> list[dict[str, Any]]:
    response = client.get(f"{API}/relationships/{rel.id}/next-conversations", headers=org.headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def test_new_and_long_tenured_customers_get_their_conversations(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, new = _customer(
        session_factory, org_a, "Nora Quist", phase="early_days", started_at=NOW - 5 * DAY
    )
    _, loyal = _customer(
        session_factory, org_a, "Lena Berg", phase="long_term", started_at=NOW - 4 * 365 * DAY
    )

    bill = _tasks(client, org_a, new)
    thanks = _tasks(client, org_a, loyal)

    assert [t["kind"] for t in bill] == ["explain_first_bill"]
    assert bill[0]["suggested_opening"].startswith("Nora,")
    assert [t["kind"] for t in thanks] == ["recognise_long_tenure"]
    assert "4 years" in thanks[0]["suggested_opening"]


def test_a_first_disagreement_asks_for_a_call_until_a_promise_is_kept(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer, unhappy = _customer(session_factory, org_a, "Uma Reyes")
    complaint = _interaction(
        session_factory, org_a, customer, NOW - 2 * DAY, body="This is unacceptable"
    )
    with org_session(session_factory, org_a) as db:
        rel = relationship_service.get(db=db, relationship_id=unhappy.id)
        rel.phase = "first_disagreement"
        rel.stage_evidence = [
            {"signal": "unresolved_complaints", "interaction_id": str(complaint), "reason": "x"}
        ]

    call = _tasks(client, org_a, unhappy)
    with org_session(session_factory, org_a) as db:
        db.add(
            Commitment(
                relationship_id=unhappy.id, text="I'll fix it", status="kept", closed_at=NOW - DAY
            )
        )

    assert [t["kind"] for t in call] == ["first_disagreement"]
    assert call[0]["evidence"] == [{"interaction_id": str(complaint)}]
    assert _tasks(client, org_a, unhappy) == []


def test_a_promise_due_soon_and_a_drift_into_circumscribing(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, promised = _customer(session_factory, org_a, "Paul Ames")
    _, drifting = _customer(session_factory, org_a, "Dirk Vos", stage="circumscribing")
    with org_session(session_factory, org_a) as db:
        promise = Commitment(
            relationship_id=promised.id,
            text="I'll call you back tomorrow",
            due_at=NOW + timedelta(hours=10),
        )
        later = Commitment(
            relationship_id=promised.id, text="We'll visit in spring", due_at=NOW + 30 * DAY
        )
        db.add_all([promise, later])
        for stage, days_ago in [("integrating", 90), ("circumscribing", 4)]:
            db.add(
                StageHistory(
                    relationship_id=drifting.id,
                    stage=stage,
                    phase="established",
                    evidence=[],
                    valid_from=NOW - days_ago * DAY,
                )
            )
        db.flush()
        promise_id = promise.id

    reminder = _tasks(client, org_a, promised)
    drift = _tasks(client, org_a, drifting)

    assert [t["kind"] for t in reminder] == ["promise_due"]
    assert reminder[0]["evidence"] == [{"commitment_id": str(promise_id)}]
    assert "I'll call you back tomorrow" in reminder[0]["suggested_opening"]
    assert [t["kind"] for t in drift] == ["relationship_drifting"]
    assert "from integrating to circumscribing" in drift[0]["reason"]


def test_tasks_go_away_when_the_facts_change(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    new_customer, new = _customer(
        session_factory, org_a, "Nora Quist", phase="early_days", started_at=NOW - 5 * DAY
    )
    loyal_customer, loyal = _customer(
        session_factory, org_a, "Lena Berg", phase="long_term", started_at=NOW - 3 * 365 * DAY
    )
    _interaction(
        session_factory, org_a, new_customer, NOW - DAY, kind="billing", direction="outbound"
    )
    _interaction(
        session_factory,
        org_a,
        loyal_customer,
        NOW - 20 * DAY,
        direction="outbound",
        body="Thank you for being with us all these years, Lena",
    )

    assert _tasks(client, org_a, new) == []
    assert _tasks(client, org_a, loyal) == []


def test_cadence_cooling_and_cold_by_segment(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rels = {}
    for name, segment in [
        ("Ann Cool", "premium"),
        ("Bo Cold", "premium"),
        ("Cy Fine", "personal"),
    ]:
        customer = make_customer(session_factory, org_a, name=name, segment=segment)
        with org_session(session_factory, org_a) as db:
            rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
            rel.started_at, rel.phase = NOW - 300 * DAY, "established"
            rels[name] = rel
        gap = {"Ann Cool": 30, "Bo Cold": 60, "Cy Fine": 60}[name]
        _interaction(session_factory, org_a, customer, NOW - gap * DAY)

    cooling = _tasks(client, org_a, rels["Ann Cool"])
    cold = _tasks(client, org_a, rels["Bo Cold"])

    assert [t["kind"] for t in cooling] == ["stay_in_touch"]
    assert cooling[0]["reason"].startswith("cooling: last contact 30 days ago")
    assert cooling[0]["evidence"][0]["state"] == "cooling"
    assert cold[0]["reason"].startswith("cold")
    assert cold[0]["priority"] < cooling[0]["priority"]
    assert _tasks(client, org_a, rels["Cy Fine"]) == []


def test_an_organisation_edits_its_cadence_and_rules(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a, name="Cy Fine", segment="personal")
    with org_session(session_factory, org_a) as db:
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        rel.started_at, rel.phase = NOW - 300 * DAY, "established"
        org = db.get(Organisation, org_a.organisation_id)
        assert org is not None
        org.settings = {
            **(org.settings or {}),
            nextconv.SETTINGS_KEY: {
                "rules": [
                    {
                        "kind": "stay_in_touch",
                        "priority": 2,
                        "opening": "{first_name}, coffee soon? It's been {gap}.",
                    }
                ],
                "cadence": {"personal": {"ideal_days": 14, "max_days": 28}},
            },
        }
    _interaction(session_factory, org_a, customer, NOW - 20 * DAY)

    tasks = _tasks(client, org_a, rel)

    assert [(t["kind"], t["priority"]) for t in tasks] == [("stay_in_touch", 2)]
    assert tasks[0]["suggested_opening"] == "Cy, coffee soon? It's been 20 days."


def test_another_organisations_relationship_is_not_found(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    _, rel = _customer(session_factory, org_a, "Nora Quist", phase="early_days")

    response = client.get(f"{API}/relationships/{rel.id}/next-conversations", headers=org_b.headers)
    listed = client.get(f"{API}/next-conversations", headers=org_b.headers)

    assert response.status_code == 404
    assert listed.json()["items"] == []


def test_the_today_list_is_filtered_by_owner_and_kind_and_sorted(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    other, _ = add_member(session_factory, org_a, "sam@a.example", Role.AGENT)
    _customer(session_factory, org_a, "Nora Quist", phase="early_days", started_at=NOW - 5 * DAY)
    _customer(
        session_factory,
        org_a,
        "Dirk Vos",
        owner_member_id=other,
        phase="early_days",
        started_at=NOW - 5 * DAY,
    )
    _, unhappy = _customer(session_factory, org_a, "Uma Reyes")
    with org_session(session_factory, org_a) as db:
        relationship_service.get(db=db, relationship_id=unhappy.id).phase = "first_disagreement"

    def today(**params: Any) -> list[dict[str, Any]]:
        response = client.get(f"{API}/next-conversations", params=params, headers=org_a.headers)
        assert response.status_code == 200, response.text
        return list(response.json()["items"])

    mine = today(owner_member_id=str(org_a.admin_member_id))
    theirs = today(owner_member_id=str(other))
    bills = today(kind="explain_first_bill", limit=1)

    assert [t["customer_name"] for t in mine] == ["Uma Reyes", "Nora Quist"]
    assert [t["priority"] for t in mine] == [1, 2]
    assert [t["customer_name"] for t in theirs] == ["Dirk Vos"]
    assert len(bills) == 1
    assert bills[0]["kind"] == "explain_first_bill"
    assert (
        client.get(f"{API}/next-conversations?limit=501", headers=org_a.headers).status_code == 422
    )


def test_goodwill_next_prints_the_owners_tasks(cli_env: Path) -> None:
    init = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            "Test Co",
            "--admin-email",
            "ada@test.example",
            "--admin-password",
            "a long demo password 42",
            "--domain",
            "test.example",
        ],
    )
    assert init.exit_code == 0, init.output

    with organisation_session(cli_support.session_factory(), None) as db:
        customer = customer_service.create(
            db=db, customer_in=CustomerCreate(email="nora@example.com", name="Nora Quist")
        )
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        rel.phase, rel.started_at = "early_days", NOW - 5 * DAY

    everyone = runner.invoke(app, ["next", "--json"])
    table = runner.invoke(app, ["next"])
    unknown = runner.invoke(app, ["next", "--owner", "nobody@test.example"])

    assert everyone.exit_code == 0, everyone.output
    assert [t["kind"] for t in json.loads(everyone.output)] == ["explain_first_bill"]
    assert "Nora" in table.output
    assert unknown.exit_code != 0
    assert "nobody@test.example" in unknown.output
