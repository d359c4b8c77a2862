"""JSON routes for customers and accounts."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from pydantic import AwareDatetime

from goodwill.customers import service
from goodwill.customers.models import Account, Customer
from goodwill.customers.schemas import (
    AccountCreate,
    AccountPage,
    AccountRead,
    AccountUpdate,
    CustomerCreate,
    CustomerPage,
    CustomerRead,
    CustomerUpdate,
)
from goodwill.dependencies import CurrentMember, DbSession
from goodwill.pagination import paginate

router = APIRouter(tags=["customers"])


@router.get("/customers", response_model=CustomerPage)
def list_customers(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    owner_member_id: uuid.UUID | None = None,
    updated_since: AwareDatetime | None = None,
    account_id: uuid.UUID | None = None,
    email: str | None = None,
) -> CustomerPage:
    stmt = service.query_all(
        owner_member_id=owner_member_id,
        updated_since=updated_since,
        account_id=account_id,
        email=email,
    )
    rows, next_cursor = paginate(db, stmt, keys=[Customer.id], cursor=cursor, limit=limit)
    return CustomerPage(
        items=[CustomerRead.model_validate(c) for c in rows], next_cursor=next_cursor
    )


@router.post("/customers", response_model=CustomerRead, status_code=status.HTTP_201_CREATED)
def create_customer(db: DbSession, _: CurrentMember, customer_in: CustomerCreate) -> Customer:
    return service.create(db=db, customer_in=customer_in)


@router.get("/customers/{customer_id}", response_model=CustomerRead)
def get_customer(db: DbSession, _: CurrentMember, customer_id: uuid.UUID) -> Customer:
    return service.get(db=db, customer_id=customer_id)


@router.patch("/customers/{customer_id}", response_model=CustomerRead)
def update_customer(
    db: DbSession, _: CurrentMember, customer_id: uuid.UUID, customer_in: CustomerUpdate
) -> Customer:
    customer = service.get(db=db, customer_id=customer_id)
    return service.update(db=db, customer=customer, customer_in=customer_in)


@router.get("/accounts", response_model=AccountPage)
def list_accounts(
    db: DbSession,
    _: CurrentMember,
    cursor: str | None = None,
    limit: int = 50,
    updated_since: AwareDatetime | None = None,
) -> AccountPage:
    stmt = service.query_accounts(updated_since=updated_since)
    rows, next_cursor = paginate(db, stmt, keys=[Account.id], cursor=cursor, limit=limit)
    return AccountPage(items=[AccountRead.model_validate(a) for a in rows], next_cursor=next_cursor)


@router.post("/accounts", response_model=AccountRead, status_code=status.HTTP_201_CREATED)
def create_account(db: DbSession, _: CurrentMember, account_in: AccountCreate) -> Account:
    return service.create_account(db=db, account_in=account_in)


@router.get("/accounts/{account_id}", response_model=AccountRead)
def get_account(db: DbSession, _: CurrentMember, account_id: uuid.UUID) -> Account:
    return service.get_account(db=db, account_id=account_id)


@router.patch("/accounts/{account_id}", response_model=AccountRead)
def update_account(
    db: DbSession, _: CurrentMember, account_id: uuid.UUID, account_in: AccountUpdate
) -> Account:
    account = service.get_account(db=db, account_id=account_id)
    return service.update_account(db=db, account=account, account_in=account_in)
