"""Dead letters: a job that fails every retry is kept, shown to admins (not to agents) and can be
sent again; the retried job then does its work."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from goodwill import ingest
from goodwill.jobs import queue
from goodwill.jobs.models import JobDeadLetter
from goodwill.main import create_app
from goodwill.messages.models import MessageEmbedding
from goodwill.types import Role
from tests.factories.customers import make_customer
from tests.factories.interactions import make_interaction
from tests.factories.organisations import add_member, make_organisation
from tests.integration.jobs_support import QueueWorld, count, queue_world, stop, wait_for

URL = "/api/v1/jobs/dead-letters"


@pytest.fixture
def world(fresh_engine: Engine, tmp_path: Path) -> Iterator[QueueWorld]:
    with queue_world(fresh_engine, tmp_path, job_max_retries=2) as found:
        yield found


def test_a_job_failing_every_retry_becomes_a_dead_letter_an_admin_can_retry(
    world: QueueWorld,
) -> None:
    org = make_organisation(world.factory, "Dead Bank")
    other = make_organisation(world.factory, "Other Bank")
    _, agent_token = add_member(world.factory, org, "agent@dead.example", Role.AGENT)
    customer = make_customer(world.factory, org, email="ana@example.com")
    make_interaction(world.factory, org, customer_id=customer.id, body="Where is my refund?")
    failing = world.start_worker("fail")
    try:
        assert queue.send(
            settings=world.settings,
            factory=world.factory,
            actor_name=ingest.FOLLOW_UP,
            organisation_id=org.organisation_id,
        )
        wait_for(
            "a dead letter",
            lambda: count(world, org.organisation_id, JobDeadLetter) == 1,
            world,
            timeout=90,
        )
    finally:
        stop(failing)
    assert world.logs().count("Retrying message") == 2  # with backoff, then given up
    app = create_app(settings=world.settings, session_factory=world.factory)
    worker = world.start_worker()
    try:
        with TestClient(app, base_url="https://testserver") as client:
            agent = {"Authorization": f"Bearer {agent_token}"}
            assert client.get(URL, headers=agent).status_code == 403
            assert client.get(URL, headers=other.headers).json() == []
            assert client.get("/health").json()["dead_letters"] == 1
            (dead,) = client.get(URL, headers=org.headers).json()
            assert dead["attempts"] == 3  # the first run and two retries
            assert dead["error"].startswith("RuntimeError: test fault in the job of")
            assert dead["organisation_id"] == str(org.organisation_id)
            assert dead["actor_name"] == "follow_up"
            assert dead["retried_at"] is None
            retry = f"{URL}/{dead['id']}/retry"
            assert client.post(retry, headers=agent).status_code == 403
            assert client.post(retry, headers=other.headers).status_code == 404
            retried = client.post(retry, headers=org.headers)
            assert retried.status_code == 202, retried.text
            assert retried.json()["retried_at"] is not None
            assert client.post(retry, headers=org.headers).status_code == 409
            wait_for(
                "the retried job done",
                lambda: count(world, org.organisation_id, MessageEmbedding) == 1,
                world,
                timeout=90,
            )
            assert client.get("/health").json()["dead_letters"] == 0
    finally:
        stop(worker)
