"""Perception tables: the one-time links sent to customers, and both sides' answers.

A link's token is never stored: only its SHA-256 (``goodwill.security.token_digest``), like API
tokens. A request is answered at most once (``answered_at`` is set by a conditional UPDATE, and an
answer's ``request_id`` is unique). Answers are kept with their time, both sides in one table: the
latest of each side is compared, the older ones stay as history.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key

CUSTOMER = "customer"
OWNER = "owner"


class PerceptionRequest(IdMixin, TenantMixin, Base):
    """A one-time link asking one relationship's customer the perception questions."""

    __tablename__ = "perception_request"
    __table_args__ = (
        Index(None, "relationship_id", "created_at"),
        UniqueConstraint("token_hash", "organisation_id"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    relationship_id: Mapped[uuid.UUID]
    token_hash: Mapped[str] = mapped_column(String(64))
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    answered_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]
    delivery_error: Mapped[str | None] = mapped_column(Text)


class PerceptionAnswer(IdMixin, TenantMixin, Base):
    """One side's answers for a relationship: the customer's (through a link) or the owner's
    estimate of them (by the owner or a manager, ``member_id``)."""

    __tablename__ = "perception_answer"
    __table_args__ = (
        Index(None, "relationship_id", "side", "answered_at"),
        Index(None, "organisation_id", "answered_at"),
        UniqueConstraint("request_id", "organisation_id"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
        tenant_key("request_id", "perception_request", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
    )

    relationship_id: Mapped[uuid.UUID]
    side: Mapped[str] = mapped_column(String(10))  # customer | owner
    request_id: Mapped[uuid.UUID | None]
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    value_received: Mapped[int]
    value_given: Mapped[int]
    trust: Mapped[int]
    ease: Mapped[int]
    comment: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)

    def scores(self) -> dict[str, int]:
        return {
            "value_received": self.value_received,
            "value_given": self.value_given,
            "trust": self.trust,
            "ease": self.ease,
        }
