"""Intent of a customer message: question, complaint, suggestion, praise, cancellation, billing.

Multi-label (a message can complain about a charge and ask for a refund: ``complaint`` +
``billing`` + ``question``); ``other`` when nothing matches. Phrases are data
(:data:`INTENTS`); the sentiment analyser's result backs up ``complaint`` when a message is
strongly negative, and ``praise`` when it is strongly positive and asks for nothing. Company
(outbound) messages get ``[]``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from goodwill.analysis.base import Analyser, Context, Message
from goodwill.analysis.normalise import Normalised
from goodwill.analysis.patterns import PatternBank
from goodwill.analysis.sentiment import Sentiment

INTENTS: dict[str, tuple[str, ...]] = {
    "question": (
        r"\?",
        r"(?:how|what|when|where|why|which|who) (?:do|does|did|can|could|should|is|are|was|"
        r"will|would|long|much|many)",
        r"(?:can|could|would|will) (?:you|i|we|someone)",
        r"(?:is|are) (?:there|it|my|the) ",
        r"(?:do|does|did) (?:you|i|it|my)",
        r"i (?:was wondering|would like to know|want to know|need to know)",
        r"(?:please )?(?:let me know|tell me|explain) (?:how|what|when|why|if|whether)",
        r"is it possible",
    ),
    "complaint": (
        r"(?:not|n't|never) (?:working|work|arrived|received|been (?:resolved|fixed))",
        r"(?:still|been) waiting",
        r"(?:doesn't|does not|didn't|did not|won't|can't|cannot|couldn't) "
        r"(?:work|load|connect|open|log ?in|arrive)",
        r"broken|unacceptable|ridiculous|disgraceful|appalling|terrible|awful|horrible|worst",
        r"(?:keeps?|kept) (?:crashing|failing|freezing|declining|logging me out)|crash(?:es|ed)",
        r"(?:was|were|got|been|is|keeps being) (?:declined|rejected|blocked|cancelled|lost)",
        r"(?:an|this|the same) error|(?:doesn't|does not|didn't|did not) arrive",
        r"(?:very |so |really |extremely )?(?:disappointed|frustrated|annoyed|upset|angry|fed up)",
        r"(?:charged|billed) (?:twice|double|me again|incorrectly)",
        r"(?:wrong|damaged|missing|faulty|defective) (?:item|order|product|parcel|amount|size)",
        r"(?:poor|bad|rude|lousy) (?:service|support|experience|quality)",
        r"(?:i want to|i wish to|i'd like to) (?:complain|make a complaint)",
        r"complaint|no one (?:has )?(?:replied|responded|called)",
    ),
    "suggestion": (
        r"it would be (?:great|nice|good|helpful|useful|better|awesome) (?:if|to)",
        r"(?:you|they) (?:should|could|might want to) (?:add|consider|offer|allow|make|let|"
        r"introduce|support|have)",
        r"(?:please|could you|can you|why not) (?:add|consider adding|introduce|support|allow)",
        r"suggest\w*|propos(?:e|al)|(?:i|we) recommend (?:that|adding|you)",
        r"(?:missing|new) feature|feature (?:request|idea)|idea for",
        r"(?:i|we)(?: would|'d) (?:like|love) to see|would love (?:it if|a|an|the option)",
        r"i wish (?:you|there|it|the app)",
        r"(?:would|could) be (?:improved|better) (?:if|by)",
        r"consider (?:adding|offering|making)",
    ),
    "praise": (
        r"(?:thank you|thanks) (?:so|very) much",
        r"(?:great|excellent|amazing|fantastic|brilliant|outstanding|superb|wonderful) "
        r"(?:service|support|job|work|help|app|product|team|experience)",
        r"(?:well done|kudos|keep up the good work|you(?:'re| are) (?:the best|amazing|great))",
        r"(?:i|we) (?:love|really like|am impressed|was impressed|are impressed)",
        r"(?:very|really|so) (?:helpful|impressed|pleased|happy with)",
        r"best (?:bank|app|service|support|company|experience)",
    ),
    "cancellation": (
        r"(?:cancel|terminate|end|close|stop|quit) (?:my|our|the) (?:\w+ )?"
        r"(?:subscription|account|plan|membership|contract|service|policy|package)",
        r"(?:delete|deactivate|close) my account",
        r"unsubscribe|cancellation",
        r"(?:switch|switching|move|moving|go|going) (?:to|over to) (?:another|a different|a "
        r"competitor|your competitor)",
        r"(?:i'm|i am|we're|we are) (?:leaving|done with you|taking my business elsewhere)",
        r"(?:do not|don't) want to (?:continue|renew|stay)",
    ),
    "billing": (
        r"invoices?|bills?|billing|billed|charges?|charged|refunds?|refunded|payments?|paid|pay|"
        r"fees?|prices?|pricing|overcharged|direct debit|receipts?|vat|discount|"
        r"renewal|instal?ments?|credit card|debit card|statement|subscription (?:cost|fee|price)",
    ),
}
OTHER = "other"
STRONG_FEELING = 0.6  # |sentiment score| that counts as complaint / praise on its own


@dataclass(frozen=True)
class Intent:
    labels: tuple[str, ...]

    def to_json(self) -> Any:
        return list(self.labels)


class IntentClassifier(Analyser[Intent]):
    name: str = "intent"
    version: str = "1.0.0"
    output: str = "intent"
    inputs: tuple[str, ...] = ("normalised", "sentiment")

    def __init__(self) -> None:
        self._bank = PatternBank(INTENTS)

    def classify(self, text: str, sentiment: Sentiment | None = None) -> Intent:
        found = self._bank.labels_in(text)
        if sentiment is not None:
            if sentiment.score <= -STRONG_FEELING:
                found.add("complaint")
            elif sentiment.score >= STRONG_FEELING and not found:
                found.add("praise")  # warm words alone, with no request in them
        labels = tuple(label for label in INTENTS if label in found)
        return Intent(labels or (OTHER,))

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Intent]:
        return [
            Intent(())
            if m.direction == "outbound"
            else self.classify(c.get("normalised", Normalised).text, c.get("sentiment", Sentiment))
            for m, c in zip(messages, contexts, strict=True)
        ]
