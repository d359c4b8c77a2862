"""Conversations and interactions. An interaction is immutable once stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Index, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class Conversation(IdMixin, TenantMixin, TimestampMixin, Base):
    """A case or thread: messages that belong together, with a status."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        Index(None, "organisation_id", "customer_id"),
        Index(None, "organisation_id", "updated_at"),
        Index(None, "customer_id"),
        Index(None, "organisation_id", "opened_at"),  # a period's conversations (quality rollups)
        tenant_key("customer_id", "customer", ondelete="CASCADE"),
    )

    external_id: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[uuid.UUID]
    subject: Mapped[str | None] = mapped_column(String(500))
    channel: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), default="open")
    opened_at: Mapped[datetime]
    closed_at: Mapped[datetime | None]


class Interaction(IdMixin, TenantMixin, Base):
    """A time-stamped touchpoint: a message, call, meeting, note, purchase, bill, usage or survey.

    Never updated: a database trigger refuses UPDATE on both SQLite and PostgreSQL.
    """

    __tablename__ = "interaction"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        Index(None, "organisation_id", "customer_id", "occurred_at"),
        Index(None, "organisation_id", "conversation_id", "occurred_at"),
        Index(None, "organisation_id", "occurred_at"),
        Index(None, "organisation_id", "created_at"),
        Index(None, "organisation_id", "email_message_id"),
        Index(None, "customer_id"),
        Index(None, "conversation_id"),
        # what segment assignment reads (last contact, purchases and their amounts per customer,
        # by kind) as scans of this index alone: without it SQLite reads every interaction of the
        # organisation, ten times slower (docs/benchmarks.md, "Segments")
        Index(
            "ix_interaction_kind_reads",
            "organisation_id",
            "kind",
            "customer_id",
            "occurred_at",
            "amount",
        ),
        tenant_key("customer_id", "customer", ondelete="CASCADE"),
        tenant_key("conversation_id", "conversation", ondelete="CASCADE"),
        tenant_key("author_member_id", "member", ondelete="SET NULL"),
        tenant_key("import_batch_id", "import_batch", ondelete="SET NULL"),
    )

    external_id: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[uuid.UUID]
    conversation_id: Mapped[uuid.UUID | None]
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(String(10))
    occurred_at: Mapped[datetime]
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    author_member_id: Mapped[uuid.UUID | None]
    author_name: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    quantity: Mapped[int | None]
    score: Mapped[float | None]
    email_message_id: Mapped[str | None] = mapped_column(String(998))
    attributes: Mapped[dict[str, Any] | None]
    import_batch_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InteractionRaw(TenantMixin, Base):
    """The original bytes of an interaction (for example the whole e-mail), kept beside it."""

    __tablename__ = "interaction_raw"
    __table_args__ = (tenant_key("interaction_id", "interaction", ondelete="CASCADE"),)
    __row_key__ = ("interaction_id",)

    interaction_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
