"""Migrations upgrade and downgrade on both databases and match the models exactly."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

import goodwill.models
from goodwill import migrations


def test_upgrade_downgrade_upgrade_round_trip(fresh_engine: Engine) -> None:
    migrations.upgrade(fresh_engine)
    assert migrations.current_revision(fresh_engine) == migrations.head_revision(fresh_engine)
    tables = set(inspect(fresh_engine).get_table_names())
    assert {"organisation", "customer", "interaction", "relationship"} <= tables
    migrations.downgrade(fresh_engine, "base")
    assert migrations.current_revision(fresh_engine) is None
    assert set(inspect(fresh_engine).get_table_names()) <= {"alembic_version"}
    migrations.upgrade(fresh_engine)
    assert migrations.current_revision(fresh_engine) == migrations.head_revision(fresh_engine)


def test_models_and_migrations_agree(engine: Engine) -> None:
    """A model change without its migration fails here (autogenerate finds no difference)."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, goodwill.models.Base.metadata)
    assert diff == []
