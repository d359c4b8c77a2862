"""message analyses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 13:33:21.153680
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "message_analysis",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("analyser", sa.String(length=50), nullable=False),
        sa.Column("version", sa.String(length=50), nullable=False),
        sa.Column(
            "result",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_message_analysis_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_message_analysis_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", "analyser", name=op.f("pk_message_analysis")),
    )
    with op.batch_alter_table("message_analysis", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_analysis_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_analysis_organisation_id_analyser_version"),
            ["organisation_id", "analyser", "version"],
            unique=False,
        )

    op.create_table(
        "message_embedding",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column("dimensions", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("analysed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_message_embedding_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_message_embedding_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_message_embedding")),
    )
    with op.batch_alter_table("message_embedding", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_embedding_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("message_embedding", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_embedding_organisation_id"))

    op.drop_table("message_embedding")
    with op.batch_alter_table("message_analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_analysis_organisation_id_analyser_version"))
        batch_op.drop_index(batch_op.f("ix_message_analysis_organisation_id"))

    op.drop_table("message_analysis")
