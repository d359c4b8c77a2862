"""How a catalogue entry is written: a category, its phrases, texts and detector, as data.

Each file in :mod:`goodwill.coach.catalogue` defines one ``CATEGORY``. Phrases are regular
expressions read case-insensitively, matched at word edges, with ``'`` also matching ``’``.
Explanations and suggestions are keyed by the *reason* a detector gives, so the same category can
say why it matters in each situation; they may use ``{name}`` (the customer), ``{trigger}`` (the
words found), ``{intent}`` and ``{emotion}``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from goodwill.coach.model import Kind, Severity

if TYPE_CHECKING:
    from goodwill.coach.situation import Situation


@dataclass(frozen=True, slots=True)
class Hit:
    """What a detector found: a span (None: the whole reply), a severity, why, and the trigger."""

    start: int | None
    end: int | None
    severity: Severity
    reason: str = "default"
    trigger: str = ""


Detector = Callable[["Situation", "Category"], list[Hit]]


def compile_phrases(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    body = "|".join("(?:" + p.replace("'", "['’]") + ")" for p in phrases)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


@dataclass(frozen=True)
class Category:
    """One entry of the catalogue: what the coach looks for and what it says about it."""

    name: str
    kind: Kind
    summary: str
    detect: Detector
    explanations: Mapping[str, str]
    suggestions: Mapping[str, str]
    phrases: tuple[str, ...] = ()
    examples: tuple[str, ...] = ()
    whole_reply: bool = False
    order: int = 50  # detectors run by order; strengths first, so irritants can consult them
    pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "pattern", compile_phrases(self.phrases))
        for texts in (self.explanations, self.suggestions):
            if "default" not in texts:
                raise ValueError(f"{self.name}: explanations and suggestions need a 'default'")

    def explain(self, reason: str, values: Mapping[str, str]) -> str:
        return _fill(self.explanations.get(reason, self.explanations["default"]), values)

    def suggest(self, reason: str, values: Mapping[str, str]) -> str:
        return _fill(self.suggestions.get(reason, self.suggestions["default"]), values)


class _Blank(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, values: Mapping[str, str]) -> str:
    return template.format_map(_Blank(values))


def bump(severity: Severity, when: bool = True) -> Severity:
    """One step up (low → medium → high) when ``when`` holds."""
    if not when:
        return severity
    return "high" if severity != "low" else "medium"
