"""PostgreSQL restarted while the app and a worker run (issue #9): during the outage every
request fails cleanly (503 with a JSON error, never a 500) and a job sent to Redis waits (or is
retried, if the worker takes it); once the server is back everything resumes with no manual
action: the app's pool replaces its dead connections (``pool_pre_ping``), the worker does the job.

The shared server at 127.0.0.1:5432 serves everyone's tests, so this test runs a PostgreSQL of
its own (initdb and pg_ctl from /usr/local/bin, as the ``postgres`` user when run as root) on a
free port, and stops it with ``pg_ctl stop -m fast`` as an operator's restart would.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from goodwill import ingest
from goodwill.database import make_engine
from goodwill.jobs import queue
from goodwill.main import create_app
from goodwill.messages.models import MessageEmbedding
from tests.factories.customers import make_customer
from tests.factories.interactions import interaction_payload, make_interaction
from tests.factories.organisations import make_organisation
from tests.integration.jobs_support import QueueWorld, count, queue_world, stop, wait_for

PG_BIN = Path(os.environ.get("GOODWILL_TEST_PG_BIN", "/usr/local/bin"))
OUTAGE_ANSWER = {"detail": "the database is unavailable for the moment; try again shortly"}


class ServerError(RuntimeError):
    """initdb or pg_ctl failed (their output says why)."""


@dataclass
class PrivateServer:
    """A PostgreSQL server of this test alone: its data folder, port and pg_ctl."""

    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, *args: str) -> None:
        """A PostgreSQL program as the server's owner (initdb and postgres refuse root)."""
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        done = subprocess.run([*as_owner, *args], capture_output=True, timeout=120, check=False)
        if done.returncode != 0:
            output = (done.stdout + done.stderr).decode(errors="replace")
            raise ServerError(f"{Path(args[0]).name} {args[1]} failed:\n{output}")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder} -c fsync=off"
        data, log = str(self.folder / "data"), str(self.folder / "server.log")
        self.run(str(PG_BIN / "pg_ctl"), "start", "-w", "-D", data, "-l", log, "-o", options)

    def stop(self, mode: str = "fast") -> None:
        self.run(str(PG_BIN / "pg_ctl"), "stop", "-w", "-m", mode, "-D", str(self.folder / "data"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def private_server() -> Iterator[PrivateServer]:
    if not (PG_BIN / "initdb").exists() or not (PG_BIN / "pg_ctl").exists():
        reason = f"no initdb and pg_ctl in {PG_BIN} (set GOODWILL_TEST_PG_BIN)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL's programs are required in CI: {reason}")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="goodwill-pg-"))  # pytest's tmp_path is root's only
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    server = PrivateServer(folder, _free_port())
    server.run(str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust")
    server.start()
    try:
        yield server
    finally:
        with contextlib.suppress(ServerError):  # a failure may have left it stopped
            server.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def world(private_server: PrivateServer, tmp_path: Path) -> Iterator[QueueWorld]:
    """A migrated database on the private server, Redis, and retries that outlast a restart."""
    engine: Engine = make_engine(private_server.url)
    try:
        with queue_world(
            engine, tmp_path, job_max_retries=20, job_min_backoff_ms=200, job_max_backoff_ms=1000
        ) as found:
            yield found
    finally:
        engine.dispose()


def test_a_restart_gives_clean_503s_then_everything_resumes_by_itself(
    private_server: PrivateServer, world: QueueWorld
) -> None:
    org = make_organisation(world.factory, "Restart Bank")
    customer = make_customer(world.factory, org, email="ana@example.com")
    # stored without a job: only the job sent during the outage can analyse it
    make_interaction(world.factory, org, customer_id=customer.id, body="My card was declined.")
    worker = world.start_worker()
    app = create_app(settings=world.settings, session_factory=world.factory)
    one = f"/api/v1/customers/{customer.id}"
    try:
        with TestClient(app, base_url="https://testserver") as client:
            assert client.get(one, headers=org.headers).status_code == 200  # a pooled connection
            private_server.stop("fast")  # a restart while nobody asks: the pool keeps a dead
            private_server.start()  # connection, which pre-ping replaces on the next checkout
            assert client.get(one, headers=org.headers).status_code == 200

            private_server.stop("fast")
            assert queue.send(  # Redis is up: the job waits there, the worker takes it, retries
                settings=world.settings,
                factory=world.factory,
                actor_name=ingest.FOLLOW_UP,
                organisation_id=org.organisation_id,
            )
            _assert_outage_answers(client, org.headers, customer.id)

            private_server.start()
            # the very next requests succeed: no restart of the app, no retry by the caller
            again = client.get(one, headers=org.headers)
            assert again.status_code == 200, again.text
            renamed = client.patch(one, json={"name": "Ana"}, headers=org.headers)
            assert (renamed.status_code, renamed.json()["name"]) == (200, "Ana")
            assert client.get("/health").json()["database"] == "ok"
        wait_for(
            "the job sent during the outage to be done",
            lambda: count(world, org.organisation_id, MessageEmbedding) == 1,
            world,
            timeout=120,
        )
        assert worker.poll() is None, "the worker did not survive the outage"
    finally:
        stop(worker)


def _assert_outage_answers(
    client: TestClient, headers: dict[str, str], customer_id: uuid.UUID
) -> None:
    """Reads and writes answer 503 with one clear JSON error; /health says the database is down."""
    read = client.get("/api/v1/customers", headers=headers)
    assert (read.status_code, read.json()) == (503, OUTAGE_ANSWER)
    assert read.headers["Retry-After"] == "5"
    write = client.post(
        "/api/v1/interactions",
        json=interaction_payload(customer_id, body="Hello? Anyone?"),
        headers=headers,
    )
    assert (write.status_code, write.json()) == (503, OUTAGE_ANSWER)
    health = client.get("/health")
    assert (health.status_code, health.json()["database"]) == (503, "unavailable")
