"""Irritant: asking to be trusted or believed instead of showing evidence."""

from __future__ import annotations

import re

from goodwill.coach.catalogue.ownership import FAULT
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit

# "I've raised the limit so it won't happen again": the safeguard is the evidence, not an appeal
SAFEGUARD = re.compile(
    r"\b(?:i|we)(?:'ve| have) [^.!?;]{3,80}? so (?:that )?(?:it|this|that) (?:won'?t|will not|"
    r"can'?t|cannot|doesn'?t) happen",
    re.I,
)


def detect(s: Situation, c: Category) -> list[Hit]:
    hits = [
        h
        for h in s.sentence_hits(c.pattern, "medium")
        if not SAFEGUARD.search(s.reply[h.start or 0 : h.end or 0])
    ]
    if not hits:
        return []
    breach = s.signals.breach or s.signals.broken_promise or _fault_admitted(s)
    if breach:
        return [Hit(h.start, h.end, "high", "breach", h.trigger) for h in hits]
    return hits


def _fault_admitted(s: Situation) -> bool:
    """The reply, or an earlier reply in the thread, admits a mistake."""
    ours = [s.reply, *(t.text for t in s.draft.context if t.direction == "outbound")]
    return FAULT is not None and any(FAULT.search(text) for text in ours)


CATEGORY = Category(
    name="trust_appeal",
    kind="irritant",
    order=30,
    summary="'Please trust us', 'rest assured', 'we take this very seriously', 'this will never "
    "happen again': asking for trust instead of earning it; worst right after a broken promise "
    "or an admitted mistake (the Thomas and Margareth case).",
    detect=detect,
    phrases=(
        # the company's own standing offered as the proof: "As a reputable supplier, we …"
        r"as an? (?:\w+ )?(?:reputable|trusted|trustworthy|responsible|respected|ethical|honest|"
        r"established|reliable) (?:[\w-]+ ){0,2}?(?:company|firm|supplier|provider|business|bank|"
        r"insurer|lender|brand|organi[sz]ation|practice|retailer|operator|airline|partner),? "
        r"(?:we|i)\b",
        r"(?:please )?trust (?:me|us|our|that)|you can (?:always )?trust (?:me|us)|trust us to",
        r"(?:please )?(?:rest|be) (?:assured|reassured)",
        r"(?:i|we) (?:can )?(?:assure|promise|guarantee) you|(?:i|we) can (?:promise|guarantee|"
        r"assure)|(?:i|we) (?:can )?guarantee (?:that|this|it)",
        r"in (?:very |the )?(?:good|safe|capable|expert|best|trusted|experienced) hands",
        r"(?:give you|you have) (?:my|our) (?:personal )?(?:word|guarantee)|(?:my|our) personal "
        r"guarantee|you have my word",
        r"believe me|(?:this|it) (?:will|won'?t) (?:never |not )?happen again|won'?t happen again",
        r"(?:we|i) would never (?:knowingly )?(?:mislead|misuse|sell|lie|do)",
        r"we (?:have )?always (?:been|acted) (?:open|honest|transparent|fair|in)|always act in "
        r"(?:our customers'?|your) best interests?",
        r"(?:we|i)(?:'re| are) (?:a |an )?(?:[\w-]+,? (?:and )?){0,2}?(?:reputable|trustworthy|"
        r"honest|trusted|reliable|respected) (?:[\w-]+ )?(?:company|business|provider|bank|airline|"
        r"partner|insurer|agency|firm|landlord|supplier|lender|practice|organi[sz]ation|brand)",
        r"(?:we|i) (?:have )?(?:always )?(?:take|taken|treat|treated) (?:[\w\x27’]+ ){0,7}?(?:very "
        r"|"
        r"extremely |incredibly |really |most )?seriously",
        r"(?:you can )?(?:rest|sleep) easy",
        r"(?:security|safety|privacy|protection|data|reliability|quality|accuracy|integrity|"
        r"wellbeing|care)[^.!?]{0,50}(?:is|are) (?:our|my) (?:highest|top|number one|first|"
        r"absolute)"
        r" priority",
        r"(?:our|my) (?:reputation|integrity|track record) (?:speaks|is)",
        r"you can (?:rely|count) on (?:me|us)|(?:in|with) safe hands",
        r"(?:we|i)(?:'re| are) confident (?:that )?(?:this|they|your|it)",
        r"there is no need to worry|we are doing everything (?:possible|we can)",
        r"(?:all )?our (?:\w+ ){0,2}(?:are|is) (?:fully |highly |carefully |thoroughly "
        r")?(?:trained|"
        r"vetted|checked|tested)(?: professionals)?",
        r"(?:are|is) (?:carefully|thoroughly) (?:vetted|checked)",
        r"you can be (?:\w+ )?(?:confident|sure|certain) (?:that )?(?:all |every |each )?(?:we|the|"
        r"our|it|this|your)|(?:i|we) (?:want|would like|'d like|wish) to (?:reassure|assure) you\b|"
        r"with the (?:utmost|greatest|highest|upmost) (?:seriousness|importance|care and "
        r"attention)|"
        r"(?:you can be|be) assured|(?:is|are) (?:completely |totally |perfectly )?safe with us",
        r"we(?:'ll| will)? do our (?:very )?best",
    ),
    examples=(
        "Please trust us, we will get this sorted.",
        "Rest assured that all our prices are fair.",
    ),
    explanations={
        "default": "Asking {name} for trust (“{trigger}”) replaces evidence with a claim; trust "
        "comes from what you do, not from saying it.",
        "breach": "Right after a broken promise or an admitted mistake, “{trigger}” asks {name} "
        "for the very thing that was just lost, and usually deepens the anger.",
    },
    suggestions={
        "default": "Drop the appeal and give evidence: what you checked, what you changed, and "
        "when {name} will see the result.",
        "breach": "Replace it with a specific, checkable commitment (what, who, by when) and "
        "keep it; let the follow-through rebuild trust.",
    },
)
