"""Contact reasons, their labelled examples, the organisation's trained classifier and each
inbound message's reason (seed 001: the Value Irritant Grid is built on these)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class ContactReason(IdMixin, TenantMixin, Base):
    """Why customers contact the organisation ("where's my card?"); merged reasons are kept and
    point at the reason that absorbed them."""

    __tablename__ = "contact_reason"
    __table_args__ = (
        UniqueConstraint("organisation_id", "name"),
        tenant_key("merged_into_id", "contact_reason", ondelete="SET NULL"),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    company_value: Mapped[float | None]  # configured in [-1, 1]; None = derived from outcomes
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class ReasonExample(IdMixin, TenantMixin, Base):
    """A labelled example text of a reason: imported, labelled from a message, or accepted
    from discovery."""

    __tablename__ = "reason_example"
    __table_args__ = (
        Index(None, "reason_id"),
        Index(None, "interaction_id"),
        tenant_key("reason_id", "contact_reason", ondelete="CASCADE"),
        tenant_key("interaction_id", "interaction", ondelete="SET NULL"),
    )

    reason_id: Mapped[uuid.UUID]
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))  # import | message | discovery
    interaction_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReasonModel(IdMixin, TenantMixin, Base):
    """One trained reason classifier: its saved files (a zip archive) kept in the database so
    every process and machine loads the same model; the newest version is the current one."""

    __tablename__ = "reason_model"
    __table_args__ = (UniqueConstraint("organisation_id", "version"),)

    version: Mapped[int]
    trained_at: Mapped[datetime] = mapped_column(default=utcnow)
    example_count: Mapped[int]
    threshold: Mapped[float]
    reasons: Mapped[list[str]] = mapped_column(JSONType)
    archive: Mapped[bytes] = mapped_column(LargeBinary)


class MessageReason(IdMixin, TenantMixin, Base):
    """The reason of one inbound message (``reason_id`` None = unknown). A manager's label
    (``manual``) wins over the model and is kept when messages are classified again."""

    __tablename__ = "message_reason"
    __table_args__ = (
        Index(None, "organisation_id", "reason_id"),
        Index(None, "organisation_id", "assigned_at"),  # reasons assigned since (quality rollups)
        UniqueConstraint("interaction_id", "organisation_id"),
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
        tenant_key("reason_id", "contact_reason", ondelete="SET NULL"),
        tenant_key("model_id", "reason_model", ondelete="SET NULL"),
        tenant_key("assigned_by_member_id", "member", ondelete="SET NULL"),
    )

    interaction_id: Mapped[uuid.UUID]
    reason_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    confidence: Mapped[float | None]
    model_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    manual: Mapped[bool] = mapped_column(default=False)
    assigned_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReasonTraining(IdMixin, TenantMixin, Base):
    """A manager's request to train the reason classifier, run by the ``train_reasons`` job:
    ``queued`` → ``training`` → ``done`` (with the model version) or ``failed`` (with why)."""

    __tablename__ = "reason_training"
    __table_args__ = (tenant_key("requested_by_id", "member", ondelete="SET NULL"),)

    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    requested_by_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(20), default="queued")
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    model_version: Mapped[int | None]
