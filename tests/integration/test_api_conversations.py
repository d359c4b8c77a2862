"""Conversations (cases, threads) through the HTTP API."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from tests.factories.customers import make_customer
from tests.factories.interactions import make_conversation
from tests.factories.organisations import OrgContext

URL = "/api/v1/conversations"


def test_create_get_list_update(client: TestClient, org_a: OrgContext, customer: Customer) -> None:
    created = client.post(
        URL,
        json={"customer_id": str(customer.id), "subject": "Card declined", "channel": "chat"},
        headers=org_a.headers,
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert (body["status"], body["channel"], body["closed_at"]) == ("open", "chat", None)
    assert body["external_id"] == body["id"]
    opened = datetime.fromisoformat(body["opened_at"])
    assert abs((datetime.now(UTC) - opened).total_seconds()) < 60
    assert client.get(f"{URL}/{body['id']}", headers=org_a.headers).json() == body
    assert [c["id"] for c in client.get(URL, headers=org_a.headers).json()["items"]] == [body["id"]]
    renamed = client.patch(
        f"{URL}/{body['id']}", json={"subject": "Card declined in Lisbon"}, headers=org_a.headers
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["subject"] == "Card declined in Lisbon"
    assert renamed.json()["status"] == "open"


def test_closing_stamps_the_time_and_reopening_clears_it(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    case = make_conversation(session_factory, org_a, customer_id=customer.id)
    url = f"{URL}/{case.id}"
    closed = client.patch(url, json={"status": "closed"}, headers=org_a.headers).json()
    assert closed["status"] == "closed"
    assert closed["closed_at"] is not None
    reopened = client.patch(url, json={"status": "pending"}, headers=org_a.headers).json()
    assert (reopened["status"], reopened["closed_at"]) == ("pending", None)
    explicit = client.patch(
        url, json={"status": "closed", "closed_at": "2026-03-02T10:00:00Z"}, headers=org_a.headers
    )
    assert explicit.json()["closed_at"] == "2026-03-02T10:00:00Z"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"closed_at": "2026-03-02T10:00:00Z"}, "closed_at"),  # still open
        ({"status": "closed", "closed_at": "2020-01-01T00:00:00Z"}, "closed_at"),  # before opening
        ({"status": "archived"}, "body.status"),
        ({"status": None}, "status"),
        ({"closed_at": "2026-03-02T10:00:00"}, "body.closed_at"),
        ({"customer_id": "01a20896-9008-717a-b810-6fb1af5c7984"}, "body.customer_id"),
    ],
)
def test_bad_updates_are_422_naming_the_field(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
    change: dict[str, Any],
    field: str,
) -> None:
    case = make_conversation(session_factory, org_a, customer_id=customer.id)
    before = client.get(f"{URL}/{case.id}", headers=org_a.headers).json()
    r = client.patch(f"{URL}/{case.id}", json=change, headers=org_a.headers)
    assert r.status_code == 422, r.text
    assert r.json()["detail"].startswith(field)
    assert client.get(f"{URL}/{case.id}", headers=org_a.headers).json() == before


@pytest.mark.parametrize(
    ("change", "status", "field"),
    [
        ({"channel": "billing"}, 422, "body.channel"),
        ({"opened_at": "2026-03-01T10:00:00"}, 422, "body.opened_at"),
        ({"customer_id": None}, 422, "body.customer_id"),
        ({"customer_id": "01a20896-9008-717a-b810-6fb1af5c7984"}, 404, "customer_id"),
        ({"external_id": "T-1"}, 409, "external_id"),
    ],
)
def test_bad_creates_name_the_field(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
    change: dict[str, Any],
    status: int,
    field: str,
) -> None:
    make_conversation(session_factory, org_a, customer_id=customer.id, external_id="T-1")
    r = client.post(URL, json={"customer_id": str(customer.id)} | change, headers=org_a.headers)
    assert r.status_code == status, r.text
    assert r.json()["detail"].startswith(field)
    assert len(client.get(URL, headers=org_a.headers).json()["items"]) == 1


def _ids(client: TestClient, org: OrgContext, **params: Any) -> set[str]:
    r = client.get(URL, params=params, headers=org.headers)
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


def test_filters(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    other = make_customer(session_factory, org_a)
    email = make_conversation(session_factory, org_a, customer_id=customer.id)
    chat = make_conversation(session_factory, org_a, customer_id=customer.id, channel="chat")
    closed = make_conversation(session_factory, org_a, customer_id=other.id, status="closed")
    assert _ids(client, org_a, customer_id=str(customer.id)) == {str(email.id), str(chat.id)}
    assert _ids(client, org_a, status="closed") == {str(closed.id)}
    assert _ids(client, org_a, status="open", channel="chat") == {str(chat.id)}
    assert _ids(client, org_a, updated_since="2999-01-01T00:00:00Z") == set()
    assert len(_ids(client, org_a, updated_since="2000-01-01T00:00:00+02:00")) == 3
    bad = client.get(URL, params={"status": "archived"}, headers=org_a.headers)
    assert bad.status_code == 422
    assert "status" in bad.json()["detail"]


def test_cursor_walks_every_conversation_once(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    made = {
        str(make_conversation(session_factory, org_a, customer_id=customer.id).id) for _ in range(5)
    }
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(URL, params=params, headers=org_a.headers).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)
    bad = client.get(URL, params={"cursor": "bm9wZQ"}, headers=org_a.headers)
    assert bad.status_code == 422
    assert "cursor" in bad.json()["detail"]
