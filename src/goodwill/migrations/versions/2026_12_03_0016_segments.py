"""rule-defined segments, each relationship's membership history, and an index of the
interactions by kind (what assigning segments reads)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03 22:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text("left_at IS NULL")


def upgrade() -> None:
    op.create_table(
        "segment",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("rule", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_segment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_segment_organisation_id_name")
        ),
    )
    with op.batch_alter_table("segment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_segment_organisation_id"), ["organisation_id"])
        batch_op.create_index(
            batch_op.f("ix_segment_organisation_id_priority"), ["organisation_id", "priority"]
        )

    op.create_table(
        "segment_membership",
        sa.Column("segment_id", sa.Uuid(), nullable=False),
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_segment_membership_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_segment_membership_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["segment_id"],
            ["segment.id"],
            name=op.f("fk_segment_membership_segment_id_segment"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_segment_membership")),
    )
    with op.batch_alter_table("segment_membership", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_segment_membership_organisation_id"), ["organisation_id"]
        )
        batch_op.create_index(
            batch_op.f("ix_segment_membership_organisation_id_segment_id_entered_at"),
            ["organisation_id", "segment_id", "entered_at"],
        )
        batch_op.create_index(
            batch_op.f("ix_segment_membership_segment_id_left_at"), ["segment_id", "left_at"]
        )
        batch_op.create_index(
            batch_op.f("ix_segment_membership_relationship_id_entered_at"),
            ["relationship_id", "entered_at"],
        )
        batch_op.create_index(
            "ux_segment_membership_current",
            ["relationship_id"],
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )
    # no batch (no table copy) for the interaction table: its no-UPDATE trigger stays as it is
    op.create_index(
        "ix_interaction_kind_reads",
        "interaction",
        ["organisation_id", "kind", "customer_id", "occurred_at", "amount"],
    )


def downgrade() -> None:
    op.drop_index("ix_interaction_kind_reads", table_name="interaction")
    with op.batch_alter_table("segment_membership", schema=None) as batch_op:
        batch_op.drop_index("ux_segment_membership_current")
        batch_op.drop_index(batch_op.f("ix_segment_membership_relationship_id_entered_at"))
        batch_op.drop_index(batch_op.f("ix_segment_membership_segment_id_left_at"))
        batch_op.drop_index(
            batch_op.f("ix_segment_membership_organisation_id_segment_id_entered_at")
        )
        batch_op.drop_index(batch_op.f("ix_segment_membership_organisation_id"))
    op.drop_table("segment_membership")
    with op.batch_alter_table("segment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_segment_organisation_id_priority"))
        batch_op.drop_index(batch_op.f("ix_segment_organisation_id"))
    op.drop_table("segment")
