"""One organisation's analysis backlog shared by several workers (issue #9), on PostgreSQL.

Batches are claimed with ``FOR NO KEY UPDATE SKIP LOCKED``: two sessions take disjoint batches,
a batch whose holder rolled back (a killed worker) is claimed again, and real `goodwill worker`
processes on the real Redis analyse one organisation's backlog together, each message once,
including the batch of a worker killed while it held it.
"""

from __future__ import annotations

import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from goodwill import ingest, migrations, tenancy
from goodwill.database import make_session_factory, unit_of_work, utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions import service as interaction_service
from goodwill.interactions.models import Interaction
from goodwill.interactions.schemas import InteractionCreate
from goodwill.jobs import queue
from goodwill.messages import flows
from goodwill.messages import service as message_service
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from tests.factories.customers import make_customer
from tests.factories.organisations import OrgContext, make_organisation
from tests.integration.jobs_support import (
    MARKER_ENV,
    REPO,
    QueueWorld,
    analyses,
    count,
    queue_world,
    stop,
    wait_for,
)

pytestmark = pytest.mark.parametrize("fresh_engine", ["postgresql"], indirect=True)

TEXTS = (
    "My card was declined abroad",
    "I was charged twice for one order",
    "Thanks a lot, it works now",
    "Where is my refund? Third time I ask",
    "The app crashes when I log in",
)
BATCH = 32
PACE_SECONDS = 0.5
JOB_LINE = re.compile(r"(?:follow_up|analyse_backlog) of organisation (\S+) in .*analysed=(\d+)")


def _backlog(factory: sessionmaker[Session], org: OrgContext, messages: int) -> list[uuid.UUID]:
    """``messages`` inbound messages of a few customers, stored in one transaction; their ids."""
    customers = [make_customer(factory, org).id for _ in range(4)]
    with unit_of_work(factory) as db:
        tenancy.scope(db, org.organisation_id)
        for i in range(messages):
            payload = {
                "kind": "message",
                "channel": "email",
                "direction": "inbound",
                "occurred_at": (utcnow() - timedelta(minutes=i)).isoformat(),
                "body": f"{TEXTS[i % len(TEXTS)]} (#{i})",
                "customer_id": str(customers[i % len(customers)]),
            }
            interaction_in = InteractionCreate.model_validate(payload)
            interaction_service.create(db=db, interaction_in=interaction_in)
    with factory() as db:
        tenancy.scope(db, org.organisation_id)
        return list(db.scalars(select(Interaction.id).order_by(Interaction.id)))


def _scoped(factory: sessionmaker[Session], org: OrgContext) -> Session:
    return tenancy.scope(factory(), org.organisation_id)


# --- the claim, in-process with two sessions ---


@pytest.fixture
def factory(fresh_engine: Engine) -> sessionmaker[Session]:
    migrations.upgrade(fresh_engine)
    return make_session_factory(fresh_engine)


def test_a_second_session_skips_the_batch_the_first_holds(
    factory: sessionmaker[Session],
) -> None:
    org = make_organisation(factory, "Claim Bank")
    ids = _backlog(factory, org, 10)
    pipeline = flows.shared_pipeline()
    first, second, third = (_scoped(factory, org) for _ in range(3))
    try:
        held = message_service.claim_new(db=first, cursor=message_service.Cursor(), batch_size=4)
        assert [r.id for r in held] == ids[:4]
        second.execute(text("SET lock_timeout = '5s'"))  # waiting for the held rows would fail
        cursor = message_service.Cursor()
        done = [
            flows.analyse_stored(db=second, pipeline=pipeline, batch_size=4, claim=cursor)
            for _ in range(3)
        ]
        assert done == [4, 2, 0]  # the held batch skipped, never waited for
        assert cursor.exhausted
        analysed = set(second.scalars(select(MessageEmbedding.interaction_id)))
        assert analysed == set(ids[4:])
        assert message_service.count_claimable(db=third, limit=100) == 0  # all held
        third.rollback()
        first.rollback()
        assert message_service.count_claimable(db=third, limit=100) == 4
        third.rollback()
        second.commit()
        assert message_service.count_claimable(db=third, limit=100) == 4
    finally:
        for session in (first, second, third):
            session.close()


def test_a_batch_released_without_analyses_is_claimed_again_and_a_stored_one_is_not(
    factory: sessionmaker[Session],
) -> None:
    org = make_organisation(factory, "Release Bank")
    ids = _backlog(factory, org, 6)
    pipeline = flows.shared_pipeline()
    killed, stored = _scoped(factory, org), _scoped(factory, org)
    try:
        held = message_service.claim_new(db=killed, cursor=message_service.Cursor(), batch_size=3)
        assert [r.id for r in held] == ids[:3]
        cursor = message_service.Cursor()
        done = flows.analyse_stored(db=stored, pipeline=pipeline, batch_size=3, claim=cursor)
        stored.commit()
        assert done == 3
        killed.rollback()  # what the server does when a killed worker's connection closes
    finally:
        killed.close()
        stored.close()
    with _scoped(factory, org) as db:
        assert message_service.count_claimable(db=db, limit=100) == 3
        again = message_service.claim_new(db=db, cursor=message_service.Cursor(), batch_size=10)
        assert [r.id for r in again] == ids[:3]


