"""`goodwill reasons grid`: the Value Irritant Grid of an organisation's stored messages, as
JSON, as an SVG chart, or as a table."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from goodwill.cli_support import OrgOption, console, handle_errors
from goodwill.errors import InvalidInput
from goodwill.reasons.grid import Grid


def _when(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name}: {value!r} is not an ISO date or time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def grid(
    period_from: Annotated[
        str | None,
        typer.Option("--from", help="start, ISO date/time (default: 30 days before --to)"),
    ] = None,
    period_to: Annotated[
        str | None, typer.Option("--to", help="end (excluded), ISO date/time (default: now)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print the grid as JSON")] = False,
    svg: Annotated[Path | None, typer.Option("--svg", help="write the chart to this file")] = None,
    repeat_days: Annotated[int, typer.Option(min=1, max=365)] = 14,
    outcome_days: Annotated[int, typer.Option(min=1, max=730)] = 90,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Where each contact reason stands: eliminate, simplify, automate or leverage (seed 001)."""
    from goodwill.cli_support import organisation_session, session_factory
    from goodwill.database import utcnow
    from goodwill.reasons import chart, grid_flows
    from goodwill.reasons.grid import Thresholds

    @handle_errors
    def run() -> Grid:
        start, end = grid_flows.period(
            _when(period_from, "--from"), _when(period_to, "--to"), now=utcnow()
        )
        thresholds = Thresholds(repeat_days=repeat_days, outcome_days=outcome_days)
        with organisation_session(session_factory(), org) as db:
            return grid_flows.compute(
                db=db, period_from=start, period_to=end, thresholds=thresholds
            )

    found = run()
    if svg is not None:
        svg.write_text(chart.render(found), encoding="utf-8")
    if as_json:
        from goodwill.reasons.schemas import GridRead

        typer.echo(json.dumps(GridRead.model_validate(found).model_dump(mode="json"), indent=2))
    elif svg is None:
        _table(found)


def _table(found: Grid) -> None:
    table = Table(
        "reason",
        "volume",
        "trend",
        "customer",
        "company",
        "quadrant",
        title=f"{found.period_from:%Y-%m-%d} to {found.period_to:%Y-%m-%d}",
    )
    for cell in found.cells:
        table.add_row(
            escape(cell.name),
            str(cell.volume),
            "" if cell.trend is None else f"{cell.trend:+.0%}",
            "" if cell.customer_value is None else f"{cell.customer_value:+.2f}",
            "" if cell.company_value is None else f"{cell.company_value:+.2f}",
            cell.quadrant or "no contacts",
        )
    console.print(table)
    for cell in found.cells:
        if cell.action:
            console.print(f"[bold]{escape(cell.name)}[/]: {escape(cell.action)}", highlight=False)


def register(reasons_app: typer.Typer) -> None:
    """Add ``grid`` to the ``goodwill reasons`` command group."""
    reasons_app.command("grid")(grid)
