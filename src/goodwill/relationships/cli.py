"""``goodwill alive``: fit the "still alive" models to a file from the command line;
``goodwill recompute``: bring the relationship engine's derived state up to date; and
``goodwill next``: the next best conversations (playbook tasks) for an owner.

Reads either a per-customer summary (columns frequency, recency, T, any case, other columns
ignored) or a transaction log (columns customer_id, date), fits BG/NBD or Pareto/NBD, and prints
the parameters with their standard errors. A bad file gets one line naming the file, the line and
the field, and a non-zero exit.
"""

from __future__ import annotations

import csv
import json
import time
import uuid
from dataclasses import asdict
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from goodwill.stats import (
    BGNBDModel,
    ConvergenceError,
    InvalidSummaryError,
    ParetoNBDModel,
    check_summary,
    summary_from_transactions,
)
from goodwill.stats.summary import Summary, TimeUnit

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from goodwill.relationships.engine import RecomputeSummary

alive_app = typer.Typer(
    help="How likely customers are still customers (BG/NBD, Pareto/NBD).", no_args_is_help=True
)


class ModelName(StrEnum):
    BGNBD = "bgnbd"
    PARETONBD = "paretonbd"


class TimeUnitName(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"


class InputFileError(Exception):
    """A problem at a place in an input file, reported as ``file:line: field: reason``."""

    def __init__(self, path: Path, line: int | None, field: str, reason: str) -> None:
        where = f"{path}:{line}" if line is not None else str(path)
        super().__init__(f"{where}: {field}: {reason}")


def _read_columns(path: Path, wanted: tuple[str, ...]) -> tuple[list[list[str]], list[int]]:
    """The ``wanted`` columns of a CSV file (header matched case-insensitively), one list per
    column, and the file line of each row."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [name.strip().lower() for name in next(reader, [])]
            missing = [name for name in wanted if name not in header]
            if missing:
                raise InputFileError(path, 1, missing[0], f"no such column in {header}")
            positions = [header.index(name) for name in wanted]
            columns: list[list[str]] = [[] for _ in wanted]
            lines: list[int] = []
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue
                if len(row) <= max(positions):
                    raise InputFileError(path, reader.line_num, wanted[-1], "missing value")
                for column, position in zip(columns, positions, strict=True):
                    column.append(row[position].strip())
                lines.append(reader.line_num)
    except (OSError, UnicodeDecodeError) as exc:
        raise InputFileError(path, None, "file", str(exc)) from exc
    if not lines:
        raise InputFileError(path, None, "file", "no data rows")
    return columns, lines


def _numbers(path: Path, field: str, cells: list[str], lines: list[int]) -> np.ndarray[Any, Any]:
    values = np.empty(len(cells))
    for i, cell in enumerate(cells):
        try:
            values[i] = float(cell)
        except ValueError:
            raise InputFileError(path, lines[i], field, f"not a number: {cell!r}") from None
    return values


def _dates(path: Path, cells: list[str], lines: list[int]) -> np.ndarray[Any, Any]:
    """ISO dates (1997-01-31) or compact ones (19970131), as in the CDNOW log."""
    values = np.empty(len(cells), dtype="datetime64[D]")
    for i, cell in enumerate(cells):
        text = f"{cell[:4]}-{cell[4:6]}-{cell[6:]}" if len(cell) == 8 and cell.isdigit() else cell
        try:
            values[i] = np.datetime64(text, "D")
        except ValueError:
            values[i] = np.datetime64("NaT")
        if np.isnat(values[i]):
            raise InputFileError(path, lines[i], "date", f"not a date: {cell!r}")
    return values


def _load_summary(path: Path) -> Summary:
    columns, lines = _read_columns(path, ("frequency", "recency", "t"))
    x, t_x, age = (
        _numbers(path, name, cells, lines)
        for name, cells in zip(("frequency", "recency", "T"), columns, strict=True)
    )
    try:
        return check_summary(x, t_x, age)
    except InvalidSummaryError as exc:
        line = lines[exc.index] if exc.index is not None else None
        raise InputFileError(path, line, exc.field, exc.reason) from exc


def _load_transactions(path: Path, period_end: str | None, time_unit: TimeUnit) -> Summary:
    (ids, cells), lines = _read_columns(path, ("customer_id", "date"))
    dates = _dates(path, cells, lines)
    try:
        _, summary = summary_from_transactions(
            np.array(ids), dates, calibration_period_end=period_end, time_unit=time_unit
        )
    except ValueError as exc:
        field, _, reason = str(exc).partition(": ")
        raise InputFileError(path, None, field, reason) from exc
    return summary


def _load(
    summary: Path | None,
    transactions: Path | None,
    period_end: str | None,
    time_unit: TimeUnitName,
) -> Summary:
    if summary is not None and transactions is None:
        return _load_summary(summary)
    if transactions is not None and summary is None:
        unit: TimeUnit = "days" if time_unit is TimeUnitName.DAYS else "weeks"
        if period_end is not None:
            try:
                np.datetime64(period_end, "D")
            except ValueError:
                raise typer.BadParameter(f"not a date: {period_end!r}") from None
        return _load_transactions(transactions, period_end, unit)
    raise typer.BadParameter("give exactly one of --summary and --transactions")


def _fit(summary: Summary, model: ModelName) -> dict[str, Any]:
    fitter = BGNBDModel() if model is ModelName.BGNBD else ParetoNBDModel()
    started = time.perf_counter()
    fitter.fit(summary.frequency, summary.recency, summary.T, summary.weights)
    seconds = time.perf_counter() - started
    return {
        "model": model.value,
        "customers": int(summary.weights.sum()),
        "params": asdict(fitter.params_),
        "standard_errors": asdict(fitter.standard_errors_),
        "log_likelihood": fitter.log_likelihood_,
        "fit_seconds": seconds,
    }


def _print_table(result: dict[str, Any]) -> None:
    table = Table(title=f"{result['model']} fitted to {result['customers']:,} customers")
    table.add_column("parameter")
    table.add_column("estimate", justify="right")
    table.add_column("standard error", justify="right")
    for name, value in result["params"].items():
        table.add_row(name, f"{value:.4f}", f"{result['standard_errors'][name]:.4f}")
    console = Console()
    console.print(table)
    console.print(
        f"log-likelihood {result['log_likelihood']:.2f}, fitted in {result['fit_seconds']:.3f} s"
    )


@alive_app.command("fit")
def fit_command(
    summary: Annotated[
        Path | None, typer.Option(help="CSV with columns frequency, recency, T.")
    ] = None,
    transactions: Annotated[
        Path | None, typer.Option(help="CSV with columns customer_id, date (one per purchase).")
    ] = None,
    model: Annotated[ModelName, typer.Option(help="Which model to fit.")] = ModelName.BGNBD,
    calibration_period_end: Annotated[
        str | None, typer.Option(help="Last date counted from --transactions (default: last).")
    ] = None,
    time_unit: Annotated[
        TimeUnitName, typer.Option(help="Unit of recency and T from --transactions.")
    ] = TimeUnitName.WEEKS,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Fit a "still alive" model and print its parameters, standard errors and log-likelihood."""
    try:
        data = _load(summary, transactions, calibration_period_end, time_unit)
        result = _fit(data, model)
    except InputFileError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    except ConvergenceError as exc:
        typer.echo(f"error: {summary or transactions}: {model.value} did not fit: {exc}", err=True)
        raise typer.Exit(code=1) from exc
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        _print_table(result)


def recompute_command(
    all_relationships: Annotated[
        bool, typer.Option("--all", help="Recompute every relationship, not only changed ones.")
    ] = False,
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
    processes: Annotated[
        int,
        typer.Option(
            "--processes",
            min=1,
            help="With --all: worker processes (2 uses both cores of a 2-core machine).",
        ),
    ] = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a line.")] = False,
) -> None:
    """Recompute commitments, Knapp stage and lifecycle phase of relationships with new data."""
    from goodwill.cli_support import handle_errors, organisation_session, session_factory
    from goodwill.errors import InvalidInput
    from goodwill.relationships import engine

    @handle_errors
    def run() -> engine.RecomputeSummary:
        factory = session_factory()
        if processes > 1:
            if not all_relationships:
                raise InvalidInput("--processes: only with --all (a full recompute)")
            return _recompute_in_processes(factory, org, processes)
        with organisation_session(factory, org) as db:
            return engine.recompute(db=db, all_relationships=all_relationships)

    done = run()
    if as_json:
        typer.echo(json.dumps(asdict(done), indent=2))
        return
    typer.echo(
        f"{done.relationships:,} relationships recomputed in {done.seconds:.2f} s: "
        f"{done.transitions:,} stage or phase changes, {done.commitments_added:,} commitments "
        f"found, {done.commitments_closed:,} closed"
    )


def _recompute_in_processes(
    factory: sessionmaker[Session], org: str | None, processes: int
) -> RecomputeSummary:
    """A full recompute of the chosen organisation in worker processes."""
    from goodwill import tenancy
    from goodwill.cli_support import organisation_session
    from goodwill.relationships import parallel

    with organisation_session(factory, org) as db:
        organisation_id = tenancy.current_organisation_id(db)
    return parallel.recompute_all_parallel(factory, organisation_id, processes=processes)


def _owner_id(db: Session, email: str | None) -> uuid.UUID | None:
    """The member of the chosen organisation with this e-mail address."""
    from sqlalchemy import func, select

    from goodwill.errors import NotFound
    from goodwill.organisations.models import Member, UserAccount

    if email is None:
        return None
    stmt = (
        select(Member.id)
        .join(UserAccount, UserAccount.id == Member.user_id)
        .where(func.lower(UserAccount.email) == email.strip().lower())
    )
    member_id = db.scalar(stmt)
    if member_id is None:
        raise NotFound(f"--owner: no member {email!r} in this organisation")
    return member_id


def _print_tasks(found: list[dict[str, Any]]) -> None:
    table = Table(title=f"{len(found)} next best conversations")
    for column in ("priority", "due", "customer", "kind", "reason", "suggested opening"):
        table.add_column(column)
    for task in found:
        table.add_row(
            str(task["priority"]),
            task["due_at"][:10],
            task["customer_name"] or task["customer_id"],
            task["kind"],
            task["reason"],
            task["suggested_opening"],
        )
    Console().print(table)


def next_command(
    owner: Annotated[
        str | None, typer.Option("--owner", help="Only this member's relationships (e-mail).")
    ] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="Only tasks of this kind.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=1, max=500, help="At most so many.")] = 100,
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The next best conversations: who to talk to today, why, and a first sentence to adapt."""
    from goodwill.cli_support import handle_errors, organisation_session, session_factory
    from goodwill.relationships import nextconv
    from goodwill.relationships.schemas import NextConversationRead

    @handle_errors
    def run() -> list[dict[str, Any]]:
        with organisation_session(session_factory(), org) as db:
            found = nextconv.tasks(
                db=db, owner_member_id=_owner_id(db, owner), kind=kind, limit=limit
            )
            return [NextConversationRead.model_validate(t).model_dump(mode="json") for t in found]

    found = run()
    if as_json:
        typer.echo(json.dumps(found, indent=2))
    else:
        _print_tasks(found)


today_app = typer.Typer(help="The Today page's stored lists of next conversations.")


@today_app.command("refresh")
def today_refresh_command(
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
) -> None:
    """Compute every relationship owner's Today list now (after a full recompute, or from cron
    on a large organisation, so nobody's first visit waits for it)."""
    from sqlalchemy import select

    from goodwill.cli_support import handle_errors, organisation_session, session_factory
    from goodwill.database import utcnow
    from goodwill.relationships import task_snapshots
    from goodwill.relationships.models import Relationship

    @handle_errors
    def run() -> list[tuple[str, int]]:
        factory = session_factory()
        with organisation_session(factory, org) as db:
            owners = select(Relationship.owner_member_id).where(
                Relationship.owner_member_id.is_not(None)
            )
            members = [m for m in db.scalars(owners.distinct()) if m is not None]
        done = []
        for member_id in members:  # one transaction each: a long list never holds the others
            with organisation_session(factory, org) as db:
                rows = task_snapshots.compute(db=db, member_id=member_id, as_of=utcnow())
                done.append((str(member_id), len(rows)))
        return done

    for member_id, count in run():
        typer.echo(f"member {member_id}: {count} tasks")


def register(app: typer.Typer) -> None:
    """Add the ``alive`` and ``today`` command groups, ``recompute`` and ``next`` to the CLI."""
    app.add_typer(alive_app, name="alive")
    app.add_typer(today_app, name="today")
    app.command("recompute")(recompute_command)
    app.command("next")(next_command)
