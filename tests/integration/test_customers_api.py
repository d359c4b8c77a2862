"""Customers and accounts through the HTTP API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories.organisations import OrgContext


def test_create_get_list_update_customer(client: TestClient, org_a: OrgContext) -> None:
    h = org_a.headers
    created = client.post(
        "/api/v1/customers", json={"name": "Michael", "email": "Michael@Example.com"}, headers=h
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["email"] == "michael@example.com"
    assert body["external_id"] == body["id"]
    got = client.get(f"/api/v1/customers/{body['id']}", headers=h)
    assert got.json()["name"] == "Michael"
    patched = client.patch(f"/api/v1/customers/{body['id']}", json={"name": "Mike"}, headers=h)
    assert patched.json()["name"] == "Mike"
    dup = client.post("/api/v1/customers", json={"email": "michael@example.com"}, headers=h)
    assert dup.status_code == 409
    assert "exists" in dup.json()["detail"]


def test_cursor_pagination_walks_every_customer_once(client: TestClient, org_a: OrgContext) -> None:
    for i in range(7):
        client.post("/api/v1/customers", json={"email": f"c{i}@example.com"}, headers=org_a.headers)
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/customers", params=params, headers=org_a.headers).json()
        seen += [c["email"] for c in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert sorted(seen) == sorted(f"c{i}@example.com" for i in range(7))
    assert len(seen) == 7


def test_bad_cursor_and_limit_are_clear_errors(client: TestClient, org_a: OrgContext) -> None:
    r = client.get("/api/v1/customers", params={"cursor": "nonsense!"}, headers=org_a.headers)
    assert r.status_code == 422
    assert "cursor" in r.json()["detail"]
    r = client.get("/api/v1/customers", params={"limit": 0}, headers=org_a.headers)
    assert r.status_code == 422


def test_no_credentials_is_401(client: TestClient) -> None:
    r = client.get("/api/v1/customers")
    assert r.status_code == 401
    r = client.get("/api/v1/customers", headers={"Authorization": "Bearer gw_wrong"})
    assert r.status_code == 401


def test_login_session_and_csrf(client: TestClient, org_a: OrgContext) -> None:
    from tests.factories.organisations import PASSWORD

    bad = client.post("/api/v1/auth/login", json={"email": org_a.admin_email, "password": "no"})
    assert bad.status_code == 401
    ok = client.post("/api/v1/auth/login", json={"email": org_a.admin_email, "password": PASSWORD})
    assert ok.status_code == 200, ok.text
    csrf = ok.json()["csrf_token"]
    assert "httponly" in ok.headers["set-cookie"].lower()
    assert client.get("/api/v1/me").json()["email"] == org_a.admin_email
    no_csrf = client.post("/api/v1/customers", json={"email": "x@example.com"})
    assert no_csrf.status_code == 403
    with_csrf = client.post(
        "/api/v1/customers", json={"email": "x@example.com"}, headers={"X-CSRF-Token": csrf}
    )
    assert with_csrf.status_code == 201


def test_security_headers_on_every_response(client: TestClient) -> None:
    r = client.get("/login")
    assert r.status_code == 200
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
