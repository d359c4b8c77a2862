"""reply review (service quality)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 21:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reply_review",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("coach_version", sa.String(length=40), nullable=False),
        sa.Column("reader", sa.String(length=50), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("irritant_count", sa.Integer(), nullable=False),
        sa.Column("empathy", sa.Boolean(), nullable=False),
        sa.Column(
            "findings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_reply_review_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_reply_review_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("interaction_id", name=op.f("pk_reply_review")),
    )
    with op.batch_alter_table("reply_review", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reply_review_organisation_id"), ["organisation_id"])
        batch_op.create_index(
            batch_op.f("ix_reply_review_organisation_id_coach_version"),
            ["organisation_id", "coach_version"],
        )


def downgrade() -> None:
    with op.batch_alter_table("reply_review", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reply_review_organisation_id_coach_version"))
        batch_op.drop_index(batch_op.f("ix_reply_review_organisation_id"))
    op.drop_table("reply_review")
