"""Courtesy formulas: greetings, thanks and sign-offs that stand alone as a sentence.

"Your app keeps crashing. Thank you." is a complaint: the closing "Thank you." is politeness,
not the writer's feeling about the company. For messages with a direction, the sentiment and
emotion heads read the content: the text without sentences that are nothing but such a formula
(:func:`content`), unless nothing else is left ("Thanks!" on its own stays). Politeness reads the
whole text.
"""

from __future__ import annotations

import re

FORMULA = re.compile(
    r"(?:many\s+|big\s+)?(?:thanks?|thank\s+you|thx|ty|cheers|regards|kind\s+regards|"
    r"best(?:\s+regards|\s+wishes)?|all\s+the\s+best|sincerely|yours\s+(?:sincerely|truly)|"
    r"hi|hello|hey|dear|good\s+(?:morning|afternoon|evening))"
    r"(?:\s+(?:you|again|so\s+much|very\s+much|a\s+lot|in\s+advance|all|guys|team|everyone))*"
    r"(?:[\s,]+[A-Z][\w.'-]*)?",  # a name: "Thanks, Anna", "Hi John"
    re.IGNORECASE,
)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]*|[.!?]+")
TRIM = " \t\r\n,.!?;:-—–()\"'*~"


def is_formula(sentence: str) -> bool:
    bare = sentence.strip(TRIM)
    return bool(bare) and FORMULA.fullmatch(bare) is not None


def content(text: str) -> str:
    """``text`` without its formula-only sentences, or ``text`` itself if nothing else is left."""
    kept = [s.strip() for s in SENTENCE.findall(text) if s.strip() and not is_formula(s)]
    return " ".join(kept) if kept else text
