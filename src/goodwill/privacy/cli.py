"""``goodwill privacy export|erase`` (one customer) and ``goodwill retention apply``."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated

import typer

from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.privacy import retention, service

privacy_app = typer.Typer(help="A customer's personal data: export it, erase it.")
retention_app = typer.Typer(help="Delete interactions older than each organisation's policy.")


@privacy_app.command("export")
@handle_errors
def export_customer(
    customer: Annotated[uuid.UUID, typer.Option(help="the customer's id")],
    out: Annotated[Path, typer.Option(help="JSON file to write")],
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Write everything stored about one customer to a JSON file (right of access)."""
    with organisation_session(session_factory(), org) as db:
        data = service.personal_data(db=db, customer_id=customer, actor="cli", actor_member_id=None)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    rows = sum(len(rows) for rows in data["tables"].values())
    console.print(f"{out}: {rows} records in {len(data['tables'])} tables", highlight=False)


@privacy_app.command("erase")
@handle_errors
def erase_customer(
    customer: Annotated[uuid.UUID, typer.Option(help="the customer's id")],
    yes: Annotated[bool, typer.Option("--yes", help="confirm: this cannot be undone")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Erase one customer and every record about them (all or nothing), leaving an audit entry
    with the counts only."""
    if not yes:
        raise typer.BadParameter("erasing cannot be undone: add --yes", param_hint="--yes")
    with organisation_session(session_factory(), org) as db:
        counts = service.erase(db=db, customer_id=customer, actor="cli", actor_member_id=None)
    listed = ", ".join(f"{table} {n}" for table, n in counts.items())
    console.print(f"erased customer {customer}: {listed}", highlight=False)


@retention_app.command("apply")
@handle_errors
def apply_retention() -> None:
    """Apply every organisation's retention policy now (schedule this daily)."""
    for outcome in retention.apply_everywhere(session_factory()):
        if outcome.cutoff is None:
            continue
        console.print(
            f"organisation {outcome.organisation_id}: before {outcome.cutoff:%Y-%m-%d}, "
            f"deleted {outcome.interactions} interactions, {outcome.conversations} conversations",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
    app.add_typer(retention_app, name="retention")