def test_claiming_analyses_new_messages_only(factory: sessionmaker[Session]) -> None:
    org = make_organisation(factory, "Mode Bank")
    with _scoped(factory, org) as db, pytest.raises(InvalidInput, match="new messages only"):
        flows.analyse_stored(
            db=db, pipeline=flows.shared_pipeline(), mode="all", claim=message_service.Cursor()
        )


def test_analyse_claimed_stores_every_message_once_in_batches(
    factory: sessionmaker[Session],
) -> None:
    org = make_organisation(factory, "Loop Bank")
    ids = _backlog(factory, org, 70)
    full: list[uuid.UUID] = []
    analysed = flows.analyse_claimed(
        factory, org.organisation_id, batch_size=BATCH, on_full=full.append
    )
    assert analysed == 70
    assert full == [ids[BATCH - 1]]  # once, where the first full batch ends
    with _scoped(factory, org) as db:
        rows = db.execute(select(MessageAnalysis.interaction_id, MessageAnalysis.analyser)).all()
        embedded = set(db.scalars(select(MessageEmbedding.interaction_id)))
    assert embedded == set(ids)
    assert len(rows) == len(set(rows)) == len(ids) * len({a for _, a in rows})
    assert flows.analyse_claimed(factory, org.organisation_id, batch_size=BATCH) == 0


