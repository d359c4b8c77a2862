"""Grouping suggestions by meaning: pure functions over sentence embeddings, no database.

A suggestion is encoded with the shipped static embedding model (``analysis.embedding.
StaticEncoder``, the same vectors the message pipeline stores) and joins the idea whose centroid
is most similar to it, if that cosine similarity reaches :data:`JOIN_THRESHOLD`; otherwise it
starts an idea of its own. The threshold was chosen on Banking77's *training* split (pairs of
queries with the same intent should group, different intents should not) and checked once on
the test split: ``bench/feedback_grouping.py``, results in docs/benchmarks.md "Feedback loop".
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Literal, Protocol

import numpy as np
from numpy.typing import NDArray

Vector = NDArray[np.float32]
EncoderName = Literal["static", "minilm"]


class Encoder(Protocol):
    def encode(self, texts: Sequence[str]) -> NDArray[np.float32]: ...


ENCODER: EncoderName = "minilm"
JOIN_THRESHOLD = 0.65
TITLE_WORDS = 12

# A suggestion's core, without the greeting and thanks around it: what the encoder should see.
_PREAMBLE = re.compile(
    r"^(?:(?:hi|hello|hey|dear)\b[^,.!\n]*[,.!\n]\s*)?(?:(?:thanks?|thank you)[^.!\n]*[.!\n]\s*)?",
    re.IGNORECASE,
)


@cache
def encoder(name: EncoderName = ENCODER) -> Encoder:
    """The process's encoder (loads once; both ship in the installed packages, no download)."""
    from goodwill.analysis.embedding import MiniLMEncoder, StaticEncoder

    return MiniLMEncoder() if name == "minilm" else StaticEncoder()


def encode_with(name: EncoderName) -> Callable[[Sequence[str]], NDArray[np.float32]]:
    """An ``encode`` on the named encoder (benchmarks compare them)."""

    def encode_named(texts: Sequence[str]) -> NDArray[np.float32]:
        return encoder(name).encode([_PREAMBLE.sub("", t).strip() or t for t in texts])

    return encode_named


def encode(texts: Sequence[str]) -> NDArray[np.float32]:
    """L2-normalised vectors for ``texts`` on the shipped encoder (zeros for an empty text)."""
    return encode_with(ENCODER)(texts)


def to_bytes(vector: Vector) -> bytes:
    """The compact stored form: float16, as the message embeddings are stored."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(raw: bytes) -> Vector:
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32)


def centroid(vectors: Sequence[Vector] | NDArray[np.float32]) -> Vector:
    """The normalised mean of an idea's suggestion vectors."""
    matrix = np.asarray(vectors, dtype=np.float32)
    mean = matrix.mean(axis=0)
    norm = float(np.linalg.norm(mean))
    return np.asarray(mean / norm if norm > 0 else mean, dtype=np.float32)


def nearest(
    vector: Vector, centroids: Mapping[uuid.UUID, Vector], *, threshold: float = JOIN_THRESHOLD
) -> tuple[uuid.UUID | None, float]:
    """The idea whose centroid is most similar to ``vector``, if similar enough, and the score."""
    if not centroids:
        return None, 0.0
    ids = list(centroids)
    matrix = np.stack([centroids[i] for i in ids])
    scores = matrix @ vector
    best = int(np.argmax(scores))
    score = float(scores[best])
    return (ids[best] if score >= threshold else None), score


def group(vectors: NDArray[np.float32], *, threshold: float = JOIN_THRESHOLD) -> list[int]:
    """Online grouping in order, exactly as suggestions arrive: a group label per row."""
    labels: list[int] = []
    sums: list[Vector] = []
    for row in vectors:
        if sums:
            matrix = np.stack(sums)
            norms = np.maximum(np.linalg.norm(matrix, axis=1), 1e-12)
            scores = (matrix @ row) / norms
            best = int(np.argmax(scores))
            if scores[best] >= threshold:
                labels.append(best)
                sums[best] = sums[best] + row
                continue
        labels.append(len(sums))
        sums.append(row.astype(np.float32))
    return labels


def title_for(text: str) -> str:
    """A readable idea title from its first suggestion: the first sentence, at most 12 words."""
    core = _PREAMBLE.sub("", text).strip() or text.strip()
    sentence = re.split(r"(?<=[.!?])\s", core, maxsplit=1)[0].strip()
    words = sentence.split()
    title = " ".join(words[:TITLE_WORDS]) + ("…" if len(words) > TITLE_WORDS else "")
    return title[:300] or "Untitled idea"
