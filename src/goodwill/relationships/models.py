"""The relationship between the organisation and one customer: the central object."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class Relationship(IdMixin, TenantMixin, TimestampMixin, Base):
    """One per customer; its derived state (stage, phase, trust, health) is kept by the engine."""

    __tablename__ = "relationship"
    __table_args__ = (
        Index(None, "organisation_id", "owner_member_id"),
        Index(None, "organisation_id", "updated_at"),
        Index(None, "organisation_id", "computed_at"),  # which are due (incremental recompute)
        # the never computed: a partial index, so SQLite's statistics (which cannot tell NULL
        # from one frequent value) never make it scan the table for them; covering (the id), so
        # that statistics taken when every relationship was new (the index then as large as the
        # table) do not make a scan of the table look cheaper either
        Index(
            "ix_relationship_never_computed",
            "organisation_id",
            "id",
            sqlite_where=text("computed_at IS NULL"),
            postgresql_where=text("computed_at IS NULL"),
        ),
        # the board's default order, by last contact (read as contacted, then never contacted:
        # ``web.board``), for everyone and per owner
        Index("ix_relationship_board_last_contact", "organisation_id", "last_interaction_at", "id"),
        Index(
            "ix_relationship_owner_last_contact",
            "organisation_id",
            "owner_member_id",
            "last_interaction_at",
            "id",
        ),
        # an owner's relationships by stage and risk (Today's "needs your attention")
        Index(
            "ix_relationship_owner_attention", "organisation_id", "owner_member_id", "stage", "risk"
        ),
        UniqueConstraint("customer_id", "organisation_id"),
        tenant_key("customer_id", "customer", ondelete="CASCADE"),
        tenant_key("owner_member_id", "member", ondelete="SET NULL"),
    )

    customer_id: Mapped[uuid.UUID]
    owner_member_id: Mapped[uuid.UUID | None]
    segment: Mapped[str | None] = mapped_column(String(100))
    stage: Mapped[str | None] = mapped_column(String(30))
    phase: Mapped[str | None] = mapped_column(String(30))
    health: Mapped[float | None]
    risk: Mapped[float | None]  # P(ends within the risk model's horizon); None without a model
    started_at: Mapped[datetime | None]
    last_interaction_at: Mapped[datetime | None]
    interaction_count: Mapped[int] = mapped_column(default=0)
    stage_evidence: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONType)
    trust: Mapped[dict[str, Any] | None] = mapped_column(JSONType)  # pillars, connection, health
    computed_at: Mapped[datetime | None]


class Commitment(IdMixin, TenantMixin, Base):
    """A promise made to the customer: found in an outbound message or entered by hand."""

    __tablename__ = "commitment"
    __table_args__ = (
        UniqueConstraint("organisation_id", "interaction_id", "start"),
        Index(None, "organisation_id", "relationship_id", "status"),
        Index(None, "relationship_id"),
        Index(None, "interaction_id"),
        Index(None, "organisation_id", "closed_at"),  # a period's closed promises (quality)
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
        tenant_key("interaction_id", "interaction", ondelete="CASCADE"),
        tenant_key("owner_member_id", "member", ondelete="SET NULL"),
        tenant_key("closed_by_interaction_id", "interaction", ondelete="SET NULL"),
    )

    relationship_id: Mapped[uuid.UUID]
    interaction_id: Mapped[uuid.UUID | None]
    start: Mapped[int | None]
    owner_member_id: Mapped[uuid.UUID | None]
    text: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="open")
    closed_at: Mapped[datetime | None]
    closed_by_interaction_id: Mapped[uuid.UUID | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class StageHistory(IdMixin, TenantMixin, Base):
    """One inferred (stage, phase) of a relationship, valid from a time until the next row."""

    __tablename__ = "relationship_stage_history"
    __table_args__ = (
        Index(None, "relationship_id", "valid_from"),
        Index(None, "organisation_id", "stage", "valid_from"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
    )

    relationship_id: Mapped[uuid.UUID]
    stage: Mapped[str] = mapped_column(String(30))
    phase: Mapped[str] = mapped_column(String(30))
    evidence: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
    valid_from: Mapped[datetime]


class ScoreHistory(IdMixin, TenantMixin, Base):
    """A relationship's scores (trust pillars, connection, health, termination risk) as computed
    at one time; a row is written only when one of them moved by at least a point."""

    __tablename__ = "relationship_score_history"
    __table_args__ = (
        Index(None, "relationship_id", "computed_at"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
    )

    relationship_id: Mapped[uuid.UUID]
    health: Mapped[float | None]
    scores: Mapped[dict[str, float]] = mapped_column(JSONType)
    computed_at: Mapped[datetime]


class TaskAction(IdMixin, TenantMixin, Base):
    """What a member did with a next-conversation task: ``done``, ``dismissed``, or ``snoozed``
    until a time. The latest action on a task decides whether it is shown."""

    __tablename__ = "task_action"
    __table_args__ = (
        Index(None, "relationship_id", "task_id"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
    )

    relationship_id: Mapped[uuid.UUID]
    task_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(50))
    action: Mapped[str] = mapped_column(String(20))
    until: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TaskSnapshot(TenantMixin, Base):
    """A member's next-conversation tasks as last computed, for the Today page.

    Computing them reads every relationship the member owns (two seconds for 20,000, far more
    for a million customers), so Today reads this row and refreshes it after the request once it
    is older than a few minutes (``goodwill.relationships.task_snapshots``). ``tasks`` holds up
    to ``nextconv.MAX_LIMIT`` tasks, most urgent first; actions taken since are applied on read.
    Customers' names are in it: erasing a customer empties the organisation's snapshots."""

    __tablename__ = "task_snapshot"
    __table_args__ = (tenant_key("member_id", "member", ondelete="CASCADE"),)
    __row_key__ = ("organisation_id", "member_id")

    organisation_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True
    )
    member_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    computed_at: Mapped[datetime]
    tasks: Mapped[list[dict[str, Any]]] = mapped_column(JSONType)
