"""The `goodwill` command line: set up, serve, manage people, and the domains' own commands."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from goodwill import migrations, tenancy
from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.config import get_settings
from goodwill.database import make_engine, unit_of_work
from goodwill.errors import InvalidInput
from goodwill.organisations import service as organisation_service
from goodwill.types import Role

app = typer.Typer(
    name="goodwill",
    help="Goodwill: relationship intelligence for customer-facing teams.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
users_app = typer.Typer(
    help="Members of an organisation and their API tokens.", no_args_is_help=True
)
webhooks_app = typer.Typer(help="Inbound webhook credentials.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(users_app, name="users")
app.add_typer(webhooks_app, name="webhooks")
app.add_typer(db_app, name="db")


def _password(value: str | None) -> str:
    value = value or os.environ.get("GOODWILL_ADMIN_PASSWORD")
    if value:
        return value
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@app.command()
@handle_errors
def init(
    org_name: Annotated[str, typer.Option("--org-name", help="your organisation's name")],
    admin_email: Annotated[str, typer.Option("--admin-email")],
    admin_password: Annotated[
        str | None, typer.Option("--admin-password", help="or GOODWILL_ADMIN_PASSWORD, or prompt")
    ] = None,
    domain: Annotated[
        list[str] | None, typer.Option("--domain", help="your e-mail domain (repeatable)")
    ] = None,
) -> None:
    """Create the database (or bring it up to date), an organisation and its first admin."""
    factory = session_factory()
    password = _password(admin_password)
    with unit_of_work(factory) as db:
        org = organisation_service.create_organisation(db=db, name=org_name, email_domains=domain)
        tenancy.scope(db, org.id)
        user = organisation_service.get_or_create_user(
            db=db, email=admin_email, display_name=admin_email.split("@")[0], password=password
        )
        organisation_service.add_member(db=db, user=user, role=Role.ADMIN)
    console.print(f"Created organisation [bold]{org.name}[/] ({org.slug}) with admin {admin_email}")
    console.print(f"Database: {get_settings().effective_database_url}")


@app.command()
@handle_errors
def serve(
    host: Annotated[str, typer.Option(help="interface to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="server processes (one per core; PostgreSQL)")
    ] = 1,
) -> None:
    """Serve the web app and the API (migrating the database first)."""
    from goodwill.server import serve as run_server

    session_factory()  # migrate
    console.print(f"Goodwill on http://{host}:{port}  (API: http://{host}:{port}/api/v1)")
    run_server(get_settings(), host=host, port=port, workers=workers)


@users_app.command("create")
@handle_errors
def users_create(
    email: str,
    role: Annotated[Role, typer.Option(help="agent, manager or admin")] = Role.AGENT,
    name: Annotated[str, typer.Option(help="display name")] = "",
    password: Annotated[str | None, typer.Option(help="or GOODWILL_ADMIN_PASSWORD")] = None,
    team: Annotated[str | None, typer.Option(help="team name")] = None,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Add a member to the organisation."""
    pw = password or os.environ.get("GOODWILL_ADMIN_PASSWORD")
    with organisation_session(session_factory(), org) as db:
        user = organisation_service.get_or_create_user(
            db=db, email=email, display_name=name or email.split("@")[0], password=pw
        )
        organisation_service.add_member(db=db, user=user, role=role, team_name=team)
    console.print(f"Added {email} as {role.value}")


