"""API and page latency under concurrent load, from a process of its own, against a Goodwill
server already listening (issue 9). A fixed pool of workers sends GETs over keep-alive
connections, the targets in turn, until ``--requests`` or ``--duration`` (whichever comes first),
after ``--warmup`` requests that are not counted. Per target, per kind and overall: requests,
errors (not 2xx, or no answer), p50/p95/p99 and max in ms of the successful requests, requests per
second; with the load average at start and end, the cores and this process's CPU time (it competes
with the server on a shared machine). Prints numbers, never fails on them.

Default targets, for the relationship with most interactions on the list's first page: API GETs
(relationships list and its page 2, the relationship, its interactions and trust, reasons, the
Value Irritant Grid, quality metrics, /health) and pages (/, the board, the relationship,
/reasons, /quality). ``--paths-file``: one path per line instead (/api/v1/... and /health are
API, the rest pages). The API uses ``--token``, else the session; pages need ``--email`` and
``--password`` (or GOODWILL_LOAD_PASSWORD).

    GOODWILL_HOME=/tmp/demo goodwill serve --port 8765 &
    TOKEN=$(GOODWILL_HOME=/tmp/demo goodwill users create-token maria.lopez@northwind.example)
    .venv/bin/python bench/http_load.py --base-url http://127.0.0.1:8765 --token "$TOKEN" \\
        --email maria.lopez@northwind.example --password goodwill-demo-2026 --duration 60
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import httpx

API = "/api/v1"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
KEPT_MESSAGES = 3  # error messages kept per target
Kind = Literal["api", "page"]
KIND_NAMES: dict[Kind, str] = {"api": "API", "page": "pages"}
Clients = dict[Kind, httpx.AsyncClient]  # who sends each kind: the token's or the session's


class LoadError(Exception):
    """Bad input or a server that cannot be loaded: one sentence saying what and where."""


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    kind: Kind


@dataclass
class Tally:
    """One target's measured requests: latencies of the successful ones, and the errors."""

    times_ms: list[float] = field(default_factory=list)
    errors: int = 0
    messages: list[str] = field(default_factory=list)

    def error(self, message: str) -> None:
        self.errors += 1
        if len(self.messages) < KEPT_MESSAGES:
            self.messages.append(message)


@dataclass(frozen=True)
class Plan:
    base_url: str
    token: str | None
    login: tuple[str, str] | None  # e-mail and password, to sign in
    concurrency: int
    requests: int | None
    duration: float | None
    warmup: int
    kinds: frozenset[Kind]
    paths: tuple[Target, ...] | None  # from --paths-file; None: the default mix


def mix(relationship: dict[str, Any], cursor: str | None) -> list[Target]:
    """The default targets (their order is the order they are sent in)."""
    rid, one = relationship["id"], f"{API}/relationships/{relationship['id']}"
    page_two = [("relationships list, page 2", f"{API}/relationships?limit=50&cursor={cursor}")]
    api = [
        ("relationships list", f"{API}/relationships?limit=50"),
        *(page_two if cursor is not None else []),
        ("relationship", one),
        ("its interactions", f"{API}/interactions?customer_id={relationship['customer_id']}"),
        ("its trust", f"{one}/trust"),
        ("reasons", f"{API}/reasons"),
        ("reasons grid (VIG)", f"{API}/reasons/grid"),
        ("quality metrics", f"{API}/quality/metrics"),
        ("health", "/health"),
    ]
    pages = [("Today", "/"), ("Board", "/relationships"), ("Relationship", f"/relationships/{rid}")]
    pages += [("Reasons", "/reasons"), ("Quality", "/quality")]
    return [Target(n, p, "api") for n, p in api] + [Target(n, p, "page") for n, p in pages]


