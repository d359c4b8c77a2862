"""How fast the web pages answer on the demo organisation (2,000 customers, ~63,000
interactions): p50 and p95 per page, in-process through the ASGI app (no network), signed in as a
demo member. Target: under 300 ms at p95 for every page. Prints numbers, never passes or fails.

The demo database is copied first (the original is not written to) and the copy brought to the
current schema:

    GOODWILL_HOME=/tmp/gw-demo goodwill demo --build-only
    .venv/bin/python bench/web_pages.py --demo /tmp/gw-demo/goodwill.sqlite3 --runs 30
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from goodwill import migrations
from goodwill.config import Settings
from goodwill.database import make_engine
from goodwill.main import create_app

PASSWORD = "goodwill-demo-2026"  # the demo's published password (goodwill demo prints it)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'href="/relationships/([0-9a-f-]{36})"')
REASON = re.compile(r'href="/reasons/([0-9a-f-]{36})"')
IDEA = re.compile(r'href="/feedback/ideas/([0-9a-f-]{36})"')
FRAMEWORK = re.compile(r'href="/frameworks/([0-9a-f-]{36})"')


def sign_in(client: TestClient, email: str) -> None:
    found = TOKEN.search(client.get("/login").text)
    assert found is not None
    data = {"email": email, "password": PASSWORD, "csrf_token": found.group(1)}
    answer = client.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303, f"sign-in as {email} failed: {answer.status_code}"


def timed(client: TestClient, path: str, runs: int) -> list[float]:
    for _ in range(2):  # warm caches (templates, SQLite pages)
        client.get(path)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        answer = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, f"{path}: {answer.status_code}"
    return times


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20, method="inclusive")[-1]


def pages(client: TestClient) -> list[tuple[str, str]]:
    board = client.get("/relationships?sort=health&dir=asc").text
    ids = list(dict.fromkeys(LINK.findall(board)))
    return [
        ("Today", "/"),
        ("Board (default)", "/relationships"),
        ("Board sorted by trust", "/relationships?sort=trust&dir=asc"),
        ("Board filtered", "/relationships?owner=me&health_max=60&quiet_days=30&sort=name"),
        ("Board page 20", "/relationships?page=20"),
        ("Relationship (lowest health)", f"/relationships/{ids[0]}"),
        ("Relationship (another)", f"/relationships/{ids[len(ids) // 2]}"),
        *work_pages(client),
    ]


def work_pages(client: TestClient) -> list[tuple[str, str]]:
    """The second part's pages: the busiest reason and the first idea of the board."""
    reasons = REASON.findall(client.get("/reasons").text)
    ideas = IDEA.findall(client.get("/feedback").text)
    found = [
        ("Coach (empty form)", "/coach"),
        ("Reasons (grid, 30 days)", "/reasons"),
        ("Reasons (grid, 365 days)", "/reasons?from=2025-12-04"),
        ("Feedback board", "/feedback"),
        ("Quality (by member)", "/quality"),
        ("Quality (by team)", "/quality?group_by=team"),
        ("Settings", "/settings"),
        ("Frameworks library", "/frameworks"),
        ("Framework outcomes (30 days)", "/frameworks/outcomes?days=30"),
    ]
    if reasons:
        found.append(("Reason page (first on the grid)", f"/reasons/{reasons[0]}"))
    if ideas:
        found.append(("Idea page (newest)", f"/feedback/ideas/{ideas[0]}"))
    frameworks = FRAMEWORK.findall(client.get("/frameworks").text)
    if frameworks:
        found.append(("Framework editor", f"/frameworks/{frameworks[0]}"))
    return found


def timed_coach(client: TestClient, runs: int) -> list[float]:
    """The JSON coach as the coach page calls it while the operator types."""
    token = TOKEN.search(client.get("/coach").text)
    assert token is not None
    body = {
        "customer_message": "My card was charged twice and nobody answers. I am furious!",
        "reply": "As per our policy, please read our FAQ. Thank you for your patience.",
    }
    headers = {"x-csrf-token": token.group(1)}
    times = []
    for i in range(runs + 2):
        start = time.perf_counter()
        answer = client.post("/api/v1/coach", json=body, headers=headers)
        if i >= 2:
            times.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", type=Path, default=Path("/tmp/gw-demo/goodwill.sqlite3"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--email", default="maria.lopez@northwind.example")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "goodwill.sqlite3"
        shutil.copyfile(args.demo, copy)
        migrations.upgrade(make_engine(f"sqlite:///{copy}"))  # a demo built before new tables
        settings = Settings(
            home=Path(tmp), database_url=f"sqlite:///{copy}", secret_key="bench-" + "x" * 26
        )
        with TestClient(create_app(settings=settings)) as client:
            sign_in(client, args.email)
            print(
                f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
                f"{args.runs} runs per page after 2 warm-ups; signed in as {args.email}"
            )
            print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
            for name, path in pages(client):
                times = timed(client, path, args.runs)
                print(
                    f"{name:32} {statistics.median(times):8.0f} {p95(times):8.0f} {max(times):8.0f}"
                )
            times = timed_coach(client, args.runs)
            name = "POST /api/v1/coach (as typed)"
            print(f"{name:32} {statistics.median(times):8.0f} {p95(times):8.0f} {max(times):8.0f}")


if __name__ == "__main__":
    main()
