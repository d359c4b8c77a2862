"""Feedback loop: the similarity threshold at which a suggestion joins an existing idea.

    .venv/bin/python bench/feedback_grouping.py [--encoder static|minilm] [--dev-only]

Banking77 stands in for suggestions: two queries with the same intent should end in the same
idea, two with different intents should not. Pair precision = share of grouped pairs that share
an intent; pair recall = share of same-intent pairs that were grouped. Two measures:

- *pairwise*: cosine similarity of every pair against the threshold (what merging two single
  suggestions sees);
- *online*: ``feedback.grouping.group``, the algorithm the app runs (each text joins the most
  similar idea centroid above the threshold, in arrival order), on samples of 20 intents x 10
  texts (an organisation's idea board is small; 77 x 40 texts overstate collisions).

The threshold is chosen on the *training* split (F0.5: a wrong merge tells a customer the wrong
outcome, so precision weighs more than recall) and the test split is read once, at that value.
"""

from __future__ import annotations

import csv
import sys

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.training import data
from goodwill.feedback import grouping

THRESHOLDS = np.round(np.arange(0.60, 0.96, 0.025), 3)
SAMPLES = 30
INTENTS_PER_SAMPLE = 20
TEXTS_PER_INTENT = 10


def load(split: str) -> tuple[list[str], NDArray[np.int64]]:
    with data.require(data.data_dir() / "banking77" / f"{split}.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = sorted({r["category"] for r in rows})
    return [r["text"] for r in rows], np.array([labels.index(r["category"]) for r in rows])


def pair_scores(same: NDArray[np.bool_], grouped: NDArray[np.bool_]) -> tuple[float, float]:
    tp = float((same & grouped).sum())
    precision = tp / max(float(grouped.sum()), 1.0)
    recall = tp / max(float(same.sum()), 1.0)
    return precision, recall


def f_beta(p: float, r: float, beta: float = 0.5) -> float:
    return (1 + beta**2) * p * r / max(beta**2 * p + r, 1e-12)


def pairwise(vectors: NDArray[np.float32], y: NDArray[np.int64], t: float) -> tuple[float, float]:
    upper = np.triu_indices(len(y), k=1)
    sims = (vectors @ vectors.T)[upper]
    same = (y[:, None] == y[None, :])[upper]
    return pair_scores(same, sims >= t)


def samples(y: NDArray[np.int64], seed: int) -> list[NDArray[np.int64]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(SAMPLES):
        values, counts = np.unique(y, return_counts=True)
        eligible = values[counts >= TEXTS_PER_INTENT]
        intents = rng.choice(eligible, INTENTS_PER_SAMPLE, replace=False)
        idx = np.concatenate(
            [rng.choice(np.flatnonzero(y == i), TEXTS_PER_INTENT, replace=False) for i in intents]
        )
        out.append(rng.permutation(idx))
    return out


def online(
    vectors: NDArray[np.float32], y: NDArray[np.int64], t: float, picks: list[NDArray[np.int64]]
) -> tuple[float, float, float]:
    """Mean pair precision, recall and ideas per true intent over the samples."""
    ps, rs, ratio = [], [], []
    for idx in picks:
        labels = np.array(grouping.group(vectors[idx], threshold=t))
        upper = np.triu_indices(len(idx), k=1)
        same = (y[idx][:, None] == y[idx][None, :])[upper]
        grouped = (labels[:, None] == labels[None, :])[upper]
        p, r = pair_scores(same, grouped)
        ps.append(p)
        rs.append(r)
        ratio.append(len(set(labels)) / INTENTS_PER_SAMPLE)
    return float(np.mean(ps)), float(np.mean(rs)), float(np.mean(ratio))


def main() -> None:
    name = sys.argv[sys.argv.index("--encoder") + 1] if "--encoder" in sys.argv else "static"
    encode = grouping.encode_with(name)
    train_texts, all_train_y = load("train")
    dev = np.random.default_rng(0).choice(len(all_train_y), 2000, replace=False)
    train_y = all_train_y[dev]
    train_vectors = encode([train_texts[i] for i in dev])
    dev_vectors = train_vectors
    picks = samples(train_y, seed=1)
    print("split  threshold  pair_P  pair_R  F0.5 | online_P online_R F0.5 ideas/intent")
    best = (0.0, 0.0)
    for t in THRESHOLDS:
        p, r = pairwise(dev_vectors, train_y, float(t))
        op, orr, ratio = online(train_vectors, train_y, float(t), picks)
        print(
            f"train  {t:9.3f}  {p:6.3f}  {r:6.3f}  {f_beta(p, r):.3f} | "
            f"{op:8.3f} {orr:8.3f} {f_beta(op, orr):.3f} {ratio:5.2f}"
        )
        best = max(best, (f_beta(op, orr), float(t)))
    chosen = best[1]
    print(
        f"chosen on train (best online F0.5): {chosen:.3f}; shipped JOIN_THRESHOLD:"
        f" {grouping.JOIN_THRESHOLD:.3f}"
    )
    if "--dev-only" in sys.argv:
        return
    test_texts, test_y = load("test")
    test_vectors = encode(test_texts)
    t = grouping.JOIN_THRESHOLD if name == grouping.ENCODER else chosen
    p, r = pairwise(test_vectors, test_y, t)
    op, orr, ratio = online(test_vectors, test_y, t, samples(test_y, seed=2))
    print(
        f"test   {t:9.3f}  {p:6.3f}  {r:6.3f}  {f_beta(p, r):.3f} | "
        f"{op:8.3f} {orr:8.3f} {f_beta(op, orr):.3f} {ratio:5.2f}"
    )


if __name__ == "__main__":
    sys.exit(main())
