"""The core CLI: init, users, tokens, webhooks, db — against a real SQLite file."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app

runner = CliRunner()
PASSWORD = "a long demo password 42"


def _init(org: str = "Test Co", email: str = "ada@test.example") -> None:
    result = runner.invoke(
        app,
        [
            "init",
            "--org-name",
            org,
            "--admin-email",
            email,
            "--admin-password",
            PASSWORD,
            "--domain",
            "test.example",
        ],
    )
    assert result.exit_code == 0, result.output


def test_init_creates_database_org_and_admin(cli_env: Path) -> None:
    _init()
    assert (cli_env / "goodwill.sqlite3").exists()
    listed = runner.invoke(app, ["users", "list", "--json"])
    assert listed.exit_code == 0, listed.output
    assert '"email": "ada@test.example"' in listed.output
    assert '"role": "admin"' in listed.output


def test_users_create_set_role_and_token(cli_env: Path) -> None:
    _init()
    created = runner.invoke(app, ["users", "create", "bo@test.example", "--role", "agent"])
    assert created.exit_code == 0, created.output
    promoted = runner.invoke(app, ["users", "set-role", "bo@test.example", "manager"])
    assert promoted.exit_code == 0
    token = runner.invoke(app, ["users", "create-token", "bo@test.example"])
    assert token.exit_code == 0
    assert token.output.strip().startswith("gw_")
    assert len(token.output.strip()) > 40


def test_errors_are_one_line_and_non_zero(cli_env: Path) -> None:
    _init()
    demote = runner.invoke(app, ["users", "set-role", "ada@test.example", "agent"])
    assert demote.exit_code == 1
    assert "last admin" in demote.output
    unknown = runner.invoke(app, ["users", "set-role", "nobody@test.example", "agent"])
    assert unknown.exit_code == 1
    assert "no member" in unknown.output
    assert "Traceback" not in unknown.output
    weak = runner.invoke(app, ["users", "create", "cy@test.example", "--password", "short"])
    assert weak.exit_code == 1
    assert "password" in weak.output


def test_several_organisations_need_org_option(cli_env: Path) -> None:
    _init("First Org", "a@first.example")
    _init("Second Org", "b@second.example")
    ambiguous = runner.invoke(app, ["users", "list"])
    assert ambiguous.exit_code == 1
    assert "--org" in ambiguous.output
    chosen = runner.invoke(app, ["users", "list", "--json", "--org", "second-org"])
    assert chosen.exit_code == 0
    assert "b@second.example" in chosen.output
    assert "a@first.example" not in chosen.output


def test_webhook_secret_and_db_revision(cli_env: Path) -> None:
    _init()
    made = runner.invoke(app, ["webhooks", "create", "helpdesk"])
    assert made.exit_code == 0, made.output
    assert "secret: whsec_" in made.output
    current = runner.invoke(app, ["db", "current"])
    assert current.exit_code == 0
    revision, _, head = current.output.partition(" (head ")
    assert revision.strip() == head.strip(" )\n")
