"""Decision trees (interactive scripts), their versions, and every run and step through them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, JSONType, TimestampMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class DecisionTree(IdMixin, TenantMixin, TimestampMixin, Base):
    """A script for service, cold calls or self-service; its content lives in its versions."""

    __tablename__ = "decision_tree"
    __table_args__ = (tenant_key("created_by_member_id", "member", ondelete="SET NULL"),)

    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    latest_version: Mapped[int] = mapped_column(default=0)
    published_version: Mapped[int | None]  # the number runs start from; None: no valid save yet
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class DecisionTreeVersion(IdMixin, TenantMixin, Base):
    """One save of a tree: the source as authored, the parsed definition and its errors."""

    __tablename__ = "decision_tree_version"
    __table_args__ = (
        UniqueConstraint("tree_id", "number", "organisation_id"),
        tenant_key("tree_id", "decision_tree", ondelete="CASCADE"),
        tenant_key("created_by_member_id", "member", ondelete="SET NULL"),
    )

    tree_id: Mapped[uuid.UUID]
    number: Mapped[int]
    source: Mapped[str] = mapped_column(Text)
    source_format: Mapped[str] = mapped_column(String(10))
    definition: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    created_by_member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TreeRun(IdMixin, TenantMixin, Base):
    """One walk through a tree version, optionally for a relationship (whose health and stage
    at the start are kept, so analytics can show how it fared afterwards)."""

    __tablename__ = "tree_run"
    __table_args__ = (
        Index(None, "tree_id", "started_at"),
        Index(None, "version_id"),
        Index(None, "relationship_id"),
        tenant_key("tree_id", "decision_tree", ondelete="CASCADE"),
        tenant_key("version_id", "decision_tree_version", ondelete="CASCADE"),
        tenant_key("relationship_id", "relationship", ondelete="SET NULL"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
    )

    tree_id: Mapped[uuid.UUID]
    version_id: Mapped[uuid.UUID]
    relationship_id: Mapped[uuid.UUID | None]
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    current_node: Mapped[str] = mapped_column(String(200))
    path: Mapped[list[str]] = mapped_column(JSONType)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | completed
    outcome: Mapped[str | None] = mapped_column(String(200))
    health_at_start: Mapped[float | None]
    stage_at_start: Mapped[str | None] = mapped_column(String(30))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_step_at: Mapped[datetime] = mapped_column(default=utcnow)
    completed_at: Mapped[datetime | None]


class TreeRunStep(IdMixin, TenantMixin, Base):
    """One choice in a run: from which node, which option, to which node."""

    __tablename__ = "tree_run_step"
    __table_args__ = (
        UniqueConstraint("run_id", "position", "organisation_id"),
        tenant_key("run_id", "tree_run", ondelete="CASCADE"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
    )

    run_id: Mapped[uuid.UUID]
    position: Mapped[int]
    from_node: Mapped[str] = mapped_column(String(200))
    option: Mapped[str] = mapped_column(String(500))
    to_node: Mapped[str] = mapped_column(String(200))
    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
