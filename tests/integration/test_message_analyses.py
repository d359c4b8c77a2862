"""Stored analyses: versioned per analyser, found again when outdated, scoped to the tenant."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.interactions.models import Interaction
from goodwill.messages import service
from goodwill.messages.service import AnalyserResult
from tests.factories.customers import make_customer
from tests.factories.interactions import interaction_payload
from tests.factories.organisations import OrgContext

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _messages(db: Session, n: int) -> list[Interaction]:
    customer = customer_service.create(db=db, customer_in=CustomerCreate(email="m@example.com"))
    rows = [
        Interaction(
            external_id=f"msg-{i}",
            customer_id=customer.id,
            kind="message",
            channel="email",
            direction="inbound",
            occurred_at=T0 + timedelta(hours=i),
            body=f"message number {i}",
        )
        for i in range(n)
    ]
    purchase = Interaction(
        external_id="buy-1",
        customer_id=customer.id,
        kind="purchase",
        channel="store",
        occurred_at=T0,
    )
    db.add_all([*rows, purchase])
    db.flush()
    return rows


def _ids(db: Session, stmt: object) -> set[str]:
    return {
        m.external_id
        for batch in service.iter_batches(db=db, stmt=stmt, batch_size=2)
        for m in batch
    }


def test_new_outdated_and_all_modes(db: Session) -> None:
    rows = _messages(db, 5)
    versions = {"sentiment": "1.0", "intent": "1.0"}
    assert _ids(db, service.select_messages(mode="new", versions=versions)) == {
        f"msg-{i}" for i in range(5)
    }
    for row in rows[:3]:
        service.store(
            db=db,
            interaction_id=row.id,
            results={name: AnalyserResult(v, {"label": "x"}) for name, v in versions.items()},
        )
    assert _ids(db, service.select_messages(mode="new", versions=versions)) == {"msg-3", "msg-4"}
    bumped = {"sentiment": "1.1", "intent": "1.0"}
    assert _ids(db, service.select_messages(mode="outdated", versions=bumped)) == {
        f"msg-{i}" for i in range(5)
    }
    assert _ids(db, service.select_messages(mode="outdated", versions=versions)) == {
        "msg-3",
        "msg-4",
    }
    assert len(_ids(db, service.select_messages(mode="all", versions=versions))) == 5


def test_store_replaces_an_analysers_result_and_keeps_others(db: Session) -> None:
    (row,) = _messages(db, 1)
    service.store(
        db=db,
        interaction_id=row.id,
        results={
            "sentiment": AnalyserResult("1", {"label": "negative"}),
            "intent": AnalyserResult("1", {"labels": ["complaint"]}),
        },
        embedding=("static-256", np.linspace(-1, 1, 256)),
    )
    service.store(
        db=db,
        interaction_id=row.id,
        results={"sentiment": AnalyserResult("2", {"label": "neutral"})},
    )
    stored = service.get_for_interaction(db=db, interaction_id=row.id)
    assert stored["sentiment"].version == "2"
    assert stored["sentiment"].result == {"label": "neutral"}
    assert stored["intent"].result == {"labels": ["complaint"]}
    vector = service.get_embedding(db=db, interaction_id=row.id)
    assert vector is not None
    assert vector.shape == (256,)
    assert abs(float(vector[0]) + 1.0) < 1e-3


def test_a_message_posted_to_the_api_is_analysed_after_the_response(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customer = make_customer(session_factory, org_a, email="lisbon@example.com")
    body = "My card was declined in Lisbon and I was charged twice. I want a refund."
    created = client.post(
        "/api/v1/interactions",
        json=interaction_payload(customer.id, body=body),
        headers=org_a.headers,
    )
    assert created.status_code == 201, created.text
    analysis = client.get(
        f"/api/v1/interactions/{created.json()['id']}/analysis", headers=org_a.headers
    ).json()
    assert analysis["analysed"] is True
    fields = analysis["fields"]
    assert {"language", "sentiment", "emotion", "intent", "politeness"} <= set(fields)
    assert fields["language"]["value"] == "en"
    assert {"complaint", "billing"} & set(fields["intent"]["value"])
    assert analysis["embedding"]["dimensions"] > 0


def test_analysis_of_another_organisations_message_is_404(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    customer = make_customer(session_factory, org_b, email="b@example.com")
    created = client.post(
        "/api/v1/interactions", json=interaction_payload(customer.id), headers=org_b.headers
    )
    url = f"/api/v1/interactions/{created.json()['id']}/analysis"
    assert client.get(url, headers=org_b.headers).status_code == 200
    assert client.get(url, headers=org_a.headers).status_code == 404
