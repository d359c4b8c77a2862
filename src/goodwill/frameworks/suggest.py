"""Which frameworks fit a customer's message and the relationship's state, in order.

Pure. A framework's purpose names the intents, lifecycle phases, emotions and Knapp stages it is
for (an empty list: any); its vector (computed when it is saved) is the static-embedding mean of
its name, description and example messages. The score adds, with the weights of
:data:`WEIGHTS`: how well each of the four fits (1 a match, :data:`ANY` when the framework names
none, :data:`UNKNOWN` when the situation does not say, 0 a mismatch) and the cosine similarity of
the message to the framework's vector (negative counts as 0). Every suggestion says why.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

WEIGHTS = {"intent": 0.35, "phase": 0.15, "emotion": 0.15, "stage": 0.1, "meaning": 0.25}
ANY = 0.5
UNKNOWN = 0.3
SECONDARY_INTENT = 0.7
PHASE_WORDS = {
    "early_days": "in their early days",
    "first_disagreement": "after a first disagreement",
    "long_term": "long-term customers",
}


@dataclass(frozen=True, slots=True)
class Candidate:
    framework_id: uuid.UUID
    version_id: uuid.UUID
    version: int
    name: str
    intents: frozenset[str]
    phases: frozenset[str]
    emotions: frozenset[str]
    stages: frozenset[str]


@dataclass(frozen=True, slots=True)
class Situation:
    """The customer's message (its intents, primary first, and emotion) and the relationship."""

    intents: tuple[str, ...]
    emotion: str | None
    phase: str | None
    stage: str | None
    vector: NDArray[np.float32]


@dataclass(frozen=True, slots=True)
class Suggestion:
    candidate: Candidate
    score: float
    why: tuple[str, ...]


def _intent_fit(c: Candidate, s: Situation) -> tuple[float, str | None]:
    if not c.intents:
        return ANY, None
    if not s.intents:
        return UNKNOWN, None
    if s.intents[0] in c.intents:
        return 1.0, f"for {s.intents[0]} messages"
    shared = [i for i in s.intents[1:] if i in c.intents]
    if shared:
        return SECONDARY_INTENT, f"for {shared[0]} messages"
    return 0.0, f"made for {', '.join(sorted(c.intents))}, not {s.intents[0]}"


def _fit(wanted: frozenset[str], have: str | None, said: str) -> tuple[float, str | None]:
    if not wanted:
        return ANY, None
    if have is None:
        return UNKNOWN, None
    if have in wanted:
        return 1.0, said
    return 0.0, None


def score_one(c: Candidate, s: Situation, cosine: float) -> Suggestion:
    intent, intent_why = _intent_fit(c, s)
    phase_said = f"for {PHASE_WORDS.get(s.phase or '', s.phase)}"
    phase, phase_why = _fit(c.phases, s.phase, phase_said)
    emotion, emotion_why = _fit(c.emotions, s.emotion, f"for a customer feeling {s.emotion}")
    stage, stage_why = _fit(c.stages, s.stage, f"for the {s.stage} stage")
    meaning = max(cosine, 0.0)
    total = (
        WEIGHTS["intent"] * intent
        + WEIGHTS["phase"] * phase
        + WEIGHTS["emotion"] * emotion
        + WEIGHTS["stage"] * stage
        + WEIGHTS["meaning"] * meaning
    )
    why = [w for w in (intent_why, phase_why, emotion_why, stage_why) if w]
    if meaning >= 0.5:
        why.append(f"close in meaning to its examples ({meaning:.2f})")
    return Suggestion(c, round(total, 4), tuple(why))


DIMENSIONS = ("intents", "phases", "emotions", "stages")


class Library:
    """The published frameworks of an organisation, ready to rank: the vectors in one matrix and
    each purpose dimension as a label matrix, so ranking 500 is a few array operations; only the
    frameworks returned are explained (:func:`score_one`, which gives the same scores)."""

    def __init__(self, candidates: Sequence[Candidate], vectors: NDArray[np.float32]) -> None:
        if len(candidates) != len(vectors):
            raise ValueError("one vector per candidate")
        self.candidates = tuple(candidates)
        matrix = np.asarray(vectors, dtype=np.float32)
        self.vectors_ = matrix.reshape(len(candidates), -1) if candidates else matrix.reshape(0, 0)
        self.labels_: dict[str, dict[str, NDArray[np.bool_]]] = {}
        self.any_: dict[str, NDArray[np.bool_]] = {}
        for dimension in DIMENSIONS:
            sets = [getattr(c, dimension) for c in self.candidates]
            self.any_[dimension] = np.array([not s for s in sets], dtype=bool)
            names = sorted(set().union(*sets)) if sets else []
            self.labels_[dimension] = {n: np.array([n in s for s in sets]) for n in names}

    def _fit(self, dimension: str, have: str | None) -> NDArray[np.float64]:
        """Per candidate: 1 a match, ANY when it names none, UNKNOWN when ``have`` is None."""
        fit = np.where(self.any_[dimension], ANY, 0.0 if have is not None else UNKNOWN)
        if have is not None and have in self.labels_[dimension]:
            fit = np.where(self.labels_[dimension][have], 1.0, fit)
        return fit

    def _intent_fit(self, intents: tuple[str, ...]) -> NDArray[np.float64]:
        if not intents:
            return self._fit("intents", None)
        fit = self._fit("intents", intents[0])
        for secondary in intents[1:]:
            labelled = self.labels_["intents"].get(secondary)
            if labelled is not None:
                fit = np.where(labelled & (fit == 0.0), SECONDARY_INTENT, fit)
        return fit

    def scores(self, situation: Situation) -> NDArray[np.float64]:
        cosines = self.vectors_ @ np.asarray(situation.vector, dtype=np.float32)
        total = (
            WEIGHTS["intent"] * self._intent_fit(situation.intents)
            + WEIGHTS["phase"] * self._fit("phases", situation.phase)
            + WEIGHTS["emotion"] * self._fit("emotions", situation.emotion)
            + WEIGHTS["stage"] * self._fit("stages", situation.stage)
            + WEIGHTS["meaning"] * np.maximum(cosines, 0.0)
        )
        return np.round(total, 4)

    def rank(self, situation: Situation, *, limit: int = 5) -> list[Suggestion]:
        """The best ``limit`` frameworks, best first (ties: by name)."""
        if not self.candidates:
            return []
        totals = self.scores(situation)
        cut = float(np.sort(totals)[::-1][min(limit, len(totals)) - 1])
        chosen = np.flatnonzero(totals >= cut)  # the top ``limit`` and anything tied with them
        cosines = self.vectors_[chosen] @ np.asarray(situation.vector, dtype=np.float32)
        scored = [
            score_one(self.candidates[i], situation, float(cos))
            for i, cos in zip(chosen, cosines, strict=True)
        ]
        scored.sort(key=lambda s: (-s.score, s.candidate.name, str(s.candidate.framework_id)))
        return scored[:limit]
