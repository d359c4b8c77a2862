"""The feedback loop's tables: suggestions, the ideas they are grouped into, the idea's status
history, the personal "closing the loop" drafts, and every delivery attempt of those drafts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class Idea(IdMixin, TenantMixin, TimestampMixin, Base):
    """Near-duplicate suggestions grouped by meaning, with a status the customers hear about."""

    __tablename__ = "feedback_idea"
    __table_args__ = (
        Index(None, "organisation_id", "status"),
        tenant_key("owner_member_id", "member", ondelete="SET NULL"),
        tenant_key("merged_into_id", "feedback_idea", ondelete="SET NULL"),
    )

    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="new")
    public_note: Mapped[str | None] = mapped_column(Text)
    owner_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    tracker_url: Mapped[str | None] = mapped_column(String(2000))
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    status_changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaStatusChange(IdMixin, TenantMixin, Base):
    """One status change of an idea (the first row is its creation as ``new``)."""

    __tablename__ = "feedback_idea_status"
    __table_args__ = (
        Index(None, "idea_id", "changed_at"),
        tenant_key("idea_id", "feedback_idea", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
    )

    idea_id: Mapped[uuid.UUID]
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    public_note: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class Suggestion(IdMixin, TenantMixin, Base):
    """A customer's suggestion in their own words: found in a message, or entered by hand."""

    __tablename__ = "feedback_suggestion"
    __table_args__ = (
        UniqueConstraint("organisation_id", "interaction_id"),
        Index(None, "idea_id"),
        Index(None, "customer_id"),
        Index(None, "interaction_id"),
        Index(None, "organisation_id", "suggested_at"),
        tenant_key("idea_id", "feedback_idea", ondelete="CASCADE"),
        tenant_key("customer_id", "customer", ondelete="CASCADE"),
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    idea_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID]
    interaction_id: Mapped[uuid.UUID | None]
    text: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(20))
    source: Mapped[str] = mapped_column(String(20))  # message | manual
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float16, L2-normalised
    suggested_at: Mapped[datetime]
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class LoopDraft(IdMixin, TenantMixin, TimestampMixin, Base):
    """The personal message telling one customer what became of their suggestion."""

    __tablename__ = "feedback_loop_draft"
    __table_args__ = (
        UniqueConstraint(
            "idea_id",
            "customer_id",
            "outcome",
            "organisation_id",
            name="uq_feedback_loop_draft_outcome",
        ),
        Index(None, "idea_id"),
        Index(None, "customer_id"),
        Index(None, "suggestion_id"),
        tenant_key("idea_id", "feedback_idea", ondelete="CASCADE"),
        tenant_key("suggestion_id", "feedback_suggestion", ondelete="CASCADE"),
        tenant_key("customer_id", "customer", ondelete="CASCADE"),
        tenant_key("edited_by_member_id", "member", ondelete="SET NULL"),
        tenant_key("sent_by_member_id", "member", ondelete="SET NULL"),
    )

    idea_id: Mapped[uuid.UUID]
    suggestion_id: Mapped[uuid.UUID]
    customer_id: Mapped[uuid.UUID]
    outcome: Mapped[str] = mapped_column(String(20))  # planned | shipped | declined
    channel: Mapped[str] = mapped_column(String(20))  # email | webhook
    recipient: Mapped[str | None] = mapped_column(String(2000))
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    coach_score: Mapped[int]
    coach_findings: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    blocked: Mapped[bool] = mapped_column(default=False)  # high-severity findings
    state: Mapped[str] = mapped_column(String(20), default="draft")  # draft|sending|sent|failed
    edited_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    sent_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    overridden: Mapped[bool] = mapped_column(default=False)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)


class LoopDelivery(IdMixin, TenantMixin, Base):
    """One attempt to deliver a draft: by SMTP or by outbound webhook."""

    __tablename__ = "feedback_delivery"
    __table_args__ = (
        Index(None, "draft_id", "attempted_at"),
        tenant_key("draft_id", "feedback_loop_draft", ondelete="CASCADE"),
    )

    draft_id: Mapped[uuid.UUID]
    attempt: Mapped[int]
    channel: Mapped[str] = mapped_column(String(20))
    ok: Mapped[bool]
    status_code: Mapped[int | None]
    duration_ms: Mapped[float]
    error: Mapped[str | None] = mapped_column(Text)
    attempted_at: Mapped[datetime] = mapped_column(default=utcnow)
