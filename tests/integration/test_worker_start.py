"""A worker started while the database cannot be reached waits for it instead of exiting (found
by the PostgreSQL restart test on a slow run: the worker's start-up fell inside the outage)."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from goodwill.config import Settings
from goodwill.jobs import cli as jobs_cli


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # closed again when the socket goes: nothing listens


def test_a_worker_waits_for_an_unreachable_database_until_stopped(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://postgres@127.0.0.1:{_closed_port()}/goodwill"
    settings = Settings(home=tmp_path, database_url=url)
    stop = threading.Event()
    threading.Timer(2.5, stop.set).start()  # two tries, one and two seconds apart, then stopped
    assert jobs_cli._database(settings, stop) is None


def test_a_worker_on_a_reachable_database_starts_at_once(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, database_url=f"sqlite:///{tmp_path / 'goodwill.sqlite3'}")
    factory = jobs_cli._database(settings, threading.Event())
    assert factory is not None
    factory.kw["bind"].dispose()


def test_a_database_fault_that_is_not_an_outage_is_raised(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_settings: Settings) -> None:
        raise ValueError("a bug, not an outage")

    monkeypatch.setattr(jobs_cli, "session_factory", broken)
    with pytest.raises(ValueError, match="a bug"):
        jobs_cli._database(Settings(home=tmp_path), threading.Event())
