"""How fast the web pages answer on the demo organisation (2,000 customers, ~63,000
interactions): p50 and p95 per page, in-process through the ASGI app (no network), signed in as a
demo member. Target: under 300 ms at p95 for every page. Prints numbers, never passes or fails.
The app is built as `goodwill serve` builds it, startup objects frozen out of the garbage
collector (``server.freeze_startup_objects``; ``--no-freeze`` leaves them in, as before session
4). The machine is shared, so each page also gets the process's CPU time per request at p50 (what an
idle core would need, less I/O waits), and the last lines give the Quality pages' times relative
to the default board's in the same run (a ratio moves less with the load than a time does).

The demo database is copied first (the original is not written to) and the copy brought to the
current schema:

    GOODWILL_HOME=/tmp/gw-demo goodwill demo --build-only
    .venv/bin/python bench/web_pages.py --demo /tmp/gw-demo/goodwill.sqlite3 --runs 30
    .venv/bin/python bench/web_pages.py --only 'Quality|Board'   # only the pages whose name matches
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
from goodwill.server import freeze_startup_objects

PASSWORD = "goodwill-demo-2026"  # the demo's published password (goodwill demo prints it)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'href="/relationships/([0-9a-f-]{36})"')
REASON = re.compile(r'href="/reasons/([0-9a-f-]{36})"')
IDEA = re.compile(r'href="/feedback/ideas/([0-9a-f-]{36})"')
FRAMEWORK = re.compile(r'href="/frameworks/([0-9a-f-]{36})"')
REFERENCE = "Board (default)"  # the page the Quality pages are compared with in each run


def sign_in(client: TestClient, email: str) -> None:
    found = TOKEN.search(client.get("/login").text)
    assert found is not None
    data = {"email": email, "password": PASSWORD, "csrf_token": found.group(1)}
    answer = client.post("/login", data=data, follow_redirects=False)
    assert answer.status_code == 303, f"sign-in as {email} failed: {answer.status_code}"


Times = tuple[list[float], list[float]]  # wall clock and CPU, ms per request


def timed(client: TestClient, path: str, runs: int) -> Times:
    for _ in range(2):  # warm caches (templates, SQLite pages)
        client.get(path)
    times: Times = ([], [])
    for _ in range(runs):
        start, cpu = time.perf_counter(), time.process_time()
        answer = client.get(path)
        times[0].append((time.perf_counter() - start) * 1000)
        times[1].append((time.process_time() - cpu) * 1000)
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


def timed_coach(client: TestClient, runs: int) -> Times:
    """The JSON coach as the coach page calls it while the operator types."""
    token = TOKEN.search(client.get("/coach").text)
    assert token is not None
    body = {
        "customer_message": "My card was charged twice and nobody answers. I am furious!",
        "reply": "As per our policy, please read our FAQ. Thank you for your patience.",
    }
    headers = {"x-csrf-token": token.group(1)}
    times: Times = ([], [])
    for i in range(runs + 2):
        start, cpu = time.perf_counter(), time.process_time()
        answer = client.post("/api/v1/coach", json=body, headers=headers)
        if i >= 2:
            times[0].append((time.perf_counter() - start) * 1000)
            times[1].append((time.process_time() - cpu) * 1000)
        assert answer.status_code == 200, answer.text
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--demo", type=Path, default=Path("/tmp/gw-demo/goodwill.sqlite3"))
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--email", default="maria.lopez@northwind.example")
    parser.add_argument("--only", type=re.compile, help="time the pages whose name matches")
    parser.add_argument("--no-freeze", action="store_true", help="leave startup objects in the GC")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "goodwill.sqlite3"
        shutil.copyfile(args.demo, copy)
        migrations.upgrade(make_engine(f"sqlite:///{copy}"))  # a demo built before new tables
        settings = Settings(
            home=Path(tmp), database_url=f"sqlite:///{copy}", secret_key="bench-" + "x" * 26
        )
        app = create_app(settings=settings)
        if not args.no_freeze:
            freeze_startup_objects()
        with TestClient(app) as client:
            sign_in(client, args.email)
            print(
                f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores; "
                f"{args.runs} runs per page after 2 warm-ups; signed in as {args.email}; "
                f"startup objects {'in the GC' if args.no_freeze else 'frozen'}"
            )
            print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'cpu p50':>8}")
            found: dict[str, Times] = {}
            for name, path in pages(client):
                if args.only is None or args.only.search(name):
                    found[name] = timed(client, path, args.runs)
                    show(name, found[name])
            if args.only is None or args.only.search("coach"):
                show("POST /api/v1/coach (as typed)", timed_coach(client, args.runs))
            relative(found)


def show(name: str, times: Times) -> None:
    wall, cpu = times
    print(
        f"{name:32} {statistics.median(wall):8.0f} {p95(wall):8.0f} {max(wall):8.0f} "
        f"{statistics.median(cpu):8.0f}"
    )


def relative(found: dict[str, Times]) -> None:
    """Each Quality page's p50 and p95 as a multiple of the reference page's, same run."""
    if REFERENCE not in found:
        return
    base = found[REFERENCE][0]
    for name, (times, _) in found.items():
        if name.startswith("Quality"):
            p50 = statistics.median(times) / statistics.median(base)
            print(f"{name} / {REFERENCE}: {p50:.1f}x at p50, {p95(times) / p95(base):.1f}x at p95")


if __name__ == "__main__":
    main()
