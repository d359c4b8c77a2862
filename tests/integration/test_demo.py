"""Building the demo organisation through the real importer, and signing in to it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from goodwill import tenancy
from goodwill.cli import app
from goodwill.config import Settings
from goodwill.customers.models import Account, Customer
from goodwill.demo import service, staff
from goodwill.errors import Conflict
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.organisations.models import Member, Organisation, UserAccount
from goodwill.relationships.models import Relationship
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext

AS_OF = date(2026, 11, 23)


def _count(db: Session, model: type[Any]) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_small_demo_is_imported_and_its_admin_can_sign_in(
    session_factory: sessionmaker[Session], settings: Settings, client: TestClient
) -> None:
    # force: on SQLite the test fixture's transaction does not yet roll back what an earlier
    # test committed (pysqlite opens no transaction before SAVEPOINT), so a demo may be there.
    summary = service.build(
        factory=session_factory, settings=settings, customers=150, as_of=AS_OF, force=True
    )

    generated = summary.generation
    assert summary.customers == generated.customers == 150
    assert summary.interactions == generated.total_interactions
    assert summary.conversations == generated.conversations + generated.email_threads
    db = session_factory()
    tenancy.scope(db, summary.organisation_id)
    try:
        assert _count(db, Customer) == 150
        assert _count(db, Relationship) == 150
        assert _count(db, Account) == generated.accounts
        assert _count(db, Conversation) == summary.conversations
        assert _count(db, Interaction) == summary.interactions
        roles = sorted(m.role for m in db.scalars(select(Member)))
        assert roles == ["admin"] + ["agent"] * 5 + ["manager"] * 2
        unsigned = select(func.count()).where(
            Interaction.direction == "outbound",
            Interaction.kind == "message",
            Interaction.author_member_id.is_(None),
        )
        assert db.scalar(unsigned) == 0  # every reply is linked to the member who wrote it
        owned = select(func.count()).where(Relationship.owner_member_id.is_not(None))
        assert db.scalar(owned) == 150
    finally:
        db.close()

    response = client.post(
        "/api/v1/auth/login", json={"email": staff.ADMIN_EMAIL, "password": staff.DEMO_PASSWORD}
    )
    assert response.status_code == 200, response.text
    assert response.json()["organisation_name"] == "Northwind Money"
    assert response.json()["role"] == "admin"


def test_a_second_build_is_refused_unless_forced_and_leaves_others_alone(
    session_factory: sessionmaker[Session],
    settings: Settings,
    org_a: OrgContext,
    customer: Customer,
) -> None:
    theirs = make_interaction(session_factory, org_a, customer_id=customer.id, raw=b"raw mail")
    first = service.build(
        factory=session_factory, settings=settings, customers=60, as_of=AS_OF, force=True
    )
    with pytest.raises(Conflict, match="--force"):
        service.build(factory=session_factory, settings=settings, customers=60, as_of=AS_OF)

    second = service.build(
        factory=session_factory, settings=settings, customers=60, as_of=AS_OF, force=True
    )

    assert second.organisation_id != first.organisation_id
    assert second.interactions == first.interactions
    db = session_factory()
    try:
        with tenancy.system_scope(db):
            names = list(db.scalars(select(Organisation.name)))
            assert names.count("Northwind Money") == 1
            users = select(func.count()).where(UserAccount.email.like(f"%@{staff.DOMAIN}"))
            assert db.scalar(users) == len(staff.STAFF)
            left = select(func.count()).where(Interaction.organisation_id == first.organisation_id)
            assert db.scalar(left) == 0
            assert db.get(Interaction, theirs.id) is not None  # another organisation's, untouched
            assert db.get(InteractionRaw, theirs.id) is not None
    finally:
        db.close()


def test_demo_command_builds_once_and_prints_the_login(cli_env: Path) -> None:
    runner = CliRunner()
    args = ["demo", "--build-only", "--customers", "60"]

    built = runner.invoke(app, args)
    again = runner.invoke(app, args)

    assert built.exit_code == 0, built.output
    assert "Built Northwind Money: 60 customers" in built.output
    assert staff.ADMIN_EMAIL in built.output
    assert staff.DEMO_PASSWORD in built.output
    assert again.exit_code == 0, again.output
    assert "already built" in again.output
    assert staff.DEMO_PASSWORD in again.output
