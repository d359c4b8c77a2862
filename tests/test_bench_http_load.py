"""bench/http_load.py against a real `goodwill serve` process on loopback: a small SQLite
organisation (an admin with an API token, three customers with 0, 1 and 2 messages), loaded with
its default mix of API GETs and signed-in pages, then with a paths file."""

from __future__ import annotations

import concurrent.futures
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from goodwill import migrations, tenancy
from goodwill.database import make_engine
from tests.bench_support import load_bench
from tests.factories.customers import make_customer
from tests.factories.interactions import make_interaction
from tests.factories.organisations import PASSWORD, OrgContext, make_organisation

pytestmark = pytest.mark.slow  # `goodwill serve` takes seconds to start (its imports)


http_load = load_bench("http_load")


@dataclass(frozen=True)
class Served:
    base_url: str
    org: OrgContext
    busiest_customer_id: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _organisation(engine: Engine) -> tuple[OrgContext, str]:
    """The organisation and the id of its customer with most messages."""
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    tenancy.install(factory)
    org = make_organisation(factory, "Acme Money")
    busiest = ""
    for messages in range(3):
        customer = make_customer(factory, org)
        for i in range(messages):
            make_interaction(factory, org, customer_id=customer.id, body=f"Message {i}, please.")
        busiest = str(customer.id)
    return org, busiest


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("http-load")
    engine = make_engine(f"sqlite:///{home / 'goodwill.sqlite3'}")
    migrations.upgrade(engine)  # before the server starts, so that it finds nothing to migrate
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_")}
    env |= {"GOODWILL_HOME": str(home), "GOODWILL_SECRET_KEY": "http-load-test-" + "x" * 20}
    with (home / "serve.log").open("wb") as log:
        proc = subprocess.Popen(
            # two server processes, as in production (`--workers`: uvicorn's app factory)
            [sys.executable, "-m", "goodwill.cli", "serve", "--port", str(port), "--workers", "2"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        org, busiest = _organisation(engine)  # while the server starts (its imports take seconds)
        engine.dispose()
        deadline = time.monotonic() + 90
        while True:
            try:
                httpx.get(f"{base_url}/health", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"goodwill serve did not start: {(home / 'serve.log').read_text()}")
                time.sleep(0.1)
        yield Served(base_url, org, busiest)
    finally:
        proc.terminate()  # the supervisor stops its workers, gracefully: it may take a while
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _main(argv: list[str]) -> dict[str, Any]:
    """http_load's main in a thread of its own: its ``asyncio.run`` needs a thread without a
    running event loop, which the main thread may not be after other tests (browser, anyio)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        found: dict[str, Any] = pool.submit(http_load.main, argv).result()
    return found


def _ordered(row: dict[str, Any]) -> bool:
    least = min(row["times_ms"]) if "times_ms" in row else row["p50_ms"]
    return bool(least <= row["p50_ms"] <= row["p95_ms"] <= row["p99_ms"] <= row["max_ms"])


def _load(served: Served, *args: str) -> dict[str, Any]:
    """http_load's main against the test server, with the admin's API token."""
    found: dict[str, Any] = _main(
        ["--base-url", served.base_url, "--token", served.org.token, *args]
    )
    return found


def test_default_mix_counts_add_up_with_ordered_percentiles(
    served: Served, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "load.json"
    found = _load(
        served,
        *("--email", served.org.admin_email, "--password", PASSWORD),
        *("--concurrency", "4", "--requests", "50", "--duration", "60", "--warmup", "14"),
        *("--json", str(out)),
    )
    targets = found["targets"]
    assert {t["kind"] for t in targets} == {"api", "page"}
    assert found["overall"]["requests"] == 50
    assert found["overall"]["errors"] == 0, [t["messages"] for t in targets]
    assert sum(t["requests"] for t in targets) == 50
    assert sum(row["requests"] for row in found["by_kind"].values()) == 50
    assert all(len(t["times_ms"]) == t["requests"] for t in targets)
    counts = [t["requests"] for t in targets]
    assert max(counts) - min(counts) <= 1  # the targets in turn
    assert all(_ordered(row) for row in [*targets, *found["by_kind"].values(), found["overall"]])
    interactions = next(t for t in targets if t["name"] == "its interactions")
    assert interactions["path"].endswith(f"customer_id={served.busiest_customer_id}")
    assert json.loads(out.read_text()) == json.loads(json.dumps(found))
    printed = capsys.readouterr().out
    assert "| **all** |  | 50 | 0 |" in printed
    assert f"{os.cpu_count()} cores; load average" in printed


def test_paths_file_with_api_only(served: Served, tmp_path: Path) -> None:
    paths = tmp_path / "paths.txt"
    paths.write_text("# the cheapest two\n/health\n\n/api/v1/me\n/relationships\n")
    found = _load(
        served, "--api-only", "--paths-file", str(paths), "--requests", "10", "--warmup", "0"
    )
    assert [(t["path"], t["requests"], t["errors"]) for t in found["targets"]] == [
        ("/health", 5, 0),
        ("/api/v1/me", 5, 0),
    ]


def test_a_time_cap_stops_the_load(served: Served) -> None:
    found = _load(served, "--api-only", "--duration", "0.5", "--warmup", "0", "--concurrency", "2")
    assert found["wall_s"] >= 0.5
    assert found["overall"]["requests"] > 0
    assert found["overall"]["errors"] == 0


def test_errors_are_counted_with_their_first_messages(served: Served, tmp_path: Path) -> None:
    paths = tmp_path / "paths.txt"
    paths.write_text("/api/v1/relationships/00000000-0000-0000-0000-000000000000\n")
    found = _load(
        served, "--paths-file", str(paths), "--requests", "6", "--warmup", "0", "--concurrency", "2"
    )
    assert (found["overall"]["requests"], found["overall"]["errors"]) == (6, 6)
    assert found["overall"]["p50_ms"] is None
    assert len(found["targets"][0]["messages"]) == 3
    assert found["targets"][0]["messages"][0].startswith("404 ")


def test_a_wrong_password_stops_before_any_load(
    served: Served, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        _main(
            [
                *("--base-url", served.base_url, "--email", served.org.admin_email),
                *("--password", "not the password", "--requests", "5"),
            ]
        )
    assert stopped.value.code == 2
    assert f"sign-in as {served.org.admin_email} refused (status 401)" in capsys.readouterr().err


def test_a_bad_paths_file_names_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = tmp_path / "paths.txt"
    paths.write_text("/health\n\napi/v1/me\n")
    with pytest.raises(SystemExit):
        _main(["--token", "gw_x", "--paths-file", str(paths)])
    assert f"{paths}:3: expected one path starting with '/', got 'api/v1/me'" in (
        capsys.readouterr().err
    )


def test_no_server_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _main(["--base-url", f"http://127.0.0.1:{_free_port()}", "--token", "gw_x"])
    assert "ConnectError" in capsys.readouterr().err
