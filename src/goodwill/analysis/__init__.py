"""Message understanding: a versioned pipeline of small analysers over a message and its thread.

No database, no web framework, no network: models ship in ``models/`` and load once per
pipeline. ``default_pipeline().run_batch(messages)`` gives one :class:`Analysis` per message.
"""

from __future__ import annotations

from typing import Any, Literal

from goodwill.analysis.base import Analyser, Context, Direction, Message
from goodwill.analysis.commitments import Commitment, CommitmentExtractor, Commitments
from goodwill.analysis.embedding import MiniLMEncoder, StaticEncoder
from goodwill.analysis.emotion import EMOTIONS, Emotion, EmotionAnalyser
from goodwill.analysis.features import FeatureExtractor, Features
from goodwill.analysis.intent import INTENTS, Intent, IntentClassifier
from goodwill.analysis.language import Language, LanguageDetector
from goodwill.analysis.normalise import Normalised, Normaliser
from goodwill.analysis.pipeline import Analysis, Pipeline
from goodwill.analysis.politeness import Politeness, PolitenessAnalyser
from goodwill.analysis.sentiment import Sentiment, SentimentAnalyser
from goodwill.analysis.trust import SIGNALS, TrustSignal, TrustSignalDetector, TrustSignals
from goodwill.analysis.vectors import Embedding, EmbeddingAnalyser

EmbeddingChoice = Literal["static", "minilm"]


def default_pipeline(*, embedding: EmbeddingChoice | None = "static") -> Pipeline:
    """Every analyser in order; ``embedding=None`` leaves the stored vector out."""
    features = FeatureExtractor()
    analysers: list[Analyser[Any]] = [
        Normaliser(),
        LanguageDetector(),
        features,
        SentimentAnalyser(),
        EmotionAnalyser(),
        IntentClassifier(),
        PolitenessAnalyser(),
        TrustSignalDetector(),
        CommitmentExtractor(),
    ]
    if embedding is not None:
        minilm = MiniLMEncoder() if embedding == "minilm" else None
        analysers.append(EmbeddingAnalyser(features, minilm))
    return Pipeline(analysers)


__all__ = [
    "EMOTIONS",
    "INTENTS",
    "SIGNALS",
    "Analyser",
    "Analysis",
    "Commitment",
    "CommitmentExtractor",
    "Commitments",
    "Context",
    "Direction",
    "Embedding",
    "EmbeddingAnalyser",
    "EmbeddingChoice",
    "Emotion",
    "EmotionAnalyser",
    "FeatureExtractor",
    "Features",
    "Intent",
    "IntentClassifier",
    "Language",
    "LanguageDetector",
    "Message",
    "MiniLMEncoder",
    "Normalised",
    "Normaliser",
    "Pipeline",
    "Politeness",
    "PolitenessAnalyser",
    "Sentiment",
    "SentimentAnalyser",
    "StaticEncoder",
    "TrustSignal",
    "TrustSignalDetector",
    "TrustSignals",
    "default_pipeline",
]
