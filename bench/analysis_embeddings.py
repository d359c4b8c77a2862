"""Static (distilled) vs MiniLM embeddings: similarity quality against speed.

    .venv/bin/python bench/analysis_embeddings.py

Quality: Banking77 (77 intents of customer queries) test queries classified by their nearest
training query (1-NN) and by the nearest intent centroid, cosine similarity, no training: how well
the vector space puts messages with the same contact reason together (what clustering and
"similar messages" need). Speed: messages per second encoding the 3,080 test queries (batch).
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis import MiniLMEncoder, StaticEncoder
from goodwill.analysis.training import data

Encode = Callable[[Sequence[str]], NDArray[np.float32]]


def load(split: str) -> tuple[list[str], NDArray[np.int64]]:
    with data.require(data.data_dir() / "banking77" / f"{split}.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    labels = sorted({r["category"] for r in rows})
    return [r["text"] for r in rows], np.array([labels.index(r["category"]) for r in rows])


def evaluate(name: str, encode: Encode) -> None:
    train_texts, train_y = load("train")
    test_texts, test_y = load("test")
    train = encode(train_texts)
    started = time.perf_counter()
    test = encode(test_texts)
    speed = len(test_texts) / (time.perf_counter() - started)
    nearest = train_y[(test @ train.T).argmax(axis=1)]
    centroids = np.stack([train[train_y == k].mean(axis=0) for k in range(train_y.max() + 1)])
    centroids /= np.linalg.norm(centroids, axis=1, keepdims=True)
    by_centroid = (test @ centroids.T).argmax(axis=1)
    print(
        f"{name:<24} dims {train.shape[1]:>3}  1-NN {np.mean(nearest == test_y):.3f}"
        f"  centroid {np.mean(by_centroid == test_y):.3f}  {speed:>9.0f} messages/s"
    )


def main() -> None:
    static = StaticEncoder()
    evaluate(static.name, static.encode)
    minilm = MiniLMEncoder()
    evaluate(minilm.name, minilm.encode)


if __name__ == "__main__":
    main()
