"""Tenancy is enforced by the session itself, not remembered per endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers import service as customer_service
from goodwill.customers.models import Customer
from goodwill.customers.schemas import CustomerCreate
from goodwill.errors import TenancyViolation
from goodwill.organisations.models import Organisation
from tests.factories.organisations import OrgContext


def _customer(factory: sessionmaker[Session], org: OrgContext, email: str) -> Customer:
    session = factory()
    tenancy.scope(session, org.organisation_id)
    customer = customer_service.create(db=session, customer_in=CustomerCreate(email=email))
    session.commit()
    session.close()
    return customer


def test_scoped_session_never_sees_another_organisations_rows(
    session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    mine = _customer(session_factory, org_a, "ann@example.com")
    theirs = _customer(session_factory, org_b, "bob@example.com")
    session = session_factory()
    tenancy.scope(session, org_a.organisation_id)
    emails = session.scalars(select(Customer.email)).all()
    assert emails == ["ann@example.com"]
    assert session.get(Customer, theirs.id) is None
    assert session.get(Customer, mine.id) is not None
    assert [o.id for o in session.scalars(select(Organisation))] == [org_a.organisation_id]


def test_unscoped_session_is_denied_by_default(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    session = session_factory()
    with pytest.raises(TenancyViolation):
        session.scalars(select(Customer)).all()
    session.add(Customer(external_id="x", attributes={}))
    with pytest.raises(TenancyViolation):
        session.flush()


def test_writes_into_another_organisation_are_refused(
    session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    session = session_factory()
    tenancy.scope(session, org_a.organisation_id)
    session.add(Customer(external_id="x", organisation_id=org_b.organisation_id, attributes={}))
    with pytest.raises(TenancyViolation):
        session.flush()


def test_bulk_update_is_scoped(
    session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    _customer(session_factory, org_a, "ann@example.com")
    theirs = _customer(session_factory, org_b, "bob@example.com")
    session = session_factory()
    tenancy.scope(session, org_a.organisation_id)
    session.execute(update(Customer).values(name="renamed"))
    session.flush()
    with tenancy.system_scope(session):
        other = session.scalar(select(Customer.name).where(Customer.id == theirs.id))
    assert other is None


def test_interactions_are_immutable_in_the_database(db: Session, org_a: OrgContext) -> None:
    from datetime import UTC, datetime

    from goodwill.interactions.models import Interaction

    customer = customer_service.create(db=db, customer_in=CustomerCreate(email="c@example.com"))
    row = Interaction(
        external_id="m1",
        customer_id=customer.id,
        kind="message",
        channel="email",
        direction="inbound",
        occurred_at=datetime(2026, 1, 5, tzinfo=UTC),
        body="hello",
    )
    db.add(row)
    db.flush()
    with pytest.raises(Exception, match="immutable"):
        db.execute(text("UPDATE interaction SET body = 'changed'"))
