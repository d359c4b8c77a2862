"""``goodwill feedback``: collect suggestions from analysed messages, and the loop metrics."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Literal

import typer
from rich.table import Table

from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.errors import InvalidInput

feedback_app = typer.Typer(
    help="The feedback loop: suggestions, ideas and whether customers hear back.",
    no_args_is_help=True,
)


def _aware(value: datetime | None, name: str) -> datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        raise InvalidInput(f"{name}: give a time zone (for example 2026-03-01T00:00:00+00:00)")
    return value


@feedback_app.command("collect")
@handle_errors
def collect(org: Annotated[str | None, OrgOption] = None) -> None:
    """Turn analysed messages with a suggestion into suggestions in ideas (re-runnable)."""
    from goodwill.feedback import collect as collect_flow

    with organisation_session(session_factory(), org) as db:
        result = collect_flow.collect_suggestions(db=db)
    console.print(f"collected {result.collected} suggestion(s); {result.new_ideas} new idea(s)")


@feedback_app.command("metrics")
@handle_errors
def metrics(
    start: Annotated[datetime | None, typer.Option("--from", help="ISO time, with zone")] = None,
    end: Annotated[datetime | None, typer.Option("--to", help="ISO time, with zone")] = None,
    period: Annotated[str, typer.Option(help="month or week")] = "month",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Share of suggestions acknowledged, median hours to hear back, ideas shipped."""
    from goodwill.feedback import reporting

    if period not in ("month", "week"):
        raise InvalidInput("--period: month or week")
    chosen: Literal["month", "week"] = "week" if period == "week" else "month"
    with organisation_session(session_factory(), org) as db:
        result = reporting.loop_metrics(
            db=db, start=_aware(start, "--from"), end=_aware(end, "--to"), period=chosen
        )
    if as_json:
        typer.echo(json.dumps(result, default=str))
        return
    table = Table("group", "suggestions", "acknowledged", "share", "median h", "shipped")
    rows = [("overall", result["overall"])]
    rows += [(r["period"], r) for r in result["by_period"]]
    rows += [(f"team {r['team_name'] or '(none)'}", r) for r in result["by_team"]]
    for name, r in rows:
        share = r["acknowledged_share"]
        median = r["median_hours_to_hear_back"]
        table.add_row(
            name,
            str(r["suggestions"]),
            str(r["acknowledged"]),
            "-" if share is None else f"{share:.0%}",
            "-" if median is None else f"{median:.1f}",
            str(r["ideas_shipped_from_suggestions"]),
        )
    console.print(table)


@feedback_app.command("webhook")
@handle_errors
def webhook(
    url: Annotated[str | None, typer.Option(help="your helpdesk's URL; omit to switch off")] = None,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Send loop messages for chat, app and social customers to URL; prints the signing secret."""
    from goodwill import tenancy
    from goodwill.config import get_settings
    from goodwill.feedback import flows

    with organisation_session(session_factory(), org) as db:
        flows.set_webhook_url(db=db, url=url)
        organisation_id = tenancy.current_organisation_id(db)
    if url is None:
        console.print("outbound loop webhook switched off: loop messages go by e-mail only")
        return
    secret = flows.webhook_secret(
        organisation_id=organisation_id, server_key=get_settings().secret_key_bytes()
    )
    typer.echo(f"url: {url}")
    typer.echo(f"secret: {secret}")


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