@users_app.command("list")
@handle_errors
def users_list(
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """List the organisation's members."""
    with organisation_session(session_factory(), org) as db:
        rows = [
            {
                "id": str(m.id),
                "email": m.user.email,
                "name": m.user.display_name,
                "role": m.role,
                "active": m.is_active,
            }
            for m in organisation_service.get_all_members(db=db)
        ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    table = Table("e-mail", "name", "role", "active")
    for r in rows:
        table.add_row(
            str(r["email"]), str(r["name"]), str(r["role"]), "yes" if r["active"] else "no"
        )
    console.print(table)


@users_app.command("set-role")
@handle_errors
def users_set_role(email: str, role: Role, org: Annotated[str | None, OrgOption] = None) -> None:
    """Change a member's role."""
    with organisation_session(session_factory(), org) as db:
        member = organisation_service.get_member_by_email(db=db, email=email)
        organisation_service.set_role(db=db, member=member, role=role)
    console.print(f"{email} is now {role.value}")


@users_app.command("create-token")
@handle_errors
def users_create_token(
    email: str,
    name: Annotated[str, typer.Option(help="what the token is for")] = "cli",
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Create an API token for a member; it is printed once and only its hash is kept."""
    with organisation_session(session_factory(), org) as db:
        member = organisation_service.get_member_by_email(db=db, email=email)
        _, plain = organisation_service.create_api_token(db=db, member=member, name=name)
    typer.echo(plain)


@webhooks_app.command("create")
@handle_errors
def webhooks_create(name: str, org: Annotated[str | None, OrgOption] = None) -> None:
    """Create an inbound webhook credential: prints its URL path and signing secret once."""
    with organisation_session(session_factory(), org) as db:
        endpoint, secret = organisation_service.create_webhook_endpoint(
            db=db, name=name, server_key=get_settings().secret_key_bytes()
        )
    typer.echo(f"url: /api/v1/webhooks/{endpoint.id}/interactions")
    typer.echo(f"secret: {secret}")


@db_app.command("upgrade")
@handle_errors
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION."""
    migrations.upgrade(make_engine(get_settings().effective_database_url), revision)
    console.print("database is up to date")


@db_app.command("downgrade")
@handle_errors
def db_downgrade(revision: str) -> None:
    """Revert migrations down to REVISION ('base' empties the database)."""
    if revision in ("", None):
        raise InvalidInput("revision: give a revision or 'base'")
    migrations.downgrade(make_engine(get_settings().effective_database_url), revision)
    console.print(f"database at {revision}")


@db_app.command("backup")
@handle_errors
def db_backup(
    out: Annotated[Path, typer.Option("--out", help="the zip file to write")],
) -> None:
    """Write the whole database (every organisation) to a zip file, restorable on SQLite or
    PostgreSQL."""
    from goodwill import backup

    engine = make_engine(get_settings().effective_database_url)
    try:
        manifest = backup.backup(engine, out)
    finally:
        engine.dispose()
    rows = sum(t["rows"] for t in manifest["tables"].values())
    typer.echo(f"{out}: {rows:,} rows from {len(manifest['tables'])} tables")


@db_app.command("restore")
@handle_errors
def db_restore(
    source: Annotated[Path, typer.Argument(help="a zip file written by goodwill db backup")],
) -> None:
    """Restore a backup into the configured database, which must be empty (all or nothing)."""
    from goodwill import backup

    engine = make_engine(get_settings().effective_database_url)
    try:
        restored = backup.restore(engine, source)
    finally:
        engine.dispose()
    typer.echo(f"restored {sum(restored.values()):,} rows into {len(restored)} tables")


@db_app.command("current")
@handle_errors
def db_current() -> None:
    """Print the schema revision of the database."""
    engine = make_engine(get_settings().effective_database_url)
    typer.echo(f"{migrations.current_revision(engine)} (head {migrations.head_revision(engine)})")


def _register_domain_commands() -> None:
    from goodwill.coach import cli as coach_cli
    from goodwill.demo import cli as demo_cli
    from goodwill.feedback import cli as feedback_cli
    from goodwill.frameworks import cli as frameworks_cli
    from goodwill.imports import cli as imports_cli
    from goodwill.jobs import cli as jobs_cli
    from goodwill.journeys import cli as journeys_cli
    from goodwill.messages import cli as messages_cli
    from goodwill.perception import cli as perception_cli
    from goodwill.privacy import cli as privacy_cli
    from goodwill.pulse import cli as pulse_cli
    from goodwill.quality import cli as quality_cli
    from goodwill.reasons import cli as reasons_cli
    from goodwill.relationships import cli as relationships_cli
    from goodwill.relationships import policy_cli
    from goodwill.scripts import cli as scripts_cli
    from goodwill.segments import cli as segments_cli

    for module in (
        imports_cli,
        demo_cli,
        relationships_cli,
        policy_cli,
        messages_cli,
        coach_cli,
        reasons_cli,
        feedback_cli,
        jobs_cli,
        scripts_cli,
        pulse_cli,
        frameworks_cli,
        privacy_cli,
        quality_cli,
        segments_cli,
        perception_cli,
        journeys_cli,
    ):
        module.register(app)
    from goodwill.reasons import grid_cli

    grid_cli.register(reasons_cli.reasons_app)


_register_domain_commands()


if __name__ == "__main__":
    app()
