"""Rule-defined segments (seed 004: a strategy per segment) and each relationship's membership,
with its history: a membership row is opened when a relationship enters a segment and closed
(``left_at``) when it leaves, so "who entered segment X this month" is one query."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin
from goodwill.tenancy import TenantMixin, tenant_key


class Segment(IdMixin, TenantMixin, TimestampMixin, Base):
    """A named segment of the organisation's relationships: its rule (groups of conditions,
    see :mod:`goodwill.segments.rules`) and its priority (lower first: a relationship belongs
    to the first segment whose rule it matches)."""

    __tablename__ = "segment"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        Index(None, "organisation_id", "priority"),
    )

    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[int] = mapped_column(default=100)
    rule: Mapped[dict[str, Any]] = mapped_column(JSONType)


class SegmentMembership(IdMixin, TenantMixin, Base):
    """A relationship's stay in a segment: open (``left_at`` NULL) while it is a member. At
    most one open row per relationship; no row while it is unsegmented."""

    __tablename__ = "segment_membership"
    __table_args__ = (
        Index(None, "organisation_id", "segment_id", "entered_at"),
        Index(None, "segment_id", "left_at"),
        Index(None, "relationship_id", "entered_at"),
        Index(
            "ux_segment_membership_current",
            "relationship_id",
            "organisation_id",
            unique=True,
            sqlite_where=text("left_at IS NULL"),
            postgresql_where=text("left_at IS NULL"),
        ),
        tenant_key("segment_id", "segment", ondelete="CASCADE"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
    )

    segment_id: Mapped[uuid.UUID]
    relationship_id: Mapped[uuid.UUID]
    entered_at: Mapped[datetime]
    left_at: Mapped[datetime | None]
