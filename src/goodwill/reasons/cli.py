"""`goodwill reasons`: train a reason classifier from examples, classify messages, discover reasons.

Works on CSV files alone (no database). Row numbers in the output are 1-based data rows: the
first row under the header is row 1 (it is line 2 of the file).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from goodwill.cli_support import console, handle_errors
from goodwill.errors import ImportRejected, InvalidInput, RowError

if TYPE_CHECKING:
    from goodwill.reasons.discovery import Discovery

reasons_app = typer.Typer(
    help="Contact reasons: learn them from examples, classify messages, or discover them.",
    no_args_is_help=True,
)
ROWS_NOTE = "'row' is the 1-based data row (the first row under the header is row 1)."


def register(app: typer.Typer) -> None:
    app.add_typer(reasons_app, name="reasons")


def read_columns(path: Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a CSV with a header; every row checked, errors name the file, line and field."""
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            header = reader.fieldnames or []
            missing = [c for c in columns if c not in header]
            if missing:
                raise ImportRejected(
                    source, [RowError(1, c, "missing column in the header") for c in missing]
                )
            rows, errors = _checked_rows(reader, columns)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source}: not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise InvalidInput(f"{source}: not a readable CSV ({exc})") from None
    if errors:
        raise ImportRejected(source, errors)
    if not rows:
        raise InvalidInput(f"{source}: no data rows under the header")
    return rows


def _checked_rows(
    reader: csv.DictReader[str], columns: Sequence[str]
) -> tuple[list[dict[str, str]], list[RowError]]:
    rows: list[dict[str, str]] = []
    errors: list[RowError] = []
    start = reader.line_num + 1
    for raw in reader:
        row = {c: (raw.get(c) or "").strip() for c in columns}
        errors.extend(RowError(start, c, "empty") for c in columns if not row[c])
        rows.append(row)
        start = reader.line_num + 1
    return rows, errors


@reasons_app.command("train")
@handle_errors
def train(
    examples: Annotated[Path, typer.Option("--examples", help="CSV with header text,reason")],
    out: Annotated[Path, typer.Option("--out", help="directory to write the model into")],
    threshold: Annotated[
        float | None,
        typer.Option(help="confidence below which a message is 'unknown' (default: learnt)"),
    ] = None,
    unlabelled: Annotated[
        Path | None,
        typer.Option(
            "--unlabelled",
            help="CSV with a 'text' column: messages without a reason (e.g. the ones to "
            "classify) that help when examples are few",
        ),
    ] = None,
) -> None:
    """Learn contact reasons from labelled examples and save the model."""
    from goodwill.reasons.classifier import ReasonClassifier  # sklearn: only when run

    rows = read_columns(examples, ("text", "reason"))
    context = [r["text"] for r in read_columns(unlabelled, ("text",))] if unlabelled else None
    model = ReasonClassifier(threshold=threshold).fit(
        [r["text"] for r in rows], [r["reason"] for r in rows], unlabelled=context
    )
    model.save(out)
    used = f"; context of {len(context):,} unlabelled messages" if context else ""
    kept = "" if not context or model.context_ is not None else " (not used: no better on them)"
    console.print(
        f"Trained on {len(rows)} examples of {len(model.reasons_)} reasons{used}{kept}; "
        f"'unknown' below confidence {model.threshold_:.3f}; saved to {out}",
        highlight=False,
    )


@reasons_app.command("classify", help=f"Give each message a reason and a confidence. {ROWS_NOTE}")
@handle_errors
def classify(
    model: Annotated[Path, typer.Option("--model", help="directory written by `reasons train`")],
    input_file: Annotated[Path, typer.Option("--input", help="CSV with a 'text' column")],
    as_json: Annotated[
        bool, typer.Option("--json", help='one {"row", "reason", "confidence"} line per row')
    ] = False,
) -> None:
    from goodwill.reasons.classifier import ReasonClassifier

    classifier = ReasonClassifier.load(model)
    rows = read_columns(input_file, ("text",))
    predictions = classifier.predict([r["text"] for r in rows])
    if as_json:
        for row, p in enumerate(predictions, start=1):
            line = {"row": row, "reason": p.reason, "confidence": p.confidence}
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    table = Table("row", "reason", "confidence", "text")
    for row, (p, r) in enumerate(zip(predictions, rows, strict=True), start=1):
        table.add_row(str(row), p.reason, f"{p.confidence:.2f}", r["text"][:80])
    console.print(table)


def _parse_k(value: str) -> int | None:
    if value == "auto":
        return None
    try:
        return int(value)
    except ValueError:
        raise InvalidInput(f"--k: {value!r} is neither a number nor 'auto'") from None


@reasons_app.command("discover", help=f"Group messages into reasons without labels. {ROWS_NOTE}")
@handle_errors
def discover_command(
    input_file: Annotated[Path, typer.Option("--input", help="CSV with a 'text' column")],
    k: Annotated[str, typer.Option("--k", help="number of groups, or 'auto'")] = "auto",
    as_json: Annotated[
        bool, typer.Option("--json", help='one {"row", "cluster", "label"} line per row')
    ] = False,
) -> None:
    groups = _parse_k(k)
    rows = read_columns(input_file, ("text",))
    texts = [r["text"] for r in rows]
    from goodwill.reasons.discovery import discover

    result = discover(texts, k=groups)
    if as_json:
        labels = {g.cluster: g.label for g in result.groups}
        for row, group in enumerate(result.assignments, start=1):
            line = {"row": row, "cluster": group, "label": labels[group]}
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    show_groups(result, texts)


def show_groups(result: Discovery, texts: Sequence[str]) -> None:
    table = Table("group", "label", "size", "typical messages", show_lines=True)
    for group in result.groups:
        typical = "\n".join(f"row {i + 1}: {texts[i][:90]}" for i in group.typical)
        table.add_row(str(group.cluster), group.label, str(group.size), typical)
    console.print(table)
    console.print(f"{len(texts)} messages in {len(result.groups)} groups")
