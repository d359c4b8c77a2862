"""partial index of the relationships never computed

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 21:20:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NEVER = sa.text("computed_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.create_index(
            "ix_relationship_never_computed",
            ["organisation_id"],
            sqlite_where=NEVER,
            postgresql_where=NEVER,
        )


def downgrade() -> None:
    with op.batch_alter_table("relationship", schema=None) as batch_op:
        batch_op.drop_index("ix_relationship_never_computed")
