"""Faults the job queue survives (issue #9): a worker killed with SIGKILL in the middle of a job
(another worker redoes it, its effect stored once), and Redis unavailable (the API still takes
interactions, /health says so, and the work is done once Redis is back)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from goodwill import ingest
from goodwill.config import Settings
from goodwill.interactions.models import Interaction
from goodwill.jobs import queue
from goodwill.jobs.models import JobOutbox
from goodwill.main import create_app
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from tests.factories.customers import make_customer
from tests.factories.interactions import interaction_payload, make_interaction
from tests.factories.organisations import OrgContext, make_organisation
from tests.integration.jobs_support import (
    CLOSED_REDIS_URL,
    MARKER_ENV,
    QueueWorld,
    analyses,
    count,
    queue_world,
    stop,
    wait_for,
)

TEXTS = ("My card was declined abroad.", "Still nothing, this is the third time!", "Thanks!")


@pytest.fixture
def world(fresh_engine: Engine, tmp_path: Path) -> Iterator[QueueWorld]:
    with queue_world(fresh_engine, tmp_path) as found:
        yield found


def _messages(world: QueueWorld, org: OrgContext) -> uuid.UUID:
    customer = make_customer(world.factory, org, email="ana@example.com")
    for text in TEXTS:
        make_interaction(world.factory, org, customer_id=customer.id, body=text)
    return customer.id


def test_a_job_killed_mid_way_is_redone_by_another_worker_and_stored_once(
    world: QueueWorld,
) -> None:
    org = make_organisation(world.factory, "Kill Bank")
    _messages(world, org)
    marker = world.home / "mid-job"
    slow = world.start_worker("slow", **{MARKER_ENV: str(marker)})
    survivor = None
    try:
        sent = queue.send(
            settings=world.settings,
            factory=world.factory,
            actor_name=ingest.FOLLOW_UP,
            organisation_id=org.organisation_id,
        )
        assert sent
        wait_for("the slow worker in the middle of the job", marker.exists, world, timeout=90)
        slow.kill()  # SIGKILL: no clean-up, no acknowledgement, an open transaction
        slow.wait()
        # analysed and flushed, never committed: nothing of the killed attempt is stored
        assert count(world, org.organisation_id, MessageAnalysis) == 0
        survivor = world.start_worker()
        wait_for(
            "the job redone by the other worker",
            lambda: count(world, org.organisation_id, MessageEmbedding) == len(TEXTS),
            world,
            timeout=90,
        )
        wait_for("an empty queue", lambda: queue.state(world.settings).depth == 0, world, 15)
    finally:
        stop(slow)
        if survivor is not None:
            stop(survivor)
    found = analyses(world, org.organisation_id)
    assert len(found) == len(set(found))  # every (message, analyser) once
    analysers = {a for _, a in found}
    assert len(found) == len(TEXTS) * len(analysers)
    assert count(world, org.organisation_id, Interaction) == len(TEXTS)
    assert "Traceback" not in world.logs()


def test_with_redis_down_interactions_are_accepted_and_analysed_once_it_is_back(
    world: QueueWorld,
) -> None:
    org = make_organisation(world.factory, "Outage Bank")
    customer_id = _messages(world, org)
    down: Settings = world.settings.model_copy(update={"redis_url": CLOSED_REDIS_URL})
    app = create_app(settings=down, session_factory=world.factory)
    with TestClient(app, base_url="https://testserver") as client:
        posted = client.post(
            "/api/v1/interactions",
            json=interaction_payload(customer_id, body="Are you there? Nobody answers."),
            headers=org.headers,
        )
        assert posted.status_code == 201, posted.text
        health = client.get("/health")
    assert health.status_code == 200
    assert health.json() | {"dead_letters": 0} == {
        "status": "degraded",
        "database": "ok",
        "redis": "unavailable",
        "queue_depth": None,
        "pending": 1,
        "dead_letters": 0,
    }
    assert count(world, org.organisation_id, JobOutbox) == 1
    assert count(world, org.organisation_id, MessageAnalysis) == 0
    worker = world.start_worker()  # Redis is back: the worker sends what was kept
    try:
        wait_for(
            "the kept job done",
            lambda: count(world, org.organisation_id, MessageEmbedding) == len(TEXTS) + 1,
            world,
            timeout=90,
        )
    finally:
        stop(worker)
    assert count(world, org.organisation_id, JobOutbox) == 0
    found = analyses(world, org.organisation_id)
    assert len(found) == len(set(found))
