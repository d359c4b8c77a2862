"""``goodwill journeys map|moments`` against a real SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app

runner = CliRunner()


def _init() -> None:
    result = runner.invoke(
        app,
        [
            "init", "--org-name", "Test Co", "--admin-email", "ada@test.example",
            "--admin-password", "a long demo password 42", "--domain", "test.example",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output


def test_map_and_moments_as_json_and_tables(cli_env: Path) -> None:
    _init()
    shown = runner.invoke(app, ["journeys", "map", "--json"])
    assert shown.exit_code == 0, shown.output
    found = json.loads(shown.output)
    assert found["cells"] == []
    assert found["phases"] == []
    moments = runner.invoke(app, ["journeys", "moments", "--outcome", "termination", "--json"])
    assert moments.exit_code == 0, moments.output
    answer = json.loads(moments.output)
    assert answer["status"] == "not_enough_history"
    assert (answer["relationships"], answer["events"]) == (0, 0)
    assert "association, not causation" in answer["caveat"]
    table = runner.invoke(app, ["journeys", "moments"])
    assert table.exit_code == 0, table.output
    assert "not enough history" in table.output
    assert "Caveat: association, not causation" in table.output


def test_mistakes_are_one_line_and_exit_1(cli_env: Path) -> None:
    _init()
    bad = runner.invoke(app, ["journeys", "moments", "--outcome", "churn"])
    assert bad.exit_code == 1
    assert "--outcome: decline or termination" in bad.output
    zone = runner.invoke(app, ["journeys", "map", "--since", "2026-01-01T00:00:00"])
    assert zone.exit_code == 1
    assert "since: give a time zone" in zone.output
    window = runner.invoke(app, ["journeys", "moments", "--window-days", "0"])
    assert window.exit_code == 1
    assert "window_days" in window.output
