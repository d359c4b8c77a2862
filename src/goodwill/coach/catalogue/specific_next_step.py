"""Strength: what happens next, with an owner and/or a time."""

from __future__ import annotations

import re

from goodwill.coach.catalogue import blunt_demand, template_noise
from goodwill.coach.model import Severity
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit

TIME = re.compile(
    r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month)|later today|"
    r"(?:next|this coming|on) (?:week|month|monday|tuesday|wednesday|thursday|friday|saturday|"
    r"sunday)|monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    r"end of (?:the |this |next )?(?:day|week|month)|"
    r"within (?:the )?(?:next )?(?:an? |\d+|one|two|three|a few|24|48)(?:\s*[–-]\s*\d+)?\s*"
    r"(?:working |business |calendar )?(?:minutes?|hours?|days?|weeks?|hour)|"
    r"in (?:the next )?\d+(?:\s*[–-]\s*\d+)?\s*(?:working |business )?(?:minutes|hours|days|"
    r"weeks)|in the next (?:\w+ )?(?:minutes|hour|hours|days)|\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|"
    r"\d{1,2}:\d{2}|(?:by|before|on|from|until) (?:the )?\d{1,2}(?:st|nd|rd|th)?\b|"
    r"\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)\w*|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\w* \d{1,2}\b|"
    r"(?:your|the) next (?:bill|statement|invoice|payment)|the same day|straight away|"
    r"first thing|lunchtime|this quarter|next quarter|(?:an|the) hour|\d+ minutes|"
    r"next time you (?:log|sign|open|visit|start)|over the next (?:\w+ )?(?:days|weeks|months|"
    r"years))",
    re.I,
)
FUTURE = re.compile(
    r"\b(?:will|'ll|shall|going to|is booked|are booked|(?:is|are) scheduled|scheduled for|"
    r"booked (?:for|you)|due (?:on|by|to)|should (?:arrive|reach|be|show|land|appear|go)|"
    r"(?:arrives?|reaches?|lands?|goes (?:out|live)|leaves?|starts?) (?:on|by|tomorrow|today|"
    r"within|in)|i'?ve (?:booked|set up|scheduled|arranged|put|held|sent)|expects? (?:to|it|"
    r"everything)|is on (?:its|their) way|on its way|left our|ready (?:to collect|from)|"
    r"(?:has been|have been) (?:approved|booked|scheduled) |won'?t be (?:charged|billed)|"
    r"you(?:'ll| will)? keep|(?:has|have) committed to|(?:new|revised|rebooked) (?:\w+ )?(?:date|"
    r"time|slot|appointment) is)",
    re.I,
)
PERSONAL = re.compile(
    r"\bi(?:'ll| will) (?:personally )?(?:call|email|ring|phone|text|message|write|update|contact|"
    r"check|confirm|send|let you know|get back|follow (?:this )?up|come back|chase|arrange|book|"
    r"set|add|sort|keep you|reply|watch|look|introduce|review|credit|refund|check in)",
    re.I,
)
VAGUE = re.compile(
    r"\b(?:as soon as (?:possible|we (?:have|can))|when an appointment becomes)", re.I
)
DEMAND = re.compile(r"\b(?:must|(?:is|are) (?:now )?due(?! to)|payable|you owe|failure to)\b", re.I)


def detect(s: Situation, c: Category) -> list[Hit]:
    severity: Severity = (
        "high" if s.signals.broken_promise or s.signals.strong_emotion else "medium"
    )
    hits: list[Hit] = []
    outcome = {h.start for h in s.found.get("feedback_outcome", [])}
    for sentence in s.sentences:
        text = sentence.text
        if sentence.start in outcome:
            continue  # the follow-up promised for a suggestion is the feedback outcome
        if s.in_signature(sentence.start) or VAGUE.search(text) or text.endswith("?"):
            continue
        if DEMAND.search(text) or _threatens(text):
            continue
        timed = FUTURE.search(text) and TIME.search(text)
        personal = PERSONAL.search(text) and not re.match(r"(?i)\s*if\b", text)
        if (timed or personal) and not _helpdesk(text):
            m = TIME.search(text) or PERSONAL.search(text)
            hits.append(
                Hit(sentence.start, sentence.end, severity, trigger=m.group(0) if m else "")
            )
    return hits


def _threatens(text: str) -> bool:
    """A demand backed by a threat ("…within 14 days, otherwise the claim will be closed")."""
    demand, threat = blunt_demand.CATEGORY.pattern, blunt_demand.THREAT
    return bool(demand and threat and demand.search(text) and threat.search(text))


def _helpdesk(text: str) -> bool:
    """An auto-reply's "we will respond within 3 days" is the helpdesk's promise, not a step."""
    pattern = template_noise.CATEGORY.pattern
    return pattern is not None and pattern.search(text) is not None


CATEGORY = Category(
    name="specific_next_step",
    kind="strength",
    order=45,
    summary="States what happens next, who does it and when.",
    detect=detect,
    examples=("An engineer is booked for tomorrow between 8am and 1pm; I'll text you when done.",),
    explanations={
        "default": "A concrete step with {trigger} lets {name} stop chasing: they know what comes "
        "next."
    },
    suggestions={"default": "Keep it, and make sure the promise is kept: it is a commitment now."},
)
