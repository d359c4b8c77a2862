"""Customers and accounts: the verbs of the customers domain."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.customers.models import Account, Customer
from goodwill.customers.schemas import AccountCreate, AccountUpdate, CustomerCreate, CustomerUpdate
from goodwill.database import new_id
from goodwill.errors import Conflict, NotFound
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship


def get(*, db: Session, customer_id: uuid.UUID) -> Customer:
    customer = db.get(Customer, customer_id)
    if customer is None:
        raise NotFound(f"customer {customer_id} not found")
    return customer


def get_by_external_id(*, db: Session, external_id: str) -> Customer | None:
    return db.scalar(select(Customer).where(Customer.external_id == external_id))


def get_by_email(*, db: Session, email: str) -> Customer | None:
    return db.scalar(select(Customer).where(Customer.email == email.strip().lower()))


def query_all(
    *,
    owner_member_id: uuid.UUID | None = None,
    updated_since: datetime | None = None,
    account_id: uuid.UUID | None = None,
    email: str | None = None,
) -> Select[Customer]:
    stmt = select(Customer)
    if owner_member_id is not None:
        stmt = stmt.join(Relationship, Relationship.customer_id == Customer.id).where(
            Relationship.owner_member_id == owner_member_id
        )
    if updated_since is not None:
        stmt = stmt.where(Customer.updated_at >= updated_since)
    if account_id is not None:
        stmt = stmt.where(Customer.account_id == account_id)
    if email is not None:
        stmt = stmt.where(Customer.email == email.strip().lower())
    return stmt


def create(*, db: Session, customer_in: CustomerCreate) -> Customer:
    """A new customer and its relationship record."""
    email = str(customer_in.email).lower() if customer_in.email else None
    if customer_in.external_id and get_by_external_id(db=db, external_id=customer_in.external_id):
        raise Conflict(f"external_id: a customer {customer_in.external_id!r} exists already")
    if email and get_by_email(db=db, email=email):
        raise Conflict(f"email: a customer with {email} exists already")
    if customer_in.account_id is not None:
        get_account(db=db, account_id=customer_in.account_id)
    customer_id = new_id()
    customer = Customer(
        id=customer_id,
        external_id=customer_in.external_id or str(customer_id),
        name=customer_in.name,
        email=email,
        phone=customer_in.phone,
        language=customer_in.language,
        account_id=customer_in.account_id,
        attributes=customer_in.attributes,
    )
    db.add(customer)
    db.flush()
    relationship_service.create_for_customer(
        db=db,
        customer_id=customer.id,
        owner_member_id=customer_in.owner_member_id,
        segment=customer_in.segment,
    )
    return customer


def update(*, db: Session, customer: Customer, customer_in: CustomerUpdate) -> Customer:
    changes = customer_in.model_dump(exclude_unset=True)
    if "email" in changes and changes["email"] is not None:
        email = str(changes["email"]).lower()
        other = get_by_email(db=db, email=email)
        if other is not None and other.id != customer.id:
            raise Conflict(f"email: another customer has {email}")
        changes["email"] = email
    if changes.get("account_id") is not None:
        get_account(db=db, account_id=changes["account_id"])
    for field, value in changes.items():
        setattr(customer, field, value)
    db.flush()
    return customer


def get_account(*, db: Session, account_id: uuid.UUID) -> Account:
    account = db.get(Account, account_id)
    if account is None:
        raise NotFound(f"account_id: account {account_id} not found")
    return account


def query_accounts(*, updated_since: datetime | None = None) -> Select[Account]:
    stmt = select(Account)
    if updated_since is not None:
        stmt = stmt.where(Account.updated_at >= updated_since)
    return stmt


def create_account(*, db: Session, account_in: AccountCreate) -> Account:
    if account_in.external_id and db.scalar(
        select(Account.id).where(Account.external_id == account_in.external_id)
    ):
        raise Conflict(f"external_id: an account {account_in.external_id!r} exists already")
    account_id = new_id()
    account = Account(
        id=account_id,
        external_id=account_in.external_id or str(account_id),
        name=account_in.name,
        domain=account_in.domain,
        attributes=account_in.attributes,
    )
    db.add(account)
    db.flush()
    return account


def update_account(*, db: Session, account: Account, account_in: AccountUpdate) -> Account:
    for field, value in account_in.model_dump(exclude_unset=True).items():
        if value is not None:
            setattr(account, field, value)
    db.flush()
    return account
