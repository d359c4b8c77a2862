"""Migrations upgrade and downgrade on both databases and match the models exactly."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, ForeignKeyConstraint, inspect

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
    """A model change without its migration fails here (autogenerate finds no difference).

    SQLite keeps the single-column keys it was created with (migration 0022): there, and only
    there, a key that differs from the model by the organisation column alone is expected."""
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, goodwill.models.Base.metadata)
    if engine.dialect.name == "sqlite":
        diff, kept = _without_organisation_keys(diff)
        assert len(kept) == 2 * 93  # 82 foreign keys, 10 unique constraints, 1 unique index
    assert diff == []


_PAIRS = {"add_fk": "remove_fk", "add_constraint": "remove_constraint", "add_index": "remove_index"}


def _key(item: Any) -> tuple[str, str, tuple[str, ...], str | None, str | None]:
    """(kind, table, columns without organisation_id, referred table, ON DELETE) of a diff item."""
    kind, obj = item[0], item[1]
    columns = tuple(c.name for c in obj.columns if c.name != "organisation_id")
    referred = obj.referred_table.name if isinstance(obj, ForeignKeyConstraint) else None
    ondelete = getattr(obj, "ondelete", None)
    if ondelete is not None and ondelete.startswith("SET NULL"):
        ondelete = "SET NULL"
    return kind, obj.table.name, columns, referred, ondelete


def _without_organisation_keys(diff: list[Any]) -> tuple[list[Any], list[Any]]:
    """Split ``diff`` into what is left and the pairs (the model's key, SQLite's key) that are
    the same key but for the organisation column, which the model has and SQLite does not."""
    removed = {}
    for item in diff:
        if isinstance(item, tuple) and item[0] in _PAIRS.values():
            cols = [c.name for c in item[1].columns]
            if "organisation_id" not in cols:
                removed[_key(item)] = item
    kept, left = [], []
    for item in diff:
        if isinstance(item, tuple) and item[0] in _PAIRS:
            cols = [c.name for c in item[1].columns]
            kind, *rest = _key(item)
            match = removed.pop((_PAIRS[kind], *rest), None)
            if "organisation_id" in cols and match is not None:
                kept += [item, match]
                continue
        left.append(item)
    paired = {id(item) for item in kept}
    return [item for item in left if id(item) not in paired], kept
