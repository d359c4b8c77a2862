"""Conversations and interactions. An interaction is immutable once stored."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ForeignKey, Index, LargeBinary, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin


class Conversation(IdMixin, TenantMixin, TimestampMixin, Base):
    """A case or thread: messages that belong together, with a status."""

    __tablename__ = "conversation"
    __table_args__ = (
        UniqueConstraint("organisation_id", "external_id"),
        Index(None, "organisation_id", "customer_id"),
        Index(None, "organisation_id", "updated_at"),
        Index(None, "customer_id"),
        Index(None, "organisation_id", "opened_at"),  # a period's conversations (quality rollups)
    )

    external_id: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
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
    )

    external_id: Mapped[str] = mapped_column(String(255))
    customer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("customer.id", ondelete="CASCADE"))
    conversation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("conversation.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str | None] = mapped_column(String(10))
    occurred_at: Mapped[datetime]
    subject: Mapped[str | None] = mapped_column(String(500))
    body: Mapped[str | None] = mapped_column(Text)
    author_member_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("member.id", ondelete="SET NULL")
    )
    author_name: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    quantity: Mapped[int | None]
    score: Mapped[float | None]
    email_message_id: Mapped[str | None] = mapped_column(String(998))
    attributes: Mapped[dict[str, Any] | None]
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("import_batch.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class InteractionRaw(TenantMixin, Base):
    """The original bytes of an interaction (for example the whole e-mail), kept beside it."""

    __tablename__ = "interaction_raw"

    interaction_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("interaction.id", ondelete="CASCADE"), primary_key=True
    )
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
