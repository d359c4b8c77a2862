"""Writing parsed records in chunks: references resolved with IN look-ups, rows bulk-inserted.

Each ``store_*`` function takes one chunk of parsed records (see :mod:`goodwill.imports.rows`),
resolves what they refer to with a few ``IN (...)`` selects, skips external ids that are already
stored, logs rows whose references do not resolve, and bulk-inserts the rest. Records inserted by
earlier chunks are visible to later look-ups, since the whole file runs in one transaction.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from goodwill import database_copy
from goodwill.customers.models import Account, Customer
from goodwill.database import Base, new_id
from goodwill.imports.readers import ErrorLog
from goodwill.imports.rows import Kind, Record
from goodwill.interactions import service as interaction_service
from goodwill.interactions.models import Conversation, Interaction
from goodwill.organisations.models import Member, UserAccount
from goodwill.relationships.models import Relationship

IN_CHUNK = 1000
INSERT_CHUNK = 2000


@dataclass
class Context:
    """What one file's import shares across its chunks."""

    db: Session
    organisation_id: uuid.UUID
    batch_id: uuid.UUID
    now: datetime
    log: ErrorLog
    members: dict[str, uuid.UUID]
    created: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    bad_keys: dict[tuple[str, str], int] = field(default_factory=dict)

    def mark_bad(self, what: str, key: Any, line: int) -> None:
        """Remember a bad row's key, so rows referring to it say why it is unknown."""
        if isinstance(key, str) and key and len(self.bad_keys) < 100_000:
            self.bad_keys.setdefault((what, key), line)

    def unknown(self, what: str, key: str) -> str:
        line = self.bad_keys.get((what, key))
        if line is not None:
            return f"{what} {key!r} is on line {line}, which is bad"
        return f"unknown {what} {key!r}"


def member_emails(db: Session) -> dict[str, uuid.UUID]:
    """E-mail address → member id, for the organisation's members."""
    rows = db.execute(select(UserAccount.email, Member.id).join(Member.user))
    return {email.lower(): member_id for email, member_id in rows}


def lookup(db: Session, column: Any, keys: Collection[str], *extra: Any) -> dict[str, Any]:
    """Rows ``(column, id, *extra)`` of ``column``'s table whose ``column`` is in ``keys``."""
    entity = column.class_
    found: dict[str, Any] = {}
    wanted = list(keys)
    for i in range(0, len(wanted), IN_CHUNK):
        stmt = select(column, entity.id, *extra).where(column.in_(wanted[i : i + IN_CHUNK]))
        for row in db.execute(stmt):
            found[row[0]] = row
    return found


