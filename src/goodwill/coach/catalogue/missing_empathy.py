"""Irritant (whole reply): strong emotion from the customer that the reply never acknowledges."""

from __future__ import annotations

from goodwill.coach.model import Severity
from goodwill.coach.situation import ANY_INCONVENIENCE, APOLOGY, Situation
from goodwill.coach.spec import Category, Hit


def detect(s: Situation, c: Category) -> list[Hit]:
    if not s.signals.strong_emotion or s.has("empathy") or s.signals.praise_only:
        return []
    if "suggestion" in s.reading.intents and "complaint" not in s.reading.intents:
        return []  # "we're worried that…" in a feature request is not distress
    for sentence in s.sentences:
        if APOLOGY.search(sentence.text) and not ANY_INCONVENIENCE.search(sentence.text):
            return []
    severity: Severity = "high" if s.reading.intensity >= 0.75 else "medium"
    return [Hit(None, None, severity, "default", s.reading.emotion)]


CATEGORY = Category(
    name="missing_empathy",
    kind="irritant",
    order=90,
    whole_reply=True,
    summary="The customer shows strong emotion (anger, worry, distress, sadness) and nothing in "
    "the reply acknowledges it.",
    detect=detect,
    explanations={
        "default": "{name} wrote with strong {emotion}, and nothing in the reply acknowledges it; "
        "facts alone will read as cold.",
    },
    suggestions={
        "default": "Open with one sentence that names what they went through, in their terms, "
        "before the facts (and apologise for what was yours).",
    },
)
