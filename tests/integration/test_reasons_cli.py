"""`goodwill reasons train | classify | discover` on CSV files (no database needed)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from goodwill.cli import app
from tests.unit.test_reasons_discovery import TOPICS

runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(app, ["reasons", *args])


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    rows = [[text, reason] for reason, texts in TOPICS.items() for text in texts]
    return write(tmp_path / "examples.csv", ["text", "reason"], rows)


def test_train_then_classify_prints_one_json_line_per_row(examples: Path, tmp_path: Path) -> None:
    trained = run("train", "--examples", str(examples), "--out", str(tmp_path / "model"))
    assert trained.exit_code == 0, trained.output
    assert "24 examples of 3 reasons" in trained.stdout
    messages = write(
        tmp_path / "in.csv",
        ["id", "text"],
        [["a", "my parcel is late"], ["b", "refund please"], ["c", "forgot my password"]],
    )
    result = run("classify", "--model", str(tmp_path / "model"), "--input", str(messages), "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["row"] for line in lines] == [1, 2, 3]
    assert all(set(line) == {"row", "reason", "confidence"} for line in lines)
    for line, expected in zip(lines, ["delivery", "refund", "password"], strict=True):
        assert line["reason"] in (expected, "unknown")
        assert 0.0 < line["confidence"] <= 1.0


def test_discover_prints_a_cluster_and_label_per_row_or_a_table(examples: Path) -> None:
    result = run("discover", "--input", str(examples), "--k", "3", "--json")
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["row"] for line in lines] == list(range(1, 25))
    assert {line["cluster"] for line in lines} == {0, 1, 2}
    table = run("discover", "--input", str(examples))
    assert table.exit_code == 0, table.output
    assert "typical messages" in table.stdout
    assert "24 messages in" in table.stdout


def test_bad_files_are_refused_naming_file_line_and_field(tmp_path: Path) -> None:
    bad = write(tmp_path / "bad.csv", ["text", "reason"], [["ok", "a"], ["", "b"], ["x", ""]])
    result = run("train", "--examples", str(bad), "--out", str(tmp_path / "m"))
    assert result.exit_code == 1
    assert "bad.csv: line 3, field 'text': empty" in result.stderr
    assert "bad.csv: line 4, field 'reason': empty" in result.stderr
    no_text = write(tmp_path / "no_text.csv", ["body"], [["hello"]])
    result = run("discover", "--input", str(no_text))
    assert result.exit_code == 1
    assert "line 1, field 'text': missing column" in result.stderr
    result = run("classify", "--model", str(tmp_path / "none"), "--input", str(no_text))
    assert result.exit_code == 1
    assert "not a saved reason model" in result.stderr
    result = run("discover", "--input", str(bad), "--k", "many")
    assert result.exit_code == 1
    assert "--k: 'many'" in result.stderr


def test_help_states_the_row_convention() -> None:
    assert "1-based" in run("classify", "--help").stdout
    assert "1-based" in run("discover", "--help").stdout


def test_train_with_unlabelled_messages_says_whether_their_context_was_kept(
    examples: Path, tmp_path: Path
) -> None:
    pool = write(
        tmp_path / "pool.csv",
        ["text"],
        [["where is my parcel"], ["I want my money back"], ["cannot log in"]] * 4,
    )
    out = tmp_path / "model"
    trained = run(
        "train", "--examples", str(examples), "--out", str(out), "--unlabelled", str(pool)
    )
    assert trained.exit_code == 0, trained.output
    assert "context of 12 unlabelled messages" in trained.stdout
    messages = write(tmp_path / "in.csv", ["text"], [["my parcel is late"]])
    result = run("classify", "--model", str(out), "--input", str(messages), "--json")
    assert json.loads(result.stdout)["reason"] in ("delivery", "unknown")
    missing = run(
        "train", "--examples", str(examples), "--out", str(out), "--unlabelled", "nope.csv"
    )
    assert missing.exit_code == 1
    assert "nope.csv" in missing.output
