"""How long pages and API reads take on a large organisation, one request after another.

The app runs in-process (Starlette's TestClient, no network), signed in as a demo member (pages)
and with an API token (paths under /api). Each path gets one first request (shown apart: caches
and snapshots warm up there), then ``--runs`` timed ones: median, p95, max and the load average.
Prints numbers, never passes or fails. On PostgreSQL bound every statement so nothing runs away
(``PGOPTIONS="-c statement_timeout=120s"``)::

    export GOODWILL_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/gw_scale
    GW_TOKEN=$(goodwill users create-token maria.lopez@northwind.example) \\
    PGOPTIONS="-c statement_timeout=120s" .venv/bin/python bench/scale_reads.py --runs 10 \\
        /relationships "/relationships?owner=me" /quality "/quality?group_by=team" \\
        /api/v1/quality/metrics
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient

from goodwill.config import Settings
from goodwill.main import create_app
from goodwill.server import freeze_startup_objects

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
DEMO_PASSWORD = "goodwill-demo-2026"


def _sign_in(client: TestClient, email: str, password: str) -> None:
    found = CSRF.search(client.get("/login").text)
    if found is None:
        raise SystemExit("the login page has no CSRF token")
    data = {"email": email, "password": password, "csrf_token": found.group(1)}
    answer = client.post("/login", data=data, follow_redirects=False)
    if answer.status_code != 303:
        raise SystemExit(f"sign-in as {email} failed: {answer.status_code}")


def _p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="pages, or API paths under /api")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--url", default=os.environ.get("GOODWILL_DATABASE_URL"))
    parser.add_argument("--email", default="maria.lopez@northwind.example")
    parser.add_argument("--password", default=DEMO_PASSWORD)
    parser.add_argument("--token", default=os.environ.get("GW_TOKEN"), help="API token")
    args = parser.parse_args()
    if not args.url:
        parser.error("--url or GOODWILL_DATABASE_URL: the database to read")
    if any(p.startswith("/api") for p in args.paths) and not args.token:
        parser.error("API paths need --token or GW_TOKEN (goodwill users create-token EMAIL)")
    with tempfile.TemporaryDirectory() as home:
        settings = Settings(home=Path(home), database_url=args.url, secret_key="bench-" + "x" * 26)
        app = create_app(settings=settings)
        freeze_startup_objects()
        with TestClient(app) as client:
            _sign_in(client, args.email, args.password)
            for path in args.paths:
                api = path.startswith("/api")
                headers = {"Authorization": f"Bearer {args.token}"} if api else {}
                times = []
                for i in range(args.runs + 1):
                    started = time.perf_counter()
                    answer = client.get(path, headers=headers)
                    ms = (time.perf_counter() - started) * 1000
                    if answer.status_code != 200:
                        raise SystemExit(f"{path}: {answer.status_code} {answer.text[:300]}")
                    if i == 0:
                        print(f"{path}: first {ms:.0f} ms", flush=True)
                    else:
                        times.append(ms)
                print(
                    f"{path}: n={len(times)} median {statistics.median(times):.0f} ms "
                    f"p95 {_p95(times):.0f} ms max {max(times):.0f} ms; "
                    f"load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
