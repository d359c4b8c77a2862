"""``goodwill analyse`` and ``goodwill train-heads``: the analysis pipeline from a shell."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

import typer
from pydantic import BaseModel, ConfigDict, ValidationError
from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from goodwill.analysis import Pipeline

BATCH_SIZE = 256
EmbeddingOption = Literal["none", "static", "minilm"]


class BatchLine(BaseModel):
    """One line of ``analyse --batch``."""

    model_config = ConfigDict(extra="ignore", strict=False)
    id: str | int
    text: str
    direction: Literal["inbound", "outbound"] | None = None
    sent_at: datetime | None = None


class BadLine(ValueError):
    pass


def parse_line(number: int, raw: str) -> BatchLine:
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadLine(f"line {number}: not valid JSON ({exc.msg})") from exc
    if not isinstance(value, dict):
        raise BadLine(f"line {number}: expected a JSON object")
    try:
        return BatchLine.model_validate(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(p) for p in error["loc"]) or "(line)"
        raise BadLine(f"line {number}: field '{field}': {error['msg']}") from exc


def read_batch(path: Path) -> list[BatchLine]:
    """Every line checked before any work starts; blank lines are skipped."""
    handle = sys.stdin if str(path) == "-" else path.open(encoding="utf-8")
    with handle:
        return [parse_line(n, raw) for n, raw in enumerate(handle, 1) if raw.strip()]


def _chunks(lines: Sequence[BatchLine]) -> Iterator[Sequence[BatchLine]]:
    for start in range(0, len(lines), BATCH_SIZE):
        yield lines[start : start + BATCH_SIZE]


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code=2)


def _pipeline(embedding: EmbeddingOption) -> Any:
    from goodwill.analysis import default_pipeline  # loads the models: only when needed

    return default_pipeline(embedding=None if embedding == "none" else embedding)


def _summaries(lines: Sequence[BatchLine], embedding: EmbeddingOption) -> Iterator[dict[str, Any]]:
    from goodwill.analysis import Message

    pipeline = _pipeline(embedding)
    for chunk in _chunks(lines):
        messages = [Message(str(x.id), x.text, x.direction, x.sent_at) for x in chunk]
        for line, analysis in zip(chunk, pipeline.run_batch(messages), strict=True):
            summary = analysis.summary(with_embedding=embedding != "none")
            summary["id"] = line.id
            yield summary


def _show(summary: dict[str, Any], console: Console) -> None:
    table = Table(show_header=False, box=None)
    table.add_column(style="bold cyan")
    table.add_column()
    sentiment, emotion = summary["sentiment"], summary["emotion"]
    top = sorted(emotion["scores"].items(), key=lambda kv: -kv[1])[:3]
    scores = ", ".join(f"{k} {v:.2f}" for k, v in top)
    table.add_row("language", summary["language"])
    table.add_row("sentiment", f"{sentiment['label']} ({sentiment['score']:+.2f})")
    table.add_row("emotion", f"{emotion['label']} (intensity {emotion['intensity']:.2f}): {scores}")
    table.add_row("intent", ", ".join(summary["intent"]) or "—")
    table.add_row("politeness", f"{summary['politeness']:+.2f}")
    signals = [f"{s['type']}: “{s['text']}”" for s in summary["trust_signals"]]
    table.add_row("trust signals", "\n".join(signals) or "—")
    promises = [
        f"“{c['text']}” ({c['owner']}, due {c['due_at'] or 'unspecified'})"
        for c in summary["commitments"]
    ]
    table.add_row("commitments", "\n".join(promises) or "—")
    console.print(table)


TextArg = Annotated[str | None, typer.Argument(help="The message to analyse.")]
BatchOpt = Annotated[
    Path | None,
    typer.Option(help="JSONL file ('-' for stdin): one {id, text, direction?, sent_at?} a line."),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per message.")]
DirectionOpt = Annotated[
    str | None, typer.Option(help="inbound (customer) or outbound (company); single text only.")
]
SentAtOpt = Annotated[
    datetime | None, typer.Option(help="Message time for due dates (single text; default: now).")
]
EmbeddingOpt = Annotated[str, typer.Option(help="Add the message vector: none, static or minilm.")]
ProcessesOpt = Annotated[
    int, typer.Option(min=1, help="--batch: worker processes, each with its own models (~150 MB)")
]


def _single(text: str, direction: str | None, sent_at: datetime | None) -> BatchLine:
    try:
        return BatchLine.model_validate(
            {
                "id": "1",
                "text": text,
                "direction": direction,
                "sent_at": sent_at or datetime.now().astimezone(),
            }
        )
    except ValidationError as exc:
        raise _fail(f"--direction must be inbound or outbound, not {direction!r}") from exc


StoredAllOpt = Annotated[bool, typer.Option("--all", help="Re-analyse every stored message.")]
StoredSinceOpt = Annotated[
    datetime | None, typer.Option("--since", help="Stored messages received since this time.")
]
StoredOutdatedOpt = Annotated[
    bool, typer.Option("--outdated", help="Stored messages analysed by an older analyser version.")
]
StoredNewOpt = Annotated[
    bool, typer.Option("--new", help="Stored messages never analysed (what ingest does).")
]
OrgOpt = Annotated[
    str | None, typer.Option("--org", help="Organisation slug (for stored messages).")
]


def analyse(
    text: TextArg = None,
    batch: BatchOpt = None,
    as_json: JsonOpt = False,
    direction: DirectionOpt = None,
    sent_at: SentAtOpt = None,
    embedding: EmbeddingOpt = "none",
    processes: ProcessesOpt = 1,
    all_: StoredAllOpt = False,
    since: StoredSinceOpt = None,
    outdated: StoredOutdatedOpt = False,
    new: StoredNewOpt = False,
    org: OrgOpt = None,
) -> None:
    """Analyse one message, a batch of messages as JSON lines, or the stored messages."""
    if embedding not in ("none", "static", "minilm"):
        raise _fail("--embedding must be none, static or minilm")
    vectors: EmbeddingOption = embedding  # type: ignore[assignment]
    modes = [
        m for m, on in (("all", all_), ("since", since), ("outdated", outdated), ("new", new)) if on
    ]
    if modes:
        if len(modes) > 1 or text is not None or batch is not None:
            raise _fail("choose one of --all, --since, --outdated, --new (and no TEXT or --batch)")
        _analyse_stored(modes[0], since, org, "static" if vectors == "none" else vectors)
        return
    if (text is None) == (batch is None):
        raise _fail("give either a TEXT or --batch FILE")
    if batch is None:
        summary = next(_summaries([_single(text or "", direction, sent_at)], vectors))
        if as_json:
            typer.echo(json.dumps(summary, ensure_ascii=False))
        else:
            _show(summary, Console())
        return
    if not as_json:
        raise _fail("--batch writes JSON lines: add --json")
    try:
        lines = read_batch(batch)
    except (BadLine, OSError) as exc:
        raise _fail(str(exc)) from exc
    for summary in _batch_summaries(lines, vectors, processes):
        typer.echo(json.dumps(summary, ensure_ascii=False))


def _batch_summaries(
    lines: Sequence[BatchLine], embedding: EmbeddingOption, processes: int
) -> Iterator[dict[str, Any]]:
    if processes == 1:
        yield from _summaries(lines, embedding)
        return
    from goodwill.analysis import Message
    from goodwill.analysis.parallel import Form, analyse_in_processes

    messages = [Message(str(x.id), x.text, x.direction, x.sent_at) for x in lines]
    with_vector = embedding != "none"
    form: Form = "summary_with_embedding" if with_vector else "summary"
    found = analyse_in_processes(
        messages, processes=processes, embedding=embedding if with_vector else None, form=form
    )
    for line, summary in zip(lines, found, strict=True):
        summary["id"] = line.id
        yield summary


def _analyse_stored(mode: str, since: datetime | None, org: str | None, vectors: str) -> None:
    from goodwill.cli_support import handle_errors, session_factory

    @handle_errors
    def run() -> None:
        if since is not None and since.tzinfo is None:
            raise _fail("--since needs a time zone offset, e.g. 2026-01-01T00:00:00+00:00")
        pipeline = _pipeline(vectors)  # type: ignore[arg-type]
        factory = session_factory()
        try:
            done = _run_stored(factory, mode, since, org, pipeline)
        finally:
            factory.kw["bind"].dispose()  # the pool's connections, closed, not left to the GC
        typer.echo(f"analysed {done} message(s)")

    run()


def _run_stored(
    factory: sessionmaker[Session],
    mode: str,
    since: datetime | None,
    org: str | None,
    pipeline: Pipeline,
) -> int:
    """Analyse the stored messages ``mode`` selects, with a progress bar; how many were."""
    from rich.progress import Progress

    from goodwill import tenancy
    from goodwill.cli_support import organisation_session
    from goodwill.config import get_settings
    from goodwill.messages import flows

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("analysing stored messages", total=None)
        if mode == "new" and flows.claims_batches(factory):
            # workers may be running: claim batches as they do, so no message is analysed twice
            # (a plain read of "unanalysed" would race them to the same rows)
            with organisation_session(factory, org) as db:
                organisation_id = tenancy.current_organisation_id(db)
            return flows.analyse_claimed(
                factory,
                organisation_id,
                batch_size=get_settings().analysis_batch_size,
                pipeline=pipeline,
                progress=lambda n: bar.advance(task, n),
            )
        with organisation_session(factory, org) as db:
            return flows.analyse_stored(
                db=db,
                pipeline=pipeline,
                mode=mode,  # type: ignore[arg-type]
                since=since,
                progress=lambda n: bar.advance(task, n),
            )


DataOpt = Annotated[
    Path | None,
    typer.Option(help="Shared data folder (default: GOODWILL_DATA_DIR or ../shared/data)."),
]
OutOpt = Annotated[
    Path | None, typer.Option(help="Where to write the heads (default: the package's models).")
]


def train_heads(data: DataOpt = None, out: OutOpt = None) -> None:
    """Retrain the emotion, sentiment and politeness heads and write weights + metadata."""
    from goodwill.analysis.embedding import MODELS_DIR
    from goodwill.analysis.training import train_heads as train
    from goodwill.analysis.training.data import DataMissing

    console = Console(stderr=True)
    try:
        results = train(data, out or MODELS_DIR, log=lambda msg: console.print(f"[dim]{msg}[/dim]"))
    except DataMissing as exc:
        raise _fail(str(exc)) from exc
    table = Table("head", "score", "value")
    for head, scores in results.items():
        for key, value in scores.items():
            if isinstance(value, int | float):
                table.add_row(head, key, f"{value:g}")
    Console().print(table)


def register(app: typer.Typer) -> None:
    """Add ``analyse`` and ``train-heads`` to the ``goodwill`` command."""
    app.command("analyse")(analyse)
    app.command("train-heads")(train_heads)
