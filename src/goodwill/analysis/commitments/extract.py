"""Find the promises in a company message: text, owner, due time, character span.

Sentences are split first (abbreviations such as "Dr." do not end one); questions and sentences
that open with a condition ("If you send the photos, we will …") hold no promise. In the rest,
every promise opening (:mod:`.phrases`) starts a clause that runs to the next opening or the end
of the sentence; a clause whose future form is followed by a negation or a hedge ("will not",
"I'll try") is dropped. The due time is resolved from the clause's words by :mod:`.due`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from goodwill.analysis.commitments.due import resolve_due
from goodwill.analysis.commitments.phrases import (
    ABBREVIATIONS,
    ADVERBS,
    CONDITIONS,
    LET_ME,
    NOT_AN_ACTION,
    PROMISE,
    SUBJECTS,
    YOU_RECEIVE,
)

OPENING = re.compile(
    "|".join([PROMISE, YOU_RECEIVE, LET_ME, *(s + ADVERBS for s in SUBJECTS)]), re.IGNORECASE
)
NEGATED = re.compile(NOT_AN_ACTION, re.IGNORECASE)
CONDITION = re.compile(CONDITIONS, re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?]+(?=\s+|$)|\n+|;\s+|\s+[—–]\s+")
CONNECTOR = re.compile(r"(?:,?\s*(?:and|but|so|then)?\s*|,\s*)$", re.IGNORECASE)
TRAILING = " \t,.;:!—–-"


@dataclass(frozen=True)
class Found:
    text: str
    owner: str  # "agent" | "company"
    start: int
    end: int
    due_at: datetime | None
    due_text: str | None


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of each sentence; an abbreviation's full stop is no end."""
    start = 0
    for m in SENTENCE_END.finditer(text):
        words = text[start : m.start()].split()
        last = words[-1].lower().rstrip(".") if words else ""
        if m.group().startswith(".") and last in ABBREVIATIONS:
            continue
        yield start, m.end() if m.group().startswith("?") else m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text)


def _owner(m: re.Match[str]) -> str:
    return (
        "agent"
        if m["agent"] or m["promise"] or (m["letme"] and "me" in m.group().lower())
        else "company"
    )


def _clauses(text: str, start: int, end: int) -> Iterator[tuple[int, int, str]]:
    sentence = text[start:end]
    if sentence.rstrip().endswith("?") or CONDITION.search(sentence):
        return
    openings = list(OPENING.finditer(sentence))
    for i, m in enumerate(openings):
        if NEGATED.match(sentence, m.end()):
            continue
        begin = m.start("elided") + m["elided"].lower().rindex("will") if m["elided"] else m.start()
        stop = openings[i + 1].start() if i + 1 < len(openings) else len(sentence)
        clause = _trim(sentence[begin:stop])
        if len(clause.split()) >= 2:
            yield start + begin, start + begin + len(clause), _owner(m)


def _trim(clause: str) -> str:
    """Drop a dangling connector (", and", " but") and trailing punctuation."""
    connector = CONNECTOR.search(clause)
    if connector is not None:
        clause = clause[: connector.start()]
    return clause.rstrip(TRAILING)


def find_commitments(text: str, sent_at: datetime | None) -> list[Found]:
    """Promises in ``text``; spans index ``text`` itself."""
    found = []
    plain = text.replace("’", "'")  # same length: offsets stay valid
    for s_start, s_end in sentences(plain):
        for start, end, owner in _clauses(plain, s_start, s_end):
            clause = text[start:end]
            due_at, due_text = resolve_due(clause, sent_at) if sent_at else (None, None)
            found.append(Found(clause, owner, start, end, due_at, due_text))
    return found
