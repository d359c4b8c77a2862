"""contact reasons

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contact_reason",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("company_value", sa.Double(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["contact_reason.id"],
            name=op.f("fk_contact_reason_merged_into_id_contact_reason"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_contact_reason_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_reason")),
        sa.UniqueConstraint(
            "organisation_id", "name", name=op.f("uq_contact_reason_organisation_id_name")
        ),
    )
    with op.batch_alter_table("contact_reason", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contact_reason_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_contact_reason_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "reason_model",
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("trained_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("example_count", sa.Integer(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column(
            "reasons", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False
        ),
        sa.Column("archive", sa.LargeBinary(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_reason_model_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reason_model")),
        sa.UniqueConstraint(
            "organisation_id", "version", name=op.f("uq_reason_model_organisation_id_version")
        ),
    )
    with op.batch_alter_table("reason_model", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reason_model_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "message_reason",
        sa.Column("interaction_id", sa.Uuid(), nullable=False),
        sa.Column("reason_id", sa.Uuid(), nullable=True),
        sa.Column("confidence", sa.Double(), nullable=True),
        sa.Column("model_id", sa.Uuid(), nullable=True),
        sa.Column("manual", sa.Boolean(), nullable=False),
        sa.Column("assigned_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("assigned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_by_member_id"],
            ["member.id"],
            name=op.f("fk_message_reason_assigned_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_message_reason_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["model_id"],
            ["reason_model.id"],
            name=op.f("fk_message_reason_model_id_reason_model"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_message_reason_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["contact_reason.id"],
            name=op.f("fk_message_reason_reason_id_contact_reason"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_message_reason")),
        sa.UniqueConstraint("interaction_id", name=op.f("uq_message_reason_interaction_id")),
    )
    with op.batch_alter_table("message_reason", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_message_reason_assigned_by_member_id"),
            ["assigned_by_member_id"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_message_reason_model_id"), ["model_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_message_reason_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_message_reason_organisation_id_reason_id"),
            ["organisation_id", "reason_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_message_reason_reason_id"), ["reason_id"], unique=False
        )

    op.create_table(
        "reason_example",
        sa.Column("reason_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("interaction_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_reason_example_interaction_id_interaction"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_reason_example_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reason_id"],
            ["contact_reason.id"],
            name=op.f("fk_reason_example_reason_id_contact_reason"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reason_example")),
    )
    with op.batch_alter_table("reason_example", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reason_example_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reason_example_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_reason_example_reason_id"), ["reason_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("reason_example", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reason_example_reason_id"))
        batch_op.drop_index(batch_op.f("ix_reason_example_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_reason_example_interaction_id"))

    op.drop_table("reason_example")
    with op.batch_alter_table("message_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_message_reason_reason_id"))
        batch_op.drop_index(batch_op.f("ix_message_reason_organisation_id_reason_id"))
        batch_op.drop_index(batch_op.f("ix_message_reason_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_message_reason_model_id"))
        batch_op.drop_index(batch_op.f("ix_message_reason_assigned_by_member_id"))

    op.drop_table("message_reason")
    with op.batch_alter_table("reason_model", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reason_model_organisation_id"))

    op.drop_table("reason_model")
    with op.batch_alter_table("contact_reason", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contact_reason_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_contact_reason_merged_into_id"))

    op.drop_table("contact_reason")
