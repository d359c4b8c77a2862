"""Shared inputs of the learnt heads: the static sentence vector, word n-grams, VADER's scores.

Computed once per message by :class:`FeatureExtractor` (an intermediate field, not stored) so the
sentiment, emotion and politeness heads do not each tokenise the text again. Training builds its
matrices with the same code (:func:`ngram_matrix`), so what a head sees at run time is what it
was trained on. In a customer-service message (one with a direction), the sentiment and emotion
heads read features of the text without the sentences that are only a courtesy formula
("Thanks.", "Kind regards, Anna"; :mod:`.courtesy`): they learnt gratitude as a feeling from
Reddit, where it is one; in a ticket it is ritual. Politeness reads the whole text.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse
from numpy.typing import NDArray

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.courtesy import content
from goodwill.analysis.embedding import StaticEncoder
from goodwill.analysis.normalise import Normalised
from goodwill.analysis.vader import Vader

WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")


def words(text: str) -> list[str]:
    return WORD.findall(text.lower().replace("’", "'"))


def ngrams(text: str) -> frozenset[str]:
    """Word unigrams and bigrams (lower-cased; ``!`` and ``?`` count as words)."""
    w = words(text)
    return frozenset(w).union(f"{a} {b}" for a, b in pairwise(w))


@dataclass(frozen=True)
class Features:
    vector: NDArray[np.float32]
    grams: frozenset[str]
    vader: NDArray[np.float64]  # neg, neu, pos, compound
    feeling: Features | None = None  # of the content without courtesy formulas, if it differs

    @property
    def of_feeling(self) -> Features:
        """What the sentiment and emotion heads read (see :mod:`.courtesy`)."""
        return self.feeling or self

    def to_json(self) -> Any:
        return {"dimensions": int(self.vector.shape[0]), "ngrams": len(self.grams)}


def ngram_matrix(
    grams: Sequence[frozenset[str]], vocabulary: Mapping[str, int]
) -> scipy.sparse.csr_matrix:
    """Binary bag of n-grams over ``vocabulary`` (unknown n-grams are dropped)."""
    indptr = [0]
    indices: list[int] = []
    for row in grams:
        indices.extend(j for g in row if (j := vocabulary.get(g)) is not None)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return scipy.sparse.csr_matrix(
        (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(grams), len(vocabulary)),
    )


class FeatureExtractor(Analyser[Features]):
    name: str = "features"
    version: str = "1.0.0"
    output: str = "features"
    inputs: tuple[str, ...] = ("normalised",)
    stored: bool = False

    def __init__(self, encoder: StaticEncoder | None = None, vader: Vader | None = None) -> None:
        self.encoder = encoder or StaticEncoder()
        self.vader = vader or Vader()

    def extract(self, texts: Sequence[str]) -> list[Features]:
        vectors = self.encoder.encode(texts)
        lexicon = self.vader.scores(texts)
        return [Features(v, ngrams(t), s) for v, t, s in zip(vectors, texts, lexicon, strict=True)]

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Features]:
        texts = [c.get("normalised", Normalised).text for c in contexts]
        features = self.extract(texts)
        pairs = zip(messages, texts, strict=True)
        changed = {
            i: kept for i, (m, t) in enumerate(pairs) if m.direction and (kept := content(t)) != t
        }
        for i, feeling in zip(changed, self.extract(list(changed.values())), strict=True):
            features[i] = replace(features[i], feeling=feeling)
        return features
