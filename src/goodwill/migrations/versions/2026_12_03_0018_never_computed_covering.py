"""the never-computed relationships' partial index covers their id

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NAME = "ix_relationship_never_computed"
NEVER = sa.text("computed_at IS NULL")


def _index(columns: list[str]) -> None:
    op.drop_index(NAME, table_name="relationship")
    op.create_index(NAME, "relationship", columns, sqlite_where=NEVER, postgresql_where=NEVER)


def upgrade() -> None:
    _index(["organisation_id", "id"])


def downgrade() -> None:
    _index(["organisation_id"])
