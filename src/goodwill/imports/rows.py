"""The record kinds of CSV and JSONL files, their fields, and one parser per kind.

A parser turns one row into a plain dict of typed values (references still as external ids or
e-mail addresses), or returns None after logging each bad field. The field lists are the import
contract (docs/import.md) and are also what an export writes, so an export imports unchanged.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from goodwill.imports.fields import FieldReader
from goodwill.types import Channel, ConversationStatus, Direction, InteractionKind


class Kind(StrEnum):
    """What the rows of a file are; the value is the plural used in counts and file names."""

    ACCOUNTS = "accounts"
    CUSTOMERS = "customers"
    CONVERSATIONS = "conversations"
    INTERACTIONS = "interactions"

    @property
    def singular(self) -> str:
        return self.value[:-1]

    @classmethod
    def from_name(cls, name: str) -> Kind | None:
        """The kind a word names: plural or singular, any case."""
        key = name.strip().lower()
        for kind in cls:
            if key in (kind.value, kind.singular):
                return kind
        return None


ACCOUNT_FIELDS = ("external_id", "name", "domain", "attributes")
CUSTOMER_FIELDS = (
    "external_id",
    "name",
    "email",
    "phone",
    "language",
    "account_external_id",
    "owner_email",
    "segment",
    "customer_since",
    "attributes",
)
CONVERSATION_FIELDS = (
    "external_id",
    "customer_external_id",
    "customer_email",
    "subject",
    "channel",
    "status",
    "opened_at",
    "closed_at",
)
INTERACTION_FIELDS = (
    "external_id",
    "customer_external_id",
    "customer_email",
    "conversation_external_id",
    "kind",
    "channel",
    "direction",
    "occurred_at",
    "subject",
    "body",
    "author_name",
    "author_email",
    "amount",
    "currency",
    "quantity",
    "score",
    "attributes",
)
FIELDS: dict[Kind, tuple[str, ...]] = {
    Kind.ACCOUNTS: ACCOUNT_FIELDS,
    Kind.CUSTOMERS: CUSTOMER_FIELDS,
    Kind.CONVERSATIONS: CONVERSATION_FIELDS,
    Kind.INTERACTIONS: INTERACTION_FIELDS,
}
KNOWN_FIELDS: dict[Kind, frozenset[str]] = {
    kind: frozenset((*fields, "type")) for kind, fields in FIELDS.items()
}

CONVERSATION_CHANNELS = frozenset(
    {"email", "chat", "phone", "sms", "web", "social", "in_person", "app", "other"}
)
INTERACTION_CHANNELS = frozenset(c.value for c in Channel)
KINDS = frozenset(k.value for k in InteractionKind)
DIRECTIONS = frozenset(d.value for d in Direction)
STATUSES = frozenset(s.value for s in ConversationStatus)
_MESSAGE = InteractionKind.MESSAGE.value
_NEEDS_DIRECTION = frozenset({_MESSAGE, InteractionKind.CALL.value})

Record = dict[str, Any]


def parse_account(f: FieldReader) -> Record | None:
    record = {
        "line": f.line,
        "external_id": f.text("external_id", max_length=255, required=True),
        "name": f.text("name", max_length=300, required=True),
        "domain": f.text("domain", max_length=255),
        "attributes": f.attributes(),
    }
    return None if f.bad else record


def parse_customer(f: FieldReader) -> Record | None:
    record = {
        "line": f.line,
        "external_id": f.text("external_id", max_length=255, required=True),
        "name": f.text("name", max_length=300),
        "email": f.email("email"),
        "phone": f.text("phone", max_length=50),
        "language": f.text("language", max_length=16),
        "account_external_id": f.text("account_external_id", max_length=255),
        "owner_email": f.email("owner_email"),
        "segment": f.text("segment", max_length=100),
        "customer_since": f.time("customer_since"),
        "attributes": f.attributes(),
    }
    return None if f.bad else record


def _customer_reference(f: FieldReader, record: Record) -> None:
    record["customer_external_id"] = f.text("customer_external_id", max_length=255)
    record["customer_email"] = f.email("customer_email")
    if record["customer_external_id"] is None and record["customer_email"] is None and not f.bad:
        f.fail("customer_external_id", "missing: give customer_external_id or customer_email")


def parse_conversation(f: FieldReader) -> Record | None:
    record: Record = {
        "line": f.line,
        "external_id": f.text("external_id", max_length=255, required=True),
    }
    _customer_reference(f, record)
    record["subject"] = f.text("subject", max_length=500)
    record["channel"] = f.choice("channel", CONVERSATION_CHANNELS, default="email")
    record["status"] = f.choice("status", STATUSES, default="open")
    record["opened_at"] = f.time("opened_at", required=True)
    record["closed_at"] = f.time("closed_at")
    opened, closed = record["opened_at"], record["closed_at"]
    if opened is not None and closed is not None and closed < opened:
        f.fail("closed_at", "is before opened_at")
    return None if f.bad else record


def parse_interaction(f: FieldReader) -> Record | None:
    record: Record = {"line": f.line, "external_id": f.text("external_id", max_length=255)}
    _customer_reference(f, record)
    record["conversation_external_id"] = f.text("conversation_external_id", max_length=255)
    kind = record["kind"] = f.choice("kind", KINDS, required=True)
    record["channel"] = f.choice("channel", INTERACTION_CHANNELS, required=True)
    direction = record["direction"] = f.choice("direction", DIRECTIONS)
    record["occurred_at"] = f.time("occurred_at", required=True)
    record["subject"] = f.text("subject", max_length=500)
    body = record["body"] = f.body("body")
    record["author_name"] = f.text("author_name", max_length=300)
    record["author_email"] = f.email("author_email")
    record["amount"] = f.amount("amount")
    record["currency"] = f.currency("currency")
    record["quantity"] = f.integer("quantity")
    record["score"] = f.number("score")
    record["attributes"] = f.attributes() or None
    if kind in _NEEDS_DIRECTION and direction is None and f.raw("direction") is None:
        f.fail("direction", f"missing: required for a {kind}")
    if kind == _MESSAGE and body is None and f.raw("body") is None:
        f.fail("body", "missing: required for a message")
    return None if f.bad else record


PARSERS: dict[Kind, Callable[[FieldReader], Record | None]] = {
    Kind.ACCOUNTS: parse_account,
    Kind.CUSTOMERS: parse_customer,
    Kind.CONVERSATIONS: parse_conversation,
    Kind.INTERACTIONS: parse_interaction,
}
