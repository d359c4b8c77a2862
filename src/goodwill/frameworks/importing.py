"""Import existing canned responses (CSV or JSON with ``title`` and ``body``) as draft frameworks.

All or nothing: every bad row is reported with its line and field, and nothing is stored. Each
imported macro becomes a draft framework with the coach's review of it, so a team sees on day one
which of its macros irritate customers. Optional columns/keys: ``description``, ``intents``,
``phases``, ``emotions``, ``stages`` (lists in JSON; ``;``-separated in CSV).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError
from sqlalchemy.orm import Session

from goodwill.errors import ImportRejected, InvalidInput, RowError
from goodwill.frameworks import blocks, service
from goodwill.frameworks.models import ResponseFramework
from goodwill.frameworks.schemas import FrameworkSave
from goodwill.organisations.models import Member

Format = Literal["csv", "json"]
MAX_ROWS = 5000
LIST_FIELDS = ("intents", "phases", "emotions", "stages")


@dataclass(frozen=True, slots=True)
class Row:
    line: int
    save: FrameworkSave


@dataclass(frozen=True, slots=True)
class Imported:
    line: int
    framework: ResponseFramework
    review: dict[str, Any]


def _csv_records(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    fields = {f.strip().lower() for f in reader.fieldnames or []}
    missing = {"title", "body"} - fields
    if missing:
        raise InvalidInput(f"line 1: the header needs the column(s) {', '.join(sorted(missing))}")
    line = reader.line_num + 1
    for record in reader:
        clean = {(k or "").strip().lower(): v for k, v in record.items()}
        for name in LIST_FIELDS:
            value = clean.get(name)
            clean[name] = [v.strip() for v in (value or "").split(";") if v.strip()]
        yield line, clean
        line = reader.line_num + 1


def _json_records(text: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """Each item of a top-level array (or of ``{"frameworks": [...]}``) with its line."""
    decoder = json.JSONDecoder()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"line {exc.lineno}: not valid JSON ({exc.msg})") from None
    start = text.find("[") if isinstance(data, list) else text.find("[", text.find('"frameworks"'))
    items = (
        data
        if isinstance(data, list)
        else data.get("frameworks")
        if isinstance(data, dict)
        else None
    )
    if not isinstance(items, list) or start < 0:
        raise InvalidInput('line 1: expected a list of frameworks, or {"frameworks": [...]}')
    pos = start + 1
    for _ in items:
        while text[pos] in " \t\r\n,":
            pos += 1
        item, end = decoder.raw_decode(text, pos)
        yield text.count("\n", 0, pos) + 1, item
        pos = end


def _field(loc: tuple[int | str, ...]) -> str | None:
    if not loc:
        return None
    return "title" if loc[0] == "name" else str(loc[0])


def _row(line: int, record: Any) -> tuple[Row | None, list[RowError]]:
    if not isinstance(record, dict):
        return None, [RowError(line, None, "expected an object with title and body")]
    fields = {k: record.get(k) for k in ("description", *LIST_FIELDS) if record.get(k) is not None}
    try:
        save = FrameworkSave.model_validate(
            {"name": record.get("title"), "body": record.get("body"), **fields}
        )
    except ValidationError as exc:
        return None, [RowError(line, _field(e["loc"]), e["msg"]) for e in exc.errors()]
    try:
        blocks.parse(save.body)
    except blocks.BodyError as exc:
        return None, [
            RowError(line, "body", f"body line {e.line}: {e.message}") for e in exc.errors
        ]
    return Row(line, save), []


def parse(content: bytes, *, fmt: Format, source: str) -> list[Row]:
    """Every row, or :class:`ImportRejected` listing every bad one."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"{source}: not UTF-8 text") from None
    records = list(_csv_records(text) if fmt == "csv" else _json_records(text))
    if not records:
        raise InvalidInput(f"{source}: no frameworks in the file")
    if len(records) > MAX_ROWS:
        raise InvalidInput(f"{source}: {len(records)} rows, at most {MAX_ROWS} per import")
    rows, errors = [], []
    for line, record in records:
        row, found = _row(line, record)
        errors += found
        if row is not None:
            rows.append(row)
    if errors:
        raise ImportRejected(source, errors)
    return rows


def import_file(
    *, db: Session, content: bytes, fmt: Format, source: str, member: Member | None
) -> list[Imported]:
    """Store every row as a draft framework, reviewed by the coach; nothing when a row is bad."""
    rows = parse(content, fmt=fmt, source=source)
    imported = []
    for row in rows:
        framework = service.create(db=db, save=row.save, member=member)
        version = service.get_version(db=db, framework_id=framework.id, number=1)
        imported.append(Imported(row.line, framework, version.review))
    return imported


def format_of(name: str, content_type: str = "") -> Format:
    if name.lower().endswith(".csv") or "csv" in content_type:
        return "csv"
    if name.lower().endswith(".json") or "json" in content_type:
        return "json"
    raise InvalidInput(f"{name}: send a .csv or .json file")
