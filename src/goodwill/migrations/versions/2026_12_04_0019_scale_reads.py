"""reads that scale: quality's daily rollups, and the indexes the board, Today and Quality read

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04 14:30:00.000000
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# (index, table, columns): plain indexes on other domains' tables, declared beside the reads
# that need them (goodwill.quality.models)
INDEXES = (
    ("ix_conversation_organisation_id_opened_at", "conversation", ["organisation_id", "opened_at"]),
    ("ix_commitment_organisation_id_closed_at", "commitment", ["organisation_id", "closed_at"]),
    (
        "ix_message_reason_organisation_id_assigned_at",
        "message_reason",
        ["organisation_id", "assigned_at"],
    ),
    (
        "ix_reply_review_organisation_id_reviewed_at",
        "reply_review",
        ["organisation_id", "reviewed_at"],
    ),
    # Today's "needs your attention": an owner's relationships in a drifting stage or at risk
    (
        "ix_relationship_owner_attention",
        "relationship",
        ["organisation_id", "owner_member_id", "stage", "risk"],
    ),
)


def upgrade() -> None:
    for name, table in (("quality_day", True), ("quality_rollup_state", False)):
        columns: list[sa.Column[Any]] = [sa.Column("organisation_id", sa.Uuid(), nullable=False)]
        if table:
            columns += [
                sa.Column("day", sa.Date(), nullable=False),
                sa.Column("hour", sa.SmallInteger(), autoincrement=False, nullable=False),
                sa.Column("computed_at", sa.DateTime(timezone=True), nullable=False),
                sa.Column("fingerprint", sa.String(length=64), nullable=False),
                sa.Column("conversations", sa.Integer(), nullable=False),
                sa.Column("tallies", JSON, nullable=False),
            ]
        else:
            columns.append(sa.Column("checked_at", sa.DateTime(timezone=True), nullable=False))
        op.create_table(
            name,
            *columns,
            sa.ForeignKeyConstraint(
                ["organisation_id"],
                ["organisation.id"],
                name=op.f(f"fk_{name}_organisation_id_organisation"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint(
                *(["organisation_id", "day", "hour"] if table else ["organisation_id"]),
                name=op.f(f"pk_{name}"),
            ),
        )
    for index, table_name, indexed in INDEXES:
        op.create_index(index, table_name, indexed)
    # the board's default order (by last contact), served by an index so that a page of a
    # million relationships reads fifty rows, for everyone and per owner
    op.create_index(
        "ix_relationship_board_last_contact",
        "relationship",
        ["organisation_id", "last_interaction_at", "id"],
    )
    op.create_index(
        "ix_relationship_owner_last_contact",
        "relationship",
        ["organisation_id", "owner_member_id", "last_interaction_at", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_relationship_owner_last_contact", table_name="relationship")
    op.drop_index("ix_relationship_board_last_contact", table_name="relationship")
    for name, table_name, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table_name)
    for name in ("quality_rollup_state", "quality_day"):
        op.drop_table(name)
