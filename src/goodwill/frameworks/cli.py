"""``goodwill frameworks``: import canned responses as draft frameworks, list, check and show."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from goodwill.cli_support import (
    OrgOption,
    console,
    err_console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.errors import ImportRejected
from goodwill.frameworks import importing, service
from goodwill.frameworks.models import ResponseFramework, ResponseFrameworkVersion
from goodwill.frameworks.schemas import PurposeIn

frameworks_app = typer.Typer(
    help="Response frameworks: reply building blocks, reviewed by the coach.",
    no_args_is_help=True,
)
JsonOption = typer.Option("--json", help="print JSON instead of a table")


def _summary(review: dict[str, Any]) -> str:
    if review.get("passed"):
        return f"passes (score {review.get('score_min')}–{review.get('score_mean')})"
    categories = sorted({f["category"] for f in review.get("blocking", [])})
    return "blocked: " + ", ".join(categories)


@frameworks_app.command("import")
@handle_errors
def import_file(
    file: Path,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Import a CSV or JSON of canned responses (title, body) as draft frameworks, each
    reviewed by the coach; a file with a bad row imports nothing (exit 1, every row listed)."""
    content = file.read_bytes()
    fmt = importing.format_of(file.name)
    try:
        with organisation_session(session_factory(), org) as db:
            done = importing.import_file(
                db=db, content=content, fmt=fmt, source=str(file), member=None
            )
            rows = [(i.line, str(i.framework.id), i.framework.name, i.review) for i in done]
    except ImportRejected as exc:
        for error in exc.errors:
            err_console.print(f"{file}: {error}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    if as_json:
        keys = ("line", "id", "name", "review")
        typer.echo(json.dumps([dict(zip(keys, r, strict=True)) for r in rows], ensure_ascii=False))
        return
    for line, ref, name, review in rows:
        console.print(
            f"line {line}: {name} → {ref}: {_summary(review)}", highlight=False, markup=False
        )
    passed = sum(1 for r in rows if r[3]["passed"])
    console.print(f"imported {len(rows)} draft framework(s); {passed} pass the coach's review")


@frameworks_app.command("list")
@handle_errors
def list_frameworks(
    status: Annotated[str | None, typer.Option(help="draft, published or retired")] = None,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Every framework with its status, versions and review."""
    with organisation_session(session_factory(), org) as db:
        rows = []
        for f in db.scalars(
            service.query_frameworks(status=status).order_by(ResponseFramework.name)
        ):
            latest = service.get_version(db=db, framework_id=f.id, number=f.latest_version)
            rows.append(_row(f, latest))
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "name", "status", "version", "published", "review")
    for r in rows:
        table.add_row(
            r["id"],
            r["name"],
            r["status"],
            str(r["latest_version"]),
            str(r["published_version"] or "–"),
            _summary(r["review"]),
        )
    console.print(table)


def _row(f: ResponseFramework, latest: ResponseFrameworkVersion) -> dict[str, Any]:
    return {
        "id": str(f.id),
        "name": f.name,
        "status": f.status,
        "latest_version": f.latest_version,
        "published_version": f.published_version,
        "intents": latest.intents,
        "phases": latest.phases,
        "review": latest.review,
        "override_reason": latest.override_reason,
    }


@frameworks_app.command("show")
@handle_errors
def show(
    framework_id: uuid.UUID,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """A framework's latest version: purpose, body and review."""
    with organisation_session(session_factory(), org) as db:
        f = service.get(db=db, framework_id=framework_id)
        latest = service.get_version(db=db, framework_id=f.id, number=f.latest_version)
        row = _row(f, latest) | {
            "body": latest.body,
            "emotions": latest.emotions,
            "stages": latest.stages,
            "description": latest.description,
        }
    if as_json:
        typer.echo(json.dumps(row, ensure_ascii=False))
        return
    console.print(f"{row['name']} ({row['status']}, version {row['latest_version']})", markup=False)
    for key in ("intents", "phases", "emotions", "stages"):
        console.print(f"{key}: {', '.join(row[key]) or 'any'}", markup=False, highlight=False)
    console.print(row["body"], markup=False, highlight=False)
    console.print(f"review: {_summary(row['review'])}", markup=False, highlight=False)


@frameworks_app.command("check")
@handle_errors
def check(
    framework_id: uuid.UUID,
    org: Annotated[str | None, OrgOption] = None,
    as_json: Annotated[bool, JsonOption] = False,
) -> None:
    """Review the latest version again with the coach (with the organisation's latest
    messages); exit 1 when something blocks publication."""
    with organisation_session(session_factory(), org) as db:
        f = service.get(db=db, framework_id=framework_id)
        latest = service.get_version(db=db, framework_id=f.id, number=f.latest_version)
        found = service.review_body(
            db=db, parsed=service.parse_or_raise(latest.body), purpose=_purpose(latest)
        ).to_json()
    if as_json:
        typer.echo(json.dumps(found, ensure_ascii=False))
    else:
        console.print(f"{f.name}: {_summary(found)}", markup=False, highlight=False)
        for finding in found["findings"]:
            mark = "BLOCKS" if finding in found["blocking"] else "      "
            console.print(
                f"{mark} {finding['category']} ({finding['severity']}): "
                f"{finding['text'] or '(whole reply)'} — {finding['explanation']}",
                markup=False,
                highlight=False,
            )
    if not found["passed"]:
        raise typer.Exit(1)


def _purpose(v: ResponseFrameworkVersion) -> PurposeIn:
    return PurposeIn(
        description=v.description,
        intents=v.intents,
        phases=v.phases,
        emotions=v.emotions,
        stages=v.stages,
        examples=v.examples,
    )


def register(app: typer.Typer) -> None:
    app.add_typer(frameworks_app, name="frameworks")
