"""Speed of contact-reason discovery: ``discover`` on N Banking77 training messages.

    .venv/bin/python bench/reasons_speed.py [--n 10000] [--encoder static|minilm]

Prints the wall-clock seconds of one ``discover(texts)`` call (number of groups automatic,
encoder chosen by ``discover`` unless given), the groups found, and NMI/ARI against the
Banking77 intents of those messages. Needs the shared data (GOODWILL_DATA_DIR or ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import os
import time

from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from goodwill.analysis.training.data import data_dir
from goodwill.reasons.discovery import discover


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--encoder", choices=["static", "minilm"], default=None)
    args = parser.parse_args()
    with (data_dir() / "banking77" / "train.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))[: args.n]
    texts, gold = [r["text"] for r in rows], [r["category"] for r in rows]
    start = time.perf_counter()
    result = discover(texts, encoder=args.encoder)
    seconds = time.perf_counter() - start
    load = os.getloadavg()[0]
    print(
        f"discover {len(texts)} messages: {seconds:.1f} s, "
        f"{len(result.groups)} groups (load {load:.1f})"
    )
    found = list(result.assignments)
    nmi = normalized_mutual_info_score(gold, found) * 100
    print(f"  NMI {nmi:.1f}   ARI {adjusted_rand_score(gold, found) * 100:.1f}")


if __name__ == "__main__":
    main()
