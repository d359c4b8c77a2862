"""`goodwill coach`: one draft highlighted or as JSON, and batches of JSONL."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from goodwill.cli import app
from tests.unit.coach import seeds

runner = CliRunner()


def _files(tmp_path: Path) -> tuple[Path, Path]:
    customer, reply = tmp_path / "customer.txt", tmp_path / "reply.txt"
    customer.write_text(seeds.MICHAEL, encoding="utf-8")
    reply.write_text(seeds.FINTECH_REPLY, encoding="utf-8")
    return customer, reply


def test_json_output_has_the_api_fields(tmp_path: Path, cli_env: Path) -> None:
    customer, reply = _files(tmp_path)
    result = runner.invoke(
        app, ["coach", "--customer-file", str(customer), "--reply-file", str(reply), "--json"]
    )
    assert result.exit_code == 0, result.output
    body = json.loads(result.output)
    assert set(body) == {"score", "intent", "emotion", "findings"}
    assert body["intent"] == "suggestion"
    assert "template_noise" in {f["category"] for f in body["findings"]}


def test_terminal_output_lists_findings(tmp_path: Path, cli_env: Path) -> None:
    customer, reply = _files(tmp_path)
    result = runner.invoke(
        app, ["coach", "--customer-file", str(customer), "--reply-file", str(reply)]
    )
    assert result.exit_code == 0, result.output
    assert "score" in result.output
    assert "unsolicited_workaround" in result.output


def test_batch_writes_one_line_per_input(tmp_path: Path, cli_env: Path) -> None:
    batch = tmp_path / "in.jsonl"
    rows = [
        {"id": "a", "customer_message": seeds.MICHAEL, "reply": seeds.FINTECH_REPLY},
        {"id": 7, "customer_message": seeds.MICHAEL, "reply": seeds.FINTECH_REWRITE, "context": []},
    ]
    batch.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["coach", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.output.splitlines()]
    assert [o["id"] for o in out] == ["a", "7"]
    assert out[0]["score"] < out[1]["score"]


def test_a_bad_batch_line_names_the_line_and_field(tmp_path: Path, cli_env: Path) -> None:
    batch = tmp_path / "in.jsonl"
    good = {"id": "a", "customer_message": "Hi", "reply": "Hello"}
    bad = {"id": "b", "customer_message": "Hi", "context": [{"direction": "sideways", "text": "x"}]}
    batch.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["coach", "--batch", str(batch), "--json"])
    assert result.exit_code == 1
    assert "line 2" in result.output
    assert "reply" in result.output
    assert '"id"' not in result.output  # nothing was coached


def test_missing_files_is_a_clear_error(tmp_path: Path, cli_env: Path) -> None:
    result = runner.invoke(
        app, ["coach", "--customer-file", str(tmp_path / "nope.txt"), "--reply-file", "x"]
    )
    assert result.exit_code == 1
    assert "no such file" in result.output


def test_catalogue_listing_for_managers(cli_env: Path) -> None:
    result = runner.invoke(app, ["coach", "--list-categories"])
    assert result.exit_code == 0
    assert "trust_appeal" in result.output