def test_the_analyse_new_command_claims_batches_beside_a_holder(
    factory: sessionmaker[Session], fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`goodwill analyse --new` run beside workers skips the batch one of them holds (the plain
    read it did before analysed those rows too, and the holder's commit then hit the unique key)."""
    from typer.testing import CliRunner

    from goodwill.cli import app

    org = make_organisation(factory, "Command Bank")
    ids = _backlog(factory, org, 12)
    monkeypatch.setenv(
        "GOODWILL_DATABASE_URL", fresh_engine.url.render_as_string(hide_password=False)
    )
    monkeypatch.setenv("GOODWILL_ANALYSIS_BATCH_SIZE", "3")
    holder = _scoped(factory, org)
    try:
        held = message_service.claim_new(db=holder, cursor=message_service.Cursor(), batch_size=4)
        result = CliRunner().invoke(app, ["analyse", "--new"])
        assert result.exit_code == 0, result.output
        assert "analysed 8 message(s)" in result.output
        flows.analyse_stored(
            db=holder,
            pipeline=flows.shared_pipeline(),
            claim=message_service.Cursor(),
            batch_size=4,
        )
        holder.commit()  # the holder's own analyses of its batch: no clash
    finally:
        holder.close()
    assert [r.id for r in held] == ids[:4]
    with _scoped(factory, org) as db:
        assert set(db.scalars(select(MessageEmbedding.interaction_id))) == set(ids)


# --- worker processes ---


@pytest.fixture
def world(fresh_engine: Engine, tmp_path: Path) -> Iterator[QueueWorld]:
    with queue_world(fresh_engine, tmp_path) as found:
        yield found


def test_helpers_are_sent_for_the_rest_of_the_backlog_and_bounded_while_they_wait(
    fresh_engine: Engine, tmp_path: Path
) -> None:
    with queue_world(fresh_engine, tmp_path, analysis_batch_size=4) as world:
        org = make_organisation(world.factory, "Helper Bank")
        ids = _backlog(world.factory, org, 15)
        helpers = world.settings.model_copy(update={"analysis_fan_out_jobs": 2})

        def send(after: uuid.UUID) -> int:
            return ingest.send_helpers(
                world.factory, org.organisation_id, settings=helpers, after=after
            )

        assert send(ids[3]) == 2  # 11 messages after the first batch: 3 batches, 2 helpers at most
        assert send(ids[3]) == 0  # two wait already
        queue.mark_started(
            settings=world.settings,
            client=queue.sending_broker(world.settings).client,
            actor_name=ingest.ANALYSE_BACKLOG,
            organisation_id=str(org.organisation_id),
            counted=True,
        )
        assert send(ids[3]) == 1  # one started: one more may wait
        assert send(ids[-1]) == 0  # nothing behind the batch: no helper
        assert queue.state(world.settings).depth == 3


def _shares(world: QueueWorld, organisation_id: uuid.UUID) -> list[int]:
    """Messages each worker process analysed, from its job log lines (one log per process)."""
    shares = []
    for log in sorted(world.home.glob("worker-*.log"), key=lambda p: p.stat().st_ctime):
        lines = JOB_LINE.findall(log.read_text(errors="replace"))
        shares.append(sum(int(n) for org, n in lines if org == str(organisation_id)))
    return shares


def _follow_up(world: QueueWorld, org: OrgContext) -> None:
    assert queue.send(
        settings=world.settings,
        factory=world.factory,
        actor_name=ingest.FOLLOW_UP,
        organisation_id=org.organisation_id,
    )


def _assert_each_message_analysed_once(world: QueueWorld, org: OrgContext, total: int) -> None:
    found = analyses(world, org.organisation_id)
    assert len(found) == len(set(found))  # every (message, analyser) once
    assert len({m for m, _ in found}) == total
    assert len(found) == total * len({a for _, a in found})
    assert sum(_shares(world, org.organisation_id)) == total  # nobody analysed a message twice


def _start_paced_worker(world: QueueWorld, **env: str) -> subprocess.Popen[bytes]:
    """A `goodwill worker` of :func:`_paced_worker`, logging where ``world.logs`` reads."""
    command = [sys.executable, "-m", "tests.integration.test_jobs_fan_out", "paced"]
    with (world.home / f"worker-{secrets.token_hex(3)}.log").open("wb") as log:
        return subprocess.Popen(
            command, cwd=REPO, env=world.env(**env), stdout=log, stderr=subprocess.STDOUT
        )


def _paced_worker() -> None:
    """A worker whose batches take at least ``PACE_SECONDS`` (a sleep before the commit): on an
    idle machine one worker could otherwise analyse a small backlog before the other one has
    taken its job and loaded its models, and the test would prove nothing about sharing."""
    real = flows.analyse_stored

    def paced(**kwargs: Any) -> int:
        done = real(**kwargs)
        time.sleep(PACE_SECONDS)
        return done

    flows.analyse_stored = paced


def test_two_workers_analyse_one_organisations_backlog_together(world: QueueWorld) -> None:
    org = make_organisation(world.factory, "Backlog Bank")
    batch = 16
    total = 12 * batch  # one worker alone: 6 s at least
    _backlog(world.factory, org, total)
    env = {"GOODWILL_ANALYSIS_BATCH_SIZE": str(batch)}
    workers = [_start_paced_worker(world, **env) for _ in range(2)]
    try:
        up = lambda: world.logs().count("worker started") == 2  # noqa: E731
        wait_for("two workers up", up, world, timeout=60)
        _follow_up(world, org)
        wait_for(
            "every message analysed",
            lambda: count(world, org.organisation_id, MessageEmbedding) == total,
            world,
            timeout=180,
        )
        wait_for("an empty queue", lambda: queue.state(world.settings).depth == 0, world, 60)
    finally:
        for worker in workers:
            stop(worker)
    shares = _shares(world, org.organisation_id)
    assert len(shares) == 2
    assert all(share > 0 for share in shares), shares
    _assert_each_message_analysed_once(world, org, total)
    assert "Traceback" not in world.logs()


def test_the_batch_of_a_worker_killed_holding_it_is_analysed_by_the_other(
    world: QueueWorld,
) -> None:
    org = make_organisation(world.factory, "Killed Bank")
    total = 6 * BATCH
    _backlog(world.factory, org, total)
    marker = world.home / "holding-a-batch"
    env = {"GOODWILL_ANALYSIS_BATCH_SIZE": str(BATCH)}
    holder = world.start_worker("slow", **env, **{MARKER_ENV: str(marker)})
    other = None
    try:
        _follow_up(world, org)  # the holder takes it, sends helpers, claims the first batch
        wait_for("a worker holding a batch", marker.exists, world, timeout=90)
        other = world.start_worker(**env)
        wait_for(
            "the other worker done with every batch but the held one",
            lambda: count(world, org.organisation_id, MessageEmbedding) == total - BATCH,
            world,
            timeout=180,
        )
        holder.kill()  # SIGKILL: its connection closes, the server releases the batch
        holder.wait()
        wait_for(
            "the held batch analysed by the other worker",
            lambda: count(world, org.organisation_id, MessageEmbedding) == total,
            world,
            timeout=120,
        )
        wait_for("an empty queue", lambda: queue.state(world.settings).depth == 0, world, 60)
    finally:
        stop(holder)
        if other is not None:
            stop(other)
    assert _shares(world, org.organisation_id) == [0, total]  # the holder committed nothing
    _assert_each_message_analysed_once(world, org, total)


if __name__ == "__main__":
    {"paced": _paced_worker}[sys.argv[1]]()
    from goodwill.cli import app

    app(["worker", "--threads", "1"])
