"""The job queue end to end: an interaction posted to the API is analysed by a real
`goodwill worker` process over the real Redis; without Redis configured, work stays in-process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from goodwill.main import create_app
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from tests.factories.customers import make_customer
from tests.factories.interactions import interaction_payload
from tests.factories.organisations import OrgContext, make_organisation
from tests.integration.jobs_support import QueueWorld, analyses, count, queue_world, stop, wait_for


@pytest.fixture
def world(fresh_engine: Engine, tmp_path: Path) -> Iterator[QueueWorld]:
    with queue_world(fresh_engine, tmp_path) as found:
        yield found


def test_posted_interactions_are_analysed_by_a_worker_process(world: QueueWorld) -> None:
    org = make_organisation(world.factory, "Queue Bank")
    customer = make_customer(world.factory, org, email="ana@example.com")
    app = create_app(settings=world.settings, session_factory=world.factory)
    with TestClient(app, base_url="https://testserver") as client:
        for text in ("My card was declined twice.", "Thank you, it works now!"):
            posted = client.post(
                "/api/v1/interactions",
                json=interaction_payload(customer.id, body=text),
                headers=org.headers,
            )
            assert posted.status_code == 201, posted.text
        # sent to the queue, not run in the request; one waiting job per organisation is enough
        assert count(world, org.organisation_id, MessageAnalysis) == 0
        assert client.get("/health").json()["queue_depth"] == 1
        worker = world.start_worker()
        try:
            wait_for(
                "two analysed messages",
                lambda: count(world, org.organisation_id, MessageEmbedding) == 2,
                world,
                timeout=90,
            )
            empty = lambda: client.get("/health").json()["queue_depth"] == 0  # noqa: E731
            wait_for("an empty queue", empty, world, timeout=15)
            health = client.get("/health").json()
        finally:
            stop(worker)
    assert {m for m, _ in analyses(world, org.organisation_id)} == set(
        _interaction_ids(world, org.organisation_id)
    )
    assert health == {
        "status": "ok",
        "database": "ok",
        "redis": "ok",
        "queue_depth": 0,
        "pending": 0,
        "dead_letters": 0,
    }
    assert worker.returncode == 0, world.logs()


def _interaction_ids(world: QueueWorld, organisation_id: object) -> list[object]:
    from sqlalchemy import select

    from goodwill import tenancy
    from goodwill.interactions.models import Interaction

    with world.factory() as db:
        tenancy.scope(db, organisation_id)  # type: ignore[arg-type]
        return list(db.scalars(select(Interaction.id)))


def test_without_a_broker_work_runs_in_process_and_health_says_so(
    client: TestClient, org_a: OrgContext
) -> None:
    customer = client.post(
        "/api/v1/customers", json={"email": "bo@example.com"}, headers=org_a.headers
    ).json()
    posted = client.post(
        "/api/v1/interactions", json=interaction_payload(customer["id"]), headers=org_a.headers
    )
    assert posted.status_code == 201, posted.text
    analysis = client.get(
        f"/api/v1/interactions/{posted.json()['id']}/analysis", headers=org_a.headers
    )
    assert analysis.json()["analysed"] is True  # done in-process once the request committed
    health = client.get("/health")
    assert health.status_code == 200
    assert health.json() == {
        "status": "ok",
        "database": "ok",
        "redis": "not_configured",
        "queue_depth": None,
        "pending": 0,
        "dead_letters": 0,
    }


def test_the_worker_command_refuses_to_start_without_a_broker(cli_env: Path) -> None:
    from typer.testing import CliRunner

    from goodwill.cli import app as cli_app

    result = CliRunner().invoke(cli_app, ["worker"])
    assert result.exit_code == 1
    assert "GOODWILL_REDIS_URL is not set" in result.output


def test_health_is_503_when_the_database_does_not_answer(tmp_path: Path) -> None:
    from goodwill.config import Settings
    from goodwill.database import make_engine, make_session_factory

    closed = make_engine("postgresql+psycopg://postgres@127.0.0.1:1/none")  # nothing listens
    settings = Settings(home=tmp_path, secret_key="health-test", redis_url=None)
    app = create_app(settings=settings, session_factory=make_session_factory(closed))
    with TestClient(app, base_url="https://testserver") as client:
        health = client.get("/health")
    closed.dispose()
    assert health.status_code == 503
    assert health.json() == {
        "status": "unavailable",
        "database": "unavailable",
        "redis": "not_configured",
        "queue_depth": None,
        "pending": None,
        "dead_letters": None,
    }


def test_a_reason_training_is_queued_then_trained_by_a_worker_process(world: QueueWorld) -> None:
    org = make_organisation(world.factory, "Training Bank")
    examples = [
        {"text": text, "reason": reason}
        for reason, texts in {
            "Card": ("my card has not arrived", "where is my new card", "card still missing"),
            "Top up": ("how do I top up", "add money by transfer", "top up failed"),
        }.items()
        for text in texts
    ]
    app = create_app(settings=world.settings, session_factory=world.factory)
    with TestClient(app, base_url="https://testserver") as client:
        added = client.post("/api/v1/reasons/examples", json=examples, headers=org.headers)
        assert added.status_code == 201, added.text
        queued = client.post("/api/v1/reasons/train", headers=org.headers)
        assert queued.status_code == 202, queued.text
        url = f"/api/v1/reasons/training/{queued.json()['id']}"
        assert client.get(url, headers=org.headers).json()["state"] == "queued"
        worker = world.start_worker()
        try:
            done = lambda: client.get(url, headers=org.headers).json()["state"] == "done"  # noqa: E731
            wait_for("a trained reason model", done, world, timeout=120)
            trained = client.get(url, headers=org.headers).json()
        finally:
            stop(worker)
    assert trained["model"]["version"] == 1
    assert trained["model"]["example_count"] == 6
    assert worker.returncode == 0, world.logs()
