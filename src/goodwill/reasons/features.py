"""Text → feature matrix for contact reasons: sentence embeddings beside TF-IDF n-grams.

Pure (no database). The embeddings carry meaning ("my card never came" ≈ "card not delivered");
the word and character n-grams carry the exact terms an organisation's customers use (product
names, "PIN", "top-up") that a small general-purpose encoder blurs. Each block is L2-normalised
per row and weighted, so a linear model or a cosine-based clustering sees them on one scale.

A fitted :class:`TextFeatures` saves to plain arrays and a JSON-able dict (no pickle).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, Literal, Self

import numpy as np
from numpy.typing import NDArray
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from goodwill.analysis.embedding import MiniLMEncoder, StaticEncoder

EncoderName = Literal["static", "minilm"]
FloatMatrix = NDArray[np.float32]


@cache
def _static() -> StaticEncoder:
    return StaticEncoder()


@cache
def _minilm() -> MiniLMEncoder:
    return MiniLMEncoder()


def embed(texts: Sequence[str], encoder: EncoderName) -> FloatMatrix:
    """L2-normalised sentence vectors from one of the shipped encoders (loaded once)."""
    if encoder == "static":
        return _static().encode(texts)
    return _minilm().encode(texts)


@dataclass(frozen=True)
class FeatureSettings:
    """The weight of each block in a message's features (0 leaves the block out)."""

    minilm_weight: float = 0.0
    static_weight: float = 1.0
    word_weight: float = 0.0
    char_weight: float = 0.0
    min_df: int = 1

    @property
    def encoders(self) -> tuple[EncoderName, ...]:
        weights: dict[EncoderName, float] = {
            "minilm": self.minilm_weight,
            "static": self.static_weight,
        }
        return tuple(name for name, weight in weights.items() if weight > 0)

    def encoder_weights(self) -> list[float]:
        return [self.minilm_weight if e == "minilm" else self.static_weight for e in self.encoders]

    def to_json(self) -> dict[str, Any]:
        return {
            "minilm_weight": self.minilm_weight,
            "static_weight": self.static_weight,
            "word_weight": self.word_weight,
            "char_weight": self.char_weight,
            "min_df": self.min_df,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FeatureSettings:
        return cls(
            minilm_weight=float(data["minilm_weight"]),
            static_weight=float(data["static_weight"]),
            word_weight=float(data["word_weight"]),
            char_weight=float(data["char_weight"]),
            min_df=int(data["min_df"]),
        )


MAX_TERMS = {"word": 10_000, "char": 20_000}  # keeps a saved model to a few megabytes


def _vectoriser(kind: str, min_df: int) -> TfidfVectorizer:
    analyzer, ngrams = ("word", (1, 2)) if kind == "word" else ("char_wb", (2, 5))
    return TfidfVectorizer(
        analyzer=analyzer,
        ngram_range=ngrams,
        sublinear_tf=True,
        min_df=min_df,
        max_features=MAX_TERMS[kind],
        lowercase=True,
    )


class TextFeatures:
    """Embeddings (fixed) plus TF-IDF blocks (vocabulary learnt in :meth:`fit`)."""

    def __init__(self, settings: FeatureSettings | None = None) -> None:
        self.settings = settings or FeatureSettings()
        self.vectorisers_: dict[str, TfidfVectorizer] = {}

    def _tfidf_kinds(self) -> list[tuple[str, float]]:
        kinds = [("word", self.settings.word_weight), ("char", self.settings.char_weight)]
        return [(k, w) for k, w in kinds if w > 0]

    def fit(self, texts: Sequence[str]) -> Self:
        self.vectorisers_ = {}
        for kind, _ in self._tfidf_kinds():
            min_df = self.settings.min_df if len(texts) >= 50 else 1
            self.vectorisers_[kind] = _vectoriser(kind, min_df).fit(list(texts))
        return self

    def widths(self) -> list[int]:
        """The width of each embedding block in :meth:`dense`, in order."""
        return [
            MiniLMEncoder.dimensions if e == "minilm" else _static().dimensions
            for e in self.settings.encoders
        ]

    def dense(self, texts: Sequence[str]) -> FloatMatrix:
        """The embeddings, unweighted: each encoder's unit vectors side by side."""
        blocks = [embed(texts, name) for name in self.settings.encoders]
        return np.hstack(blocks).astype(np.float32)

    def transform(
        self, texts: Sequence[str], *, dense: FloatMatrix | None = None
    ) -> sparse.csr_matrix:
        """Weighted blocks side by side; ``dense`` reuses already computed embeddings."""
        vectors = self.dense(texts) if dense is None else dense
        scale = np.repeat(self.settings.encoder_weights(), self.widths()).astype(np.float32)
        blocks: list[Any] = [sparse.csr_matrix(vectors * scale)]
        for kind, weight in self._tfidf_kinds():
            blocks.append(self.vectorisers_[kind].transform(list(texts)) * weight)
        return sparse.hstack(blocks, format="csr", dtype=np.float32)

    def state(self) -> tuple[dict[str, Any], dict[str, NDArray[Any]]]:
        """A JSON-able description and the arrays that restore this fitted object."""
        meta: dict[str, Any] = {"settings": self.settings.to_json(), "vocabularies": {}}
        arrays: dict[str, NDArray[Any]] = {}
        for kind, vectoriser in self.vectorisers_.items():
            terms = sorted(vectoriser.vocabulary_, key=vectoriser.vocabulary_.__getitem__)
            meta["vocabularies"][kind] = terms
            arrays[f"idf_{kind}"] = np.asarray(vectoriser.idf_, dtype=np.float64)
        return meta, arrays

    @classmethod
    def from_state(cls, meta: dict[str, Any], arrays: dict[str, NDArray[Any]]) -> TextFeatures:
        features = cls(FeatureSettings.from_json(meta["settings"]))
        for kind, _ in features._tfidf_kinds():
            terms = [str(t) for t in meta["vocabularies"][kind]]
            vectoriser = _vectoriser(kind, 1)
            vectoriser.vocabulary_ = {t: i for i, t in enumerate(terms)}
            vectoriser.idf_ = np.asarray(arrays[f"idf_{kind}"], dtype=np.float64)
            if len(vectoriser.idf_) != len(terms):
                raise ValueError(f"{kind} vocabulary and weights differ in length")
            features.vectorisers_[kind] = vectoriser
        return features


def blend_with_neighbours(
    vectors: FloatMatrix,
    context: FloatMatrix,
    *,
    widths: Sequence[int],
    neighbours: int,
    weight: float,
) -> FloatMatrix:
    """Each row moved towards the mean of its nearest ``context`` rows, blocks re-normalised.

    Neighbours are found by cosine on the first block (MiniLM in the default features); a row
    that is itself in the context counts among its own neighbours (so examples, which are in
    it, are blended a little less than new messages: the variant chosen on dev).
    """
    first = widths[0]
    count = min(neighbours, len(context))
    nearest = np.empty((len(vectors), count), dtype=np.intp)
    for start in range(0, len(vectors), 1024):
        chunk = slice(start, start + 1024)
        similarity = vectors[chunk, :first] @ context[:, :first].T
        top = np.argpartition(-similarity, count - 1, axis=1)[:, :count]
        nearest[chunk] = top
    blended = (1 - weight) * vectors + weight * context[nearest].mean(axis=1)
    edges = np.cumsum([0, *widths])
    for left, right in pairwise(edges.tolist()):
        norms = np.linalg.norm(blended[:, left:right], axis=1, keepdims=True)
        blended[:, left:right] /= np.maximum(norms, 1e-12)
    return np.asarray(blended, dtype=np.float32)
