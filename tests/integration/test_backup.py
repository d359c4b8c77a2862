"""Backup and restore: a restored database equals the original, on SQLite and PostgreSQL; a
damaged or foreign file, or a database that is not empty, restores nothing."""

from __future__ import annotations

import os
import secrets
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from typer.testing import CliRunner

from goodwill import backup, migrations, tenancy
from goodwill.cli import app
from goodwill.customers.models import Customer
from goodwill.database import Base, make_engine, make_session_factory, unit_of_work, utcnow
from goodwill.errors import InvalidInput
from goodwill.interactions.models import Interaction, InteractionRaw
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from tests.conftest import PG_ADMIN_URL, postgres_url


@pytest.fixture
def second_engine(fresh_engine: Engine, tmp_path: Path) -> Iterator[Engine]:
    """Another empty database of the same kind as ``fresh_engine``."""
    if fresh_engine.dialect.name == "sqlite":
        eng = make_engine(f"sqlite:///{tmp_path / 'restored.sqlite3'}")
        yield eng
        eng.dispose()
        return
    name = f"goodwill_restore_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng = make_engine(postgres_url().rsplit("/", 1)[0] + "/" + name)
    try:
        yield eng
    finally:
        eng.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _fill(engine: Engine) -> None:
    """An organisation with a customer, a purchase (a decimal), a message with its raw bytes and
    an analysis (JSON), so every kind of column is in the backup."""
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as db:
        org = organisation_service.create_organisation(db=db, name="Acme", email_domains=["a.io"])
        tenancy.scope(db, org.id)
        customer = Customer(external_id="C-1", name="Zoë Ünal", email="z@x.io", attributes={"a": 1})
        db.add(customer)
        db.flush()
        for n, (kind, amount) in enumerate((("purchase", Decimal("19.99")), ("message", None))):
            row = Interaction(
                external_id=f"I-{n}",
                customer_id=customer.id,
                kind=kind,
                channel="email",
                direction="inbound",
                occurred_at=utcnow(),
                body="Where is my card? ✉",
                amount=amount,
                currency="EUR" if amount else None,
            )
            db.add(row)
            db.flush()
        db.add(
            InteractionRaw(
                interaction_id=row.id, content_type="message/rfc822", content=b"\x00\xff"
            )
        )
        db.add(
            MessageAnalysis(
                interaction_id=row.id, analyser="sentiment", version="1", result={"value": {"x": 1}}
            )
        )


def _contents(engine: Engine) -> dict[str, list[Any]]:
    with engine.connect() as conn:
        return {
            t.name: sorted(map(repr, conn.execute(select(t)).all()))
            for t in Base.metadata.sorted_tables
        }


def test_a_restored_database_equals_the_original(
    fresh_engine: Engine, second_engine: Engine, tmp_path: Path
) -> None:
    _fill(fresh_engine)
    out = tmp_path / "backup.zip"

    manifest = backup.backup(fresh_engine, out)
    restored = backup.restore(second_engine, out)

    assert manifest["tables"]["interaction"]["rows"] == 2
    assert restored["interaction_raw"] == 1
    assert sum(restored.values()) == sum(t["rows"] for t in manifest["tables"].values())
    assert _contents(second_engine) == _contents(fresh_engine)
    with pytest.raises(InvalidInput, match="not empty"):
        backup.restore(second_engine, out)


def test_a_damaged_backup_restores_nothing(
    fresh_engine: Engine, second_engine: Engine, tmp_path: Path
) -> None:
    _fill(fresh_engine)
    good, bad = tmp_path / "good.zip", tmp_path / "bad.zip"
    backup.backup(fresh_engine, good)
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "interaction.jsonl":
                data = data.replace(b"Where is my card", b"Where is my cash")
            dst.writestr(item, data)

    with pytest.raises(InvalidInput, match=r"interaction\.jsonl does not match"):
        backup.restore(second_engine, bad)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(InvalidInput, match="not a Goodwill backup"):
        backup.restore(second_engine, tmp_path / "junk.zip")

    assert all(rows == [] for rows in _contents(second_engine).values())


def test_backup_and_restore_commands(
    fresh_engine: Engine, second_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from goodwill.config import get_settings

    _fill(fresh_engine)
    out = tmp_path / "cli.zip"
    runner = CliRunner()
    for url, args in (
        (fresh_engine.url, ["db", "backup", "--out", str(out)]),
        (second_engine.url, ["db", "restore", str(out)]),
    ):
        monkeypatch.setenv("GOODWILL_DATABASE_URL", url.render_as_string(hide_password=False))
        monkeypatch.setenv("GOODWILL_HOME", str(tmp_path / "home"))
        get_settings.cache_clear()
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    get_settings.cache_clear()
    assert "restored" in result.output
    assert _contents(second_engine) == _contents(fresh_engine)
