"""Accounts and customers (each with its relationship), stored in one organisation."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.customers import service
from goodwill.customers.models import Account, Customer
from goodwill.customers.schemas import AccountCreate, CustomerCreate
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship
from tests.factories.organisations import OrgContext


@contextmanager
def org_session(factory: sessionmaker[Session], org: OrgContext) -> Iterator[Session]:
    """A session scoped to ``org``, committed (to the test's savepoint) on success."""
    session = factory()
    tenancy.scope(session, org.organisation_id)
    try:
        yield session
        session.commit()
    finally:
        session.close()


def make_account(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    name: str = "Northwind Traders",
    external_id: str | None = None,
) -> Account:
    with org_session(factory, org) as db:
        return service.create_account(
            db=db, account_in=AccountCreate(name=name, external_id=external_id)
        )


def make_customer(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    email: str | None = None,
    external_id: str | None = None,
    name: str | None = "Margareth",
    account_id: uuid.UUID | None = None,
    owner_member_id: uuid.UUID | None = None,
    segment: str | None = None,
) -> Customer:
    """A customer (with a unique e-mail unless given) and its relationship record."""
    customer_in = CustomerCreate(
        email=email or f"customer-{secrets.token_hex(4)}@example.com",
        external_id=external_id,
        name=name,
        account_id=account_id,
        owner_member_id=owner_member_id,
        segment=segment,
    )
    with org_session(factory, org) as db:
        return service.create(db=db, customer_in=customer_in)


def relationship_of(
    factory: sessionmaker[Session], org: OrgContext, customer_id: uuid.UUID
) -> Relationship:
    with org_session(factory, org) as db:
        return relationship_service.get_by_customer(db=db, customer_id=customer_id)
