"""A web request's SQL is bounded on PostgreSQL: a runaway query is stopped and answered 503.

At a million customers a page's query once ran on for 40 minutes after its client had given up.
The limit is ``SET LOCAL`` per transaction, so it must also never stay on the pooled connection.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from goodwill.config import Settings
from goodwill.database import make_engine, make_session_factory
from goodwill.dependencies import DbSession
from goodwill.main import create_app
from tests.conftest import postgres_url


def _app_with_probe(settings: Settings, url: str) -> tuple[FastAPI, Engine]:
    engine = make_engine(url)
    app = create_app(settings=settings, session_factory=make_session_factory(engine))

    @app.get("/api/v1/_probe/sleep")
    def sleep(db: DbSession, seconds: float) -> dict[str, str]:
        if db.get_bind().dialect.name != "postgresql":
            return {"statement_timeout": "none"}
        db.execute(text("SELECT pg_sleep(:s)"), {"s": seconds})
        return {"statement_timeout": str(db.execute(text("SHOW statement_timeout")).scalar())}

    return app, engine


@pytest.fixture
def pg_client(tmp_path: Path) -> Iterator[tuple[TestClient, Engine]]:
    settings = Settings(
        home=tmp_path / "home", secret_key="test-secret", request_statement_timeout_ms=300
    )
    app, engine = _app_with_probe(settings, postgres_url())
    with TestClient(app, base_url="https://testserver") as client:
        yield client, engine
    engine.dispose()


def test_a_runaway_statement_is_stopped_and_answered_503(
    pg_client: tuple[TestClient, Engine],
) -> None:
    client, _ = pg_client
    started = time.monotonic()
    response = client.get("/api/v1/_probe/sleep", params={"seconds": 20})
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert "GOODWILL_REQUEST_STATEMENT_TIMEOUT_MS" in response.json()["detail"]
    assert "300 ms" in response.json()["detail"]
    assert response.headers["Retry-After"] == "30"
    assert elapsed < 10, f"the statement ran {elapsed:.1f} s despite the 300 ms limit"


def test_a_quick_request_runs_under_the_limit_and_the_limit_does_not_leak(
    pg_client: tuple[TestClient, Engine],
) -> None:
    client, engine = pg_client
    response = client.get("/api/v1/_probe/sleep", params={"seconds": 0})
    assert (response.status_code, response.json()) == (200, {"statement_timeout": "300ms"})

    # the pooled connection the request used is handed on without the limit
    with engine.connect() as connection:
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "0"


def test_no_limit_when_set_to_zero(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path / "home", secret_key="test-secret", request_statement_timeout_ms=0
    )
    app, engine = _app_with_probe(settings, postgres_url())
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/api/v1/_probe/sleep", params={"seconds": 0.5})
    engine.dispose()
    assert (response.status_code, response.json()) == (200, {"statement_timeout": "0"})


def test_sqlite_requests_are_not_limited(tmp_path: Path) -> None:
    settings = Settings(
        home=tmp_path / "home", secret_key="test-secret", request_statement_timeout_ms=1
    )
    app, engine = _app_with_probe(settings, f"sqlite:///{tmp_path / 'probe.sqlite3'}")
    with TestClient(app, base_url="https://testserver") as client:
        response = client.get("/api/v1/_probe/sleep", params={"seconds": 0})
    engine.dispose()
    assert (response.status_code, response.json()) == (200, {"statement_timeout": "none"})
