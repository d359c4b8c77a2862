"""`goodwill coach`: check a draft reply (highlighted in the terminal or as JSON), or a batch."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.coach import catalogue
from goodwill.coach.engine import Coach
from goodwill.coach.model import Draft, Turn, Verdict
from goodwill.coach.reading import DEFAULT_READER, ReaderName, default_reader
from goodwill.errors import InvalidInput, RowError

BATCH_SIZE = 256
STYLE = {"high": "bold white on red", "medium": "black on yellow", "low": "underline cyan"}
STRENGTH_STYLE = "green"


verdicts_app = typer.Typer(help="The operators' verdicts on the coach's findings.")


def register(app: typer.Typer) -> None:
    app.command("coach")(coach)
    app.add_typer(verdicts_app, name="coach-verdicts")


@verdicts_app.command("export")
@handle_errors
def export_verdicts(
    out: Annotated[Path, typer.Option(help="JSONL file to write, one verdict per line")],
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Write every verdict the organisation's operators gave, with its draft (labelled material
    for the coach's evaluation sets)."""
    from goodwill.audit import service as audit_service
    from goodwill.coach import verdicts

    with organisation_session(session_factory(), org) as db:
        rows = list(verdicts.export(db=db))
        # the drafts hold customers' words: who exported them is on the audit log
        detail = {"verdicts": len(rows), "file": out.name}
        audit_service.record(
            db=db, action="export", target_type="coach_verdicts", actor="cli", detail=detail
        )
    out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    wrong = sum(1 for r in rows if r["verdict"] == "wrong")
    console.print(f"{out}: {len(rows)} verdicts ({wrong} wrong)", highlight=False)


@handle_errors
def coach(
    customer_file: Annotated[
        Path | None, typer.Option("--customer-file", help="the customer's message (text file)")
    ] = None,
    reply_file: Annotated[
        Path | None, typer.Option("--reply-file", help="the draft reply (text file)")
    ] = None,
    batch: Annotated[
        Path | None,
        typer.Option("--batch", help='JSONL, one {"id", "customer_message", "reply", "context"?}'),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="print JSON instead of highlighting")
    ] = False,
    reader: Annotated[
        str, typer.Option(help="where intent and emotion come from: interim, analysis or auto")
    ] = DEFAULT_READER,
    list_categories: Annotated[
        bool, typer.Option("--list-categories", help="print what the coach looks for and exit")
    ] = False,
) -> None:
    """Find the micro-irritants and strengths in a draft reply before it is sent."""
    if list_categories:
        _print_catalogue()
        return
    if reader not in ("interim", "analysis", "auto"):
        raise InvalidInput(f"--reader: {reader!r} is not one of interim, analysis, auto")
    if batch is not None:
        drafts = read_batch(batch)
        engine = Coach(reader=default_reader(_reader_name(reader)))
        for line in run_batch(engine, drafts):
            typer.echo(line)
        return
    if customer_file is None or reply_file is None:
        raise InvalidInput("give --customer-file and --reply-file, or --batch FILE")
    review_files(customer_file, reply_file, reader=_reader_name(reader), as_json=as_json)


def review_files(
    customer_file: Path, reply_file: Path, *, reader: ReaderName, as_json: bool
) -> None:
    customer = _read_text(customer_file, "--customer-file")
    draft = Draft(customer, _read_text(reply_file, "--reply-file"))
    verdict = Coach(reader=default_reader(reader)).review(draft)
    if as_json:
        typer.echo(json.dumps(verdict.to_json(), ensure_ascii=False))
    else:
        show(draft, verdict)


def _reader_name(value: str) -> ReaderName:
    return "analysis" if value == "analysis" else "auto" if value == "auto" else "interim"


def _read_text(path: Path, option: str) -> str:
    text = path.read_text(encoding="utf-8")
    if not text.strip():
        raise InvalidInput(f"{option}: {path} is empty")
    return text


