"""The records the generator produces, one class per import file kind, collected in a Book."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


@dataclass
class AccountRecord:
    external_id: str
    name: str
    domain: str
    attributes: dict[str, Any]


@dataclass
class CustomerRecord:
    external_id: str
    name: str
    email: str
    phone: str | None
    language: str
    account_external_id: str | None
    owner_email: str
    segment: str
    customer_since: datetime
    attributes: dict[str, Any]


@dataclass
class ConversationRecord:
    external_id: str
    customer_external_id: str
    subject: str
    channel: str
    opened_at: datetime
    status: str = "open"
    closed_at: datetime | None = None


@dataclass
class InteractionRecord:
    external_id: str
    customer_external_id: str
    kind: str
    channel: str
    occurred_at: datetime
    direction: str | None = None
    conversation_external_id: str | None = None
    subject: str | None = None
    body: str | None = None
    author_name: str | None = None
    author_email: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    quantity: int | None = None
    score: float | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass
class EmailRecord:
    """One e-mail of a thread written to the mbox archive."""

    message_id: str
    sender: str  # "Name <address>"
    recipient: str
    sent_at: datetime
    subject: str
    body: str
    in_reply_to: str | None = None
    references: tuple[str, ...] = ()


@dataclass
class Book:
    """Everything generated, in the order it was generated (the writer sorts)."""

    accounts: list[AccountRecord] = field(default_factory=list)
    customers: list[CustomerRecord] = field(default_factory=list)
    conversations: list[ConversationRecord] = field(default_factory=list)
    interactions: list[InteractionRecord] = field(default_factory=list)
    emails: list[list[EmailRecord]] = field(default_factory=list)  # threads
