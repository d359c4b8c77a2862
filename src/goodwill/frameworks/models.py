"""Response frameworks: the library, each framework's versions, and every use of one."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class ResponseFramework(IdMixin, TenantMixin, TimestampMixin, Base):
    """A named reply framework; its content lives in its versions. ``status``: draft (never
    published), published (``published_version`` is what operators get), retired."""

    __tablename__ = "response_framework"
    __table_args__ = (
        Index(None, "organisation_id", "status"),
        tenant_key("owner_member_id", "member", ondelete="SET NULL"),
    )

    name: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    latest_version: Mapped[int] = mapped_column(default=0)
    published_version: Mapped[int | None]


class ResponseFrameworkVersion(IdMixin, TenantMixin, Base):
    """One save of a framework: body, purpose, the purpose's vector (for suggestion), and the
    coach review of the save; a publication over blocking findings keeps its override."""

    __tablename__ = "response_framework_version"
    __table_args__ = (
        UniqueConstraint(
            "framework_id", "number", "organisation_id", name="uq_response_framework_version_number"
        ),
        tenant_key("framework_id", "response_framework", ondelete="CASCADE"),
        tenant_key("override_member_id", "member", ondelete="SET NULL"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    framework_id: Mapped[uuid.UUID]
    number: Mapped[int]
    name: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    intents: Mapped[list[str]] = mapped_column(JSONType)
    phases: Mapped[list[str]] = mapped_column(JSONType)
    emotions: Mapped[list[str]] = mapped_column(JSONType)
    stages: Mapped[list[str]] = mapped_column(JSONType)
    examples: Mapped[list[str]] = mapped_column(JSONType)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float16, L2-normalised
    review: Mapped[dict[str, Any]] = mapped_column(JSONType)
    review_passed: Mapped[bool]
    override_reason: Mapped[str | None] = mapped_column(Text)
    override_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    published_at: Mapped[datetime | None]
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class FrameworkUsage(IdMixin, TenantMixin, Base):
    """One event of a framework in a conversation: suggested, used (filled and opened), edited or
    sent; sent and edited events keep the final text, how much was edited and which of the
    framework's sentences the operator deleted. The final text is personal data of the customer:
    the row goes with the relationship or the message (erasure, retention)."""

    __tablename__ = "framework_usage"
    __table_args__ = (
        Index(None, "organisation_id", "framework_id", "event"),
        Index(None, "framework_id"),
        Index(None, "version_id"),
        Index(None, "relationship_id"),
        Index(None, "interaction_id"),
        tenant_key("framework_id", "response_framework", ondelete="CASCADE"),
        tenant_key("version_id", "response_framework_version", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
    )

    framework_id: Mapped[uuid.UUID]
    version_id: Mapped[uuid.UUID]
    event: Mapped[str] = mapped_column(String(20))
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    relationship_id: Mapped[uuid.UUID | None]
    interaction_id: Mapped[uuid.UUID | None]
    rank: Mapped[int | None]  # position in the suggestion list (suggested events)
    score: Mapped[float | None]
    final_text: Mapped[str | None] = mapped_column(Text)
    edit_ratio: Mapped[float | None]  # 0 = sent as filled, 1 = nothing of it left
    deleted_sentences: Mapped[list[str]] = mapped_column(JSONType, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
