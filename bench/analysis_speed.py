"""Throughput and memory of the analysis pipeline in batch.

    .venv/bin/python bench/analysis_speed.py [--messages 4000]

Each configuration runs in its own process (so the RSS is that configuration's alone) and times
three passes over the messages (median and best are printed: the machine is shared):
``none`` (every analyser, no stored vector), ``static`` (+ the static vector),
``minilm`` (+ the MiniLM vector). Messages are real texts from shared/data, in equal parts
Banking77 customer queries, GoEmotions comments and Wikipedia requests, alternating inbound and
outbound, every 10th a multi-line e-mail with a quote and a signature.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime

from goodwill.analysis import Message, default_pipeline
from goodwill.analysis.parallel import ProcessPool
from goodwill.analysis.training import data

PASSES = 3
EMAIL = (
    "Hi,\n\n{text}\n\nBest regards,\nSam\n\nOn Mon, 3 Jun 2024 at 10:02, Support wrote:\n> Hello"
)


def corpus(n: int) -> list[Message]:
    root = data.data_dir()
    with data.require(root / "banking77" / "test.csv").open(encoding="utf-8") as f:
        banking = [r["text"] for r in csv.DictReader(f)]
    emotions = data.load_goemotions(root, "test").texts
    requests = data.load_politeness(root).texts
    texts = [t for triple in zip(banking, emotions, requests, strict=False) for t in triple]
    sent = datetime(2024, 6, 5, 10, 15, tzinfo=UTC)
    out = []
    for i in range(n):
        text = texts[i % len(texts)]
        out.append(
            Message(
                str(i),
                EMAIL.format(text=text) if i % 10 == 0 else text,
                "inbound" if i % 2 else "outbound",
                sent,
            )
        )
    return out


def run_parallel(config: str, n: int, processes: int) -> dict[str, float | str]:
    """The same passes through ``processes`` worker processes (models loaded before timing)."""
    embedding = None if config == "none" else config
    started = time.perf_counter()
    with ProcessPool(processes=processes, embedding=embedding) as pool:
        pool.warm()
        load_s = time.perf_counter() - started
        messages = corpus(n)
        rates = []
        for _ in range(PASSES):
            started = time.perf_counter()
            done = sum(1 for _ in pool.run(messages, "stored"))
            rates.append(done / (time.perf_counter() - started))
    return {
        "config": f"{config} ×{processes} processes",
        "messages": n,
        "messages_per_s": round(statistics.median(rates), 1),
        "best_messages_per_s": round(max(rates), 1),
        "load_s": round(load_s, 2),
        "rss_after_load_mb": float("nan"),
        "rss_peak_mb": float("nan"),
    }


def run(config: str, n: int) -> dict[str, float | str]:
    started = time.perf_counter()
    pipeline = default_pipeline(embedding=None if config == "none" else config)  # type: ignore[arg-type]
    load_s = time.perf_counter() - started
    rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    messages = corpus(n)
    pipeline.run_batch(messages[:64])  # warm-up
    rates = []
    for _ in range(PASSES):
        started = time.perf_counter()
        for i in range(0, n, 256):
            for analysis in pipeline.run_batch(messages[i : i + 256]):
                analysis.stored()
        rates.append(n / (time.perf_counter() - started))
    return {
        "config": config,
        "messages": n,
        "messages_per_s": round(statistics.median(rates), 1),
        "best_messages_per_s": round(max(rates), 1),
        "load_s": round(load_s, 2),
        "rss_after_load_mb": round(rss_loaded, 1),
        "rss_peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=4000)
    parser.add_argument("--config", choices=["none", "static", "minilm"])
    parser.add_argument(
        "--processes", type=int, default=1, help="worker processes (goodwill analyse --processes)"
    )
    args = parser.parse_args()
    if args.processes > 1:
        for config in (args.config,) if args.config else ("none", "static", "minilm"):
            n = args.messages if config != "minilm" else max(args.messages // 4, 256)
            print(json.dumps(run_parallel(config, n, args.processes)))
        return
    if args.config:
        print(json.dumps(run(args.config, args.messages)))
        return
    for config in ("none", "static", "minilm"):
        n = args.messages if config != "minilm" else max(args.messages // 4, 256)
        cmd = [sys.executable, __file__, "--config", config, "--messages", str(n)]
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(
            f"{config:>6}: {result['messages_per_s']:>8} messages/s (median of {PASSES} passes,"
            f" best {result['best_messages_per_s']}) over {result['messages']}"
            f"  load {result['load_s']} s  RSS loaded {result['rss_after_load_mb']} MB"
            f"  peak {result['rss_peak_mb']} MB"
        )


if __name__ == "__main__":
    main()
