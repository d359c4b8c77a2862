"""The coach's review of a framework: its text, as operators would send it, against customer
messages of the kind it is meant for.

Pure (the caller passes the organisation's real messages). Each framework is rendered twice —
every conditional block taken, then every else-branch — with sample values in its variables and
a neutral stand-in sentence in its personal slots (findings inside the stand-in are dropped),
and each rendering is reviewed against every representative message:
the built-in ones for its intents (:data:`REPRESENTATIVE`) plus the organisation's own recent
inbound messages of those intents. A *blocking* finding is an irritant in the framework's own
text that the operator's slots cannot fix: any medium or high irritant, or one of
:data:`ALWAYS_BLOCKING` at any severity. Whole-reply findings (missing empathy, missing next
step) block only when the framework has no personal slot that could carry what is missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from goodwill.coach.engine import Coach
from goodwill.coach.model import Draft, Finding, RelationshipContext
from goodwill.frameworks import blocks as blocks_mod
from goodwill.frameworks.blocks import Block

REPRESENTATIVE: dict[str, tuple[str, ...]] = {
    "question": (
        "How long does a transfer to another bank usually take? I sent one on Monday.",
        "Can I change the delivery address on my order before it ships?",
    ),
    "complaint": (
        "This is the third time I have been charged twice. Nobody has fixed it and I am fed up.",
        "You promised a call back yesterday and nobody called. Really disappointed.",
    ),
    "suggestion": (
        "It would be great if the app could export statements as a spreadsheet.",
        "Please add a way to group my payments by category, I would use it every week.",
    ),
    "praise": (
        "Thank you so much, Ana sorted everything out within an hour. Brilliant service!",
        "Just wanted to say the new dashboard is really useful, well done.",
    ),
    "cancellation": (
        "I want to cancel my subscription, it is too expensive for what I use.",
        "Please close my account. After the last outage I have had enough.",
    ),
    "billing": (
        "My invoice this month is higher than usual, can you explain the extra charge?",
        "I was billed for a plan I downgraded last month.",
    ),
    "other": ("Hello, I have a question about my account.",),
}
SAMPLE_VALUES: dict[str, str] = {
    "customer_name": "Sam Taylor",
    "customer_first_name": "Sam",
    "tenure": "4 years",
    "tenure_years": "4",
    "products": "Premium plan, travel card",
    "last_interaction": "your message of 2 December about a card payment",
    "open_promises": "the refund of the second charge by Friday",
    "idea_title": "export statements as a spreadsheet",
    "idea_status": "planned",
    "operator_name": "Ana",
}
ALWAYS_BLOCKING = frozenset(
    {
        "template_noise",
        "irrelevant_boilerplate",
        "generic_closing",
        "patronising",
        "boasting",
        "self_undermining",
        "trust_appeal",
        "blame_shifting",
    }
)
WHOLE_REPLY = frozenset({"missing_empathy", "missing_next_step"})
# what a slot stands for while the fixed text is reviewed; findings inside it are dropped
STAND_IN = "I have looked into this myself, and I will write to you again on Friday."
MAX_REAL = 6


@dataclass(frozen=True, slots=True)
class Purpose:
    intents: tuple[str, ...] = ()
    phases: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    stages: tuple[str, ...] = ()


@dataclass(slots=True)
class Review:
    """What the coach found over every sample; ``passed`` when nothing blocks publication."""

    samples: int
    score_min: int
    score_mean: float
    blocking: list[dict[str, Any]] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.blocking

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "samples": self.samples,
            "score_min": self.score_min,
            "score_mean": round(self.score_mean, 1),
            "blocking": self.blocking,
            "findings": self.findings,
        }


def messages_for(purpose: Purpose, real: Sequence[str] = ()) -> list[str]:
    """The built-in messages of the purpose's intents (all intents when none is named), then
    up to :data:`MAX_REAL` of the organisation's own."""
    intents = purpose.intents or tuple(k for k in REPRESENTATIVE if k != "other")
    built_in = [m for i in intents for m in REPRESENTATIVE.get(i, REPRESENTATIVE["other"])]
    return built_in + [m for m in real if m.strip()][:MAX_REAL]


def _blocks(finding: Finding, has_slots: bool) -> bool:
    if finding.kind != "irritant":
        return False
    if finding.category in WHOLE_REPLY or finding.start is None:
        return not has_slots and finding.severity != "low"
    return finding.category in ALWAYS_BLOCKING or finding.severity != "low"


def _renderings(parsed: list[Block]) -> list[tuple[str, list[tuple[int, int]]]]:
    """Every then-branch, then every else-branch, with sample values and stand-in slots."""
    found: dict[str, list[tuple[int, int]]] = {}
    for force in (True, False):
        rendered = blocks_mod.render(parsed, values=SAMPLE_VALUES, facts={}, force=force)
        text, spans = rendered.with_slots_as(STAND_IN)
        if text.strip():
            found.setdefault(text, spans)
    return list(found.items())


def _in_stand_in(finding: Finding, spans: list[tuple[int, int]]) -> bool:
    if finding.start is None or finding.end is None:
        return False
    return any(finding.start < end and start < finding.end for start, end in spans)


def review(coach: Coach, parsed: list[Block], purpose: Purpose, real: Sequence[str] = ()) -> Review:
    """Run the coach over the framework for every representative message."""
    has_slots = bool(blocks_mod.slots_of(parsed))
    context = RelationshipContext(phase=purpose.phases[0] if purpose.phases else None)
    renderings = _renderings(parsed)
    messages = messages_for(purpose, real)
    pairs = [(text, spans, m) for text, spans in renderings for m in messages]
    if not pairs:
        return Review(0, 0, 0.0, [{"category": "empty", "severity": "high", "text": None}])
    verdicts = coach.review_batch([Draft(m, t, (), context) for t, _, m in pairs])
    scores = [v.score for v in verdicts]
    result = Review(len(pairs), min(scores), sum(scores) / len(scores))
    seen: set[tuple[str, str | None]] = set()
    for (_, spans, _), verdict in zip(pairs, verdicts, strict=True):
        for finding in verdict.findings:
            key = (finding.category, finding.text)
            if key in seen or _in_stand_in(finding, spans):
                continue
            seen.add(key)
            shown = finding.to_json()
            result.findings.append(shown)
            if _blocks(finding, has_slots):
                result.blocking.append(shown)
    return result
