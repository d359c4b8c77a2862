"""Sentiment: negative, neutral or positive, with a score in [-1, 1].

VADER (Hutto & Gilbert 2014; the ``vaderSentiment`` lexicon, made for short informal text) gives
four numbers per message. A small softmax head, trained on real labelled text (GoEmotions'
sentiment grouping), calibrates them together with the message's static vector and n-grams, so
the neutral band and the weight of each cue come from data instead of VADER's fixed ±0.05.
``score`` is P(positive) − P(negative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.features import Features
from goodwill.analysis.heads import LinearHead


@dataclass(frozen=True)
class Sentiment:
    label: str
    score: float
    probabilities: dict[str, float]

    def to_json(self) -> Any:
        return {"label": self.label, "score": round(self.score, 4)}


class SentimentAnalyser(Analyser[Sentiment]):
    name: str = "sentiment"
    version: str = "1.0.0"
    output: str = "sentiment"
    inputs: tuple[str, ...] = ("features",)

    def __init__(self, head: LinearHead | None = None) -> None:
        self.head = head or LinearHead.load("sentiment")

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Sentiment]:
        del messages
        features = [c.get("features", Features).of_feeling for c in contexts]
        probabilities = self.head.predict(features, np.stack([f.vader for f in features]))
        labels = self.head.labels
        positive, negative = labels.index("positive"), labels.index("negative")
        return [
            Sentiment(
                label=labels[int(np.argmax(p))],
                score=float(p[positive] - p[negative]),
                probabilities={k: float(v) for k, v in zip(labels, p, strict=True)},
            )
            for p in probabilities
        ]
