"""Train the emotion, sentiment and politeness heads and write them beside the package's models.

Everything is deterministic (L-BFGS from zeros, folds from a fixed seed), so the same data gives
the same weights. Hyper-parameters were chosen on GoEmotions' dev split (emotion, sentiment) and
by cross-validation inside the training folds (politeness), never on a test split.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse
from numpy.typing import NDArray

from goodwill.analysis.features import Features, ngram_matrix
from goodwill.analysis.training.logreg import Kind, LogisticModel, fit_logistic

FloatArray = NDArray[np.float64]
MIN_DF = 3
MAX_NGRAMS = 30_000


@dataclass(frozen=True)
class Design:
    """How rows become a matrix: [static vector | n-grams over ``vocabulary`` | extra]."""

    vocabulary: dict[str, int]
    extra_names: tuple[str, ...] = ()

    @classmethod
    def fit(
        cls,
        features: Sequence[Features],
        extra_names: Sequence[str] = (),
        *,
        max_ngrams: int = MAX_NGRAMS,
    ) -> Design:
        """The ``max_ngrams`` most frequent n-grams seen in at least ``MIN_DF`` rows."""
        counts = Counter(g for f in features for g in f.grams)
        kept = sorted((g for g, c in counts.items() if c >= MIN_DF), key=lambda g: (-counts[g], g))
        return cls({g: i for i, g in enumerate(kept[:max_ngrams])}, tuple(extra_names))

    def matrix(
        self, features: Sequence[Features], extra: FloatArray | None = None
    ) -> scipy.sparse.csr_matrix:
        blocks = [
            scipy.sparse.csr_matrix(np.stack([f.vector for f in features]).astype(np.float64)),
            ngram_matrix([f.grams for f in features], self.vocabulary),
        ]
        if self.extra_names:
            if extra is None:
                raise ValueError("this design needs extra features")
            blocks.append(scipy.sparse.csr_matrix(extra))
        return scipy.sparse.hstack(blocks, format="csr")


def fit_head(
    design: Design,
    features: Sequence[Features],
    targets: FloatArray,
    *,
    kind: Kind,
    l2: float,
    extra: FloatArray | None = None,
) -> LogisticModel:
    return fit_logistic(design.matrix(features, extra), targets, kind=kind, l2=l2)


def save_head(
    directory: Path,
    name: str,
    layer: tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]],
    design: Design,
    meta: dict[str, Any],
    output: tuple[NDArray[np.floating[Any]], NDArray[np.floating[Any]]] | None = None,
    tables: dict[str, NDArray[np.floating[Any]]] | None = None,
) -> None:
    """``NAME.npz`` (weights split by input block) and ``NAME.json`` (everything else).

    ``layer`` is the (weights, bias) applied to the inputs; ``output`` the hidden layer's
    (weights, bias) for a head with one hidden layer; ``tables`` other arrays the analyser
    reads (stored as float16).
    """
    weights, bias = layer
    dims = weights.shape[0] - len(design.vocabulary) - len(design.extra_names)
    w = weights.astype(np.float16 if output is not None else np.float32)
    arrays: dict[str, Any] = {
        "w_vector": w[:dims],
        "w_ngrams": w[dims : dims + len(design.vocabulary)],
        "w_extra": w[dims + len(design.vocabulary) :],
        "bias": bias.astype(np.float32),
    }
    if output is not None:
        arrays |= {"w_out": output[0].astype(np.float32), "b_out": output[1].astype(np.float32)}
    arrays |= {k: v.astype(np.float16) for k, v in (tables or {}).items()}
    np.savez_compressed(directory / f"{name}.npz", **arrays)
    vocabulary = sorted(design.vocabulary, key=design.vocabulary.__getitem__)
    full = {
        "name": name,
        **meta,
        "extra_features": list(design.extra_names),
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "ngrams": vocabulary,
    }
    (directory / f"{name}.json").write_text(json.dumps(full, indent=1, ensure_ascii=False) + "\n")


def best_thresholds(probabilities: FloatArray, targets: FloatArray) -> FloatArray:
    """Per label, the threshold in 0.05 … 0.90 that maximises that label's F1."""
    grid = np.arange(0.05, 0.901, 0.025)
    return np.array(
        [
            grid[
                int(
                    np.argmax(
                        [f1_per_label(probabilities[:, [j]] >= t, targets[:, [j]])[0] for t in grid]
                    )
                )
            ]
            for j in range(targets.shape[1])
        ]
    )


def f1_per_label(predicted: NDArray[np.bool_], targets: FloatArray) -> FloatArray:
    gold = targets > 0
    tp = (predicted & gold).sum(axis=0)
    fp = (predicted & ~gold).sum(axis=0)
    fn = (~predicted & gold).sum(axis=0)
    return np.asarray(2 * tp / np.maximum(2 * tp + fp + fn, 1), dtype=np.float64)


def one_hot(labels: Sequence[str], classes: Sequence[str]) -> FloatArray:
    out = np.zeros((len(labels), len(classes)))
    out[np.arange(len(labels)), [classes.index(label) for label in labels]] = 1.0
    return out
