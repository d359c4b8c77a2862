"""POST /api/v1/imports: roles, a refused file, the size limit."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from goodwill.config import Settings
from goodwill.customers.models import Customer
from goodwill.main import create_app
from goodwill.types import Role
from tests.factories.imports import count_rows
from tests.factories.organisations import OrgContext, add_member

CUSTOMERS = b"external_id,name,email\nC-1,Maria,maria@foo.example\nC-2,Bo,bo@bar.example\n"


def test_an_admin_imports_a_file_and_gets_what_was_created(
    client: TestClient, org_a: OrgContext
) -> None:
    r = client.post(
        "/api/v1/imports",
        files={"file": ("export.csv", CUSTOMERS, "text/csv")},
        data={"kind": "customers"},
        headers=org_a.headers,
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert set(body) == {"import_id", "source", "created", "skipped"}
    assert body["source"] == "export.csv"
    assert body["created"] == {"accounts": 0, "customers": 2, "conversations": 0, "interactions": 0}
    listed = client.get("/api/v1/customers", headers=org_a.headers).json()["items"]
    assert sorted(c["external_id"] for c in listed) == ["C-1", "C-2"]
    again = client.post(
        "/api/v1/imports",
        files={"file": ("customers.csv", CUSTOMERS, "text/csv")},
        headers=org_a.headers,
    )
    assert again.status_code == 201
    assert again.json()["skipped"]["customers"] == 2


def test_managers_may_import_agents_may_not(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _, agent = add_member(session_factory, org_a, "agent@acme-money.example", Role.AGENT)
    _, manager = add_member(session_factory, org_a, "manager@acme-money.example", Role.MANAGER)
    files = {"file": ("customers.csv", CUSTOMERS, "text/csv")}
    r = client.post("/api/v1/imports", files=files, headers={"Authorization": f"Bearer {agent}"})
    assert r.status_code == 403
    assert "manager" in r.json()["detail"]
    r = client.post("/api/v1/imports", files=files, headers={"Authorization": f"Bearer {manager}"})
    assert r.status_code == 201


def test_a_refused_file_is_422_with_every_bad_row_and_stores_nothing(
    client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    data = (
        b"external_id,email,customer_since\n"
        b"C-1,maria@foo.example,\nC-2,bad,2026-99-01\n,x@y.example,\n"
    )
    r = client.post(
        "/api/v1/imports",
        files={"file": ("customers.csv", data, "text/csv")},
        headers=org_a.headers,
    )
    assert r.status_code == 422
    body = r.json()
    assert body["total_errors"] == 3
    assert body["errors"] == [
        {"line": 3, "field": "email", "reason": "'bad' is not an e-mail address"},
        {
            "line": 3,
            "field": "customer_since",
            "reason": "'2026-99-01' is not an ISO 8601 time (e.g. 2026-03-01T14:05:00Z)",
        },
        {"line": 4, "field": "external_id", "reason": "missing: this field is required"},
    ]
    assert body["detail"].startswith("customers.csv: 3 bad row(s), nothing imported")
    assert count_rows(session_factory, org_a, Customer) == 0


def test_a_request_without_a_file_or_with_an_unknown_kind_is_422(
    client: TestClient, org_a: OrgContext
) -> None:
    r = client.post("/api/v1/imports", data={"kind": "customers"}, headers=org_a.headers)
    assert r.status_code == 422
    assert "multipart field 'file'" in r.json()["detail"]
    r = client.post(
        "/api/v1/imports",
        files={"file": ("x.csv", CUSTOMERS, "text/csv")},
        data={"kind": "widgets"},
        headers=org_a.headers,
    )
    assert r.status_code == 422
    assert "unknown kind 'widgets'" in r.json()["detail"]


@pytest.fixture
def small_client(
    settings: Settings, session_factory: sessionmaker[Session]
) -> Iterator[TestClient]:
    app = create_app(
        settings=settings.model_copy(update={"max_upload_bytes": 100 * 1024}),
        session_factory=session_factory,
    )
    with TestClient(app, base_url="https://testserver") as test_client:
        yield test_client


def test_an_upload_over_the_limit_is_413_with_the_limit(
    small_client: TestClient, session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    big = CUSTOMERS + b"".join(f"C-{i},N,n{i}@x.example\n".encode() for i in range(3, 20000))
    r = small_client.post(
        "/api/v1/imports",
        files={"file": ("customers.csv", big, "text/csv")},
        headers=org_a.headers,
    )
    assert r.status_code == 413
    assert "over the upload limit of 100 KiB (GOODWILL_MAX_UPLOAD_BYTES)" in r.json()["detail"]
    assert count_rows(session_factory, org_a, Customer) == 0
    ok = small_client.post(
        "/api/v1/imports",
        files={"file": ("customers.csv", CUSTOMERS, "text/csv")},
        headers=org_a.headers,
    )
    assert ok.status_code == 201
