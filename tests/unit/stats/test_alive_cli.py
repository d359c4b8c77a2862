"""``goodwill alive fit``, driven through a throwaway Typer app."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from goodwill.relationships.cli import register
from tests.unit.stats.conftest import CDNOW

RUNNER = CliRunner()


def _app() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Stand-in for the main CLI."""

    register(app)
    return app


def _summary_file() -> Path:
    path = CDNOW / "cdnow_customers_summary.csv"
    if not path.exists():
        pytest.skip(f"{path} is absent: set GOODWILL_DATA_DIR to the shared data folder")
    return path


def test_alive_fit_prints_bg_nbd_json_for_the_cdnow_summary() -> None:
    result = RUNNER.invoke(_app(), ["alive", "fit", "--summary", str(_summary_file()), "--json"])
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)
    assert fitted["model"] == "bgnbd"
    assert fitted["customers"] == 2357
    assert round(fitted["params"]["alpha"], 3) == 4.414
    assert fitted["standard_errors"]["b"] == pytest.approx(0.7053, abs=1e-4)
    assert round(fitted["log_likelihood"], 1) == -9582.4
    assert fitted["fit_seconds"] > 0


def test_alive_fit_prints_a_table_for_pareto_nbd() -> None:
    args = ["alive", "fit", "--summary", str(_summary_file()), "--model", "paretonbd"]
    result = RUNNER.invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert "beta" in result.stdout
    assert "10.5776" in result.stdout
    assert "log-likelihood -9594.97" in result.stdout


def test_alive_fit_reads_a_transaction_log(tmp_path: Path) -> None:
    sample = CDNOW / "CDNOW_sample.txt"
    if not sample.exists():
        pytest.skip(f"{sample} is absent: set GOODWILL_DATA_DIR to the shared data folder")
    rows = [line.split() for line in sample.read_text().splitlines()]
    log = tmp_path / "purchases.csv"
    log.write_text("Customer_ID,Date\n" + "".join(f"{row[1]},{row[2]}\n" for row in rows))
    args = ["alive", "fit", "--transactions", str(log), "--json"]
    result = RUNNER.invoke(_app(), [*args, "--calibration-period-end", "1997-09-30"])
    assert result.exit_code == 0, result.output
    fitted = json.loads(result.stdout)
    assert fitted["customers"] == 2357
    assert round(fitted["params"]["r"], 3) == 0.243
    assert round(fitted["log_likelihood"], 1) == -9582.4


def test_alive_fit_reports_a_model_that_does_not_converge(tmp_path: Path) -> None:
    path = tmp_path / "summary.csv"
    path.write_text("frequency,recency,T\n" + "0,0,10\n" * 30)
    result = RUNNER.invoke(_app(), ["alive", "fit", "--summary", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}: ")
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ID,frequency,recency,T\n1,2,30,38\n2,1,40,38\n", ":3: recency: must not exceed T"),
        ("ID,frequency,recency,T\n1,2,30,38\n2,one,4,38\n", ":3: frequency: not a number: 'one'"),
        ("ID,frequency,T\n1,2,38\n", ":1: recency: no such column"),
        ("ID,frequency,recency,T\n", ": file: no data rows"),
    ],
)
def test_alive_fit_reports_a_bad_summary_file_in_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "summary.csv"
    path.write_text(content)
    result = RUNNER.invoke(_app(), ["alive", "fit", "--summary", str(path)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {path}{message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_alive_fit_reports_a_bad_date_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "purchases.csv"
    for bad in ("2024-13-01", ""):
        path.write_text(f"customer_id,date\na,2024-01-01\nb,{bad}\n")
        result = RUNNER.invoke(_app(), ["alive", "fit", "--transactions", str(path)])
        assert result.exit_code == 1
        assert result.stderr == f"error: {path}:3: date: not a date: {bad!r}\n"


def test_alive_fit_needs_exactly_one_input() -> None:
    result = RUNNER.invoke(_app(), ["alive", "fit"])
    assert result.exit_code != 0
    assert "exactly one of --summary and --transactions" in result.output


def test_alive_fit_reports_a_calibration_end_before_every_purchase(tmp_path: Path) -> None:
    path = tmp_path / "purchases.csv"
    path.write_text("customer_id,date\na,2024-01-01\nb,20240105\n")
    args = ["alive", "fit", "--transactions", str(path), "--calibration-period-end", "2023-12-01"]
    result = RUNNER.invoke(_app(), args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {path}: calibration_period_end: falls before every transaction\n"
    )
