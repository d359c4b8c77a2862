"""job outbox and dead letters

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 17:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f(f"fk_{table}_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "job_outbox",
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        *_tenant_keys("job_outbox"),
    )
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_outbox_created_at"), ["created_at"])
        batch_op.create_index(batch_op.f("ix_job_outbox_organisation_id"), ["organisation_id"])
    op.create_table(
        "job_dead_letter",
        sa.Column("message_id", sa.String(length=64), nullable=False),
        sa.Column("actor_name", sa.String(length=100), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retried_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        *_tenant_keys("job_dead_letter"),
    )
    with op.batch_alter_table("job_dead_letter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_job_dead_letter_organisation_id"), ["organisation_id"])
        batch_op.create_index(
            batch_op.f("ix_job_dead_letter_organisation_id_failed_at"),
            ["organisation_id", "failed_at"],
        )


def downgrade() -> None:
    with op.batch_alter_table("job_dead_letter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_dead_letter_organisation_id_failed_at"))
        batch_op.drop_index(batch_op.f("ix_job_dead_letter_organisation_id"))
    op.drop_table("job_dead_letter")
    with op.batch_alter_table("job_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_job_outbox_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_job_outbox_created_at"))
    op.drop_table("job_outbox")
