"""two-sided perception: one-time survey links (token hashes only) and both sides' answers

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 22:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "perception_request",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivery_error", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_perception_request_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_perception_request_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_perception_request_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perception_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_perception_request_token_hash")),
    )
    with op.batch_alter_table("perception_request", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_perception_request_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_perception_request_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_perception_request_relationship_id_created_at"),
            ["relationship_id", "created_at"],
            unique=False,
        )

    op.create_table(
        "perception_answer",
        sa.Column("relationship_id", sa.Uuid(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("request_id", sa.Uuid(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("value_received", sa.Integer(), nullable=False),
        sa.Column("value_given", sa.Integer(), nullable=False),
        sa.Column("trust", sa.Integer(), nullable=False),
        sa.Column("ease", sa.Integer(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_perception_answer_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_perception_answer_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_perception_answer_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["perception_request.id"],
            name=op.f("fk_perception_answer_request_id_perception_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_perception_answer")),
        sa.UniqueConstraint("request_id", name=op.f("uq_perception_answer_request_id")),
    )
    with op.batch_alter_table("perception_answer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_perception_answer_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_perception_answer_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_perception_answer_organisation_id_answered_at"),
            ["organisation_id", "answered_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_perception_answer_relationship_id_side_answered_at"),
            ["relationship_id", "side", "answered_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("perception_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_perception_answer_relationship_id_side_answered_at"))
        batch_op.drop_index(batch_op.f("ix_perception_answer_organisation_id_answered_at"))
        batch_op.drop_index(batch_op.f("ix_perception_answer_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_perception_answer_member_id"))

    op.drop_table("perception_answer")
    with op.batch_alter_table("perception_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_perception_request_relationship_id_created_at"))
        batch_op.drop_index(batch_op.f("ix_perception_request_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_perception_request_created_by_member_id"))

    op.drop_table("perception_request")
