"""score history, task actions, termination risk, message_analysis indexes

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 16:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _tenant_and_relationship_keys(table: str) -> list[sa.Constraint]:
    return [
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f(f"fk_{table}_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f(f"fk_{table}_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("message_analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_analysis_organisation_id_analyser_version"))
        batch_op.create_index(
            batch_op.f("ix_message_analysis_analyser_version"), ["analyser", "version"]
        )
        batch_op.create_index(
            batch_op.f("ix_message_analysis_organisation_id_analysed_at"),
            ["organisation_id", "analysed_at"],
            unique=False,
        )
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.add_column(sa.Column("risk", sa.Float(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_relationship_organisation_id_computed_at"),
            ["organisation_id", "computed_at"],
            unique=False,
        )
    op.create_table(
        "relationship_score_history",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("health", sa.Float(), nullable=True),
        sa.Column(
            "scores", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        *_tenant_and_relationship_keys("relationship_score_history"),
    )
    with op.batch_alter_table("relationship_score_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_relationship_score_history_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_relationship_score_history_relationship_id_computed_at"),
            ["relationship_id", "computed_at"],
            unique=False,
        )

    op.create_table(
        "task_action",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_task_action_member_id_member"),
            ondelete="SET NULL",
        ),
        *_tenant_and_relationship_keys("task_action"),
    )
    with op.batch_alter_table("task_action", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_action_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_task_action_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_task_action_relationship_id_task_id"),
            ["relationship_id", "task_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("task_action", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_action_relationship_id_task_id"))
        batch_op.drop_index(batch_op.f("ix_task_action_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_task_action_member_id"))
    op.drop_table("task_action")
    with op.batch_alter_table("relationship_score_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_score_history_relationship_id_computed_at"))
        batch_op.drop_index(batch_op.f("ix_relationship_score_history_organisation_id"))
    op.drop_table("relationship_score_history")
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_relationship_organisation_id_computed_at"))
        batch_op.drop_column("risk")
    with op.batch_alter_table("message_analysis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_analysis_organisation_id_analysed_at"))
        batch_op.drop_index(batch_op.f("ix_message_analysis_analyser_version"))
        batch_op.create_index(
            batch_op.f("ix_message_analysis_organisation_id_analyser_version"),
            ["organisation_id", "analyser", "version"],
            unique=False,
        )
