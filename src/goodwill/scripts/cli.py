"""``goodwill trees``: check a decision tree file, and import it (a new tree or a new version)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated, Literal

import typer

from goodwill.cli_support import (
    OrgOption,
    console,
    err_console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.scripts import service, validation

trees_app = typer.Typer(
    help="Decision trees: interactive scripts for service, cold calls and self-service.",
    no_args_is_help=True,
)


def _format(path: Path) -> Literal["yaml", "json"]:
    return "json" if path.suffix.lower() == ".json" else "yaml"


def _report(path: Path, errors: list[validation.TreeError]) -> None:
    for error in errors:
        where = f"{path}:{error.line}" if error.line else str(path)
        err_console.print(f"{where}: {error.kind}: {error.message}", highlight=False, markup=False)


@trees_app.command("validate")
@handle_errors
def validate(file: Path) -> None:
    """Check a tree (YAML, or JSON by its .json suffix); exit 1 listing every error."""
    tree, errors = validation.parse(file.read_text(encoding="utf-8"), fmt=_format(file))
    if errors:
        _report(file, errors)
        err_console.print(f"{len(errors)} error(s)", highlight=False)
        raise typer.Exit(1)
    assert tree is not None
    console.print(f"{file}: '{tree.name}' is valid ({len(tree.nodes)} nodes)", highlight=False)


@trees_app.command("import")
@handle_errors
def import_tree(
    file: Path,
    tree_id: Annotated[
        uuid.UUID | None, typer.Option("--tree", help="save as a new version of this tree")
    ] = None,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Store a valid tree file and publish it: a new tree, or a new version with --tree."""
    source = file.read_text(encoding="utf-8")
    fmt = _format(file)
    _, errors = validation.parse(source, fmt=fmt)
    if errors:
        _report(file, errors)
        raise typer.Exit(1)
    with organisation_session(session_factory(), org) as db:
        if tree_id is None:
            tree = service.create(db=db, source=source, fmt=fmt, publish=True, member_id=None)
        else:
            tree = service.get(db=db, tree_id=tree_id)
            service.save(db=db, tree=tree, source=source, fmt=fmt, publish=True, member_id=None)
        tree_ref, number = tree.id, tree.latest_version
    console.print(f"imported '{tree.name}' as tree {tree_ref}, version {number}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(trees_app, name="trees")
