"""Sentiment on real customer messages: the team-labelled Banking77 sample.

    .venv/bin/python bench/analysis_sentiment_customer.py [--data PATH]

Runs ``goodwill.analysis`` (shipped models) on tests/data/sentiment_customer/banking77_sample.jsonl
with every message marked ``inbound`` (from a customer), and prints accuracy, macro-F1 and the
confusion matrix of its sentiment label, then the same for VADER alone (compound ±0.05, on the
same messages) and for the majority class. Macro-F1 is the unweighted mean of the F1 of the
classes present in the labels (a class nobody labelled has no F1 to average); the confusion
matrix shows all three. No shared data needed.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from goodwill.analysis import Message, default_pipeline

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data" / "sentiment_customer" / "banking77_sample.jsonl"
LABELS = ("negative", "neutral", "positive")


def load(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def confusion(gold: Sequence[str], predicted: Sequence[str]) -> np.ndarray:
    """Rows: labelled class; columns: predicted class, both in LABELS order."""
    matrix = np.zeros((len(LABELS), len(LABELS)), dtype=int)
    for g, p in zip(gold, predicted, strict=True):
        matrix[LABELS.index(g), LABELS.index(p)] += 1
    return matrix


def macro_f1(matrix: np.ndarray) -> float:
    scores = []
    for k in range(len(LABELS)):
        if matrix[k].sum() == 0:
            continue
        tp, fp, fn = matrix[k, k], matrix[:, k].sum() - matrix[k, k], matrix[k].sum() - matrix[k, k]
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    return float(np.mean(scores))


def report(name: str, gold: Sequence[str], predicted: Sequence[str]) -> None:
    matrix = confusion(gold, predicted)
    accuracy = np.trace(matrix) / matrix.sum()
    print(f"{name}\n  accuracy {accuracy:.3f}   macro-F1 {macro_f1(matrix):.3f}")
    print("  labelled \\ predicted " + " ".join(f"{k:>9}" for k in LABELS))
    for k, row in zip(LABELS, matrix, strict=True):
        print(f"  {k:<21}" + " ".join(f"{v:>9}" for v in row))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DATA)
    args = parser.parse_args()
    rows = load(args.data)
    gold = [r["label"] for r in rows]
    started = time.perf_counter()
    pipeline = default_pipeline(embedding=None)
    messages = [Message(str(i), r["text"], direction="inbound") for i, r in enumerate(rows)]
    analyses = pipeline.run_batch(messages)
    elapsed = time.perf_counter() - started
    counts = Counter(gold)
    print(
        f"{len(rows)} messages ({', '.join(f'{k} {counts[k]}' for k in LABELS)}); {elapsed:.1f} s"
    )
    predicted = [a.results["sentiment"].label for a in analyses]  # type: ignore[attr-defined]
    report("goodwill.analysis sentiment (direction inbound)", gold, predicted)
    compound = [float(a.results["features"].vader[3]) for a in analyses]  # type: ignore[attr-defined]
    vader = ["positive" if c >= 0.05 else "negative" if c <= -0.05 else "neutral" for c in compound]
    report("VADER alone (compound ±0.05)", gold, vader)
    majority = counts.most_common(1)[0][0]
    report(f"majority class ({majority})", gold, [majority] * len(gold))


if __name__ == "__main__":
    main()
