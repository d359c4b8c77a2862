"""Interactions through the HTTP API: immutable, idempotent, filterable, newest first."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from tests.factories.customers import make_customer
from tests.factories.interactions import (
    WHEN,
    interaction_payload,
    make_conversation,
    make_interaction,
)
from tests.factories.organisations import OrgContext

URL = "/api/v1/interactions"


def _relationship(client: TestClient, org: OrgContext, customer: Customer) -> dict[str, Any]:
    page = client.get(
        "/api/v1/relationships", params={"customer_id": str(customer.id)}, headers=org.headers
    ).json()
    assert len(page["items"]) == 1
    return page["items"][0]  # type: ignore[no-any-return]


def test_post_then_get_and_relationship_counts_it(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    payload = interaction_payload(customer.id, occurred_at="2026-03-01T15:05:00+01:00")
    created = client.post(URL, json=payload, headers=org_a.headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["customer_id"] == str(customer.id)
    assert body["occurred_at"] == "2026-03-01T14:05:00Z"
    assert body["external_id"].startswith("sha256:")
    assert len(body["external_id"]) == len("sha256:") + 64
    got = client.get(f"{URL}/{body['id']}", headers=org_a.headers)
    assert got.json() == body
    relationship = _relationship(client, org_a, customer)
    assert relationship["interaction_count"] == 1
    assert relationship["last_interaction_at"] == "2026-03-01T14:05:00Z"


def test_retried_post_without_external_id_returns_the_stored_one(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    first = client.post(URL, json=interaction_payload(customer.id), headers=org_a.headers)
    # the same instant written with another offset is the same content
    same_instant = (WHEN + timedelta(hours=2)).isoformat().replace("+00:00", "+02:00")
    retry = client.post(
        URL, json=interaction_payload(customer.id, occurred_at=same_instant), headers=org_a.headers
    )
    assert first.status_code == 201
    assert retry.status_code == 200, retry.text
    assert retry.json() == first.json()
    assert len(client.get(URL, headers=org_a.headers).json()["items"]) == 1
    assert _relationship(client, org_a, customer)["interaction_count"] == 1


def test_different_content_under_a_known_external_id_is_a_conflict(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    original = interaction_payload(customer.id, external_id="zendesk:981:1")
    first = client.post(URL, json=original, headers=org_a.headers)
    assert first.status_code == 201
    assert client.post(URL, json=original, headers=org_a.headers).status_code == 200
    changed = client.post(URL, json=original | {"body": "edited afterwards"}, headers=org_a.headers)
    assert changed.status_code == 409
    assert "external_id" in changed.json()["detail"]
    assert client.get(f"{URL}/{first.json()['id']}", headers=org_a.headers).json() == first.json()
    assert _relationship(client, org_a, customer)["interaction_count"] == 1


def test_customer_is_found_by_external_id_or_email(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    base = interaction_payload()
    by_external = client.post(
        URL, json=base | {"customer_external_id": "C-1"}, headers=org_a.headers
    )
    by_email = client.post(
        URL,
        json=base | {"customer_email": " Margareth@Example.com", "body": "second message"},
        headers=org_a.headers,
    )
    assert by_external.status_code == 201, by_external.text
    assert by_email.status_code == 201, by_email.text
    assert by_external.json()["customer_id"] == by_email.json()["customer_id"] == str(customer.id)
    unknown = client.post(URL, json=base | {"customer_external_id": "C-991"}, headers=org_a.headers)
    assert unknown.status_code == 404
    assert "customer_external_id" in unknown.json()["detail"]


@pytest.mark.parametrize(
    "references",
    [{}, {"customer_external_id": "C-1", "customer_email": "margareth@example.com"}],
    ids=["none", "two"],
)
def test_exactly_one_customer_reference(
    client: TestClient, org_a: OrgContext, customer: Customer, references: dict[str, str]
) -> None:
    r = client.post(URL, json=interaction_payload() | references, headers=org_a.headers)
    assert r.status_code == 422
    assert "customer_id, customer_external_id, customer_email" in r.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"direction": None}, "body.direction"),
        ({"body": None}, "body.body"),
        ({"body": ""}, "body.body"),
        ({"occurred_at": "2026-03-01T14:05:00"}, "body.occurred_at"),
        ({"occurred_at": "yesterday"}, "body.occurred_at"),
        ({"kind": "telegram"}, "body.kind"),
        ({"channel": "pigeon"}, "body.channel"),
        ({"direction": "sideways"}, "body.direction"),
        ({"external_id": "x" * 256}, "body.external_id"),
        ({"currency": "euro"}, "body.currency"),
        ({"colour": "blue"}, "body.colour"),
        ({"customer_id": "not-a-uuid"}, "body.customer_id"),
    ],
)
def test_validation_errors_are_422_naming_the_field(
    client: TestClient,
    org_a: OrgContext,
    customer: Customer,
    change: dict[str, Any],
    field: str,
) -> None:
    payload = interaction_payload(customer.id)
    payload.update(change)
    payload = {k: v for k, v in payload.items() if v is not None}
    r = client.post(URL, json=payload, headers=org_a.headers)
    assert r.status_code == 422, r.text
    assert field in [e["field"] for e in r.json()["errors"]]
    assert field in r.json()["detail"]
    assert client.get(URL, headers=org_a.headers).json()["items"] == []


def test_purchase_needs_no_direction_or_body(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    purchase = {
        "customer_id": str(customer.id),
        "kind": "purchase",
        "channel": "store",
        "occurred_at": "2026-02-01T00:00:00Z",
        "amount": "12.5",
        "currency": "eur",
        "quantity": 2,
    }
    r = client.post(URL, json=purchase, headers=org_a.headers)
    assert r.status_code == 201, r.text
    assert (r.json()["amount"], r.json()["currency"], r.json()["direction"]) == (
        "12.50",
        "EUR",
        None,
    )


def test_conversation_must_be_the_customers_own(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    other = make_customer(session_factory, org_a)
    theirs = make_conversation(session_factory, org_a, customer_id=other.id)
    mine = make_conversation(session_factory, org_a, customer_id=customer.id, external_id="T-7")
    wrong = client.post(
        URL,
        json=interaction_payload(customer.id, conversation_id=str(theirs.id)),
        headers=org_a.headers,
    )
    assert wrong.status_code == 422
    assert "conversation_id" in wrong.json()["detail"]
    by_external = client.post(
        URL,
        json=interaction_payload(customer.id, conversation_external_id="T-7"),
        headers=org_a.headers,
    )
    assert by_external.status_code == 201, by_external.text
    assert by_external.json()["conversation_id"] == str(mine.id)


def test_author_email_links_a_member(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    reply = interaction_payload(
        customer.id,
        direction="outbound",
        author_email=org_a.admin_email.upper(),
        author_name="Ada",
        body="I have unblocked your card; try again now. Ada",
    )
    r = client.post(URL, json=reply, headers=org_a.headers)
    assert r.status_code == 201, r.text
    assert r.json()["author_member_id"] == str(org_a.admin_member_id)
    stranger = client.post(
        URL, json=reply | {"author_email": "nobody@example.com", "body": "x"}, headers=org_a.headers
    )
    assert stranger.json()["author_member_id"] is None


@pytest.mark.parametrize("method", ["PATCH", "PUT", "DELETE"])
def test_interactions_have_no_update_or_delete_route(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
    method: str,
) -> None:
    interaction = make_interaction(session_factory, org_a, customer_id=customer.id)
    before = client.get(f"{URL}/{interaction.id}", headers=org_a.headers).json()
    r = client.request(method, f"{URL}/{interaction.id}", json={"body": "x"}, headers=org_a.headers)
    assert r.status_code == 405
    assert client.get(f"{URL}/{interaction.id}", headers=org_a.headers).json() == before


def _ids(client: TestClient, org: OrgContext, **params: Any) -> list[str]:
    r = client.get(URL, params=params, headers=org.headers)
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


def test_filters_and_newest_first_order(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    other = make_customer(session_factory, org_a)
    case = make_conversation(session_factory, org_a, customer_id=customer.id)
    day = timedelta(days=1)

    def add(**fields: Any) -> str:
        return str(make_interaction(session_factory, org_a, **fields).id)

    oldest = add(customer_id=customer.id, occurred_at=(WHEN - 2 * day).isoformat())
    reply = add(
        customer_id=customer.id,
        conversation_id=str(case.id),
        direction="outbound",
        occurred_at=(WHEN - day).isoformat(),
    )
    chat = add(customer_id=other.id, channel="chat", occurred_at=WHEN.isoformat())
    call = add(
        customer_id=other.id, kind="call", channel="phone", occurred_at=(WHEN + day).isoformat()
    )
    assert _ids(client, org_a) == [call, chat, reply, oldest]
    assert _ids(client, org_a, customer_id=str(customer.id)) == [reply, oldest]
    assert _ids(client, org_a, conversation_id=str(case.id)) == [reply]
    assert _ids(client, org_a, channel="chat") == [chat]
    assert _ids(client, org_a, kind="call") == [call]
    assert _ids(client, org_a, direction="outbound") == [reply]
    window = {"since": (WHEN - day).isoformat(), "until": (WHEN + day).isoformat()}
    assert _ids(client, org_a, **window) == [chat, reply]
    assert _ids(client, org_a, created_since="2000-01-01T00:00:00Z") == [call, chat, reply, oldest]
    assert _ids(client, org_a, created_since="2999-01-01T00:00:00Z") == []
    naive = client.get(URL, params={"since": "2026-01-01T00:00:00"}, headers=org_a.headers)
    assert naive.status_code == 422
    assert "since" in naive.json()["detail"]


def test_cursor_walks_every_interaction_once_newest_first(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    for i in range(7):
        # pairs share a time: the id breaks the tie
        when = WHEN + timedelta(hours=i // 2)
        make_interaction(
            session_factory,
            org_a,
            customer_id=customer.id,
            occurred_at=when.isoformat(),
            body=f"m{i}",
        )
    seen: list[dict[str, Any]] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get(URL, params=params, headers=org_a.headers).json()
        assert len(page["items"]) <= 3
        seen += page["items"]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(i["body"] for i in seen) == [f"m{i}" for i in range(7)]
    keys = [(i["occurred_at"], i["id"]) for i in seen]
    assert keys == sorted(keys, reverse=True)
    assert client.get(URL, params={"limit": 501}, headers=org_a.headers).status_code == 422


def test_raw_original_is_a_download_or_404(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
) -> None:
    eml = b"From: margareth@example.com\r\nSubject: Card\r\n\r\n<script>alert(1)</script>\r\n"
    with_raw = make_interaction(session_factory, org_a, customer_id=customer.id, raw=eml)
    without = make_interaction(session_factory, org_a, customer_id=customer.id, body="no raw")
    r = client.get(f"{URL}/{with_raw.id}/raw", headers=org_a.headers)
    assert r.status_code == 200
    assert r.content == eml
    assert r.headers["content-type"].startswith("message/rfc822")
    assert r.headers["content-disposition"].startswith("attachment")
    missing = client.get(f"{URL}/{without.id}/raw", headers=org_a.headers)
    assert missing.status_code == 404
    assert "no raw original" in missing.json()["detail"]


def test_latest_interaction_time_never_goes_back(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    newer = interaction_payload(customer.id, occurred_at="2026-05-01T09:00:00Z", body="newer")
    older = interaction_payload(customer.id, occurred_at="2025-05-01T09:00:00Z", body="older")
    assert client.post(URL, json=newer, headers=org_a.headers).status_code == 201
    assert client.post(URL, json=older, headers=org_a.headers).status_code == 201
    relationship = _relationship(client, org_a, customer)
    assert relationship["interaction_count"] == 2
    assert relationship["last_interaction_at"] == "2026-05-01T09:00:00Z"


def test_derived_external_id_follows_the_import_recipe(
    client: TestClient, org_a: OrgContext, customer: Customer
) -> None:
    """docs/import.md: the API and the importer derive the same id, so neither duplicates."""
    import hashlib

    payload = interaction_payload(
        customer.id, occurred_at="2026-03-01T15:05:00+01:00", amount="7.5", currency="EUR"
    )
    r = client.post(URL, json=payload, headers=org_a.headers)
    parts = [
        "C-1",
        "2026-03-01T14:05:00+00:00",
        "message",
        "email",
        "inbound",
        payload["subject"],
        payload["body"],
        "7.50",
    ]
    expected = "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    assert r.json()["external_id"] == expected


def test_a_concurrent_insert_is_answered_not_duplicated(
    db: Session, customer: Customer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two requests with the same interaction: the one that loses the race on the unique
    external id looks again and answers the stored one (or a 409 asking to retry)."""
    from goodwill.errors import Conflict
    from goodwill.interactions import service
    from goodwill.interactions.models import Interaction
    from goodwill.interactions.schemas import InteractionCreate

    interaction_in = InteractionCreate.model_validate(interaction_payload(customer.id))
    winner = service.create(db=db, interaction_in=interaction_in)
    look_up = service._by
    blind = {"times": 1}

    def racing(session: Session, column: Any, values: set[Any]) -> dict[Any, Any]:
        if column is Interaction.external_id and blind["times"] > 0:
            blind["times"] -= 1
            return {}  # looked before the winner committed
        return look_up(session, column, values)

    monkeypatch.setattr(service, "_by", racing)
    loser = service.create(db=db, interaction_in=interaction_in)
    assert (loser.created, loser.interaction.id) == (False, winner.interaction.id)
    blind["times"] = 2
    with pytest.raises(Conflict, match="retry"):
        service.create(db=db, interaction_in=interaction_in)
    count = db.scalar(select(func.count()).select_from(Interaction))
    assert count == 1
