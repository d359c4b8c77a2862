import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from goodwill.messages.cli import register


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_batch_gives_one_json_line_per_input(app: typer.Typer, tmp_path: Path) -> None:
    lines = [
        {"id": 1, "text": "How do I close my account?", "direction": "inbound"},
        {
            "id": "b",
            "text": "I'll call you tomorrow.",
            "direction": "outbound",
            "sent_at": "2024-06-05T10:15:00+00:00",
        },
        {"id": "c", "text": "Merci beaucoup pour votre aide !"},
    ]
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in lines) + "\n\n")
    result = CliRunner().invoke(app, ["analyse", "--batch", str(batch), "--json"])
    assert result.exit_code == 0, result.output
    out = [json.loads(x) for x in result.output.splitlines()]
    assert [o["id"] for o in out] == [1, "b", "c"]
    assert "cancellation" in out[0]["intent"]
    assert out[1]["commitments"][0]["due_at"] == "2024-06-06T17:00:00+00:00"
    assert out[2]["language"] == "fr"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"id": 2, "direction": "inbound"}', "line 2: field 'text'"),
        ('{"id": 2, "text": "hi", "direction": "sideways"}', "line 2: field 'direction'"),
        ('{"id": 2, "text": "hi", "sent_at": "yesterday-ish"}', "line 2: field 'sent_at'"),
        ('{"id": 2, "text": ', "line 2: not valid JSON"),
        ("[1, 2]", "line 2: expected a JSON object"),
    ],
)
def test_a_bad_line_names_its_number_and_field(
    app: typer.Typer, tmp_path: Path, line: str, message: str
) -> None:
    batch = tmp_path / "in.jsonl"
    batch.write_text('{"id": 1, "text": "fine"}\n' + line + "\n")
    result = CliRunner().invoke(app, ["analyse", "--batch", str(batch), "--json"])
    assert result.exit_code == 2
    assert message in result.output
    assert '"id": 1' not in result.output  # nothing analysed before the input is known good


def test_one_text_is_shown_readably(app: typer.Typer) -> None:
    text = "Sorry for the delay, I will send the invoice by Friday."
    result = CliRunner().invoke(app, ["analyse", text, "--direction", "outbound"])
    assert result.exit_code == 0, result.output
    assert "commitments" in result.output
    assert "I will send the invoice by Friday" in result.output
    assert "apology" in result.output


def test_one_text_as_json_with_its_vector(app: typer.Typer) -> None:
    result = CliRunner().invoke(
        app, ["analyse", "Thanks a lot!", "--json", "--embedding", "static"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)
    assert summary["sentiment"]["label"] == "positive"
    assert len(summary["embedding"]["vector"]) == 256


def test_wrong_usage_is_one_clear_error(app: typer.Typer) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["analyse"]).exit_code == 2
    wrong = runner.invoke(app, ["analyse", "hi", "--direction", "up"])
    assert wrong.exit_code == 2
    assert "--direction" in wrong.output


def test_train_heads_without_data_fails_clearly(app: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["train-heads", "--data", str(tmp_path), "--out", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "GOODWILL_DATA_DIR" in result.output


def test_a_batch_over_two_processes_gives_the_same_answers_in_order(
    app: typer.Typer, tmp_path: Path
) -> None:
    texts = ["How do I close my account?", "I'll call you tomorrow.", "My card never arrived!"]
    lines = [
        {"id": i, "text": texts[i % 3], "sent_at": "2024-06-05T10:15:00+00:00"} for i in range(9)
    ]
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(json.dumps(x) for x in lines))

    one = CliRunner().invoke(app, ["analyse", "--batch", str(batch), "--json"])
    two = CliRunner().invoke(app, ["analyse", "--batch", str(batch), "--json", "--processes", "2"])

    assert two.exit_code == 0, two.output
    assert [json.loads(x)["id"] for x in two.output.splitlines()] == list(range(9))
    assert two.output == one.output
