"""The message's embedding, kept for similarity, clustering and later heads.

Default: the static vector the heads already use (free: computed once by ``features``). With
``MiniLMEncoder`` the vector comes from the transformer itself: better neighbours, about a
hundred times slower (see docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.embedding import MiniLMEncoder
from goodwill.analysis.features import FeatureExtractor, Features
from goodwill.analysis.normalise import Normalised


@dataclass(frozen=True)
class Embedding:
    model: str
    vector: NDArray[np.float32]

    def to_json(self) -> Any:
        return {"model": self.model, "vector": np.round(self.vector.astype(np.float64), 5).tolist()}


class EmbeddingAnalyser(Analyser[Embedding]):
    name: str = "embedding"
    version: str = "1.0.0"
    output: str = "embedding"
    inputs: tuple[str, ...] = ("normalised", "features")

    def __init__(self, features: FeatureExtractor, minilm: MiniLMEncoder | None = None) -> None:
        self._minilm = minilm
        self.model = minilm.name if minilm is not None else features.encoder.name
        self.version = f"1.0.0+{self.model}"  # another model is another vector space

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Embedding]:
        del messages
        if self._minilm is None:
            return [Embedding(self.model, c.get("features", Features).vector) for c in contexts]
        vectors = self._minilm.encode([c.get("normalised", Normalised).text for c in contexts])
        return [Embedding(self.model, v) for v in vectors]
