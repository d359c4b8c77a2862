"""Politeness / tone of any message, a score in [-1, 1] (impolite … polite).

Features follow Danescu-Niculescu-Mizil et al. (2013), "A computational approach to politeness":
their politeness strategies (:data:`STRATEGIES`: gratitude, deference, greeting, apology, please,
hedges, direct questions, counterfactual modals, second person start, …) read with phrase
patterns instead of a dependency parse, plus VADER's lexicon scores, the static vector and
n-grams. A logistic head trained on the Wikipedia requests (top vs bottom quartile) gives
P(polite); the score is 2 · P(polite) − 1.
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
from goodwill.analysis.normalise import Normalised
from goodwill.analysis.patterns import PatternBank

_START = r"(?:(?<=^)|(?<=[.!?]\s)|(?<=\n))"
STRATEGIES: dict[str, tuple[str, ...]] = {
    "gratitude": (r"thanks?|thank you|i appreciate|(?:much |greatly )?appreciated|grateful",),
    "deference": (rf"{_START}(?:great|good|nice|interesting|cool|excellent|awesome|wonderful)",),
    "greeting": (rf"{_START}(?:hi|hello|hey|dear|good (?:morning|afternoon|evening))",),
    "apology": (r"sorry|oops|woops|i apologi[sz]e|apologies|forgive me|excuse me|my bad",),
    "please": (r"(?<=\w )please",),
    "please_start": (rf"{_START}please",),
    "by_the_way": (r"by the way|btw|incidentally",),
    "direct_question": (rf"{_START}(?:what|why|who|how|where|when)\b[^.!?]*\?",),
    "direct_start": (rf"{_START}(?:so|then|and|but|or)\b",),
    "counterfactual": (r"could you|would you|would it be possible|would you mind|might you",),
    "indicative": (r"can you|will you|are you able",),
    "first_person_start": (rf"{_START}(?:i|my|mine|myself)\b",),
    "first_person_plural": (r"we|our|ours|us|ourselves",),
    "second_person": (r"you|your|yours|yourself",),
    "second_person_start": (rf"{_START}(?:you|your|yours|yourself)\b",),
    "hedge": (
        r"i think|i believe|i suppose|i guess|maybe|perhaps|possibly|probably|somewhat|"
        r"a bit|kind of|sort of|i wonder|i was wondering|seems?|suggest|might|presumably",
    ),
    "factuality": (r"really|actually|honestly|surely|in fact|obviously|clearly|of course",),
    "swearing": (r"damn|hell|crap|shit|fuck\w*|stupid|idiot\w*|dumb|ridiculous|nonsense|wtf",),
    "exclamation": (r"!+",),
    "question_mark": (r"\?",),
}
STRATEGY_NAMES = tuple(STRATEGIES)
EXTRA_FEATURES = (*STRATEGY_NAMES, "vader_neg", "vader_neu", "vader_pos", "vader_compound")


class StrategyCounter:
    def __init__(self) -> None:
        self._bank = PatternBank(STRATEGIES)

    def features(self, texts: Sequence[str], lexicon: NDArray[np.float64]) -> NDArray[np.float64]:
        """Per text: 1 if each strategy occurs (binary, as in the paper), then VADER's four."""
        rows = np.zeros((len(texts), len(STRATEGY_NAMES)))
        index = {name: i for i, name in enumerate(STRATEGY_NAMES)}
        for r, text in enumerate(texts):
            for label in self._bank.labels_in(text):
                rows[r, index[label]] = 1.0
        return np.hstack([rows, lexicon])


@dataclass(frozen=True)
class Politeness:
    score: float
    strategies: tuple[str, ...]

    def to_json(self) -> Any:
        return round(self.score, 4)


class PolitenessAnalyser(Analyser[Politeness]):
    name: str = "politeness"
    version: str = "1.0.0"
    output: str = "politeness"
    inputs: tuple[str, ...] = ("normalised", "features")

    def __init__(self, head: LinearHead | None = None) -> None:
        self.head = head or LinearHead.load("politeness")
        self.counter = StrategyCounter()

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Politeness]:
        del messages
        texts = [c.get("normalised", Normalised).text for c in contexts]
        features = [c.get("features", Features) for c in contexts]
        extra = self.counter.features(texts, np.stack([f.vader for f in features]))
        polite = self.head.labels.index("polite")
        probabilities = self.head.predict(features, extra)
        return [
            Politeness(
                score=float(2.0 * p[polite] - 1.0),
                strategies=tuple(n for n, v in zip(STRATEGY_NAMES, row, strict=False) if v > 0),
            )
            for p, row in zip(probabilities, extra, strict=True)
        ]
