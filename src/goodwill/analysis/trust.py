"""Trust signals in company messages: ownership, apology, empathy, blame, hedging.

Phrases are data (:data:`SIGNALS`), each with an example and what it tells about trust (seed 000:
accountability is ownership and follow-through; blame and hedging erode it). Spans are offsets
in the original message text. Customer (inbound) messages get no trust signals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.normalise import Normalised
from goodwill.analysis.patterns import PatternBank


@dataclass(frozen=True)
class SignalSpec:
    patterns: tuple[str, ...]
    example: str
    meaning: str


_I = r"(?:i|we)"
_WILL = r"(?:will|'ll|am going to|'m going to|are going to|'re going to|shall)"

SIGNALS: dict[str, SignalSpec] = {
    "ownership": SignalSpec(
        (
            rf"{_I}\s*{_WILL}(?:\s+personally)?\s+(?:make sure|fix|sort|resolve|correct|"
            r"take care|look into|handle|follow up|chase|own)",
            r"(?:we|i) (?:got (?:this|that|it) wrong|made (?:a|an) (?:mistake|error)|messed up|"
            r"dropped the ball|should have)",
            r"(?:that|this|it)(?:'s| is| was) (?:on us|on me|our (?:fault|mistake|error)|"
            r"my (?:fault|mistake|error))",
            r"(?:our|my) (?:mistake|fault|error)",
            r"i take (?:full )?(?:responsibility|ownership)",
            r"leave it with me",
            r"i'll personally",
        ),
        "We got this wrong, and I will fix it today.",
        "The company takes responsibility for the problem and for its resolution.",
    ),
    "apology": SignalSpec(
        (
            r"(?:i'm|i am|we're|we are|so|very|really|truly) sorry",
            r"sorry (?:for|about|that)",
            r"(?:i|we) (?:sincerely |truly )?apologi[sz]e",
            r"(?:my|our|please accept our|sincere) apologies",
            r"we regret",
        ),
        "I'm sorry for the trouble this caused.",
        "The company acknowledges that the customer was let down.",
    ),
    "empathy": SignalSpec(
        (
            r"i (?:completely |totally |fully )?understand(?: how| that| why| your)",
            r"i can (?:only )?imagine",
            r"(?:that|this) (?:must be|must have been|sounds) (?:really |so |very )?"
            r"(?:frustrating|stressful|annoying|difficult|upsetting|worrying|disappointing|hard)",
            r"i know how (?:frustrating|stressful|annoying|important|worrying)",
            r"(?:sorry|sad) to hear",
            r"i hear you",
            r"understandably",
            r"i appreciate how",
        ),
        "I can imagine how stressful it is to be without internet for a week.",
        "The reply acknowledges the customer's feelings before solving.",
    ),
    "blame": SignalSpec(
        (
            r"(?:that|this|it) is how the system works",
            r"as (?:i|we) (?:explained|mentioned|said|stated) (?:before|previously|earlier)",
            r"as (?:previously |already )(?:explained|mentioned|stated)",
            r"as (?:explained|mentioned|stated|said) (?:before|previously|earlier|already)",
            r"you (?:should have|should've|failed to|forgot to|did not|didn't|were supposed to)",
            r"(?:not|isn't|is not) our (?:fault|responsibility|problem)",
            r"(?:out of|beyond) our control",
            r"(?:our|the) (?:policy|terms) (?:clearly )?(?:states?|says?|does not|doesn't)",
            r"(?:another|a different|the other) department",
            r"according to (?:our|the) (?:records|terms)",
        ),
        "As explained before, that is how the system works.",
        "The reply pushes the fault to the customer, a policy or someone else.",
    ),
    "hedging": SignalSpec(
        (
            r"maybe|perhaps|possibly|probably|hopefully",
            r"(?:i|we) (?:think|believe|hope|guess)",
            r"(?:i|we)(?:'ll| will) try",
            r"(?:should|might|may|could) (?:be|arrive|work|take|get)",
            r"(?:it )?seems(?: like)?",
            r"not (?:entirely )?sure",
            r"as far as (?:i|we) know",
            r"usually|typically|in most cases|normally",
        ),
        "It should probably arrive next week, hopefully.",
        "Uncertain language weakens a promise and its predictability.",
    ),
}


@dataclass(frozen=True)
class TrustSignal:
    type: str
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TrustSignals:
    signals: tuple[TrustSignal, ...]

    def to_json(self) -> Any:
        return [
            {"type": s.type, "text": s.text, "start": s.start, "end": s.end} for s in self.signals
        ]


class TrustSignalDetector(Analyser[TrustSignals]):
    name: str = "trust_signals"
    version: str = "1.0.0"
    output: str = "trust_signals"
    inputs: tuple[str, ...] = ("normalised",)

    def __init__(self) -> None:
        self._bank = PatternBank({k: v.patterns for k, v in SIGNALS.items()})

    def detect(self, normalised: Normalised) -> TrustSignals:
        found = []
        for m in self._bank.finditer(normalised.text):
            start, end = normalised.to_original(m.start, m.end)
            found.append(TrustSignal(m.label, normalised.original[start:end], start, end))
        return TrustSignals(tuple(found))

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[TrustSignals]:
        return [
            TrustSignals(())
            if m.direction == "inbound"
            else self.detect(c.get("normalised", Normalised))
            for m, c in zip(messages, contexts, strict=True)
        ]
