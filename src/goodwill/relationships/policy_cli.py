"""``goodwill policy-check``: are long-term customers treated worse than new ones (seed 003)?"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table


def _moment(value: str | None, option: str) -> datetime | None:
    """An ISO date or date-time; a date-time without a zone is taken as UTC."""
    from goodwill.errors import InvalidInput

    if value is None:
        return None
    try:
        found = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{option}: not an ISO date or date-time: {value!r}") from None
    return found if found.tzinfo is not None else found.replace(tzinfo=UTC)


def _print_report(found: dict[str, Any]) -> None:
    title = f"Long-term vs new customers, {found['from'][:10]} to {found['to'][:10]}"
    table = Table(title=title)
    for column in ("metric", "long-term", "new", "p", "flagged"):
        table.add_column(column)
    for metric in found["metrics"]:
        long, new, p = metric["long_term"], metric["new"], metric["p_value"]
        table.add_row(
            metric["label"],
            f"{_number(long['value'])} (n={long['size']})",
            f"{_number(new['value'])} (n={new['size']})",
            "-" if p is None else f"{p:.3g}",
            "FLAGGED" if metric["flagged"] else "",
        )
    console = Console()
    console.print(table)
    for metric in found["metrics"]:
        console.print(f"- {metric['explanation']}", highlight=False, markup=False)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3g}"


def policy_check_command(
    period_from: Annotated[
        str | None, typer.Option("--from", help="Start (ISO date); default: 90 days before --to.")
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--to", help="End, excluded (ISO date); default: now.")
    ] = None,
    org: Annotated[str | None, typer.Option("--org", help="Organisation slug.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Compare long-term and new customers: waiting, reply quality and offers, with tests."""
    from goodwill.cli_support import handle_errors, organisation_session, session_factory
    from goodwill.relationships.policy_api import policy_check_read

    @handle_errors
    def run() -> dict[str, Any]:
        start, end = _moment(period_from, "--from"), _moment(period_to, "--to")
        with organisation_session(session_factory(), org) as db:
            read = policy_check_read(db=db, period_from=start, period_to=end)
            return read.model_dump(mode="json", by_alias=True)

    found = run()
    if as_json:
        typer.echo(json.dumps(found, indent=2))
    else:
        _print_report(found)


def register(app: typer.Typer) -> None:
    """Add ``policy-check`` to the main CLI."""
    app.command("policy-check")(policy_check_command)
