"""Analysis throughput of the job queue with 1, 2, … `goodwill worker` processes (scale-out).

Creates a temporary PostgreSQL database, ``--orgs`` organisations with ``--messages`` generated
inbound messages each, and a private Redis namespace. For each worker count it starts that many
`goodwill worker --threads 1` processes, waits until they are up (start-up is not timed), sends one
follow-up job per organisation, and times until every message has its analyses stored; then the
analyses are deleted (and the namespace emptied) for the next round. Prints messages/second per
worker count, each worker's share of the messages (from its job log lines) and the CPU time the
workers used while timed (in cores: below the worker count, they waited for the database or for
a core); with ``--repeat N``, N rounds per worker count (every other repeat in reverse order) and
their medians.

    .venv/bin/python bench/jobs_workers.py --orgs 8 --messages 150 --workers 1 2
    .venv/bin/python bench/jobs_workers.py --orgs 1 --messages 3000 --workers 1 2

``--orgs 1`` puts the whole backlog in one organisation: its follow-up job shares it with helper
jobs (``GOODWILL_ANALYSIS_FAN_OUT_JOBS``, set with ``--fan-out-jobs``; 0 = one job per
organisation, as before the fan-out).

Needs PostgreSQL (GOODWILL_TEST_POSTGRES_URL, default postgres@127.0.0.1:5432) and Redis
(GOODWILL_TEST_REDIS_URL, default redis://127.0.0.1:6379/0).
"""

from __future__ import annotations

import argparse
import os
import random
import re
import secrets
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import redis
from sqlalchemy import create_engine, delete, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from goodwill import ingest, migrations, tenancy
from goodwill.config import Settings
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import make_engine, make_session_factory, unit_of_work, utcnow
from goodwill.interactions import service as interaction_service
from goodwill.interactions.schemas import InteractionCreate
from goodwill.jobs import queue
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from goodwill.organisations import service as organisation_service

