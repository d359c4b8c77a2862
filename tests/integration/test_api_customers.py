"""Accounts, and the customer list's filters, through the HTTP API (test_customers_api.py has
the customer basics)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.types import Role
from tests.factories.customers import make_account, make_customer
from tests.factories.organisations import OrgContext, add_member

ACCOUNTS = "/api/v1/accounts"
CUSTOMERS = "/api/v1/customers"


def test_create_get_list_update_account(client: TestClient, org_a: OrgContext) -> None:
    h = org_a.headers
    created = client.post(
        ACCOUNTS, json={"name": "Northwind", "domain": "northwind.example"}, headers=h
    )
    assert created.status_code == 201, created.text
    account = created.json()
    assert account["external_id"] == account["id"]
    assert client.get(f"{ACCOUNTS}/{account['id']}", headers=h).json() == account
    patched = client.patch(f"{ACCOUNTS}/{account['id']}", json={"name": "Northwind Ltd"}, headers=h)
    assert (patched.json()["name"], patched.json()["domain"]) == (
        "Northwind Ltd",
        "northwind.example",
    )
    assert [a["id"] for a in client.get(ACCOUNTS, headers=h).json()["items"]] == [account["id"]]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"name": ""}, 422, "body.name"),
        ({}, 422, "body.name"),
        ({"name": "x" * 301}, 422, "body.name"),
        ({"name": "Dup", "external_id": "ACC-1"}, 409, "external_id"),
    ],
)
def test_bad_accounts_name_the_field(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    body: dict[str, Any],
    status: int,
    field: str,
) -> None:
    make_account(session_factory, org_a, external_id="ACC-1")
    r = client.post(ACCOUNTS, json=body, headers=org_a.headers)
    assert r.status_code == status, r.text
    assert r.json()["detail"].startswith(field)
    assert len(client.get(ACCOUNTS, headers=org_a.headers).json()["items"]) == 1


def test_cursor_walks_every_account_once(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    made = {str(make_account(session_factory, org_a, name=f"A{i}").id) for i in range(5)}
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get(ACCOUNTS, params=params, headers=org_a.headers).json()
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(made)


def _ids(client: TestClient, org: OrgContext, **params: Any) -> set[str]:
    r = client.get(CUSTOMERS, params=params, headers=org.headers)
    assert r.status_code == 200, r.text
    return {c["id"] for c in r.json()["items"]}


def test_customer_filters(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    agent_id, _ = add_member(session_factory, org_a, "agnes@acme.example", Role.AGENT)
    account = make_account(session_factory, org_a)
    in_account = make_customer(session_factory, org_a, account_id=account.id)
    owned = make_customer(
        session_factory, org_a, owner_member_id=agent_id, email="Owned@Example.com"
    )
    assert _ids(client, org_a, account_id=str(account.id)) == {str(in_account.id)}
    assert _ids(client, org_a, owner_member_id=str(agent_id)) == {str(owned.id)}
    assert _ids(client, org_a, email="owned@example.com") == {str(owned.id)}
    assert _ids(client, org_a, updated_since="2999-01-01T00:00:00Z") == set()
    assert _ids(client, org_a, updated_since="2000-01-01T00:00:00Z") == {
        str(in_account.id),
        str(owned.id),
    }


def test_naive_updated_since_is_a_422(client: TestClient, org_a: OrgContext) -> None:
    r = client.get(
        CUSTOMERS, params={"updated_since": "2026-01-01T00:00:00"}, headers=org_a.headers
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "not an address"}, "body.email"),
        ({"account_id": "ACC-1"}, "body.account_id"),
        ({"segment": "s" * 101}, "body.segment"),
    ],
)
def test_bad_customers_are_422_naming_the_field(
    client: TestClient, org_a: OrgContext, body: dict[str, Any], field: str
) -> None:
    r = client.post(CUSTOMERS, json=body, headers=org_a.headers)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert client.get(CUSTOMERS, headers=org_a.headers).json()["items"] == []
