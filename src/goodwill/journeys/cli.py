"""``goodwill journeys``: the journey map and the moments of truth."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from goodwill.cli_support import OrgOption, console, handle_errors, organisation_session
from goodwill.cli_support import session_factory as make_factory
from goodwill.errors import InvalidInput
from goodwill.journeys.schemas import JourneyMap, MomentsOfTruth, Outcome

journeys_app = typer.Typer(help="The journey map and the moments of truth.", no_args_is_help=True)


@journeys_app.command("map")
@handle_errors
def map_command(
    since: Annotated[datetime | None, typer.Option("--since", help="ISO time with zone")] = None,
    until: Annotated[datetime | None, typer.Option("--until", help="ISO time with zone")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Touchpoint types by lifecycle phase: volume, sentiment, irritant heat (default: 365 days)."""
    from goodwill.journeys import service  # scipy's survival models: only when run

    with organisation_session(make_factory(), org) as db:
        found = service.journey_map(db=db, since=since, until=until)
    if as_json:
        typer.echo(found.model_dump_json())
        return
    _print_map(found)


def _print_map(found: JourneyMap) -> None:
    table = Table(
        "phase", "touchpoint", "interactions", "customers", "sentiment", "irritants/reply"
    )
    for c in found.cells:
        sentiment = "–" if c.sentiment_mean is None else f"{c.sentiment_mean:+.2f}"
        heat = "–" if c.irritant_heat is None else f"{c.irritant_heat:.2f} (n={c.replies_reviewed})"
        table.add_row(c.phase, c.touchpoint, str(c.interactions), str(c.customers), sentiment, heat)
    console.print(f"{found.period_start.isoformat()} to {found.period_end.isoformat()}")
    console.print(table)


@journeys_app.command("moments")
@handle_errors
def moments_command(
    outcome: Annotated[str, typer.Option("--outcome", help="decline or termination")] = "decline",
    window: Annotated[int, typer.Option("--window-days", help="days after a touchpoint")] = 30,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Touchpoint types after which relationships change course (Cox model, 95% intervals);
    with the default window, also refreshes the result the web page and API serve."""
    if outcome not in ("decline", "termination"):
        raise InvalidInput(f"--outcome: decline or termination, not {outcome!r}")
    chosen: Outcome = outcome  # type: ignore[assignment]
    from goodwill.journeys import service

    with organisation_session(make_factory(), org) as db:
        if window == service.DEFAULT_WINDOW_DAYS:  # refresh what the page and API serve
            found = service.cached_moments(db=db, outcome=chosen, refresh=True)
        else:
            found = service.moments_of_truth(db=db, outcome=chosen, window_days=window)
    if as_json:
        typer.echo(found.model_dump_json())
        return
    _print_moments(found)


def _print_moments(found: MomentsOfTruth) -> None:
    console.print(
        f"{found.outcome}: {found.message} ({found.relationships} relationships, "
        f"{found.events} course changes)",
        highlight=False,
    )
    table = Table("touchpoint", "hazard ratio", "95% interval", "p", "flag")
    for m in found.items:
        flag = m.direction if m.significant else ""
        interval = f"{m.ci_low:.2f}–{m.ci_high:.2f}"
        table.add_row(m.touchpoint, f"{m.hazard_ratio:.2f}", interval, f"{m.p_value:.3g}", flag)
    if found.items:
        console.print(table)
    for s in found.skipped:
        console.print(f"skipped {s.touchpoint}: {s.reason}", highlight=False, markup=False)
    console.print(f"Caveat: {found.caveat}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    app.add_typer(journeys_app, name="journeys")
