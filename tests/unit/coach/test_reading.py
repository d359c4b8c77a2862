"""Readers: the interim lexicon, and the adapter over goodwill.analysis."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from goodwill.coach import AnalysisReader, InterimReader
from goodwill.coach import reading as reading_module
from goodwill.errors import InvalidInput
from tests.unit.coach import seeds


def test_interim_reader_intents_and_emotion() -> None:
    reader = InterimReader()
    suggestion = reader.read("Could you add a dark mode to the app? Other apps already do.")
    assert "suggestion" in suggestion.intents
    angry = reader.read("This is unacceptable. I'm furious, you charged me twice!!")
    assert "complaint" in angry.intents
    assert angry.emotion == "anger"
    assert angry.intensity >= 0.8
    scared = reader.read("There are payments I didn't make. I'm terrified, what do I do?")
    assert scared.emotion == "fear"
    calm = reader.read("How do I change my address?")
    assert calm.intents == ("question",)
    assert calm.emotion == "neutral"
    assert calm.intensity == 0.0
    mild = reader.read("Bit annoying, but can I get the difference back?")
    assert mild.intensity < 0.5


@dataclass
class _Intent:
    labels: tuple[str, ...]


@dataclass
class _Emotion:
    label: str
    intensity: float
    scores: dict[str, float] = field(default_factory=dict)


@dataclass
class _Sentiment:
    score: float


@dataclass
class _Analysis:
    results: dict[str, Any]


class _Pipeline:
    def __init__(self, results: dict[str, Any]) -> None:
        self.results = results
        self.seen: list[Any] = []

    def run_batch(self, messages: list[Any]) -> list[_Analysis]:
        self.seen += messages
        return [_Analysis(self.results) for _ in messages]


def test_analysis_reader_maps_the_pipeline_results() -> None:
    pipeline = _Pipeline(
        {
            "intent": _Intent(("complaint",)),
            "emotion": _Emotion("anger", 0.8),
            "sentiment": _Sentiment(-0.9),
        }
    )
    got = AnalysisReader(pipeline).read_batch(["bad"], [()])[0]
    assert (got.intents, got.emotion, got.intensity, got.source) == (
        ("complaint",),
        "anger",
        0.8,
        "goodwill.analysis",
    )
    assert pipeline.seen[0].direction == "inbound"


def test_analysis_reader_trusts_a_clearly_negative_sentiment() -> None:
    scores = {"anger": 0.3, "fear": 0.1, "sadness": 0.2, "disgust": 0.05, "surprise": 0.7}
    pipeline = _Pipeline(
        {
            "intent": _Intent(("complaint",)),
            "emotion": _Emotion("surprise", 0.7, scores),
            "sentiment": _Sentiment(-0.85),
        }
    )
    got = AnalysisReader(pipeline).read_batch(["?!"], [()])[0]
    assert got.emotion == "anger"
    assert got.intensity == pytest.approx(0.85)


def test_default_reader_choices(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(reading_module.default_reader("interim"), InterimReader)
    monkeypatch.setattr(reading_module, "analysis_reader", lambda: None)
    assert isinstance(reading_module.default_reader("auto"), InterimReader)
    with pytest.raises(InvalidInput):
        reading_module.default_reader("analysis")


def test_analysis_reads_the_seed_suggestion_as_a_suggestion() -> None:
    reader = reading_module.analysis_reader()
    assert reader is not None, "goodwill.analysis could not build its pipeline"
    assert reader.read_batch([seeds.MICHAEL], [()])[0].primary_intent == "suggestion"
