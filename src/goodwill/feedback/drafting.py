"""The words of a "closing the loop" message: pure, no database.

One personal message per customer: their name, what they suggested in their own words, what was
decided, the public note, and who writes (a person, not "the team"). The reply coach reviews it
before anyone can send it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

QUOTE_CHARS = 400

OUTCOME_LINES = {
    "planned": (
        "We have decided to build it: it is now on our plan. I will write to you again "
        "as soon as it is available."
    ),
    "shipped": (
        "Good news: it is live. It ships in this week's update, so it will be there the next "
        "time you open the app. Thank you for asking for it."
    ),
    "declined": (
        "I would rather tell you plainly than leave you waiting: it is not planned, because "
        "we have decided not to build it for now. I will let you know if that changes."
    ),
}
SUBJECTS = {
    "planned": "Your suggestion is on our plan",
    "shipped": "Your suggestion is now live",
    "declined": "About your suggestion",
}


@dataclass(frozen=True)
class LetterFacts:
    customer_name: str | None
    suggestion: str
    suggested_at: datetime
    outcome: str
    idea_title: str
    public_note: str | None
    tracker_url: str | None
    sender_name: str | None
    organisation_name: str


def first_name(name: str | None) -> str | None:
    if not name or not name.strip():
        return None
    return name.strip().split()[0]


def quote(text: str) -> str:
    """The customer's words, trimmed to a few sentences, on one line."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= QUOTE_CHARS:
        return flat
    cut = flat[:QUOTE_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def subject(facts: LetterFacts) -> str:
    return f"{SUBJECTS[facts.outcome]}: {facts.idea_title}"[:300]


def body(facts: LetterFacts) -> str:
    """The message itself, plain text."""
    name = first_name(facts.customer_name)
    when = f"{facts.suggested_at:%-d %B %Y}"
    lines = [
        f"Hello {name}," if name else "Hello,",
        "",
        f"On {when} you suggested: “{quote(facts.suggestion)}”",
        "",
        OUTCOME_LINES[facts.outcome],
    ]
    if facts.public_note and facts.public_note.strip():
        lines += ["", facts.public_note.strip()]
    if facts.tracker_url:
        lines += ["", f"You can follow it here: {facts.tracker_url}"]
    lines += ["", "Best regards,", facts.sender_name or facts.organisation_name]
    if facts.sender_name:
        lines.append(facts.organisation_name)
    return "\n".join(lines)
