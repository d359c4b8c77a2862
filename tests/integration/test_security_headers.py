"""Headers that protect what the app answers: no caching of data (ASVS 8.2.1)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from goodwill.main import API_PREFIX
from tests.factories.organisations import OrgContext


def test_answers_with_data_are_not_cached_but_static_files_may_be(
    client: TestClient, org_a: OrgContext
) -> None:
    api = client.get(f"{API_PREFIX}/customers", headers=org_a.headers)
    assert api.headers["cache-control"] == "no-store"
    assert client.get("/login").headers["cache-control"] == "no-store"
    assert "no-store" not in client.get("/static/goodwill.css").headers.get("cache-control", "")
