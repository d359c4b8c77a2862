"""``goodwill frameworks import|list|show|check`` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app
from tests.factories.frameworks import BAD_BODY, GOOD_BODY

runner = CliRunner()


def _init() -> None:
    result = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            "Test Co",
            "--admin-email",
            "ada@test.example",
            "--admin-password",
            "a long demo password 42",
            "--domain",
            "test.example",
        ],
    )
    assert result.exit_code == 0, result.output


def test_import_list_show_and_check(cli_env: Path, tmp_path: Path) -> None:
    _init()
    macros = tmp_path / "macros.json"
    macros.write_text(
        json.dumps(
            [
                {"title": "Statements", "body": BAD_BODY, "intents": ["suggestion"]},
                {"title": "Complaint", "body": GOOD_BODY, "intents": ["complaint"]},
            ]
        )
    )
    imported = runner.invoke(app, ["frameworks", "import", str(macros), "--json"])
    assert imported.exit_code == 0, imported.output
    rows = json.loads(imported.output)
    assert [(r["name"], r["review"]["passed"]) for r in rows] == [
        ("Statements", False),
        ("Complaint", True),
    ]
    listed = runner.invoke(app, ["frameworks", "list", "--json"])
    assert {r["name"]: r["status"] for r in json.loads(listed.output)} == {
        "Statements": "draft",
        "Complaint": "draft",
    }
    shown = runner.invoke(app, ["frameworks", "show", rows[1]["id"]])
    assert shown.exit_code == 0, shown.output
    assert "[[answer: what you found" in shown.output
    blocked = runner.invoke(app, ["frameworks", "check", rows[0]["id"]])
    assert blocked.exit_code == 1
    assert "BLOCKS template_noise" in blocked.output
    assert runner.invoke(app, ["frameworks", "check", rows[1]["id"]]).exit_code == 0


def test_a_bad_file_imports_nothing_and_names_line_and_field(cli_env: Path, tmp_path: Path) -> None:
    _init()
    macros = tmp_path / "macros.csv"
    macros.write_text('title,body\n"Fine","Hello there"\n"Broken","Hi {{ticket.id}}"\n')
    result = runner.invoke(app, ["frameworks", "import", str(macros)])
    assert result.exit_code == 1
    assert "line 3, field 'body'" in result.output
    assert "unknown variable" in result.output
    listed = runner.invoke(app, ["frameworks", "list", "--json"])
    assert json.loads(listed.output) == []
