"""How fast the web pages answer on the demo organisation (2,000 customers, ~63,000
interactions): p50 and p95 per page, in-process through the ASGI app (no network), signed in as a
demo member. Target: under 300 ms at p95 for every page. Prints numbers, never passes or fails.
The app is built as `goodwill serve` builds it, startup objects frozen out of the garbage
collector (``server.freeze_startup_objects``; ``--no-freeze`` leaves them in, as before session
4). The machine is shared, so each page also gets the process's CPU time per request at p50 (what an
idle core would need, less I/O waits), and the last lines give the Quality pages' times relative
to the default board's in the same run (a ratio moves less with the load than a time does).

The demo database is copied first (the original is not written to) and the copy brought to the
current schema. The demo has no segments and no perception answers, so the copy is given, before
the app starts, three segments (rules on RFM, stage with last contact, and tenure with health and
purchases; memberships computed as on saving) and two-sided perception for 400 of its 2,000
relationships (a customer's answer through a link and the owner's estimate, scores drawn with a
fixed seed), plus one open link whose customer page is timed too:

    GOODWILL_HOME=/tmp/gw-demo goodwill demo --build-only
    .venv/bin/python bench/web_pages.py --demo /tmp/gw-demo/goodwill.sqlite3 --runs 30
    .venv/bin/python bench/web_pages.py --only 'Quality|Board'   # only the pages whose name matches
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from goodwill import migrations, tenancy
from goodwill.config import Settings
from goodwill.database import make_engine, make_session_factory, unit_of_work
from goodwill.demo import service as demo_service
from goodwill.main import create_app
from goodwill.organisations.models import Member
from goodwill.perception import service as perception_service
from goodwill.perception.schemas import Answer
from goodwill.relationships.models import Relationship
from goodwill.segments import service as segment_service
from goodwill.segments.schemas import SegmentSave
from goodwill.server import freeze_startup_objects
from segments_assign import RULES  # beside this file

PASSWORD = "goodwill-demo-2026"  # the demo's published password (goodwill demo prints it)
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
LINK = re.compile(r'href="/relationships/([0-9a-f-]{36})"')
REASON = re.compile(r'href="/reasons/([0-9a-f-]{36})"')
IDEA = re.compile(r'href="/feedback/ideas/([0-9a-f-]{36})"')
FRAMEWORK = re.compile(r'href="/frameworks/([0-9a-f-]{36})"')
SEGMENT = re.compile(r'href="/segments/([0-9a-f-]{36})"')
DRILL_DOWN = re.compile(r'href="(/quality/conversations\?[^"]+)"')
COACHING = re.compile(r'href="/quality/coaching/([0-9a-f-]{36})"')
PERCEIVED = re.compile(r'href="/relationships/([0-9a-f-]{36})/perception"')
SEGMENTS = RULES[:3]  # Champions, Drifting apart, Loyal: the rules bench/segments_assign.py times
PERCEIVED_RELATIONSHIPS = 400  # of the demo's 2,000: both sides answered
REFERENCE = "Board (default)"  # the page the Quality pages are compared with in each run


def seed(url: str) -> str:
    """The segments and the two-sided perception described above, stored in the copy; the
    token of one more link, left open (its customer page is timed)."""
    factory = make_session_factory(make_engine(url))
    demo = demo_service.get_existing(factory=factory)
    assert demo is not None, "no demo organisation in this database"
    rng = random.Random(7)
    with unit_of_work(factory) as db:
        tenancy.scope(db, demo.id)
        for name, priority, conditions in SEGMENTS:
            rule = {"conditions": conditions}
            save = SegmentSave(name=name, priority=priority, rule=rule)
            segment_service.create(db=db, segment_in=save)
        every = db.scalars(select(Relationship).order_by(Relationship.id)).all()
        chosen = rng.sample(list(every), PERCEIVED_RELATIONSHIPS + 1)
        made, _ = perception_service.create_requests(
            db=db, relationships=chosen, member_id=None, expires_in_days=30
        )
        for link, relationship in zip(made[1:], chosen[1:], strict=True):
            theirs = {
                q: rng.randint(1, 5) for q in ("value_received", "value_given", "trust", "ease")
            }
            ours = {q: min(5, max(1, v + rng.choice((-2, -1, 0, 0, 1)))) for q, v in theirs.items()}
            perception_service.answer_by_customer(
                db=db, request=link.request, answer=Answer(**theirs)
            )
            owner = db.get(Member, relationship.owner_member_id)
            assert owner is not None, "every demo relationship has an owner"
            perception_service.estimate(
                db=db, relationship=relationship, member=owner, answer=Answer(**ours)
            )
        return made[0].token


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


def session4_pages(client: TestClient, token: str) -> list[tuple[str, str]]:
    """The pages added in session 4 and the drill-downs of earlier ones: segments, perception,
    journeys, the Quality drill-down and coaching view, the new-framework form, and the
    customer's survey page behind a perception link (no sign-in needed; the e-mail domains are
    a section of the Settings page, timed above)."""
    segments = SEGMENT.findall(client.get("/segments").text)
    quality = client.get("/quality").text
    drill, coached = DRILL_DOWN.findall(quality), COACHING.findall(quality)
    perceived = PERCEIVED.findall(client.get("/perception").text)
    found = [
        ("Segments", "/segments"),
        ("Segment (new form)", "/segments/new"),
        ("Perception gaps", "/perception"),
        ("Perception gaps, blind spots", "/perception?blind=1"),
        ("Journeys (decline)", "/journeys"),
        ("Journeys (termination)", "/journeys?outcome=termination"),
        ("Framework (new form)", "/frameworks/new"),
        ("Perception survey (customer)", f"/p/{token}"),
    ]
    if segments:
        found.insert(1, ("Segment page (first)", f"/segments/{segments[0]}"))
    if perceived:
        found.append(("Relationship perception", f"/relationships/{perceived[0]}/perception"))
    if drill:
        found.append(("Quality drill-down (first)", drill[0].replace("&amp;", "&")))
    if coached:
        found.append(("Quality coaching (first)", f"/quality/coaching/{coached[0]}"))
    return found


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
        token = seed(f"sqlite:///{copy}")
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
            for name, path in [*pages(client), *session4_pages(client, token)]:
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
