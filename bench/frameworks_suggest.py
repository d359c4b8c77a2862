"""Latency of suggesting response frameworks for a new inbound message, with a library of 500.

    .venv/bin/python bench/frameworks_suggest.py [--frameworks 500] [--messages 300]
        [--database-url URL]   # default: a fresh SQLite file in a temporary folder

Builds a fresh organisation with ``--frameworks`` published frameworks (saved through the
service, so each is reviewed by the coach and its purpose vector is computed at save time):
their names and example messages are Banking77 *training* queries of one category, their
intents, phases and emotions drawn in turn from the vocabularies. Then, for each of
``--messages`` Banking77 *test* queries, stores it as a new inbound message of a long-term
customer (no stored analysis: the message is read on the spot) and times what
``POST /frameworks/suggest`` does for it: one session and transaction, the context (relationship,
promises, idea, the message's intent and emotion), encoding, ranking the library, recording the
top five as suggested, commit. Prints p50/p95/max in milliseconds. Needs the shared data
(GOODWILL_DATA_DIR or ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import tempfile
import time
import uuid
from collections import defaultdict
from datetime import timedelta
from itertools import cycle

from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.analysis.training.data import data_dir
from goodwill.customers import service as customer_service
from goodwill.customers.schemas import CustomerCreate
from goodwill.database import make_engine, make_session_factory, unit_of_work, utcnow
from goodwill.frameworks import flows, service
from goodwill.frameworks.schemas import EMOTIONS, INTENTS, PHASES, FrameworkSave
from goodwill.interactions import service as interaction_service
from goodwill.interactions.schemas import InteractionCreate
from goodwill.organisations import service as organisation_service

BODY = (
    "Hi {{customer_first_name}},\n\n[[answer: {topic}: what you did and what happens next]]"
    "\n\n{{operator_name}}"
)


def _rows(split: str) -> list[dict[str, str]]:
    with (data_dir() / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def build_library(factory: sessionmaker[Session], org_id: uuid.UUID, n: int) -> float:
    by_category: dict[str, list[str]] = defaultdict(list)
    for row in _rows("train"):
        by_category[row["category"]].append(row["text"])
    categories = cycle(sorted(by_category))
    intents, phases, emotions = cycle(INTENTS), cycle([*PHASES, None]), cycle([*EMOTIONS, None])
    started = time.perf_counter()
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        for i in range(n):
            category = next(categories)
            texts = by_category[category]
            topic = category.replace("_", " ")
            phase, emotion = next(phases), next(emotions)
            save = FrameworkSave(
                name=f"{topic} #{i}",
                body=BODY.format(topic=topic),
                description=f"Replies about {topic}",
                intents=[next(intents)],
                phases=[phase] if phase else [],
                emotions=[emotion] if emotion else [],
                examples=texts[(i // 77) * 3 : (i // 77) * 3 + 3],
            )
            framework = service.create(db=db, save=save, member=None)
            service.publish(db=db, framework=framework, member=None, override_reason="benchmark")
    return time.perf_counter() - started


def customer(factory: sessionmaker[Session], org_id: uuid.UUID) -> uuid.UUID:
    with unit_of_work(factory) as db:
        tenancy.scope(db, org_id)
        made = customer_service.create(
            db=db, customer_in=CustomerCreate(name="Margareth Jones", email="mj@example.com")
        )
        _message(db, made.id, "Bought the premium plan", days_ago=4 * 365, kind="purchase")
        return made.id


def _message(
    db: Session, customer_id: uuid.UUID, text: str, *, days_ago: int = 0, kind: str = "message"
) -> uuid.UUID:
    interaction_in = InteractionCreate.model_validate(
        {
            "customer_id": str(customer_id),
            "kind": kind,
            "channel": "email",
            "direction": "inbound" if kind == "message" else None,
            "occurred_at": (utcnow() - timedelta(days=days_ago)).isoformat(),
            "subject": text[:60] if kind != "message" else None,
            "body": text if kind == "message" else None,
        }
    )
    return interaction_service.create(db=db, interaction_in=interaction_in).interaction.id


def measure(
    factory: sessionmaker[Session], org_id: uuid.UUID, customer_id: uuid.UUID, texts: list[str]
) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (this process only: on a shared, loaded machine the wall clock also
    counts waiting for a core) milliseconds per suggestion."""
    wall, cpu = [], []
    for text in texts:
        with unit_of_work(factory) as db:
            tenancy.scope(db, org_id)
            interaction_id = _message(db, customer_id, text)
        started, started_cpu = time.perf_counter(), time.process_time()
        with unit_of_work(factory) as db:
            tenancy.scope(db, org_id)
            found = flows.suggest_for(db=db, interaction_id=interaction_id, limit=5)
            assert found.items
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return wall, cpu


def percentiles(timings: list[float]) -> str:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frameworks", type=int, default=500)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="goodwill-bench-")
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    engine = make_engine(url)
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as db:
        org_id = organisation_service.create_organisation(
            db=db, name=f"Bench {uuid.uuid4().hex[:6]}"
        ).id
    seconds = build_library(factory, org_id, args.frameworks)
    print(f"library: {args.frameworks} frameworks saved, reviewed and published in {seconds:.1f} s")
    customer_id = customer(factory, org_id)
    texts = [r["text"] for r in _rows("test")][: args.messages]
    measure(factory, org_id, customer_id, texts[:10])  # warm-up: coach reader, encoder, caches
    wall, cpu = measure(factory, org_id, customer_id, texts)
    kind = url.split(":")[0]
    print(f"suggest ({kind}, {len(wall)} new messages, {args.frameworks} frameworks)")
    load = f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    print(f"  wall clock: {percentiles(wall)}   ({load})")
    print(f"  CPU:        {percentiles(cpu)}")


if __name__ == "__main__":
    main()
