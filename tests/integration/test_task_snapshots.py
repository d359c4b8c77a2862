"""Today's next conversations come from a stored snapshot: computed on the first visit, shown
as stored while fresh, computed again after the request once stale (or at once with ?fresh=1),
actions applied on every read, and forgotten when a customer is erased."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill.cli import app
from goodwill.cli_support import organisation_session
from goodwill.cli_support import session_factory as cli_sessions
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import utcnow
from goodwill.main import API_PREFIX
from goodwill.organisations.models import Member
from goodwill.relationships import task_snapshots
from goodwill.relationships.models import TaskSnapshot
from goodwill.relationships.task_snapshots import FRESH
from tests.factories.customers import org_session
from tests.integration.conftest import World
from tests.web_support import sign_in

STORED_REASON = "A reason only the stored snapshot holds"


def _snapshot(session_factory: sessionmaker[Session], world: World) -> TaskSnapshot | None:
    with org_session(session_factory, world.a.ctx) as db:
        return db.get(TaskSnapshot, (world.a.ctx.organisation_id, world.a.ids["member"]))


def _rewrite(session_factory: sessionmaker[Session], world: World, *, age: timedelta) -> None:
    """Mark the stored snapshot so a page that shows it can be told from one computed anew."""
    with org_session(session_factory, world.a.ctx) as db:
        snapshot = db.get(TaskSnapshot, (world.a.ctx.organisation_id, world.a.ids["member"]))
        assert snapshot is not None
        tasks = [dict(t, reason=STORED_REASON) for t in snapshot.tasks]
        db.execute(
            update(TaskSnapshot)
            .where(TaskSnapshot.member_id == snapshot.member_id)
            .values(tasks=tasks, computed_at=utcnow() - age)
        )


def test_the_first_visit_computes_and_stores_the_list(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    assert _snapshot(session_factory, world) is None
    sign_in(client, world.a.values["member_email"])
    page = client.get("/").text
    assert "Suggested opening" in page
    stored = _snapshot(session_factory, world)
    assert stored is not None
    assert stored.tasks, "the owner of the world's relationship has a task"
    assert {t["relationship_id"] for t in stored.tasks} == {str(world.a.ids["relationship"])}
    with org_session(session_factory, world.b.ctx) as db:  # nothing stored for the other org
        assert db.scalar(select(func.count()).select_from(TaskSnapshot)) == 0


def test_a_fresh_list_is_shown_as_stored_and_a_stale_one_is_computed_after_the_request(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.values["member_email"])
    _rewrite(session_factory, world, age=timedelta(minutes=1))
    assert STORED_REASON in client.get("/").text  # fresh: read, not computed
    _rewrite(session_factory, world, age=FRESH + timedelta(minutes=1))
    stale = client.get("/").text
    assert STORED_REASON in stale  # shown at once ...
    assert "being brought up to date" in stale
    after = _snapshot(session_factory, world)  # ... and computed again after the request
    assert after is not None
    assert utcnow() - after.computed_at < FRESH
    assert all(t["reason"] != STORED_REASON for t in after.tasks)
    assert STORED_REASON not in client.get("/").text


def test_fresh_1_lists_them_again_now(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.values["member_email"])
    _rewrite(session_factory, world, age=timedelta(minutes=1))
    assert STORED_REASON not in client.get("/?fresh=1").text


def test_a_task_acted_on_disappears_at_once_from_the_stored_list(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.values["member_email"])
    assert "Suggested opening" in client.get("/").text
    stored = _snapshot(session_factory, world)
    assert stored is not None
    rel = world.a.ids["relationship"]
    for task in stored.tasks:
        done = client.post(
            f"{API_PREFIX}/relationships/{rel}/next-conversations/actions",
            json={"task_id": task_snapshots.load(task).task_id, "action": "done"},
            headers=world.a.ctx.headers,
        )
        assert done.status_code == 201, done.text
    page = client.get("/").text
    assert "No conversations are waiting on you today." in page
    unchanged = _snapshot(session_factory, world)
    assert unchanged is not None
    assert unchanged.computed_at == stored.computed_at  # the same stored list, read again


def test_erasing_a_customer_forgets_the_stored_lists(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.values["member_email"])
    client.get("/")
    assert _snapshot(session_factory, world) is not None
    customer = world.a.ids["customer"]
    erased = client.delete(f"{API_PREFIX}/customers/{customer}", headers=world.a.ctx.headers)
    assert erased.status_code in (200, 204), erased.text
    assert _snapshot(session_factory, world) is None


def test_the_cli_computes_every_owners_list(cli_env: Path) -> None:
    runner = CliRunner()
    init = ["init", "--org-name", "Test Co", "--admin-email", "ada@test.example"]
    init += ["--admin-password", "a long demo password 42", "--domain", "test.example"]
    assert runner.invoke(app, init).exit_code == 0
    with organisation_session(cli_sessions(), None) as db:
        admin = db.scalars(select(Member)).one()
        customer_in = CustomerCreate(email="quiet@example.com", owner_member_id=admin.id)
        customer_service.create(db=db, customer_in=customer_in)
    result = runner.invoke(app, ["today", "refresh"])
    assert result.exit_code == 0, result.output
    assert f"member {admin.id}:" in result.output
    with organisation_session(cli_sessions(), None) as db:
        stored = db.scalars(select(TaskSnapshot)).one()
        assert stored.member_id == admin.id


def test_an_older_list_never_replaces_a_newer_one(
    client: TestClient, world: World, session_factory: sessionmaker[Session]
) -> None:
    sign_in(client, world.a.values["member_email"])
    client.get("/?fresh=1")
    newer = _snapshot(session_factory, world)
    assert newer is not None
    org, member = world.a.ctx.organisation_id, world.a.ids["member"]
    earlier = newer.computed_at - timedelta(seconds=30)  # a slower request that began before
    task_snapshots.store_apart(session_factory, org, member, earlier, [])
    kept = _snapshot(session_factory, world)
    assert kept is not None
    assert (kept.computed_at, len(kept.tasks)) == (newer.computed_at, len(newer.tasks))
    later_on = newer.computed_at + timedelta(seconds=30)
    task_snapshots.store_apart(session_factory, org, member, later_on, [])
    replaced = _snapshot(session_factory, world)
    assert replaced is not None
    assert (replaced.computed_at, replaced.tasks) == (later_on, [])
