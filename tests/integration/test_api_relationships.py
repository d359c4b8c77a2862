"""Relationships through the HTTP API: one per customer; owner and segment are set by people."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from goodwill.organisations.models import Member
from goodwill.relationships.models import Relationship
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member

URL = "/api/v1/relationships"

READ_FIELDS = {
    "evidence",
    "computed_at",
    "id",
    "customer_id",
    "owner_member_id",
    "segment",
    "stage",
    "phase",
    "health",
    "risk",
    "started_at",
    "last_interaction_at",
    "interaction_count",
    "created_at",
    "updated_at",
}


def _ids(client: TestClient, org: OrgContext, **params: Any) -> set[str]:
    r = client.get(URL, params=params, headers=org.headers)
    assert r.status_code == 200, r.text
    return {item["id"] for item in r.json()["items"]}


def test_a_new_customer_has_a_relationship(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    page = client.get(URL, params={"customer_id": str(customer.id)}, headers=org_a.headers).json()
    assert len(page["items"]) == 1
    relationship = page["items"][0]
    assert set(relationship) == READ_FIELDS
    assert relationship["interaction_count"] == 0
    assert relationship["owner_member_id"] is None
    got = client.get(f"{URL}/{relationship['id']}", headers=org_a.headers)
    assert got.json() == relationship


def test_reassign_owner_and_segment(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    agent_id, _ = add_member(session_factory, org_a, "agnes@acme.example", Role.AGENT)
    relationship = relationship_of(session_factory, org_a, customer.id)
    url = f"{URL}/{relationship.id}"
    r = client.patch(
        url, json={"owner_member_id": str(agent_id), "segment": "smb"}, headers=org_a.headers
    )
    assert r.status_code == 200, r.text
    assert (r.json()["owner_member_id"], r.json()["segment"]) == (str(agent_id), "smb")
    assert _ids(client, org_a, owner_member_id=str(agent_id)) == {str(relationship.id)}
    assert _ids(client, org_a, segment="smb") == {str(relationship.id)}
    # leaving a field out keeps it; null clears it
    r = client.patch(url, json={"segment": None}, headers=org_a.headers)
    assert (r.json()["owner_member_id"], r.json()["segment"]) == (str(agent_id), None)
    r = client.patch(url, json={"owner_member_id": None}, headers=org_a.headers)
    assert r.json()["owner_member_id"] is None


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"owner_member_id": "01a20896-9008-717a-b810-6fb1af5c7984"}, 404, "owner_member_id"),
        ({"owner_member_id": "nobody"}, 422, "body.owner_member_id"),
        ({"segment": "s" * 101}, 422, "body.segment"),
        ({"stage": "bonding"}, 422, "body.stage"),
        ({"interaction_count": 9}, 422, "body.interaction_count"),
    ],
)
def test_bad_updates_name_the_field_and_change_nothing(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
    change: dict[str, Any],
    status: int,
    field: str,
) -> None:
    relationship = relationship_of(session_factory, org_a, customer.id)
    before = client.get(f"{URL}/{relationship.id}", headers=org_a.headers).json()
    r = client.patch(f"{URL}/{relationship.id}", json=change, headers=org_a.headers)
    assert r.status_code == status, r.text
    assert r.json()["detail"].startswith(field)
    assert client.get(f"{URL}/{relationship.id}", headers=org_a.headers).json() == before


def test_an_inactive_member_cannot_own_a_relationship(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    leaver_id, _ = add_member(session_factory, org_a, "leaver@acme.example", Role.AGENT)
    with org_session(session_factory, org_a) as db:
        db.execute(update(Member).where(Member.id == leaver_id).values(is_active=False))
    relationship = relationship_of(session_factory, org_a, customer.id)
    r = client.patch(
        f"{URL}/{relationship.id}", json={"owner_member_id": str(leaver_id)}, headers=org_a.headers
    )
    assert r.status_code == 422
    assert "no longer active" in r.json()["detail"]


def test_filters_by_stage_and_updated_since(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    other = make_customer(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        db.execute(
            update(Relationship)
            .where(Relationship.customer_id == customer.id)
            .values(stage="bonding")
        )
    mine = relationship_of(session_factory, org_a, customer.id)
    theirs = relationship_of(session_factory, org_a, other.id)
    assert _ids(client, org_a, stage="bonding") == {str(mine.id)}
    assert _ids(client, org_a) == {str(mine.id), str(theirs.id)}
    assert _ids(client, org_a, updated_since="2999-01-01T00:00:00Z") == set()
    naive = client.get(URL, params={"updated_since": "2026-01-01T00:00:00"}, headers=org_a.headers)
    assert naive.status_code == 422
    assert "updated_since" in naive.json()["detail"]


def test_cursor_walks_every_relationship_once(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    customers = [make_customer(session_factory, org_a) for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(URL, params=params, headers=org_a.headers).json()
        seen += [r["customer_id"] for r in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(str(c.id) for c in customers)
