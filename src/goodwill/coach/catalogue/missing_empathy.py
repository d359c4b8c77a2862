"""Irritant (whole reply): strong emotion from the customer that the reply never acknowledges."""

from __future__ import annotations

import re

from goodwill.coach.model import Severity
from goodwill.coach.situation import ANY_INCONVENIENCE, APOLOGY, Situation
from goodwill.coach.spec import Category, Hit

# the customer frames the whole message as an idea in its first words ("Hi, a small suggestion.",
# "Feature idea: …", "It would be handy to …"): a word like "useless" inside it is about the
# product, not distress the reply must acknowledge
SUGGESTION_OPENER = re.compile(
    r"^\W*(?:(?:hi|hello|hey|dear \w+)\b[^.!?\n]{0,20}?[,.!\n]\s*)?(?:(?:just |only )?(?:a|one|"
    r"my)\s+)?(?:(?:quick|small|little|minor|simple|friendly)\s+)*(?:suggestion|idea|feature "
    r"(?:idea|request|suggestion)|request)\b|^\W*(?:feature idea|suggestion|idea)\s*:|^\W*it "
    r"would be (?:so |really |very )?(?:handy|nice|great|good|useful|helpful)\b",
    re.I,
)


def detect(s: Situation, c: Category) -> list[Hit]:
    if not s.signals.strong_emotion or s.has("empathy") or s.signals.praise_only:
        return []
    if "suggestion" in s.reading.intents and "complaint" not in s.reading.intents:
        return []  # "we're worried that…" in a feature request is not distress
    if SUGGESTION_OPENER.search(s.customer.lstrip()):
        return []
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
