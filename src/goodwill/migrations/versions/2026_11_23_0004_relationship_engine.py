"""relationship engine

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 14:29:10.847704
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "relationship_stage_history",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(length=30), nullable=False),
        sa.Column("phase", sa.String(length=30), nullable=False),
        sa.Column(
            "evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("valid_from", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_relationship_stage_history_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_relationship_stage_history_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_stage_history")),
    )
    with op.batch_alter_table("relationship_stage_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relationship_stage_history_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_relationship_stage_history_organisation_id_stage_valid_from"),
            ["organisation_id", "stage", "valid_from"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_relationship_stage_history_relationship_id_valid_from"),
            ["relationship_id", "valid_from"],
            unique=False,
        )

    op.create_table(
        "commitment",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("interaction_id", sa.Uuid(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closed_by_interaction_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["closed_by_interaction_id"],
            ["interaction.id"],
            name=op.f("fk_commitment_closed_by_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_commitment_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_commitment_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_commitment_owner_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_commitment_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment")),
        sa.UniqueConstraint(
            "organisation_id",
            "interaction_id",
            "start",
            name=op.f("uq_commitment_organisation_id_interaction_id_start"),
        ),
    )
    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commitment_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_organisation_id_relationship_id_status"),
            ["organisation_id", "relationship_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_commitment_relationship_id"), ["relationship_id"], unique=False
        )

    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "stage_evidence",
                sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                nullable=True,
            )
        )
        batch_op.add_column(sa.Column("computed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_column("computed_at")
        batch_op.drop_column("stage_evidence")

    with op.batch_alter_table("commitment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commitment_relationship_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_organisation_id_relationship_id_status"))
        batch_op.drop_index(batch_op.f("ix_commitment_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_commitment_interaction_id"))

    op.drop_table("commitment")
    with op.batch_alter_table("relationship_stage_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_stage_history_relationship_id_valid_from"))
        batch_op.drop_index(
            batch_op.f("ix_relationship_stage_history_organisation_id_stage_valid_from")
        )
        batch_op.drop_index(batch_op.f("ix_relationship_stage_history_organisation_id"))

    op.drop_table("relationship_stage_history")
