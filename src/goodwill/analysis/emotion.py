"""Emotion: Ekman's six (anger, disgust, fear, joy, sadness, surprise) plus neutral.

A multi-label head (one hidden layer, sigmoid outputs) over the static vector, n-grams, VADER's
scores and an emotion lexicon learnt from the training data (:class:`Lexicon`), trained on
GoEmotions. The head has two sets of outputs trained together: GoEmotions' 28 fine labels and
the 7 Ekman groups; an Ekman probability is the mean of the group's own output and the noisy-or
of its members' fine outputs (:func:`ekman_probabilities`). Each label has its own decision
threshold, chosen on the dev split. (A head with only the 7 outputs is read as it is.)
``label`` is the emotion whose probability stands highest above its threshold (``neutral`` when
none passes); ``scores`` are the seven probabilities; ``intensity`` is the probability of the
strongest non-neutral emotion (0 for a neutral message), in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.features import Features, ngram_matrix
from goodwill.analysis.heads import FloatArray, LinearHead

EMOTIONS = ("anger", "disgust", "fear", "joy", "sadness", "surprise", "neutral")
NEUTRAL = "neutral"


@dataclass(frozen=True)
class Emotion:
    label: str
    scores: dict[str, float]
    intensity: float
    labels: tuple[str, ...]  # every emotion above its threshold (multi-label)

    def to_json(self) -> Any:
        return {
            "label": self.label,
            "scores": {k: round(v, 4) for k, v in self.scores.items()},
            "intensity": round(self.intensity, 4),
        }


@dataclass(frozen=True)
class Lexicon:
    """How much each n-gram raises each fine label: ``log P(label | n-gram) - log P(label)``.

    Learnt from the training split with additive smoothing (``goodwill train-heads``); a message's
    features are, per label, the mean and the max over its n-grams found in the lexicon (zeros
    when none is).
    """

    vocabulary: dict[str, int]
    table: FloatArray  # n-grams × labels

    @classmethod
    def of_head(cls, head: LinearHead) -> Self | None:
        if "lexicon" not in head.tables:
            return None
        grams = head.meta["lexicon_ngrams"]
        return cls({g: i for i, g in enumerate(grams)}, head.tables["lexicon"])

    def features(self, grams: Sequence[frozenset[str]]) -> FloatArray:
        """Rows × (labels mean, then labels max)."""
        return self.features_of(ngram_matrix(grams, self.vocabulary))

    def features_of(self, found: Any) -> FloatArray:
        """The same from the rows' n-gram matrix over ``vocabulary`` (scipy CSR)."""
        counts = np.diff(found.indptr)
        mean = np.asarray(found @ self.table) / np.maximum(counts, 1)[:, None]
        top = np.zeros_like(mean)
        some = counts > 0
        if some.any():
            starts = found.indptr[:-1][some]
            top[some] = np.maximum.reduceat(self.table[found.indices], starts, axis=0)
        return np.hstack([mean, top])


def ekman_probabilities(outputs: FloatArray, meta: dict[str, Any]) -> FloatArray:
    """The 7 Ekman probabilities from a head's outputs (see the module's docstring)."""
    fine: list[str] = meta.get("fine_labels", [])
    if not fine:
        return outputs
    groups: dict[str, list[str]] = meta["groups"]
    direct = outputs[:, len(fine) :]
    noisy_or = np.stack(
        [
            1.0 - np.prod(1.0 - outputs[:, [fine.index(m) for m in groups[k]]], axis=1)
            for k in EMOTIONS
        ],
        axis=1,
    )
    return np.asarray((direct + noisy_or) / 2.0)


def decide(probabilities: NDArray[np.float64], thresholds: NDArray[np.float64]) -> Emotion:
    labels = EMOTIONS
    ratio = probabilities / thresholds
    passed = tuple(k for k, r in zip(labels, ratio, strict=True) if r >= 1.0)
    label = labels[int(np.argmax(ratio))] if passed else NEUTRAL
    emotional = [p for k, p in zip(labels, probabilities, strict=True) if k != NEUTRAL]
    intensity = 0.0 if label == NEUTRAL else float(max(emotional))
    scores = {k: float(p) for k, p in zip(labels, probabilities, strict=True)}
    return Emotion(label, scores, intensity, passed or (NEUTRAL,))


class EmotionAnalyser(Analyser[Emotion]):
    name: str = "emotion"
    version: str = "1.1.0"
    output: str = "emotion"
    inputs: tuple[str, ...] = ("features",)

    def __init__(self, head: LinearHead | None = None) -> None:
        self.head = head or LinearHead.load("emotion")
        if self.head.labels != EMOTIONS:
            raise ValueError(f"emotion head has labels {self.head.labels}, expected {EMOTIONS}")
        self.lexicon = Lexicon.of_head(self.head)
        self._columns = self._head_columns()

    def _head_columns(self) -> NDArray[np.int64] | None:
        """Where the head's n-grams sit in the lexicon's vocabulary, if all of them are in it.

        The n-grams are then looked up once per message, for the lexicon, and the head's matrix
        is a column slice of the lexicon's.
        """
        if self.lexicon is None:
            return None
        vocabulary = self.lexicon.vocabulary
        ordered = sorted(self.head.vocabulary, key=self.head.vocabulary.__getitem__)
        if not all(g in vocabulary for g in ordered):
            return None
        return np.array([vocabulary[g] for g in ordered], dtype=np.int64)

    def outputs(self, features: Sequence[Features]) -> FloatArray:
        """The head's outputs; its extra inputs are VADER's scores, then the lexicon's features."""
        if not self.head.extra_names:
            return self.head.predict(features)
        vader = np.stack([f.vader for f in features])
        if self.lexicon is None:
            return self.head.predict(features, vader)
        found = ngram_matrix([f.grams for f in features], self.lexicon.vocabulary)
        extra = np.hstack([vader, self.lexicon.features_of(found)])
        shared = found[:, self._columns] if self._columns is not None else None
        return self.head.predict(features, extra, shared)

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Emotion]:
        del messages
        features = [c.get("features", Features).of_feeling for c in contexts]
        probabilities = ekman_probabilities(self.outputs(features), self.head.meta)
        return [decide(p, self.head.thresholds) for p in probabilities]
