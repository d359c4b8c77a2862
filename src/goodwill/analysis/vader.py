"""VADER's lexicon scores (Hutto & Gilbert 2014, the ``vaderSentiment`` package's lexicon)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer  # type: ignore[import-untyped]

VADER_FEATURES = ("vader_neg", "vader_neu", "vader_pos", "vader_compound")
MAX_CHARS = 2000  # VADER is linear in length; a long e-mail's opening carries its tone


class Vader:
    def __init__(self) -> None:
        self._analyser = SentimentIntensityAnalyzer()

    def scores(self, texts: Sequence[str]) -> NDArray[np.float64]:
        rows = []
        for text in texts:
            s = self._analyser.polarity_scores(text[:MAX_CHARS])
            rows.append((s["neg"], s["neu"], s["pos"], s["compound"]))
        return np.asarray(rows, dtype=np.float64).reshape(len(texts), len(VADER_FEATURES))