def insert_rows(db: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Bulk inserts; every row must have the same keys.

    On PostgreSQL one ``COPY`` in the session's transaction (:mod:`goodwill.database_copy`: it
    fills the Python-side defaults and checks every row is of the session's organisation before
    sending anything). Elsewhere ORM bulk inserts, checked by the tenancy rules; ``render_nulls``
    keeps None values in the statement, so rows differing only in which fields are empty still go
    to the database as one ``executemany`` instead of one per pattern.
    """
    if database_copy.supports_copy(db):
        database_copy.copy_rows(db, model, rows)
        return
    for i in range(0, len(rows), INSERT_CHUNK):
        db.execute(
            insert(model), rows[i : i + INSERT_CHUNK], execution_options={"render_nulls": True}
        )


def store_accounts(ctx: Context, records: list[Record]) -> None:
    existing = lookup(ctx.db, Account.external_id, {r["external_id"] for r in records})
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in records:
        if r["external_id"] in existing or r["external_id"] in seen:
            ctx.skipped[Kind.ACCOUNTS] += 1
            continue
        seen.add(r["external_id"])
        rows.append(
            {
                "id": new_id(),
                "organisation_id": ctx.organisation_id,
                "external_id": r["external_id"],
                "name": r["name"],
                "domain": r["domain"],
                "attributes": r["attributes"],
                "created_at": ctx.now,
                "updated_at": ctx.now,
            }
        )
    insert_rows(ctx.db, Account, rows)
    ctx.created[Kind.ACCOUNTS] += len(rows)


def new_customer_rows(
    ctx: Context, customers: list[dict[str, Any]], relationships: list[dict[str, Any]]
) -> None:
    """Insert customers and their relationship records (one each, same order)."""
    insert_rows(ctx.db, Customer, customers)
    insert_rows(ctx.db, Relationship, relationships)
    ctx.created[Kind.CUSTOMERS] += len(customers)


def customer_row(ctx: Context, **values: Any) -> dict[str, Any]:
    return {
        "id": new_id(),
        "organisation_id": ctx.organisation_id,
        "account_id": None,
        "name": None,
        "email": None,
        "phone": None,
        "language": None,
        "attributes": {},
        "created_at": ctx.now,
        "updated_at": ctx.now,
    } | values


def relationship_row(
    ctx: Context,
    customer_id: uuid.UUID,
    *,
    owner: uuid.UUID | None = None,
    segment: str | None = None,
    started_at: datetime | None = None,
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "organisation_id": ctx.organisation_id,
        "customer_id": customer_id,
        "owner_member_id": owner,
        "segment": segment,
        "started_at": started_at,
        "interaction_count": 0,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }


def store_customers(ctx: Context, records: list[Record]) -> None:
    db = ctx.db
    existing = lookup(db, Customer.external_id, {r["external_id"] for r in records})
    fresh = [r for r in records if r["external_id"] not in existing]
    ctx.skipped[Kind.CUSTOMERS] += len(records) - len(fresh)
    emails = {r["email"] for r in fresh if r["email"]}
    taken = lookup(db, Customer.email, emails, Customer.external_id)
    accounts = lookup(db, Account.external_id, {r["account_external_id"] for r in fresh} - {None})
    customers: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    seen: set[str] = set()
    seen_emails: dict[str, int] = {}
    for r in fresh:
        if r["external_id"] in seen:
            ctx.skipped[Kind.CUSTOMERS] += 1
            continue
        if not _customer_ok(ctx, r, taken, accounts, seen_emails):
            ctx.mark_bad("customer", r["external_id"], r["line"])
            ctx.mark_bad("customer", r["email"], r["line"])
            continue
        seen.add(r["external_id"])
        if r["email"]:
            seen_emails[r["email"]] = r["line"]
        account = accounts.get(r["account_external_id"] or "")
        customers.append(_customer(ctx, r, account[1] if account else None))
        relationships.append(
            relationship_row(
                ctx,
                customers[-1]["id"],
                owner=ctx.members.get(r["owner_email"] or ""),
                segment=r["segment"],
                started_at=r["customer_since"],
            )
        )
    new_customer_rows(ctx, customers, relationships)


def _customer(ctx: Context, r: Record, account_id: uuid.UUID | None) -> dict[str, Any]:
    return customer_row(
        ctx,
        external_id=r["external_id"],
        account_id=account_id,
        name=r["name"],
        email=r["email"],
        phone=r["phone"],
        language=r["language"],
        attributes=r["attributes"],
    )


def _customer_ok(
    ctx: Context, r: Record, taken: dict[str, Any], accounts: dict[str, Any], seen: dict[str, int]
) -> bool:
    """Whether a new customer's e-mail is free and its account and owner exist (else logged)."""
    problems: list[tuple[str, str]] = []
    email = r["email"]
    if email and email in taken:
        problems.append(("email", f"{email} belongs to customer {taken[email][2]!r} already"))
    elif email and email in seen:
        problems.append(("email", f"{email} is also on line {seen[email]}"))
    account_ext = r["account_external_id"]
    if account_ext is not None and account_ext not in accounts:
        problems.append(("account_external_id", ctx.unknown("account", account_ext)))
    if r["owner_email"] and r["owner_email"] not in ctx.members:
        problems.append(("owner_email", f"no member with e-mail {r['owner_email']}"))
    for field_name, reason in problems:
        ctx.log.add(r["line"], field_name, reason)
    return not problems


class CustomerResolver:
    """Customer references of a chunk (external id or e-mail) → (customer id, external id)."""

    def __init__(self, ctx: Context, records: Iterable[Record]) -> None:
        ext_ids: set[str] = set()
        emails: set[str] = set()
        for r in records:
            if r["customer_external_id"] is not None:
                ext_ids.add(r["customer_external_id"])
            elif r["customer_email"] is not None:
                emails.add(r["customer_email"])
        self.ctx = ctx
        self.by_ext = lookup(ctx.db, Customer.external_id, ext_ids)
        self.by_email = lookup(ctx.db, Customer.email, emails, Customer.external_id)

    def resolve(self, r: Record) -> tuple[uuid.UUID, str] | None:
        ext = r["customer_external_id"]
        if ext is not None:
            hit = self.by_ext.get(ext)
            if hit is None:
                self.ctx.log.add(
                    r["line"], "customer_external_id", self.ctx.unknown("customer", ext)
                )
                return None
            return hit[1], ext
        email = r["customer_email"]
        hit = self.by_email.get(email)
        if hit is None:
            self.ctx.log.add(r["line"], "customer_email", self.ctx.unknown("customer", email))
            return None
        return hit[1], hit[2]


