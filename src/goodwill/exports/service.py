"""Exporting records in the import formats (docs/import.md), so an export imports unchanged.

Rows are streamed from the database (``yield_per``) and written one by one: memory does not grow
with the number of records. JSONL lines carry a ``type`` so the file imports under any name.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from typing import Any, TextIO, TypeAlias

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, aliased

from goodwill.customers.models import Account, Customer
from goodwill.errors import InvalidInput
from goodwill.imports.fields import format_time
from goodwill.imports.rows import FIELDS, Kind
from goodwill.interactions.models import Conversation, Interaction
from goodwill.organisations.models import Member, UserAccount
from goodwill.relationships.models import Relationship

FORMATS = ("jsonl", "csv")
Query: TypeAlias = Select[*tuple[Any, ...]]
_BATCH = 1000


def _accounts() -> Query:
    return select(Account.external_id, Account.name, Account.domain, Account.attributes).order_by(
        Account.id
    )


def _customers() -> Query:
    owner = aliased(UserAccount)
    return (
        select(
            Customer.external_id,
            Customer.name,
            Customer.email,
            Customer.phone,
            Customer.language,
            Account.external_id.label("account_external_id"),
            owner.email.label("owner_email"),
            Relationship.segment,
            Relationship.started_at.label("customer_since"),
            Customer.attributes,
        )
        .outerjoin(Account, Account.id == Customer.account_id)
        .outerjoin(Relationship, Relationship.customer_id == Customer.id)
        .outerjoin(Member, Member.id == Relationship.owner_member_id)
        .outerjoin(owner, owner.id == Member.user_id)
        .order_by(Customer.id)
    )


def _conversations() -> Query:
    return (
        select(
            Conversation.external_id,
            Customer.external_id.label("customer_external_id"),
            Conversation.subject,
            Conversation.channel,
            Conversation.status,
            Conversation.opened_at,
            Conversation.closed_at,
        )
        .join(Customer, Customer.id == Conversation.customer_id)
        .order_by(Conversation.id)
    )


def _interactions() -> Query:
    author = aliased(UserAccount)
    return (
        select(
            Interaction.external_id,
            Customer.external_id.label("customer_external_id"),
            Conversation.external_id.label("conversation_external_id"),
            Interaction.kind,
            Interaction.channel,
            Interaction.direction,
            Interaction.occurred_at,
            Interaction.subject,
            Interaction.body,
            Interaction.author_name,
            author.email.label("author_email"),
            Interaction.amount,
            Interaction.currency,
            Interaction.quantity,
            Interaction.score,
            Interaction.attributes,
        )
        .join(Customer, Customer.id == Interaction.customer_id)
        .outerjoin(Conversation, Conversation.id == Interaction.conversation_id)
        .outerjoin(Member, Member.id == Interaction.author_member_id)
        .outerjoin(author, author.id == Member.user_id)
        .order_by(Interaction.id)
    )


_QUERIES: dict[Kind, Callable[[], Query]] = {
    Kind.ACCOUNTS: _accounts,
    Kind.CUSTOMERS: _customers,
    Kind.CONVERSATIONS: _conversations,
    Kind.INTERACTIONS: _interactions,
}


def records(*, db: Session, kind: Kind) -> Iterator[dict[str, Any]]:
    """Every record of ``kind`` in the session's organisation, as import fields (None: absent)."""
    stmt = _QUERIES[kind]().execution_options(yield_per=_BATCH)
    for row in db.execute(stmt):
        yield dict(row._mapping)


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return format_time(value)
    if isinstance(value, Decimal):
        return str(value)
    return value


def _csv_value(value: Any) -> str:
    if value is None or value == {}:
        return ""
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return str(_json_value(value))


def export(*, db: Session, kind: Kind, fmt: str, out: TextIO) -> int:
    """Write every record of ``kind`` to ``out`` as ``jsonl`` or ``csv``; returns the count."""
    if fmt not in FORMATS:
        raise InvalidInput(f"format: {fmt!r} is not one of: {', '.join(FORMATS)}")
    fields = FIELDS[kind]
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        for record in records(db=db, kind=kind):
            writer.writerow([_csv_value(record.get(name)) for name in fields])
            count += 1
        return count
    for record in records(db=db, kind=kind):
        line = {"type": kind.singular}
        line |= {k: _json_value(v) for k, v in record.items() if v is not None and v != {}}
        out.write(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")
        count += 1
    return count
