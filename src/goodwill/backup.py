"""Backup and restore of a whole Goodwill database, the same on SQLite and PostgreSQL.

A backup is a zip file: ``manifest.json`` (format, schema revision, when, and per table its row
count and the SHA-256 of its data file) and one JSON-lines file per table, rows in primary-key
order, each value written by its column's type (UUIDs and datetimes as text, bytes as base64,
decimals as text), so a backup taken from PostgreSQL restores into SQLite and back.

Restore goes into an *empty* database only, by the Goodwill version whose schema made the backup
(the schema revision must match), and in one transaction: it either stores every row of every
table or nothing, and it checks each file against the manifest. Taking a backup reads each
table in one transaction of its own; stop writers (or use the database's own tools) for a
point-in-time copy of a busy system.
"""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, LargeBinary, Table, func, insert, select
from sqlalchemy.types import JSON, DateTime, Numeric, TypeEngine, Uuid

from goodwill import migrations
from goodwill.database import Base
from goodwill.errors import InvalidInput

FORMAT = "goodwill-backup/1"
CHUNK = 1000


def _tables() -> list[Table]:
    import goodwill.models  # noqa: F401  (every domain's tables)

    return list(Base.metadata.sorted_tables)


def _kind(type_: TypeEngine[Any]) -> str:
    impl = getattr(type_, "impl", type_)
    for kind, cls in (("uuid", Uuid), ("datetime", DateTime), ("json", JSON)):
        if isinstance(impl, cls) or isinstance(type_, cls):
            return kind
    if isinstance(impl, LargeBinary):
        return "bytes"
    if isinstance(impl, Numeric) and impl.asdecimal:
        return "decimal"
    return "plain"


def _dump(kind: str, value: Any) -> Any:
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "uuid":
        return str(value)
    if kind == "datetime":
        return value.isoformat()
    if kind == "bytes":
        return base64.b64encode(value).decode()
    return str(value)  # decimal


def _load(kind: str, value: Any) -> Any:
    if value is None or kind in ("plain", "json"):
        return value
    if kind == "uuid":
        return uuid.UUID(value)
    if kind == "datetime":
        parsed = datetime.fromisoformat(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    if kind == "bytes":
        return base64.b64decode(value)
    return Decimal(value)


def _lines(engine: Engine, table: Table) -> Iterator[bytes]:
    kinds = {c.name: _kind(c.type) for c in table.columns}
    order = list(table.primary_key.columns) or list(table.columns)
    with engine.connect() as conn:
        for row in conn.execution_options(yield_per=CHUNK).execute(select(table).order_by(*order)):
            values = {k: _dump(kinds[k], v) for k, v in row._mapping.items()}
            yield (json.dumps(values, ensure_ascii=False, sort_keys=True) + "\n").encode()


def backup(engine: Engine, out: Path) -> dict[str, Any]:
    """Write every table of the database to the zip file ``out``; returns the manifest."""
    tables: dict[str, Any] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in _tables():
            digest, rows = hashlib.sha256(), 0
            with archive.open(f"{table.name}.jsonl", "w") as member:
                for line in _lines(engine, table):
                    member.write(line)
                    digest.update(line)
                    rows += 1
            tables[table.name] = {"rows": rows, "sha256": digest.hexdigest()}
        manifest = {
            "format": FORMAT,
            "revision": migrations.current_revision(engine),
            "created_at": datetime.now(UTC).isoformat(),
            "tables": tables,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return manifest


def _manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        manifest: dict[str, Any] = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise InvalidInput(f"{source}: not a Goodwill backup (manifest.json: {exc})") from exc
    if manifest.get("format") != FORMAT:
        raise InvalidInput(f"{source}: manifest.json: format {manifest.get('format')!r}")
    return manifest


def _restore_table(
    conn: Connection, archive: zipfile.ZipFile, source: Path, table: Table, expected: Any
) -> int:
    """Insert one table's rows in chunks, checking its file against the manifest (a mismatch
    raises, and the caller's transaction stores nothing)."""
    if not expected:
        return 0
    kinds = {c.name: _kind(c.type) for c in table.columns}
    digest, count, chunk = hashlib.sha256(), 0, []
    with archive.open(f"{table.name}.jsonl") as member:
        for number, line in enumerate(member, start=1):
            digest.update(line)
            try:
                chunk.append({k: _load(kinds[k], v) for k, v in json.loads(line).items()})
            except (ValueError, KeyError) as exc:
                raise InvalidInput(f"{source}: {table.name}.jsonl line {number}: {exc}") from exc
            count += 1
            if len(chunk) == CHUNK:
                conn.execute(insert(table), chunk)
                chunk = []
    if chunk:
        conn.execute(insert(table), chunk)
    if digest.hexdigest() != expected["sha256"] or count != expected["rows"]:
        raise InvalidInput(f"{source}: {table.name}.jsonl does not match the manifest")
    return count


def restore(engine: Engine, source: Path) -> dict[str, int]:
    """Restore the backup ``source`` into the empty database of ``engine``, all or nothing;
    returns the rows restored per table."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as exc:
        raise InvalidInput(f"{source}: not a Goodwill backup ({exc})") from exc
    with archive:
        manifest = _manifest(archive, source)
        head = migrations.head_revision(engine)
        if manifest.get("revision") != head:
            raise InvalidInput(
                f"{source}: made at schema revision {manifest.get('revision')}, this Goodwill is "
                f"at {head}: restore it with the version that made it, then upgrade"
            )
        migrations.upgrade(engine)
        tables = _tables()
        with engine.begin() as conn:
            for table in tables:
                if conn.scalar(select(func.count()).select_from(table)):
                    raise InvalidInput(f"the database is not empty: table {table.name} has rows")
            return {
                table.name: _restore_table(
                    conn, archive, source, table, manifest["tables"].get(table.name)
                )
                for table in tables
            }