def store_conversations(ctx: Context, records: list[Record]) -> None:
    customers = CustomerResolver(ctx, records)
    existing = lookup(ctx.db, Conversation.external_id, {r["external_id"] for r in records})
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r in records:
        customer = customers.resolve(r)
        if customer is None:
            ctx.mark_bad("conversation", r["external_id"], r["line"])
            continue
        if r["external_id"] in existing or r["external_id"] in seen:
            ctx.skipped[Kind.CONVERSATIONS] += 1
            continue
        seen.add(r["external_id"])
        rows.append(
            {
                "id": new_id(),
                "organisation_id": ctx.organisation_id,
                "external_id": r["external_id"],
                "customer_id": customer[0],
                "subject": r["subject"],
                "channel": r["channel"],
                "status": r["status"],
                "opened_at": r["opened_at"],
                "closed_at": r["closed_at"],
                "created_at": ctx.now,
                "updated_at": ctx.now,
            }
        )
    insert_rows(ctx.db, Conversation, rows)
    ctx.created[Kind.CONVERSATIONS] += len(rows)


def derived_external_id(customer_external_id: str, r: Record) -> str:
    """``sha256:`` + the hash of what makes an interaction the same interaction (the API's recipe,
    so a row imported and the same interaction posted get the same id)."""
    return interaction_service.derived_external_id(
        customer_external_id=customer_external_id,
        occurred_at=r["occurred_at"],
        kind=r["kind"],
        channel=r["channel"],
        direction=r["direction"],
        subject=r["subject"],
        body=r["body"],
        amount=r["amount"],
    )


def store_interactions(ctx: Context, records: list[Record]) -> None:
    customers = CustomerResolver(ctx, records)
    conversations = lookup(
        ctx.db, Conversation.external_id, {r["conversation_external_id"] for r in records} - {None}
    )
    resolved: list[tuple[Record, uuid.UUID, uuid.UUID | None, str]] = []
    for r in records:
        customer = customers.resolve(r)
        conversation_ext = r["conversation_external_id"]
        conversation = conversations.get(conversation_ext) if conversation_ext else None
        if conversation_ext is not None and conversation is None:
            reason = ctx.unknown("conversation", conversation_ext)
            ctx.log.add(r["line"], "conversation_external_id", reason)
            continue
        if customer is None:
            continue
        ext = r["external_id"] or derived_external_id(customer[1], r)
        resolved.append((r, customer[0], conversation[1] if conversation else None, ext))
    existing = lookup(ctx.db, Interaction.external_id, {item[3] for item in resolved})
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for r, customer_id, conversation_id, ext in resolved:
        if ext in existing or ext in seen:
            ctx.skipped[Kind.INTERACTIONS] += 1
            continue
        seen.add(ext)
        rows.append(_interaction_row(ctx, r, ext, customer_id, conversation_id))
    insert_rows(ctx.db, Interaction, rows)
    ctx.created[Kind.INTERACTIONS] += len(rows)


def _interaction_row(
    ctx: Context, r: Record, ext: str, customer_id: uuid.UUID, conversation_id: uuid.UUID | None
) -> dict[str, Any]:
    return {
        "id": new_id(),
        "organisation_id": ctx.organisation_id,
        "external_id": ext,
        "customer_id": customer_id,
        "conversation_id": conversation_id,
        "kind": r["kind"],
        "channel": r["channel"],
        "direction": r["direction"],
        "occurred_at": r["occurred_at"],
        "subject": r["subject"],
        "body": r["body"],
        "author_member_id": ctx.members.get(r["author_email"] or ""),
        "author_name": r["author_name"],
        "amount": r["amount"],
        "currency": r["currency"],
        "quantity": r["quantity"],
        "score": r["score"],
        "email_message_id": None,
        "attributes": r["attributes"],
        "import_batch_id": ctx.batch_id,
        "created_at": ctx.now,
    }


STORES = {
    Kind.ACCOUNTS: store_accounts,
    Kind.CUSTOMERS: store_customers,
    Kind.CONVERSATIONS: store_conversations,
    Kind.INTERACTIONS: store_interactions,
}
