"""feedback loop: suggestions, ideas, status history, closing-the-loop drafts, deliveries

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feedback_idea",
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("public_note", sa.Text(), nullable=True),
        sa.Column("owner_member_id", sa.Uuid(), nullable=True),
        sa.Column("tracker_url", sa.String(length=2000), nullable=True),
        sa.Column("merged_into_id", sa.Uuid(), nullable=True),
        sa.Column("status_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["feedback_idea.id"],
            name=op.f("fk_feedback_idea_merged_into_id_feedback_idea"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_idea_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_member_id"],
            ["member.id"],
            name=op.f("fk_feedback_idea_owner_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_idea")),
    )
    with op.batch_alter_table("feedback_idea", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_merged_into_id"), ["merged_into_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_organisation_id_status"),
            ["organisation_id", "status"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_owner_member_id"), ["owner_member_id"], unique=False
        )

    op.create_table(
        "feedback_idea_status",
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("from_status", sa.String(length=20), nullable=True),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("public_note", sa.Text(), nullable=True),
        sa.Column("member_id", sa.Uuid(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["feedback_idea.id"],
            name=op.f("fk_feedback_idea_status_idea_id_feedback_idea"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["member_id"],
            ["member.id"],
            name=op.f("fk_feedback_idea_status_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_idea_status_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_idea_status")),
    )
    with op.batch_alter_table("feedback_idea_status", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_status_idea_id_changed_at"),
            ["idea_id", "changed_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_status_member_id"), ["member_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_idea_status_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "feedback_suggestion",
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("interaction_id", sa.Uuid(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("suggested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_member_id"],
            ["member.id"],
            name=op.f("fk_feedback_suggestion_created_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_feedback_suggestion_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["feedback_idea.id"],
            name=op.f("fk_feedback_suggestion_idea_id_feedback_idea"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["interaction_id"],
            ["interaction.id"],
            name=op.f("fk_feedback_suggestion_interaction_id_interaction"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_suggestion_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_suggestion")),
        sa.UniqueConstraint(
            "organisation_id",
            "interaction_id",
            name=op.f("uq_feedback_suggestion_organisation_id_interaction_id"),
        ),
    )
    with op.batch_alter_table("feedback_suggestion", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_created_by_member_id"),
            ["created_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_idea_id"), ["idea_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_suggestion_organisation_id_suggested_at"),
            ["organisation_id", "suggested_at"],
            unique=False,
        )

    op.create_table(
        "feedback_loop_draft",
        sa.Column("idea_id", sa.Uuid(), nullable=False),
        sa.Column("suggestion_id", sa.Uuid(), nullable=False),
        sa.Column("customer_id", sa.Uuid(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("recipient", sa.String(length=2000), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("coach_score", sa.Integer(), nullable=False),
        sa.Column(
            "coach_findings",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=False,
        ),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("edited_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("sent_by_member_id", sa.Uuid(), nullable=True),
        sa.Column("overridden", sa.Boolean(), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["customer_id"],
            ["customer.id"],
            name=op.f("fk_feedback_loop_draft_customer_id_customer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edited_by_member_id"],
            ["member.id"],
            name=op.f("fk_feedback_loop_draft_edited_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["idea_id"],
            ["feedback_idea.id"],
            name=op.f("fk_feedback_loop_draft_idea_id_feedback_idea"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_loop_draft_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sent_by_member_id"],
            ["member.id"],
            name=op.f("fk_feedback_loop_draft_sent_by_member_id_member"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"],
            ["feedback_suggestion.id"],
            name=op.f("fk_feedback_loop_draft_suggestion_id_feedback_suggestion"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_loop_draft")),
        sa.UniqueConstraint(
            "idea_id",
            "customer_id",
            "outcome",
            name=op.f("uq_feedback_loop_draft_idea_id_customer_id_outcome"),
        ),
    )
    with op.batch_alter_table("feedback_loop_draft", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_customer_id"), ["customer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_edited_by_member_id"),
            ["edited_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_idea_id"), ["idea_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_sent_by_member_id"),
            ["sent_by_member_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_loop_draft_suggestion_id"), ["suggestion_id"], unique=False
        )

    op.create_table(
        "feedback_delivery",
        sa.Column("draft_id", sa.Uuid(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=20), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Double(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("organisation_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["feedback_loop_draft.id"],
            name=op.f("fk_feedback_delivery_draft_id_feedback_loop_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_feedback_delivery_organisation_id_organisation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_delivery")),
    )
    with op.batch_alter_table("feedback_delivery", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_feedback_delivery_draft_id_attempted_at"),
            ["draft_id", "attempted_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_feedback_delivery_organisation_id"), ["organisation_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("feedback_delivery", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_delivery_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_delivery_draft_id_attempted_at"))

    op.drop_table("feedback_delivery")
    with op.batch_alter_table("feedback_loop_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_suggestion_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_sent_by_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_idea_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_edited_by_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_loop_draft_customer_id"))

    op.drop_table("feedback_loop_draft")
    with op.batch_alter_table("feedback_suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_organisation_id_suggested_at"))
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_interaction_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_idea_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_customer_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_suggestion_created_by_member_id"))

    op.drop_table("feedback_suggestion")
    with op.batch_alter_table("feedback_idea_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_idea_status_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_idea_status_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_idea_status_idea_id_changed_at"))

    op.drop_table("feedback_idea_status")
    with op.batch_alter_table("feedback_idea", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feedback_idea_owner_member_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_idea_organisation_id_status"))
        batch_op.drop_index(batch_op.f("ix_feedback_idea_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_feedback_idea_merged_into_id"))

    op.drop_table("feedback_idea")