PG = os.environ.get(
    "GOODWILL_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS = os.environ.get("GOODWILL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
GOODWILL = Path(sys.executable).parent / "goodwill"
OPENINGS = [
    "My card was declined",
    "I was charged twice",
    "The app keeps crashing",
    "Thanks for the quick help",
    "Where is my refund",
    "I cannot log in",
]
ENDINGS = [
    "since yesterday.",
    "and nobody answers!",
    "please call me back.",
    "it is the third time.",
    "great service, thank you.",
    "what should I do?",
]


def _populate(factory: sessionmaker[Session], orgs: int, messages: int) -> list[uuid.UUID]:
    rng = random.Random(7)
    ids = []
    for n in range(orgs):
        with unit_of_work(factory) as db:
            org = organisation_service.create_organisation(db=db, name=f"Bench {n}")
            tenancy.scope(db, org.id)
            customers = [
                customer_service.create(
                    db=db, customer_in=CustomerCreate(email=f"c{n}-{i}@x.example")
                )
                for i in range(max(1, messages // 10))
            ]
            for i in range(messages):
                body = f"{rng.choice(OPENINGS)} {rng.choice(ENDINGS)} (#{i})"
                interaction_in = InteractionCreate.model_validate(
                    {
                        "kind": "message",
                        "channel": "email",
                        "direction": "inbound",
                        "occurred_at": (utcnow() - timedelta(minutes=i)).isoformat(),
                        "body": body,
                        "customer_id": str(customers[i % len(customers)].id),
                    }
                )
                interaction_service.create(db=db, interaction_in=interaction_in)
            ids.append(org.id)
    return ids


def _analysed(factory: sessionmaker[Session]) -> int:
    with factory() as db, tenancy.system_scope(db):
        return db.scalar(select(func.count()).select_from(MessageEmbedding)) or 0


JOB_LINE = re.compile(r"(?:follow_up|analyse_backlog) of organisation \S+ in .*analysed=(\d+)")


def _shares(logs: list[Path]) -> list[int]:
    """Messages each worker analysed, from the job lines of its log."""
    return [sum(int(n) for n in JOB_LINE.findall(log.read_text())) for log in logs]


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (Linux /proc), all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Round:
    workers: int
    seconds: float
    shares: list[int]
    cpu_seconds: float  # the workers' CPU time while the round was timed


def _round(
    settings: Settings,
    env: dict[str, str],
    factory: sessionmaker[Session],
    org_ids: list[uuid.UUID],
    workers: int,
    total: int,
    home: Path,
) -> Round:
    logs = [home / f"w{workers}-{secrets.token_hex(2)}-{i}.log" for i in range(workers)]
    procs = []
    for log in logs:
        with log.open("wb") as out:
            procs.append(
                subprocess.Popen(
                    [str(GOODWILL), "worker", "--threads", "1"],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    while not all("worker started" in log.read_text() for log in logs):
        time.sleep(0.5)
    cpu_before = sum(_cpu_seconds(p.pid) for p in procs)
    started = time.perf_counter()
    for org_id in org_ids:
        queue.send(
            settings=settings, factory=factory, actor_name=ingest.FOLLOW_UP, organisation_id=org_id
        )
    while _analysed(factory) < total:
        time.sleep(0.2)
    elapsed = time.perf_counter() - started
    cpu = sum(_cpu_seconds(p.pid) for p in procs) - cpu_before
    for p in procs:
        p.terminate()
    for p in procs:
        p.wait()
    with unit_of_work(factory) as db, tenancy.system_scope(db):
        db.execute(delete(MessageAnalysis))
        db.execute(delete(MessageEmbedding))
    _clear(settings.redis_namespace)  # follow-ups still waiting would start the next round early
    return Round(workers, elapsed, _shares(logs), cpu)


def _clear(namespace: str) -> None:
    client = redis.Redis.from_url(REDIS)
    keys = list(client.scan_iter(f"{namespace}:*"))
    if keys:
        client.delete(*keys)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orgs", type=int, default=8)
    parser.add_argument("--messages", type=int, default=150)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=1, help="rounds per worker count")
    parser.add_argument(
        "--fan-out-jobs",
        type=int,
        default=Settings.model_fields["analysis_fan_out_jobs"].default,
        help="helper jobs per organisation's backlog (0: one job per organisation)",
    )
    args = parser.parse_args()
    name = f"goodwill_bench_jobs_{secrets.token_hex(3)}"
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG.rsplit("/", 1)[0] + "/" + name
    namespace = f"goodwill-bench-{secrets.token_hex(3)}"
    home = Path(f"/tmp/{name}")
    home.mkdir()
    try:
        engine = make_engine(url)
        migrations.upgrade(engine)
        factory = make_session_factory(engine)
        org_ids = _populate(factory, args.orgs, args.messages)
        total = args.orgs * args.messages
        settings = Settings(
            home=home,
            secret_key="bench",
            database_url=url,
            redis_url=REDIS,
            redis_namespace=namespace,
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("GOODWILL_")} | {
            "GOODWILL_HOME": str(home),
            "GOODWILL_SECRET_KEY": "bench",
            "GOODWILL_DATABASE_URL": url,
            "GOODWILL_REDIS_URL": REDIS,
            "GOODWILL_REDIS_NAMESPACE": namespace,
            "GOODWILL_ANALYSIS_FAN_OUT_JOBS": str(args.fan_out_jobs),
        }
        print(
            f"{args.orgs} organisations x {args.messages} messages = {total} messages; "
            f"fan-out jobs {args.fan_out_jobs}; load average {os.getloadavg()[0]:.1f}"
        )
        rounds = []
        for repeat in range(args.repeat):  # every other repeat in reverse order
            for workers in args.workers if repeat % 2 == 0 else args.workers[::-1]:
                done = _round(settings, env, factory, org_ids, workers, total, home)
                rounds.append(done)
                print(
                    f"workers={workers}: {done.seconds:.1f} s, {total / done.seconds:.0f} "
                    f"messages/s; shares {done.shares}; worker CPU {done.cpu_seconds:.1f} s "
                    f"({done.cpu_seconds / done.seconds:.2f} cores) "
                    f"(load average {os.getloadavg()[0]:.1f})"
                )
        for workers in args.workers:
            mine = [r for r in rounds if r.workers == workers]
            seconds = statistics.median(r.seconds for r in mine)
            cores = statistics.median(r.cpu_seconds / r.seconds for r in mine)
            print(
                f"median of {len(mine)}, workers={workers}: {seconds:.1f} s, "
                f"{total / seconds:.0f} messages/s, {cores:.2f} cores"
            )
        engine.dispose()
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        _clear(namespace)


if __name__ == "__main__":
    main()
