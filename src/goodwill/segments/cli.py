"""``goodwill segments``: list the segments with their members, show one, save one from a JSON
file, and apply them (recompute every relationship's segment now)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.table import Table

from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.errors import InvalidInput, NotFound
from goodwill.segments import service
from goodwill.segments.schemas import SegmentSave

segments_app = typer.Typer(
    help="Rule-defined segments, each with its own playbook and cadence.", no_args_is_help=True
)
JsonOption = typer.Option("--json", help="print JSON instead of text")


def _echo_json(value: Any) -> None:
    typer.echo(json.dumps(value, ensure_ascii=False, default=str))


def _conditions(rule: dict[str, Any]) -> str:
    groups = [
        " and ".join(f"{c['field']} {c['op']} {c['value']}" for c in group)
        for group in rule["groups"]
    ]
    return " or ".join(f"({g})" if len(groups) > 1 else g for g in groups)


@segments_app.command("list")
@handle_errors
def list_segments(
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """The segments in the order they are tried, with their members and cadence."""
    with organisation_session(session_factory(), org) as db:
        found = service.read(db=db, segments=service.get_all(db=db))
        rows = [r.model_dump(mode="json") for r in found]
        total = service.relationship_count(db=db)
    unsegmented = total - sum(r["members"] for r in rows)
    if as_json:
        _echo_json({"items": rows, "unsegmented": unsegmented})
        return
    table = Table("priority", "name", "members", "cadence (days)", "rule")
    for r in rows:
        gaps = r["cadence"]
        table.add_row(
            str(r["priority"]),
            r["name"],
            str(r["members"]),
            f"{gaps['ideal_days']}–{gaps['max_days']} ({gaps['source']})",
            _conditions(r["rule"]),
        )
    console.print(table)
    console.print(f"unsegmented: {unsegmented} of {total} relationships", highlight=False)


@segments_app.command("show")
@handle_errors
def show(
    name: str,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """One segment by name: its rule, members, cadence and own playbook."""
    with organisation_session(session_factory(), org) as db:
        segment = service.get_by_name(db=db, name=name)
        row = service.read(db=db, segments=[segment])[0].model_dump(mode="json")
    if as_json:
        _echo_json(row)
        return
    gaps = row["cadence"]
    lines = [
        f"{row['name']} (priority {row['priority']}): {row['members']} members",
        row["description"] or "",
        f"rule: {_conditions(row['rule'])}",
        f"stay in touch: ideally every {gaps['ideal_days']} days, at most {gaps['max_days']} "
        f"({'its own' if gaps['source'] == row['name'] else 'the default'})",
        f"own playbook rules: {len((row['playbook'] or {}).get('rules') or [])}",
    ]
    for line in lines:
        if line:
            console.print(line, markup=False, highlight=False)


@segments_app.command("save")
@handle_errors
def save(
    file: Path,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Create a segment from a JSON file (name, description, priority, rule, playbook), or
    replace the one of that name."""
    try:
        segment_in = SegmentSave.model_validate_json(file.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise InvalidInput(f"{file}: {where + ': ' if where else ''}{first['msg']}") from None
    with organisation_session(session_factory(), org) as db:
        try:
            segment = service.get_by_name(db=db, name=segment_in.name)
            service.update(db=db, segment=segment, segment_in=segment_in)
        except NotFound:
            segment = service.create(db=db, segment_in=segment_in)
        row = service.read(db=db, segments=[segment])[0].model_dump(mode="json")
    if as_json:
        _echo_json(row)
        return
    console.print(f"saved {row['name']}: {row['members']} members", markup=False)


@segments_app.command("apply")
@handle_errors
def apply(
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Recompute every relationship's segment now and store who entered and left."""
    with organisation_session(session_factory(), org) as db:
        summary = service.assign(db=db)
    if as_json:
        _echo_json(vars(summary))
        return
    for name, count in summary.segments.items():
        console.print(f"{name}: {count}", markup=False, highlight=False)
    console.print(
        f"unsegmented: {summary.unsegmented} of {summary.relationships}; "
        f"{summary.entered} entered, {summary.left} left ({summary.seconds:.2f} s)",
        highlight=False,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(segments_app, name="segments")
