"""Quality of contact reasons on Banking77 (Casanueva et al. 2020): classification and discovery.

    .venv/bin/python bench/reasons_quality.py [--part full|fewshot|discovery|all]
        [--draws 5] [--shots 10] [--cache /tmp/gw]

- full: train on the whole training split (10,003 rows, 77 reasons), accuracy on the test split
  (3,080 rows) of the most probable reason, and with "unknown" counted as wrong;
- fewshot: ``--shots`` examples per reason drawn at random from the training split, ``--draws``
  draws (seeds 0..draws-1): mean, standard deviation, min and max of the test accuracy. The
  rest of the training split, its reasons withheld, is given as ``unlabelled`` messages (the
  organisation's inbound messages in the product; never the test texts); ``--no-unlabelled``
  trains on the examples alone;
- discovery: ``discover`` on the test texts alone (no labels, number of groups automatic):
  NMI, ARI and accuracy after Hungarian matching of groups to intents, groups found, seconds.

``--cache DIR`` keeps the sentence embeddings of each split in DIR between runs (never in the
repository). Needs the shared data (GOODWILL_DATA_DIR or ../shared/data).
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from goodwill.analysis.training.data import data_dir
from goodwill.reasons.classifier import UNKNOWN, ReasonClassifier
from goodwill.reasons.discovery import discover
from goodwill.reasons.features import FloatMatrix, TextFeatures


def load(split: str) -> tuple[list[str], list[str]]:
    with (data_dir() / "banking77" / f"{split}.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], [r["category"] for r in rows]


def embeddings(
    split: str, texts: list[str], model: ReasonClassifier, cache: Path | None
) -> FloatMatrix:
    features = TextFeatures(model.features)
    name = "-".join(model.features.encoders)
    path = cache / f"reasons-{split}-{name}.npy" if cache else None
    if path is not None and path.is_file():
        return np.asarray(np.load(path), dtype=np.float32)
    vectors = features.dense(texts)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, vectors)
    return vectors


def accuracy(
    model: ReasonClassifier, texts: list[str], gold: list[str], dense: FloatMatrix
) -> tuple[float, float, float]:
    """Top-1 accuracy, accuracy with unknown counted wrong, share of unknown."""
    probabilities = model.probabilities(texts, dense=dense)
    best = np.array(model.reasons_)[probabilities.argmax(axis=1)]
    accepted = probabilities.max(axis=1) >= model.threshold_
    with_unknown = np.where(accepted, best, UNKNOWN)
    truth = np.array(gold)
    return (
        float((best == truth).mean()),
        float((with_unknown == truth).mean()),
        float(1 - accepted.mean()),
    )


def full(cache: Path | None) -> None:
    train_texts, train_gold = load("train")
    test_texts, test_gold = load("test")
    model = ReasonClassifier()
    start = time.perf_counter()
    model.fit(train_texts, train_gold, dense=embeddings("train", train_texts, model, cache))
    seconds = time.perf_counter() - start
    top1, strict, unknown = accuracy(
        model, test_texts, test_gold, embeddings("test", test_texts, model, cache)
    )
    print(f"full  train {len(train_texts)} rows, fit {seconds:.0f} s (embeddings cached or not)")
    print(
        f"  test accuracy {top1:.2%}   with unknown as wrong {strict:.2%}   "
        f"unknown {unknown:.1%} (threshold {model.threshold_:.3f})"
    )


def fewshot(cache: Path | None, *, draws: int, shots: int, unlabelled: bool) -> None:
    train_texts, train_gold = load("train")
    test_texts, test_gold = load("test")
    probe = ReasonClassifier()
    train_dense = embeddings("train", train_texts, probe, cache)
    test_dense = embeddings("test", test_texts, probe, cache)
    gold = np.array(train_gold)
    results = []
    for seed in range(draws):
        rng = np.random.default_rng(seed)
        rows = np.concatenate(
            [
                rng.choice(np.flatnonzero(gold == r), shots, replace=False)
                for r in sorted(set(train_gold))
            ]
        )
        rest = np.setdiff1d(np.arange(len(train_texts)), rows) if unlabelled else rows[:0]
        model = ReasonClassifier().fit(
            [train_texts[i] for i in rows],
            gold[rows].tolist(),
            dense=train_dense[rows],
            unlabelled=[train_texts[i] for i in rest],
            unlabelled_dense=train_dense[rest],
        )
        top1, strict, unknown = accuracy(model, test_texts, test_gold, test_dense)
        results.append(top1)
        print(
            f"  draw {seed}: accuracy {top1:.2%}   with unknown as wrong {strict:.2%}   "
            f"unknown {unknown:.1%} (threshold {model.threshold_:.3f}), "
            f"context {'used' if model.context_ is not None else 'not used'}",
            flush=True,
        )
    values = np.array(results)
    print(
        f"fewshot {shots} per reason, {draws} draws: mean {values.mean():.2%}  "
        f"sd {values.std(ddof=1) if draws > 1 else 0:.2%}  "
        f"min {values.min():.2%}  max {values.max():.2%}"
    )


def hungarian_accuracy(gold: list[str], found: list[int]) -> float:
    intents = {g: i for i, g in enumerate(sorted(set(gold)))}
    table = np.zeros((max(found) + 1, len(intents)))
    for g, f in zip(gold, found, strict=True):
        table[f, intents[g]] += 1
    rows, cols = linear_sum_assignment(-table)
    return float(table[rows, cols].sum() / len(gold))


def discovery(k: int | None) -> None:
    texts, gold = load("test")
    start = time.perf_counter()
    result = discover(texts, k=k)
    seconds = time.perf_counter() - start
    found = list(result.assignments)
    print(
        f"discovery  test {len(texts)} rows, {len(set(gold))} intents, "
        f"k={'auto' if k is None else k}: "
        f"{len(result.groups)} groups in {seconds:.0f} s"
    )
    print(
        f"  NMI {normalized_mutual_info_score(gold, found) * 100:.1f}   "
        f"ARI {adjusted_rand_score(gold, found) * 100:.1f}   "
        f"Hungarian accuracy {hungarian_accuracy(gold, found):.1%}"
    )
    for group in result.groups[:10]:
        print(f"  {group.size:4d}  {group.label}  | {texts[group.typical[0]][:70]}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--part", choices=["full", "fewshot", "discovery", "all"], default="all")
    parser.add_argument("--draws", type=int, default=5)
    parser.add_argument("--shots", type=int, default=10)
    parser.add_argument("--k", type=int, default=None, help="number of groups (default automatic)")
    parser.add_argument("--cache", type=Path, default=None)
    parser.add_argument(
        "--no-unlabelled", action="store_true", help="fewshot: train on the examples alone"
    )
    args = parser.parse_args()
    if args.part in ("full", "all"):
        full(args.cache)
    if args.part in ("fewshot", "all"):
        fewshot(args.cache, draws=args.draws, shots=args.shots, unlabelled=not args.no_unlabelled)
    if args.part in ("discovery", "all"):
        discovery(args.k)


if __name__ == "__main__":
    main()
