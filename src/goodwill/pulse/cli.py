"""``goodwill pulse``: the Q12 questions, and opening the rounds that are due (for cron)."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from sqlalchemy import select

from goodwill import tenancy
from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.database import unit_of_work
from goodwill.errors import NotFound
from goodwill.organisations.models import Organisation
from goodwill.pulse import service
from goodwill.pulse.questions import Q12

pulse_app = typer.Typer(help="Q12 pulse: anonymous engagement rounds.", no_args_is_help=True)


@pulse_app.command("questions")
def questions() -> None:
    """The twelve questions, answered 1 (strongly disagree) to 5 (strongly agree)."""
    for q in Q12:
        console.print(f"{q.number:>2}. {q.text}", highlight=False)


@pulse_app.command("open-due")
@handle_errors
def open_due(org: Annotated[str | None, OrgOption] = None) -> None:
    """Open the scheduled rounds that are due, in every organisation (or --org); run it from
    cron or a worker: running it twice opens nothing twice."""
    factory = session_factory()
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        orgs = [(o.id, o.slug) for o in db.scalars(select(Organisation))]
    if org is not None:
        orgs = [(i, s) for i, s in orgs if s == org]
        if not orgs:
            raise NotFound(f"--org: no organisation {org!r}")
    total = 0
    for org_id, slug in orgs:
        with unit_of_work(factory) as db:
            tenancy.scope(db, org_id)
            opened = service.open_due(db=db)
        for pulse in opened:
            console.print(f"{slug}: opened round {pulse.id} until {pulse.closes_at.isoformat()}")
        total += len(opened)
    console.print(f"{total} round(s) opened")


@pulse_app.command("schedules")
@handle_errors
def schedules(org: Annotated[str | None, OrgOption] = None) -> None:
    """The organisation's schedules: id, team, every N weeks, next opening, active."""
    with organisation_session(session_factory(), org) as db:
        rows = service.get_all_schedules(db=db)
        for s in rows:
            state = "active" if s.active else "stopped"
            team = str(s.team_id) if s.team_id else "everyone"
            console.print(
                f"{s.id}  {team}  every {s.every_weeks} week(s)  "
                f"next {s.next_open_at.isoformat()}  {state}",
                highlight=False,
            )


@pulse_app.command("stop")
@handle_errors
def stop(schedule_id: uuid.UUID, org: Annotated[str | None, OrgOption] = None) -> None:
    """Stop a schedule: no further rounds are opened from it."""
    with organisation_session(session_factory(), org) as db:
        service.stop_schedule(db=db, schedule_id=schedule_id)
    console.print(f"schedule {schedule_id} stopped")


def register(app: typer.Typer) -> None:
    app.add_typer(pulse_app, name="pulse")
