"""reason training requests

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 19:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reason_training",
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("model_version", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_reason_training_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["member.id"],
            name=op.f("fk_reason_training_requested_by_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reason_training")),
    )
    with op.batch_alter_table("reason_training", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reason_training_organisation_id"), ["organisation_id"])
        batch_op.create_index(batch_op.f("ix_reason_training_requested_by_id"), ["requested_by_id"])


def downgrade() -> None:
    with op.batch_alter_table("reason_training", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reason_training_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_reason_training_organisation_id"))
    op.drop_table("reason_training")
