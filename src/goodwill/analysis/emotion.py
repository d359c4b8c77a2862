"""Emotion: Ekman's six (anger, disgust, fear, joy, sadness, surprise) plus neutral.

A multi-label head (one hidden layer, sigmoid outputs) over the static vector, n-grams and
VADER's scores, trained on GoEmotions with its Ekman mapping; each label has its own decision
threshold, chosen on the dev split. ``label`` is the emotion whose probability stands highest
above its threshold (``neutral`` when none passes); ``scores`` are the seven probabilities;
``intensity`` is the probability of the strongest non-neutral emotion (0 for a neutral
message), in [0, 1].
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.features import Features
from goodwill.analysis.heads import LinearHead

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
    version: str = "1.0.0"
    output: str = "emotion"
    inputs: tuple[str, ...] = ("features",)

    def __init__(self, head: LinearHead | None = None) -> None:
        self.head = head or LinearHead.load("emotion")
        if self.head.labels != EMOTIONS:
            raise ValueError(f"emotion head has labels {self.head.labels}, expected {EMOTIONS}")

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Emotion]:
        del messages
        features = [c.get("features", Features).of_feeling for c in contexts]
        extra = np.stack([f.vader for f in features]) if self.head.extra_names else None
        probabilities = self.head.predict(features, extra)
        return [decide(p, self.head.thresholds) for p in probabilities]
