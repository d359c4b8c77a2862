"""The coach's vocabulary: what it reads (a draft in its situation) and what it returns (findings).

Everything here is plain data, free of the database and the web, so the engine can run in a
request, in a batch or in a notebook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["irritant", "strength"]
Severity = Literal["low", "medium", "high"]
Direction = Literal["inbound", "outbound"]

SEVERITIES: tuple[Severity, ...] = ("low", "medium", "high")

IRRITANTS = (
    "template_noise",
    "hollow_acknowledgement",
    "irrelevant_boilerplate",
    "boasting",
    "self_undermining",
    "dismissal",
    "unsolicited_workaround",
    "patronising",
    "generic_closing",
    "impersonal",
    "trust_appeal",
    "blame_shifting",
    "blunt_demand",
    "missing_empathy",
    "missing_next_step",
)
STRENGTHS = ("ownership", "empathy", "specific_next_step", "personal_address", "feedback_outcome")
NEGATIVE_EMOTIONS = frozenset({"anger", "disgust", "fear", "sadness"})


@dataclass(frozen=True, slots=True)
class Turn:
    """One earlier message of the thread: ``inbound`` from the customer, ``outbound`` from us."""

    direction: Direction
    text: str


@dataclass(frozen=True, slots=True)
class CustomerReading:
    """What the customer's message is about and how they feel, as a reader judged it.

    ``intents`` are multi-label (question, complaint, suggestion, praise, cancellation, billing,
    other); ``emotion`` is one of Ekman's six or ``neutral``; ``intensity`` is in [0, 1].
    ``source`` names the reader, so every verdict says what it relied on.
    """

    intents: tuple[str, ...]
    emotion: str
    intensity: float
    source: str

    @property
    def primary_intent(self) -> str:
        for intent in ("cancellation", "complaint", "suggestion", "billing", "question", "praise"):
            if intent in self.intents:
                return intent
        return self.intents[0] if self.intents else "other"

    @property
    def negative(self) -> bool:
        return self.emotion in NEGATIVE_EMOTIONS


@dataclass(frozen=True, slots=True)
class RelationshipContext:
    """What is known about the relationship; every field may be empty."""

    stage: str | None = None
    phase: str | None = None
    recent_complaints: int = 0
    broken_promises: int = 0
    open_promises: int = 0
    admitted_mistakes: int = 0


@dataclass(frozen=True, slots=True)
class Draft:
    """A reply draft in its situation: the customer's message, the thread, the relationship."""

    customer_message: str
    reply: str
    context: tuple[Turn, ...] = ()
    relationship: RelationshipContext = field(default_factory=RelationshipContext)


@dataclass(frozen=True, slots=True)
class Finding:
    """One irritant or strength, pointing at the reply (``start``/``end`` None: whole reply)."""

    category: str
    kind: Kind
    start: int | None
    end: int | None
    text: str | None
    severity: Severity
    explanation: str
    suggestion: str

    def to_json(self) -> dict[str, object]:
        return {
            "category": self.category,
            "kind": self.kind,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "severity": self.severity,
            "explanation": self.explanation,
            "suggestion": self.suggestion,
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The coach's answer for one draft."""

    score: int
    reading: CustomerReading
    findings: tuple[Finding, ...]

    @property
    def irritants(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == "irritant")

    @property
    def strengths(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.kind == "strength")

    def to_json(self) -> dict[str, object]:
        return {
            "score": self.score,
            "intent": self.reading.primary_intent,
            "emotion": self.reading.emotion,
            "findings": [f.to_json() for f in self.findings],
        }
