"""`goodwill import` on a real SQLite file: folders, refused files, and a SIGKILL mid-import."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from goodwill.imports.rows import Kind
from tests.factories.imports import (
    CliEnv,
    cli_home,
    customer_rows,
    interaction_rows,
    thread_messages,
    write_csv,
    write_jsonl,
    write_mbox,
)


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliEnv]:
    with cli_home(tmp_path, monkeypatch) as env:
        yield env


def test_a_folder_is_imported_in_dependency_order_one_file_at_a_time(
    cli: CliEnv, tmp_path: Path
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    write_mbox(folder / "mail.mbox", thread_messages(12, customers=3))
    write_csv(folder / "interactions.csv", Kind.INTERACTIONS, interaction_rows(50, customers=5))
    write_csv(folder / "customers.csv", Kind.CUSTOMERS, customer_rows(5))
    write_jsonl(folder / "accounts.jsonl", [{"external_id": "A-1", "name": "Foo"}])
    result = cli.run("import", str(folder), "--json")
    assert result.exit_code == 0, result.stderr
    results = json.loads(result.stdout)
    assert [r["source"] for r in results] == [
        "accounts.jsonl",
        "customers.csv",
        "interactions.csv",
        "mail.mbox",
    ]
    assert [r["created"]["interactions"] for r in results] == [0, 0, 50, 12]
    again = cli.run("import", str(folder / "interactions.csv"))
    assert again.exit_code == 0
    assert "interactions.csv: imported nothing new; 50 already known, skipped" in again.stdout


def test_a_refused_file_prints_every_bad_row_and_exits_1(cli: CliEnv, tmp_path: Path) -> None:
    rows = list(interaction_rows(20, customers=1))
    rows[1]["occurred_at"] = "2026-13-01"
    rows[7]["kind"] = "letter"
    path = write_csv(tmp_path / "interactions.csv", Kind.INTERACTIONS, rows)
    cli.run("import", str(write_csv(tmp_path / "customers.csv", Kind.CUSTOMERS, customer_rows(1))))
    result = cli.run("import", str(path))
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "error: interactions.csv: 2 bad row(s), nothing imported",
        "  interactions.csv: line 3, field 'occurred_at': '2026-13-01' is not an ISO 8601 time "
        "(e.g. 2026-03-01T14:05:00Z)",
        "  interactions.csv: line 9, field 'kind': 'letter' is not one of: billing, call, "
        "meeting, message, note, purchase, survey, usage",
    ]
    assert cli.count_interactions() == (0, 0)


def test_unknown_kind_and_missing_file_are_one_clear_line(cli: CliEnv, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "data.jsonl", [])
    result = cli.run("import", str(path), "--kind", "widgets")
    assert result.exit_code == 1
    assert "unknown kind 'widgets'" in result.stderr
    result = cli.run("import", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr


KILL_ROWS = 100_000


def _wait_for_writes(proc: subprocess.Popen[bytes], wal: Path, timeout: float) -> None:
    """Until the import has written at least 4 MB of uncommitted pages to the WAL."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 4 * 1024 * 1024:
            return
        time.sleep(0.02)
    raise AssertionError("the import finished or stalled before it could be killed")


@pytest.mark.slow
def test_a_killed_import_leaves_nothing_and_a_rerun_stores_each_row_once(
    cli: CliEnv, tmp_path: Path
) -> None:
    customers = write_csv(tmp_path / "customers.csv", Kind.CUSTOMERS, customer_rows(500))
    assert cli.run("import", str(customers)).exit_code == 0
    path = write_csv(
        tmp_path / "interactions.csv",
        Kind.INTERACTIONS,
        interaction_rows(KILL_ROWS, customers=500),
    )
    command = [sys.executable, "-c", "from goodwill.cli import app; app()", "import", str(path)]
    # this test is about the import's atomicity: analysing the messages afterwards is not timed
    env = os.environ | cli.env | {"GOODWILL_ANALYSE_ON_INGEST": "false"}
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_writes(proc, Path(f"{cli.database}-wal"), timeout=60)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert cli.count_interactions() == (0, 0)
    rerun = subprocess.run(command, env=env, capture_output=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stderr.decode()
    assert cli.count_interactions() == (KILL_ROWS, KILL_ROWS)
