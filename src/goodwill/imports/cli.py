"""`goodwill import` and `goodwill export`: files in and out, one transaction per file."""

from __future__ import annotations

import functools
import json
import os
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, TextIO

import typer
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
    TransferSpeedColumn,
)

from goodwill import tenancy
from goodwill.cli_support import (
    OrgOption,
    console,
    err_console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.config import get_settings
from goodwill.errors import InvalidInput
from goodwill.exports import service as export_service
from goodwill.imports import service
from goodwill.imports.rows import Kind
from goodwill.imports.service import ImportResult


def _progress() -> Progress:
    """A progress bar per file on stderr (only on a terminal: logs and pipes stay clean)."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TransferSpeedColumn(),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
    )


def _summary(result: ImportResult) -> str:
    created = ", ".join(f"{n} {k}" for k, n in result.created.items() if n) or "nothing new"
    skipped = sum(result.skipped.values())
    known = f"; {skipped} already known, skipped" if skipped else ""
    return f"{result.source}: imported {created}{known}"


def _files(path: Path, kind: str | None) -> list[Path]:
    """The file, or a folder's importable files in dependency order."""
    if path.is_dir():
        return [file for file, _ in service.plan_directory(path=path, kind=kind)]
    return [path]


def _advance(progress: Progress, task: TaskID, done: int) -> None:
    progress.update(task, completed=done)


@handle_errors
def import_command(
    path: Annotated[Path, typer.Argument(help="a file, or a folder of .csv/.jsonl/.eml/.mbox")],
    kind: Annotated[
        str | None,
        typer.Option(help="accounts, customers, conversations, interactions or email"),
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="text encoding, e.g. cp1252")] = None,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print results as JSON")] = False,
) -> None:
    """Import customers, accounts, conversations and interactions: each file all or nothing."""
    files = _files(path, kind)
    factory = session_factory()
    results: list[ImportResult] = []
    organisation_id: uuid.UUID | None = None
    with _progress() as progress:
        for file in files:
            task = progress.add_task(file.name, total=file.stat().st_size)
            with organisation_session(factory, org) as db:
                result = service.import_file(
                    db=db,
                    path=file,
                    kind=kind,
                    encoding=encoding,
                    max_bytes=get_settings().max_import_bytes,
                    on_progress=functools.partial(_advance, progress, task),
                )
                organisation_id = tenancy.current_organisation_id(db)
            results.append(result)
            if not as_json:
                console.print(_summary(result), highlight=False, soft_wrap=True)
        if organisation_id is not None and get_settings().analyse_on_ingest:
            from goodwill import ingest  # the analysis models and the engine: only when needed

            progress.add_task("analysing messages, recomputing relationships", total=None)
            follow_up = ingest.after_ingest(factory, organisation_id)
            if not as_json:
                console.print(
                    f"analysed {follow_up.analysed} new message(s), "
                    f"recomputed {follow_up.recomputed} relationship(s)"
                )
    if as_json:
        payload = [r.as_dict() for r in results]
        typer.echo(json.dumps(payload if path.is_dir() else payload[0]))


@contextmanager
def _output(out: Path | None) -> Iterator[TextIO]:
    """``out`` written atomically (a temporary file renamed at the end), or standard output."""
    if out is None:
        yield sys.stdout
        return
    fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
        os.replace(tmp, out)
    except BaseException:
        os.unlink(tmp)
        raise


@handle_errors
def export_command(
    kind: Annotated[str, typer.Option(help="accounts, customers, conversations or interactions")],
    fmt: Annotated[
        str | None, typer.Option("--format", help="jsonl or csv (default: from --out, else jsonl)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="file to write; standard output if unset")
    ] = None,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Export records in the import format, so the file imports unchanged elsewhere."""
    chosen = Kind.from_name(kind)
    if chosen is None:
        raise InvalidInput(
            f"kind: unknown kind {kind!r} (accounts, customers, conversations, interactions)"
        )
    fmt = fmt or ("csv" if out is not None and out.suffix.lower() == ".csv" else "jsonl")
    if fmt not in export_service.FORMATS:
        raise InvalidInput(f"format: {fmt!r} is not one of: jsonl, csv")
    with organisation_session(session_factory(), org) as db, _output(out) as fh:
        count = export_service.export(db=db, kind=chosen, fmt=fmt, out=fh)
    if out is not None:
        console.print(f"wrote {count} {chosen.value} to {out}", highlight=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    """Add ``import`` and ``export`` to the ``goodwill`` command."""
    app.command("import")(import_command)
    app.command("export")(export_command)
