"""``goodwill quality``: service quality metrics beside speed, and the coach's reply reviews."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer
from rich.table import Table

from goodwill.cli_support import OrgOption, console, handle_errors, organisation_session
from goodwill.cli_support import session_factory as make_factory
from goodwill.errors import InvalidInput
from goodwill.organisations.models import Member
from goodwill.quality import definitions as d
from goodwill.quality import reports
from goodwill.quality.schemas import GroupBy, MetricsReport
from goodwill.quality.service import Window
from goodwill.types import Role

quality_app = typer.Typer(
    help="Service quality: metrics that recalibrate speed, and the coach's reply reviews.",
    no_args_is_help=True,
)
SinceOption = typer.Option("--since", help="ISO time with zone (default: 28 days before --until)")
UntilOption = typer.Option("--until", help="ISO time with zone (default: now)")


def _system_caller() -> Member:
    """The CLI runs with the operator's rights: a manager's view of every group."""
    return Member(role=Role.ADMIN.value)


@quality_app.command("metrics")
@handle_errors
def metrics_command(
    since: Annotated[datetime | None, SinceOption] = None,
    until: Annotated[datetime | None, UntilOption] = None,
    by: Annotated[str, typer.Option("--by", help="member, team or organisation")] = "member",
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Speed beside quality for the conversations opened in the period, per member or team."""
    if by not in ("member", "team", "organisation"):
        raise InvalidInput("--by: member, team or organisation")
    group_by: GroupBy = by  # type: ignore[assignment]
    with organisation_session(make_factory(), org) as db:
        report = reports.metrics_report(
            db=db, caller=_system_caller(), window=Window.of(since, until), group_by=group_by
        )
    if as_json:
        typer.echo(report.model_dump_json())
        return
    _print(report)


def _print(report: MetricsReport) -> None:
    names = [x.name for x in d.DEFINITIONS]
    table = Table("group", *[d.BY_NAME[n].title for n in names])
    for row in report.items:
        values = row.speed | row.quality
        cells = []
        for n in names:
            v = values[n]
            cells.append("–" if v.value is None else f"{v.value:g} (n={v.count})")
        table.add_row(row.label, *cells)
    console.print(f"{report.period_start.isoformat()} to {report.period_end.isoformat()}")
    console.print(table)


@quality_app.command("review")
@handle_errors
def review_command(
    since: Annotated[datetime | None, typer.Option("--since", help="ISO time with zone")] = None,
    until: Annotated[datetime | None, typer.Option("--until", help="ISO time with zone")] = None,
    outdated: Annotated[
        bool, typer.Option("--outdated/--new-only", help="also redo reviews of an older coach")
    ] = True,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Run the reply coach over stored outbound replies and keep its findings (for the
    irritant-density, empathy and coaching numbers)."""
    from goodwill.quality import reviews

    for name, value in (("--since", since), ("--until", until)):
        if value is not None and value.tzinfo is None:
            raise InvalidInput(f"{name}: give a time zone (for example 2026-03-01T00:00:00+00:00)")
    with organisation_session(make_factory(), org) as db:
        summary = reviews.review_replies(db=db, since=since, until=until, outdated=outdated)
    if as_json:
        typer.echo(
            json.dumps({"reviewed": summary.reviewed, "coach_version": summary.coach_version})
        )
        return
    console.print(f"{summary.reviewed} repl(ies) reviewed (coach {summary.coach_version})")


@quality_app.command("rollup")
@handle_errors
def rollup_command(
    days: Annotated[int, typer.Option("--days", min=1, help="the days before today (730)")] = 730,
    again: Annotated[
        bool, typer.Option("--again", help="compute the days again even where rows are valid")
    ] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Compute the daily quality rollups the reports read (a backfill: reports keep them up to
    date on their own), one transaction per day, and say how long it took."""
    import time as clock
    from datetime import timedelta

    from goodwill.database import utcnow
    from goodwill.quality import rollups

    started = clock.perf_counter()
    today = utcnow().date()
    computed = 0
    factory = make_factory()
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        with organisation_session(factory, org) as db:
            if back == days:
                rollups.catch_up(db, utcnow())
            if again:
                rollups.forget(db, day)
            computed += rollups.refresh(db, day, day + timedelta(days=1))
    seconds = clock.perf_counter() - started
    console.print(f"{computed} day(s) brought up to date (the last {days}) in {seconds:.1f} s")


def register(app: typer.Typer) -> None:
    app.add_typer(quality_app, name="quality")