def read_paths(path: Path, kinds: set[Kind]) -> tuple[Target, ...]:
    """The targets of a --paths-file, those of ``kinds`` only."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise LoadError(f"--paths-file {path}: {exc.strerror}") from None
    found = []
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if not line.startswith("/") or any(c.isspace() for c in line):
            raise LoadError(f"{path}:{number}: expected one path starting with '/', got {line!r}")
        kind: Kind = "api" if line.startswith(API + "/") or line == "/health" else "page"
        found.append(Target(line, line, kind))
    if not (chosen := tuple(t for t in found if t.kind in kinds)):
        raise LoadError(f"{path}: no path of the kinds asked for, {sorted(kinds)} (# comments)")
    return chosen


async def sign_in(client: httpx.AsyncClient, email: str, password: str) -> None:
    """Sign in through the /login form, so the client keeps the session cookie."""
    form = await client.get("/login")
    found = CSRF.search(form.text)
    if form.status_code != 200 or found is None:
        raise LoadError(f"{client.base_url}login: no sign-in form (status {form.status_code})")
    data = {"email": email, "password": password, "csrf_token": found.group(1)}
    answer = await client.post("/login", data=data)
    if answer.status_code != 303:
        raise LoadError(f"sign-in as {email} refused (status {answer.status_code})")
    # a light page (the coach's form) proves the session, whatever the organisation's size
    if (page := await client.get("/coach")).status_code != 200:
        cause = "the session cookie was not kept (GOODWILL_SECURE_COOKIES over plain http?)"
        raise LoadError(f"signed in as {email} but /coach answers {page.status_code}: {cause}")


async def discover(api: httpx.AsyncClient, kinds: frozenset[Kind]) -> list[Target]:
    """The default targets, with the relationship that has most interactions on page one."""
    answer = await api.get(f"{API}/relationships?limit=50")
    if answer.status_code != 200:
        raise LoadError(f"GET {answer.url}: status {answer.status_code}: {answer.text[:200]}")
    first = answer.json()
    if not first["items"]:
        raise LoadError("the organisation has no relationships: nothing to load")
    chosen = max(first["items"], key=lambda r: r["interaction_count"])
    return [t for t in mix(chosen, first["next_cursor"]) if t.kind in kinds]


async def timed_get(client: httpx.AsyncClient, target: Target, tally: Tally) -> None:
    start = time.perf_counter()
    try:
        answer = await client.get(target.path)
    except httpx.HTTPError as exc:
        tally.error(f"{type(exc).__name__}: {exc}")
        return
    elapsed_ms = (time.perf_counter() - start) * 1000
    if 200 <= answer.status_code < 300:
        tally.times_ms.append(elapsed_ms)
    else:
        where = answer.headers.get("location")
        body = f"-> {where}" if where else answer.text[:160].replace("\n", " ")
        tally.error(f"{answer.status_code} {body}")


@dataclass
class Measured:
    tallies: dict[Target, Tally]
    wall_s: float
    cpu_s: float  # this process's, to see what the load generator took from the machine
    load_start: tuple[float, float, float]
    load_end: tuple[float, float, float]


async def hammer(
    clients: Clients, targets: list[Target], workers: int, count: int | None, seconds: float | None
) -> Measured:
    """``workers`` tasks send the targets in turn until ``count`` requests or ``seconds``;
    requests in flight at the deadline finish and count."""
    tallies = {t: Tally() for t in targets}
    issued = 0
    load_start, cpu, start = os.getloadavg(), time.process_time(), time.perf_counter()
    deadline = start + seconds if seconds is not None else math.inf

    async def worker() -> None:
        nonlocal issued
        while (count is None or issued < count) and time.perf_counter() < deadline:
            target = targets[issued % len(targets)]
            issued += 1
            await timed_get(clients[target.kind], target, tallies[target])

    await asyncio.gather(*(worker() for _ in range(workers)))
    wall_s, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    return Measured(tallies, wall_s, cpu_s, load_start, os.getloadavg())


def percentiles(times: Sequence[float]) -> tuple[float, float, float] | None:
    """p50, p95 and p99 (inclusive method, as the other benches); None without a time."""
    if not times:
        return None
    if len(times) == 1:
        return times[0], times[0], times[0]
    cuts = statistics.quantiles(times, n=100, method="inclusive")
    return cuts[49], cuts[94], cuts[98]


def summary(tallies: Sequence[Tally], wall_s: float) -> dict[str, Any]:
    times = [t for tally in tallies for t in tally.times_ms]
    errors = sum(tally.errors for tally in tallies)
    requests, cuts = len(times) + errors, percentiles(times)
    return {
        "requests": requests,
        "ok": len(times),
        "errors": errors,
        "p50_ms": cuts[0] if cuts else None,
        "p95_ms": cuts[1] if cuts else None,
        "p99_ms": cuts[2] if cuts else None,
        "max_ms": max(times) if times else None,
        "throughput_rps": requests / wall_s if wall_s > 0 else None,
    }


def client(plan: Plan, token: str | None) -> httpx.AsyncClient:
    limits = httpx.Limits(
        max_connections=plan.concurrency, max_keepalive_connections=plan.concurrency
    )
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.AsyncClient(base_url=plan.base_url, headers=headers, limits=limits, timeout=60)


async def prepare(plan: Plan, clients: Clients) -> list[Target]:
    """Sign in (for the pages, and the API without a token), then find the targets."""
    if plan.login is not None:
        await sign_in(clients["page"], *plan.login)
    if plan.paths is not None:
        return list(plan.paths)
    return await discover(clients["api"], plan.kinds)


async def run(plan: Plan) -> dict[str, Any]:
    """Warm up, load, and answer the report (every number, the raw times included)."""
    async with client(plan, None) as pages, client(plan, plan.token) as api:
        clients: Clients = {"api": api if plan.token else pages, "page": pages}
        try:
            targets = await prepare(plan, clients)
        except httpx.HTTPError as exc:
            raise LoadError(f"{plan.base_url}: {type(exc).__name__}: {exc}") from None
        n = plan.concurrency
        warm = await hammer(clients, targets, n, plan.warmup, None)
        found = await hammer(clients, targets, n, plan.requests, plan.duration)
    return report(plan, found, warm)


def report(plan: Plan, found: Measured, warm: Measured) -> dict[str, Any]:
    wall_s = found.wall_s
    rows = [
        {"name": t.name, "path": t.path, "kind": t.kind, **summary([tally], wall_s)}
        | {"messages": tally.messages, "times_ms": tally.times_ms}
        for t, tally in found.tallies.items()
    ]
    by_kind = {
        kind: summary([v for t, v in found.tallies.items() if t.kind == kind], wall_s)
        for kind in KIND_NAMES
        if any(t.kind == kind for t in found.tallies)
    }
    return {
        "base_url": plan.base_url,
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"processor": platform.processor() or platform.machine()}
        | {"cores": os.cpu_count(), "python": platform.python_version()},
        "load_average": {"start": list(found.load_start), "end": list(found.load_end)},
        "settings": {"concurrency": plan.concurrency, "requests_cap": plan.requests}
        | {"duration_cap_s": plan.duration, "warmup": plan.warmup},
        "api_auth": "token" if plan.token else "session",
        "warmup_errors": sum(t.errors for t in warm.tallies.values()),
        "wall_s": wall_s,
        "client_cpu_s": found.cpu_s,
        "targets": rows,
        "by_kind": by_kind,
        "overall": summary(list(found.tallies.values()), wall_s),
    }


def markdown(found: dict[str, Any]) -> str:
    s, machine, load = found["settings"], found["machine"], found["load_average"]
    start, end = (" / ".join(f"{v:.2f}" for v in load[k]) for k in ("start", "end"))
    caps = f"{s['requests_cap'] or 'no'} request cap, {s['duration_cap_s'] or 'no'} s cap"
    lines = [
        f"{found['base_url']}, {found['finished_at']}: concurrency {s['concurrency']}, {caps}, "
        f"{s['warmup']} warm-up requests ({found['warmup_errors']} errors); "
        f"API auth: {found['api_auth']}",
        f"{machine['processor']}, {machine['cores']} cores; load average {start} at start, "
        f"{end} at end; wall {found['wall_s']:.1f} s, this process's CPU "
        f"{found['client_cpu_s']:.1f} s",
        "",
        "| target | path | requests | errors | p50 ms | p95 ms | p99 ms | max ms | req/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        *(_row(r["name"], _shown(r["path"]), r) for r in found["targets"]),
        *(_row(f"**all {KIND_NAMES[k]}**", "", row) for k, row in found["by_kind"].items()),
        _row("**all**", "", found["overall"]),
    ]
    errors = [(r["name"], m) for r in found["targets"] for m in r["messages"]]
    if errors:
        lines += ["", "First errors:", *(f"- {name}: {message}" for name, message in errors)]
    return "\n".join(lines)


def _shown(path: str) -> str:
    """A path with its ids and cursor shortened, for the table."""
    return "`" + re.sub(r"cursor=[^&]+", "cursor=…", UUID.sub("{id}", path)) + "`"


def _row(name: str, path: str, row: dict[str, Any]) -> str:
    keys = ("p50_ms", "p95_ms", "p99_ms", "max_ms")
    numbers = " | ".join("–" if row[k] is None else f"{row[k]:.0f}" for k in keys)
    rate = "–" if row["throughput_rps"] is None else f"{row['throughput_rps']:.1f}"
    return f"| {name} | {path} | {row['requests']} | {row['errors']} | {numbers} | {rate} |"


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", help="an API token (goodwill users create-token EMAIL)")
    parser.add_argument("--email", help="a member to sign in as, for the pages")
    parser.add_argument("--password", default=os.environ.get("GOODWILL_LOAD_PASSWORD"))
    parser.add_argument("--concurrency", type=int, default=8, help="workers")
    parser.add_argument("--requests", type=int, help="stop after this many requests")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds (30)")
    parser.add_argument("--warmup", type=int, default=20, help="requests sent first, not counted")
    parser.add_argument("--paths-file", type=Path, help="one path per line instead of the mix")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--api-only", action="store_true")
    only.add_argument("--pages-only", action="store_true")
    parser.add_argument("--json", type=Path, help="write every number here, raw times included")
    return parser


def parse(argv: Sequence[str] | None) -> tuple[Plan, Path | None]:
    parser = arguments()
    args = parser.parse_args(argv)
    for name in ("concurrency", "requests", "duration"):
        if getattr(args, name) is not None and getattr(args, name) <= 0:
            parser.error(f"--{name}: must be above 0, not {getattr(args, name)}")
    if args.warmup < 0:
        parser.error(f"--warmup: must be 0 or more, not {args.warmup}")
    if args.email is not None and not args.password:
        parser.error("--email needs --password (or GOODWILL_LOAD_PASSWORD)")
    if args.pages_only and args.email is None:
        parser.error("--pages-only needs --email and --password to sign in")
    if args.token is None and args.email is None:
        parser.error("give --token, or --email and --password, to be let in")
    if args.json is not None and not args.json.parent.is_dir():
        parser.error(f"--json {args.json}: no folder {args.json.parent}")
    pages = not args.api_only and args.email is not None
    kinds: set[Kind] = {"page"} if args.pages_only else {"api", "page"} if pages else {"api"}
    try:
        paths = None if args.paths_file is None else read_paths(args.paths_file, kinds)
    except LoadError as exc:
        parser.error(str(exc))
    plan = Plan(
        base_url=args.base_url.rstrip("/"),
        token=args.token,
        login=None if args.email is None else (args.email, args.password),
        concurrency=args.concurrency,
        requests=args.requests,
        duration=args.duration,
        warmup=args.warmup,
        kinds=frozenset(kinds),
        paths=paths,
    )
    return plan, args.json


def main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """Run from the command line (or a test); answers the report it printed."""
    plan, json_file = parse(argv)
    try:
        found = asyncio.run(run(plan))
    except LoadError as exc:
        print(f"http_load: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    print(markdown(found))
    if json_file is not None:
        partial = json_file.with_name(json_file.name + ".partial")
        partial.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
        partial.replace(json_file)  # whole or not at all
    return found


if __name__ == "__main__":
    main()
