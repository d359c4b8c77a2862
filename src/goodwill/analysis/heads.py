"""Small heads with NumPy inference, loaded from files shipped in ``models/``.

A head is linear, or has one hidden ReLU layer when its file holds ``w_out`` and ``b_out`` (the
first layer's weights are then the hidden layer's). It is two files: ``NAME.npz`` (weights) and
``NAME.json`` (labels, activation, decision thresholds, n-gram vocabulary, names of extra
features, the SHA-256 of the data it was trained on and the scores it reached). Arrays of the
``.npz`` other than the weights (an analyser's own tables, such as the emotion lexicon) are kept
in ``tables``. ``goodwill train-heads`` writes both.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.embedding import MODELS_DIR
from goodwill.analysis.features import Features, ngram_matrix

Activation = Literal["softmax", "sigmoid", "identity"]
FloatArray = NDArray[np.float64]
WEIGHTS = ("w_vector", "w_ngrams", "w_extra", "bias")


@dataclass(frozen=True)
class LinearHead:
    name: str
    labels: tuple[str, ...]
    activation: Activation
    thresholds: FloatArray
    vocabulary: dict[str, int]
    extra_names: tuple[str, ...]
    w_vector: FloatArray
    w_ngrams: FloatArray
    w_extra: FloatArray
    bias: FloatArray
    meta: dict[str, Any]
    w_out: FloatArray | None = None
    b_out: FloatArray | None = None
    tables: dict[str, FloatArray] = field(default_factory=dict)

    @classmethod
    def load(cls, name: str, directory: Path = MODELS_DIR) -> LinearHead:
        meta: dict[str, Any] = json.loads((directory / f"{name}.json").read_text())
        with np.load(directory / f"{name}.npz") as weights:
            arrays = {k: np.asarray(weights[k], dtype=np.float64) for k in weights.files}
        return cls(
            name=name,
            labels=tuple(meta["labels"]),
            activation=cast(Activation, meta["activation"]),
            thresholds=np.asarray(meta.get("thresholds", [0.5] * len(meta["labels"])), float),
            vocabulary={g: i for i, g in enumerate(meta.get("ngrams", []))},
            extra_names=tuple(meta.get("extra_features", [])),
            w_vector=arrays["w_vector"],
            w_ngrams=arrays["w_ngrams"],
            w_extra=arrays["w_extra"],
            bias=arrays["bias"],
            meta=meta,
            w_out=arrays.pop("w_out", None),
            b_out=arrays.pop("b_out", None),
            tables={k: v for k, v in arrays.items() if k not in WEIGHTS},
        )

    def decision(
        self, features: Sequence[Features], extra: FloatArray | None = None, ngrams: Any = None
    ) -> FloatArray:
        """``ngrams``: the rows' n-gram matrix over ``vocabulary`` if the caller has it already."""
        vectors = np.stack([f.vector for f in features]).astype(np.float64)
        z = vectors @ self.w_vector + self.bias
        if self.vocabulary:
            if ngrams is None:
                ngrams = ngram_matrix([f.grams for f in features], self.vocabulary)
            z += np.asarray(ngrams @ self.w_ngrams)
        if self.extra_names:
            if extra is None or extra.shape != (len(features), len(self.extra_names)):
                raise ValueError(f"head {self.name!r} needs extra features {self.extra_names}")
            z += extra @ self.w_extra
        if self.w_out is not None and self.b_out is not None:
            z = np.maximum(z, 0.0) @ self.w_out + self.b_out
        return np.asarray(z)

    def predict(
        self, features: Sequence[Features], extra: FloatArray | None = None, ngrams: Any = None
    ) -> FloatArray:
        """Probabilities (softmax / sigmoid) or the raw score (identity), rows × labels."""
        z = self.decision(features, extra, ngrams)
        if self.activation == "sigmoid":
            return np.asarray(0.5 * (1.0 + np.tanh(0.5 * z)))
        if self.activation == "softmax":
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return np.asarray(e / e.sum(axis=1, keepdims=True))
        return z
