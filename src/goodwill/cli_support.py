"""What every CLI command shares: error translation, consoles, and an organisation's session."""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.config import Settings, get_settings
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.errors import GoodwillError, ImportRejected, InvalidInput, NotFound
from goodwill.logging import configure
from goodwill.organisations.models import Organisation

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True, soft_wrap=True)  # one error line stays one line in logs
log = logging.getLogger(__name__)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Translate Goodwill errors into one clear line on stderr and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        configure(get_settings().log_level)
        try:
            return func(*args, **kwargs)
        except ImportRejected as exc:
            err_console.print(
                f"[red]error:[/] {exc.source}: {exc.total_errors} bad row(s), nothing imported",
                highlight=False,
            )
            for row in exc.errors:
                err_console.print(f"  {exc.source}: {row}", highlight=False, markup=False)
            raise typer.Exit(1) from None
        except GoodwillError as exc:
            err_console.print(f"[red]error:[/] {exc}", highlight=False)
            raise typer.Exit(1) from None
        except FileNotFoundError as exc:
            err_console.print(f"[red]error:[/] no such file: {exc.filename}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper


def session_factory(
    settings: Settings | None = None, *, migrate: bool = True
) -> sessionmaker[Session]:
    """Sessions on the configured database, brought up to the latest schema first."""
    settings = settings or get_settings()
    engine = make_engine(settings.effective_database_url)
    if migrate:
        migrations.upgrade(engine)
    return make_session_factory(engine)


def resolve_organisation(db: Session, slug: str | None) -> Organisation:
    """The organisation named by ``slug``, or the only one there is."""
    with tenancy.system_scope(db):
        orgs = list(db.scalars(select(Organisation).order_by(Organisation.created_at)))
    if slug is not None:
        for org in orgs:
            if org.slug == slug:
                return org
        raise NotFound(f"--org: no organisation {slug!r} (have: {', '.join(o.slug for o in orgs)})")
    if not orgs:
        raise InvalidInput("no organisation yet: run `goodwill init` first")
    if len(orgs) > 1:
        raise InvalidInput(
            f"several organisations: choose one with --org ({', '.join(o.slug for o in orgs)})"
        )
    return orgs[0]


@contextmanager
def organisation_session(factory: sessionmaker[Session], slug: str | None) -> Iterator[Session]:
    """One unit of work scoped to the chosen organisation: committed on success."""
    with unit_of_work(factory) as session:
        org = resolve_organisation(session, slug)
        tenancy.scope(session, org.id)
        yield session


def fail(message: str) -> None:
    err_console.print(f"[red]error:[/] {message}", highlight=False)
    sys.exit(1)


OrgOption = typer.Option("--org", help="organisation slug (needed when there are several)")