def read_batch(path: Path) -> list[tuple[str, Draft]]:
    """Every line checked first: a bad line stops the run before anything is written."""
    items: list[tuple[str, Draft]] = []
    errors: list[RowError] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            items.append(parse_line(line, number))
        except _LineError as exc:
            errors.append(exc.error)
    if errors:
        shown = "; ".join(str(e) for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        raise InvalidInput(f"{path}: {len(errors)} bad line(s), nothing coached: {shown}{more}")
    return items


class _LineError(Exception):
    def __init__(self, line: int, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.error = RowError(line, field, reason)


def parse_line(line: str, number: int) -> tuple[str, Draft]:
    try:
        raw: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _LineError(number, None, f"not valid JSON ({exc.msg})") from None
    if not isinstance(raw, dict):
        raise _LineError(number, None, "expected a JSON object")
    item_id = raw.get("id")
    if not isinstance(item_id, str | int) or isinstance(item_id, bool) or item_id == "":
        raise _LineError(number, "id", "required (a string or a number)")
    texts = {}
    for field in ("customer_message", "reply"):
        value = raw.get(field)
        if not isinstance(value, str) or not value.strip():
            raise _LineError(number, field, "required (a non-empty string)")
        texts[field] = value
    context = tuple(_turns(raw.get("context", []), number))
    return str(item_id), Draft(texts["customer_message"], texts["reply"], context)


def _turns(value: Any, number: int) -> Iterator[Turn]:
    if not isinstance(value, list):
        raise _LineError(number, "context", "must be a list of {direction, text}")
    for i, turn in enumerate(value):
        where = f"context[{i}]"
        if not isinstance(turn, dict):
            raise _LineError(number, where, "must be an object {direction, text}")
        direction, text = turn.get("direction"), turn.get("text")
        if direction not in ("inbound", "outbound"):
            raise _LineError(number, f"{where}.direction", "must be 'inbound' or 'outbound'")
        if not isinstance(text, str) or not text.strip():
            raise _LineError(number, f"{where}.text", "required (a non-empty string)")
        yield Turn(direction, text)


def run_batch(engine: Coach, items: Sequence[tuple[str, Draft]]) -> Iterator[str]:
    for start in range(0, len(items), BATCH_SIZE):
        chunk = items[start : start + BATCH_SIZE]
        verdicts = engine.review_batch([draft for _, draft in chunk])
        for (item_id, _), verdict in zip(chunk, verdicts, strict=True):
            yield json.dumps({"id": item_id, **verdict.to_json()}, ensure_ascii=False)


def show(draft: Draft, verdict: Verdict) -> None:
    """The reply with every finding highlighted, then the findings with what to do."""
    reading = verdict.reading
    console.print(
        f"[bold]score {verdict.score}/100[/]   intent: {reading.primary_intent}   "
        f"emotion: {reading.emotion} ({reading.intensity:.2f})   reader: {reading.source}",
        highlight=False,
    )
    text = Text(draft.reply)
    for f in verdict.findings:
        if f.start is not None and f.end is not None:
            style = STRENGTH_STYLE if f.kind == "strength" else STYLE[f.severity]
            text.stylize(style, f.start, f.end)
    console.print(text)
    console.print()
    for f in verdict.findings:
        mark = "[green]+[/]" if f.kind == "strength" else "[red]![/]"
        where = f"“{f.text}”" if f.text else "(whole reply)"
        console.print(f"{mark} [bold]{f.category}[/] ({f.severity}) {where}", highlight=False)
        console.print(f"    why: {f.explanation}", highlight=False)
        console.print(f"    fix: {f.suggestion}", highlight=False)


def _print_catalogue() -> None:
    table = Table("category", "kind", "what the coach looks for", "example", show_lines=True)
    for c in catalogue.load():
        table.add_row(c.name, c.kind, c.summary, c.examples[0] if c.examples else "")
    console.print(table)
