"""The inbound webhook: HMAC-signed, time-limited, idempotent, all or nothing."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.customers.models import Customer
from goodwill.database import utcnow
from goodwill.organisations.models import WebhookEndpoint
from tests.factories.customers import org_session
from tests.factories.interactions import interaction_payload, make_webhook_endpoint, signature
from tests.factories.organisations import OrgContext


@pytest.fixture
def endpoint(
    session_factory: sessionmaker[Session], org_a: OrgContext, settings: Settings
) -> tuple[uuid.UUID, str]:
    return make_webhook_endpoint(session_factory, org_a, settings)


def _post(
    client: TestClient,
    endpoint_id: uuid.UUID,
    body: bytes,
    header: str | None,
) -> Response:
    headers = {"Content-Type": "application/json"}
    if header is not None:
        headers["Goodwill-Signature"] = header
    return client.post(
        f"/api/v1/webhooks/{endpoint_id}/interactions", content=body, headers=headers
    )


def _send(client: TestClient, endpoint: tuple[uuid.UUID, str], data: Any) -> Response:
    body = json.dumps(data).encode()
    return _post(client, endpoint[0], body, signature(endpoint[1], body))


def _stored(client: TestClient, org: OrgContext) -> list[dict[str, Any]]:
    return client.get("/api/v1/interactions", headers=org.headers).json()["items"]  # type: ignore[no-any-return]


def test_signed_interaction_is_stored_and_a_replay_changes_nothing(
    client: TestClient, org_a: OrgContext, customer: Customer, endpoint: tuple[uuid.UUID, str]
) -> None:
    body = json.dumps(interaction_payload(customer_external_id="C-1")).encode()
    header = signature(endpoint[1], body)
    first = _post(client, endpoint[0], body, header)
    assert first.status_code == 201, first.text
    assert first.json()["customer_id"] == str(customer.id)
    replay = _post(client, endpoint[0], body, header)
    assert replay.status_code == 200
    assert replay.json() == first.json()
    assert [i["id"] for i in _stored(client, org_a)] == [first.json()["id"]]


def test_a_batch_is_stored_whole(
    client: TestClient, org_a: OrgContext, customer: Customer, endpoint: tuple[uuid.UUID, str]
) -> None:
    items = [interaction_payload(customer.id, body=f"message {i}") for i in range(3)]
    r = _send(client, endpoint, {"interactions": items})
    assert r.status_code == 201, r.text
    assert (r.json()["created"], r.json()["existing"]) == (3, 0)
    assert [i["body"] for i in r.json()["items"]] == ["message 0", "message 1", "message 2"]
    again = _send(
        client, endpoint, {"interactions": [*items, interaction_payload(customer.id, body="new")]}
    )
    assert again.status_code == 201
    assert (again.json()["created"], again.json()["existing"]) == (1, 3)
    assert len(_stored(client, org_a)) == 4


@pytest.mark.parametrize(
    ("bad_item", "status", "field"),
    [
        ({"customer_external_id": "C-991"}, 404, "interactions[1].customer_external_id"),
        ({"kind": "telegram"}, 422, "body.interactions.1.kind"),
    ],
)
def test_one_bad_item_stores_nothing(
    client: TestClient,
    org_a: OrgContext,
    customer: Customer,
    endpoint: tuple[uuid.UUID, str],
    bad_item: dict[str, Any],
    status: int,
    field: str,
) -> None:
    good = interaction_payload(customer.id, body="fine")
    bad = interaction_payload(body="broken") | bad_item
    if "customer_external_id" not in bad:
        bad["customer_id"] = str(customer.id)
    r = _send(client, endpoint, {"interactions": [good, bad]})
    assert r.status_code == status, r.text
    assert field in r.json()["detail"]
    assert _stored(client, org_a) == []


def test_batch_limit_and_shape(
    client: TestClient, org_a: OrgContext, customer: Customer, endpoint: tuple[uuid.UUID, str]
) -> None:
    too_many = [interaction_payload(customer.id, body=f"m{i}") for i in range(1001)]
    r = _send(client, endpoint, {"interactions": too_many})
    assert r.status_code == 422
    assert "body.interactions" in r.json()["detail"]
    assert _send(client, endpoint, {"interactions": []}).status_code == 422
    assert _send(client, endpoint, [interaction_payload(customer.id)]).status_code == 422
    body = b"{not json"
    r = _post(client, endpoint[0], body, signature(endpoint[1], body))
    assert r.status_code == 422
    assert "not JSON" in r.json()["detail"]
    assert _stored(client, org_a) == []


def _reject(r: Response, words: str) -> None:
    assert r.status_code == 401, r.text
    assert words in r.json()["detail"]


def test_missing_malformed_and_wrong_signatures_are_refused(
    client: TestClient, org_a: OrgContext, customer: Customer, endpoint: tuple[uuid.UUID, str]
) -> None:
    endpoint_id, secret = endpoint
    body = json.dumps(interaction_payload(customer.id)).encode()
    now = int(time.time())
    _reject(_post(client, endpoint_id, body, None), "missing Goodwill-Signature")
    for header in ["v1=abc", f"t={now}", f"t=soon,v1={'0' * 64}", f"t={now},v1=xyz"]:
        _reject(_post(client, endpoint_id, body, header), "malformed")
    _reject(_post(client, endpoint_id, body, signature("whsec_guess", body)), "does not match")
    changed = body.replace(b"Lisbon", b"Lisbom")
    _reject(_post(client, endpoint_id, changed, signature(secret, body)), "does not match")
    # an API token is not a webhook credential
    r = client.post(
        f"/api/v1/webhooks/{endpoint_id}/interactions", content=body, headers=org_a.headers
    )
    _reject(r, "missing Goodwill-Signature")
    assert _stored(client, org_a) == []


@pytest.mark.parametrize(("offset", "accepted"), [(-240, True), (-330, False), (330, False)])
def test_timestamps_outside_the_window_are_refused(
    client: TestClient,
    org_a: OrgContext,
    customer: Customer,
    endpoint: tuple[uuid.UUID, str],
    offset: int,
    accepted: bool,
) -> None:
    """The window is 300 s either way (GOODWILL_WEBHOOK_TOLERANCE_SECONDS)."""
    body = json.dumps(interaction_payload(customer.id)).encode()
    header = signature(endpoint[1], body, timestamp=int(time.time()) + offset)
    r = _post(client, endpoint[0], body, header)
    if accepted:
        assert r.status_code == 201, r.text
        return
    _reject(r, "timestamp")
    assert _stored(client, org_a) == []


def test_a_rotated_secret_may_sign_beside_the_current_one(
    client: TestClient, customer: Customer, endpoint: tuple[uuid.UUID, str]
) -> None:
    body = json.dumps(interaction_payload(customer.id)).encode()
    t = int(time.time())
    old = signature("whsec_old", body, timestamp=t).split(",")[1]
    header = f"{signature(endpoint[1], body, timestamp=t)},{old}"
    assert _post(client, endpoint[0], body, header).status_code == 201


def test_unknown_and_revoked_endpoints_look_like_a_wrong_signature(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    customer: Customer,
    endpoint: tuple[uuid.UUID, str],
) -> None:
    endpoint_id, secret = endpoint
    body = json.dumps(interaction_payload(customer.id)).encode()
    wrong = _post(client, endpoint_id, body, signature("whsec_guess", body))
    unknown = _post(client, uuid.uuid4(), body, signature(secret, body))
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())
    with org_session(session_factory, org_a) as db:
        db.execute(
            update(WebhookEndpoint)
            .where(WebhookEndpoint.id == endpoint_id)
            .values(revoked_at=utcnow())
        )
    revoked = _post(client, endpoint_id, body, signature(secret, body))
    assert (revoked.status_code, revoked.json()) == (wrong.status_code, wrong.json())
    assert _stored(client, org_a) == []


def test_a_body_over_the_upload_limit_is_refused_unread(
    client: TestClient,
    org_a: OrgContext,
    customer: Customer,
    endpoint: tuple[uuid.UUID, str],
    settings: Settings,
) -> None:
    settings.max_upload_bytes = 200
    r = _send(client, endpoint, interaction_payload(customer.id, body="x" * 300))
    assert r.status_code == 413
    assert "GOODWILL_MAX_UPLOAD_BYTES" in r.json()["detail"]
    assert _stored(client, org_a) == []
