"""How fast the reply coach judges a draft, alone and in batches.

    .venv/bin/python bench/coach_speed.py

Drafts are the labelled replies of tests/data/coach (most 60–200 words) plus the same replies
joined into drafts of about 300 words. Per-draft latency is measured one draft at a time (as the
API sees them) with the interim lexicon reader (rules and lexicons only) and with the
goodwill.analysis reader (its static embedding model and heads); batch throughput is the CLI's
``--batch`` path. Prints numbers only; never passes or fails on time.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from pathlib import Path

from goodwill.coach import Coach, Draft
from goodwill.coach.evaluation import load
from goodwill.coach.reading import analysis_reader, default_reader

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "coach"


def drafts() -> list[Draft]:
    """The labelled replies, plus replies joined into drafts of 300 words."""
    items = [i.draft for name in ("dev", "holdout") for i in load(DATA / f"{name}.jsonl")]
    long: list[Draft] = []
    words: list[str] = []
    for draft in items:
        words += draft.reply.split()
        if len(words) >= 300:
            long.append(Draft(draft.customer_message, " ".join(words[:300])))
            words = []
    return items + long


def latency(coach: Coach, batch: list[Draft]) -> tuple[float, float, float]:
    for d in batch[:20]:
        coach.review(d)  # warm caches
    times = []
    for d in batch:
        start = time.perf_counter()
        coach.review(d)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[int(0.95 * len(times)) - 1], times[-1]


def cpu(coach: Coach, batch: list[Draft], rounds: int = 3) -> tuple[float, float]:
    """CPU time per draft (``time.process_time``: what a loaded machine does not inflate much):
    the mean and the p95, each draft's best of ``rounds``."""
    best = [float("inf")] * len(batch)
    for _ in range(rounds):
        for i, d in enumerate(batch):
            start = time.process_time()
            coach.review(d)
            best[i] = min(best[i], (time.process_time() - start) * 1000)
    ordered = sorted(best)
    return statistics.mean(best), ordered[int(0.95 * len(ordered)) - 1]


def throughput(coach: Coach, batch: list[Draft], size: int = 256) -> float:
    start = time.perf_counter()
    for i in range(0, len(batch), size):
        coach.review_batch(batch[i : i + size])
    return len(batch) / (time.perf_counter() - start)


def main() -> None:
    batch = drafts()
    words = sorted(len(d.reply.split()) for d in batch)
    print(f"python {platform.python_version()}, {os.cpu_count()} cores, {platform.machine()}")
    print(f"{len(batch)} drafts, words per reply: median {words[len(words) // 2]}, max {words[-1]}")
    long = [d for d in batch if len(d.reply.split()) >= 300]
    readers = [("rules + lexicons (interim reader)", Coach(reader=default_reader("interim")))]
    analysis = analysis_reader()
    if analysis is not None:
        readers.append(
            ("with goodwill.analysis (static embedding + heads)", Coach(reader=analysis))
        )
    for label, coach in readers:
        p50, p95, worst = latency(coach, batch)
        l50, l95, _ = latency(coach, long)
        rate = throughput(coach, batch * 3)
        print(f"\n{label}")
        print(
            f"  per draft, all:        p50 {p50:6.2f} ms   p95 {p95:6.2f} ms   max {worst:6.2f} ms"
        )
        print(f"  per draft, 300 words:   p50 {l50:6.2f} ms   p95 {l95:6.2f} ms   (n={len(long)})")
        print(f"  batch (256 per call):  {rate:8.0f} drafts/s")
        mean, c95 = cpu(coach, batch)
        lmean, l95c = cpu(coach, long)
        print(f"  CPU per draft, all:     mean {mean:6.2f} ms   p95 {c95:6.2f} ms")
        print(f"  CPU per draft, 300 w:   mean {lmean:6.2f} ms   p95 {l95c:6.2f} ms")


if __name__ == "__main__":
    main()
