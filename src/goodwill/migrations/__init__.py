"""Alembic migrations, shipped inside the package so ``goodwill init`` works from a wheel."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

HERE = Path(__file__).parent


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("path_separator", "os")
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision``; on SQLite, then refresh the planner's
    statistics if the migrations added indexes to a database that has them (a new index without
    statistics can mislead the planner more than none at all) or if they are stale."""
    from goodwill import sqlite_statistics

    if engine.dialect.name != "sqlite":
        command.upgrade(alembic_config(engine), revision)
        return
    before = current_revision(engine)
    command.upgrade(alembic_config(engine), revision)
    with engine.connect() as conn:
        migrated = before != current_revision(engine) and sqlite_statistics.has_statistics(conn)
    sqlite_statistics.refresh(engine, force=migrated)


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
