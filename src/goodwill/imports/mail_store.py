"""Storing e-mail messages: direction, customers, threads, the interaction and its raw bytes."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from goodwill.customers.models import Customer
from goodwill.database import new_id
from goodwill.imports.mail import MailMessage, capped_id
from goodwill.imports.rows import Kind
from goodwill.imports.store import (
    Context,
    customer_row,
    insert_rows,
    lookup,
    new_customer_rows,
    relationship_row,
)
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.types import Channel, Direction, InteractionKind

SKIPPED_INTERNAL = "internal_messages"
"""Count of messages between the organisation's own addresses only (no customer to file them on)."""


@dataclass(frozen=True)
class OwnAddresses:
    """The organisation's side of a conversation: its e-mail domains and its members' addresses."""

    domains: tuple[str, ...]
    members: Collection[str]

    def __contains__(self, address: object) -> bool:
        if not isinstance(address, str):
            return False
        domain = address.rsplit("@", 1)[-1]
        return address in self.members or any(
            domain == d or domain.endswith("." + d) for d in self.domains
        )


@dataclass(slots=True)
class _Planned:
    message: MailMessage
    customer: tuple[str, str]
    direction: str
    customer_id: uuid.UUID | None = None
    conversation_id: uuid.UUID | None = None


def store_messages(ctx: Context, messages: list[MailMessage], own: OwnAddresses) -> None:
    planned = _plan(ctx, messages, own)
    _attach_customers(ctx, planned)
    _attach_conversations(ctx, planned)
    rows = [_interaction_row(ctx, p) for p in planned]
    insert_rows(ctx.db, Interaction, rows)
    raws = [
        {
            "organisation_id": ctx.organisation_id,
            "interaction_id": row["id"],
            "content_type": "message/rfc822",
            "content": p.message.raw,
        }
        for row, p in zip(rows, planned, strict=True)
    ]
    insert_rows(ctx.db, InteractionRaw, raws)
    ctx.created[Kind.INTERACTIONS] += len(rows)


def _plan(ctx: Context, messages: list[MailMessage], own: OwnAddresses) -> list[_Planned]:
    """Direction and customer address of each new message; known and internal ones skipped."""
    existing = lookup(ctx.db, Interaction.external_id, {m.external_id for m in messages})
    planned: list[_Planned] = []
    seen: set[str] = set()
    for m in messages:
        if m.external_id in existing or m.external_id in seen:
            ctx.skipped[Kind.INTERACTIONS] += 1
            continue
        seen.add(m.external_id)
        if m.sender[1] not in own:
            planned.append(_Planned(m, m.sender, Direction.INBOUND.value))
            continue
        customer = next((r for r in m.recipients if r[1] not in own), None)
        if customer is None:
            ctx.skipped[SKIPPED_INTERNAL] += 1
            continue
        planned.append(_Planned(m, customer, Direction.OUTBOUND.value))
    return planned


def _attach_customers(ctx: Context, planned: list[_Planned]) -> None:
    """Match each message's customer by address; create (with a relationship) those unknown."""
    names: dict[str, str] = {}
    for p in planned:
        address, name = p.customer[1], p.customer[0]
        if not names.get(address):
            names[address] = name
    by_email = {k: row[1] for k, row in lookup(ctx.db, Customer.email, names).items()}
    missing = [a for a in names if a not in by_email]
    ext_ids = {capped_id("email:", a): a for a in missing}
    for ext, row in lookup(ctx.db, Customer.external_id, ext_ids).items():
        by_email[ext_ids[ext]] = row[1]
    customers: list[dict[str, Any]] = []
    relationships: list[dict[str, Any]] = []
    for address in missing:
        if address in by_email:
            continue
        row = customer_row(
            ctx,
            external_id=capped_id("email:", address),
            email=address,
            name=names[address][:300] or None,
        )
        customers.append(row)
        relationships.append(relationship_row(ctx, row["id"]))
        by_email[address] = row["id"]
    new_customer_rows(ctx, customers, relationships)
    for p in planned:
        p.customer_id = by_email[p.customer[1]]


def _attach_conversations(ctx: Context, planned: list[_Planned]) -> None:
    """Thread each message: the conversation of a message it answers, else of its thread root."""
    parents = {parent for p in planned for parent in p.message.parent_ids}
    known: dict[str, uuid.UUID] = {
        message_id: row[2]
        for message_id, row in lookup(
            ctx.db, Interaction.email_message_id, parents, Interaction.conversation_id
        ).items()
        if row[2] is not None
    }
    roots = {capped_id("email:", p.message.root_id) for p in planned}
    by_ext = {ext: row[1] for ext, row in lookup(ctx.db, Conversation.external_id, roots).items()}
    new: list[dict[str, Any]] = []
    for p in planned:
        m = p.message
        conversation_id = next((known[i] for i in m.parent_ids if i in known), None)
        ext = capped_id("email:", m.root_id)
        conversation_id = conversation_id or by_ext.get(ext)
        if conversation_id is None:
            conversation_id = by_ext[ext] = new_id()
            new.append(_conversation_row(ctx, p, ext, conversation_id))
        if m.message_id:
            known[m.message_id] = conversation_id
        p.conversation_id = conversation_id
    insert_rows(ctx.db, Conversation, new)
    ctx.created[Kind.CONVERSATIONS] += len(new)


def _conversation_row(
    ctx: Context, p: _Planned, ext: str, conversation_id: uuid.UUID
) -> dict[str, Any]:
    return {
        "id": conversation_id,
        "organisation_id": ctx.organisation_id,
        "external_id": ext,
        "customer_id": p.customer_id,
        "subject": (p.message.subject or "")[:500] or None,
        "channel": Channel.EMAIL.value,
        "status": "open",
        "opened_at": p.message.occurred_at,
        "closed_at": None,
        "created_at": ctx.now,
        "updated_at": ctx.now,
    }


def _interaction_row(ctx: Context, p: _Planned) -> dict[str, Any]:
    m = p.message
    name, address = m.sender
    attributes: dict[str, Any] = {
        "from": address,
        "to": [a for _, a in m.to],
        "cc": [a for _, a in m.cc],
        "attachments": m.attachments,
    }
    return {
        "id": new_id(),
        "organisation_id": ctx.organisation_id,
        "external_id": m.external_id,
        "customer_id": p.customer_id,
        "conversation_id": p.conversation_id,
        "kind": InteractionKind.MESSAGE.value,
        "channel": Channel.EMAIL.value,
        "direction": p.direction,
        "occurred_at": m.occurred_at,
        "subject": (m.subject or "")[:500] or None,
        "body": m.body,
        "author_member_id": ctx.members.get(address),
        "author_name": (name or address)[:300],
        "amount": None,
        "currency": None,
        "quantity": None,
        "score": None,
        "email_message_id": m.message_id if m.message_id and len(m.message_id) <= 998 else None,
        "attributes": {k: v for k, v in attributes.items() if v},
        "import_batch_id": ctx.batch_id,
        "created_at": ctx.now,
    }
