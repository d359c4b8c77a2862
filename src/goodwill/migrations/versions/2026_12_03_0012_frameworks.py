"""response frameworks (library, versions with their coach review, usage events)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 20:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "response_framework",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("latest_version", sa.Integer(), nullable=False),
        sa.Column("published_version", sa.Integer(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_response_framework_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_response_framework_owner_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_framework")),
    )
    with op.batch_alter_table("response_framework", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_framework_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_response_framework_organisation_id_status"),
            ["organisation_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_response_framework_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "response_framework_version",
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "intents", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "phases", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "emotions", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "stages", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column(
            "examples", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column(
            "review", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("review_passed", sa.Boolean(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=True),
        sa.Column("override_member_id", sa.Uuid(), nullable=True),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_response_framework_version_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["response_framework.id"],
            name=op.f("fk_response_framework_version_framework_id_response_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_response_framework_version_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["override_member_id"],
            ["member.id"],
            name=op.f("fk_response_framework_version_override_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_framework_version")),
        sa.UniqueConstraint(
            "framework_id", "number", name=op.f("uq_response_framework_version_framework_id_number")
        ),
    )
    with op.batch_alter_table("response_framework_version", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_response_framework_version_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_response_framework_version_organisation_id"),
            ["organisation_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_response_framework_version_override_member_id"),
            ["override_member_id"],
            unique=False,
        )

    op.create_table(
        "framework_usage",
        sa.Column("framework_id", sa.Uuid(), nullable=False),
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("event", sa.String(length=20), nullable=False),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("relationship_id", sa.Uuid(), nullable=True),
        sa.Column("interaction_id", sa.Uuid(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("final_text", sa.Text(), nullable=True),
        sa.Column("edit_ratio", sa.Double(), nullable=True),
        sa.Column(
            "deleted_sentences",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["framework_id"],
            ["response_framework.id"],
            name=op.f("fk_framework_usage_framework_id_response_framework"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_framework_usage_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_framework_usage_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_framework_usage_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["relationship_id"],
            ["relationship.id"],
            name=op.f("fk_framework_usage_relationship_id_relationship"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["response_framework_version.id"],
            name=op.f("fk_framework_usage_version_id_response_framework_version"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_framework_usage")),
    )
    with op.batch_alter_table("framework_usage", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_framework_usage_framework_id"), ["framework_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_organisation_id_framework_id_event"),
            ["organisation_id", "framework_id", "event"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_relationship_id"), ["relationship_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_framework_usage_version_id"), ["version_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("framework_usage", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_framework_usage_version_id"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_relationship_id"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_organisation_id_framework_id_event"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_member_id"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_framework_usage_framework_id"))

    op.drop_table("framework_usage")
    with op.batch_alter_table("response_framework_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_framework_version_override_member_id"))
        batch_op.drop_index(batch_op.f("ix_response_framework_version_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_response_framework_version_created_by_member_id"))

    op.drop_table("response_framework_version")
    with op.batch_alter_table("response_framework", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_response_framework_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_response_framework_organisation_id_status"))
        batch_op.drop_index(batch_op.f("ix_response_framework_organisation_id"))

    op.drop_table("response_framework")
