"""What each service metric means: formula, population, attribution and parameters, as data.

The API serves this list (``GET /quality/definitions``) so a definition page renders exactly the
rule the numbers were computed with; ``metrics.py`` computes by the same names and parameters.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any, Literal

Aggregation = Literal["median", "mean", "ratio"]

FIRST_RESPONSE_TIME = "first_response_time"
HANDLING_TIME = "handling_time"
RESOLUTION_EFFICACY = "resolution_efficacy"
REOPEN_RATE = "reopen_rate"
SENTIMENT_RECOVERY = "sentiment_recovery"
IRRITANT_DENSITY = "irritant_density"
EMPATHY_WHEN_STRONG = "empathy_when_strong"
PROMISES_KEPT = "promises_kept"


@dataclass(frozen=True)
class Parameters:
    """The metrics' parameters; an organisation may set them under its ``quality`` setting."""

    repeat_window_days: int = 7
    quiet_days: int = 3
    strong_emotion: float = 0.5
    strong_negative_sentiment: float = -0.6

    @classmethod
    def from_setting(cls, setting: dict[str, Any] | None) -> Parameters:
        """The defaults, overridden by the organisation's numeric values (others are ignored)."""
        given = setting or {}
        values: dict[str, Any] = {}
        for f in fields(cls):
            value = given.get(f.name)
            if isinstance(value, int | float) and not isinstance(value, bool):
                values[f.name] = type(getattr(cls(), f.name))(value)
        return cls(**values)

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


@dataclass(frozen=True)
class Definition:
    name: str
    title: str
    kind: Literal["speed", "quality"]
    unit: str
    aggregation: Aggregation
    better: Literal["lower", "higher"]
    formula: str
    population: str
    attribution: str
    parameters: tuple[str, ...] = ()
    recalibrates: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()
    scale: float = 1.0


CONVERSATIONS = "conversations opened in the period that have at least one customer message"
HANDLER = (
    "the conversation's handler: the member who sent most of its replies (a tie goes to the one "
    "who replied last)"
)
REPLIES = "our replies in the conversations opened in the period"

DEFINITIONS: tuple[Definition, ...] = (
    Definition(
        FIRST_RESPONSE_TIME, "First response time", "speed", "hours", "median", "lower",
        "median over conversations of (first reply after the first customer message − that "
        "customer message)",
        CONVERSATIONS + " and a reply", HANDLER,
    ),
    Definition(
        HANDLING_TIME, "Handling time", "speed", "hours", "median", "lower",
        "median over conversations of (last reply − first customer message)",
        CONVERSATIONS + " and a reply", HANDLER,
    ),
    Definition(
        RESOLUTION_EFFICACY, "Resolution efficacy", "quality", "share", "ratio", "higher",
        "resolved / decided, where a conversation is resolved when the same customer sends no "
        "message on the same contact reason (any conversation) within repeat_window_days after "
        "our last reply; when the conversation has no known reason, no message at all",
        CONVERSATIONS + " and a reply; those whose window has not yet passed are pending and "
        "left out", HANDLER, ("repeat_window_days",), (HANDLING_TIME,),
        (
            "reason: the first customer message of the conversation with a contact reason "
            "(merged reasons count as the reason that absorbed them); basis by_reason",
            "fallback without a reason: any new customer message within the window, in this "
            "conversation or another (basis by_any_inbound); a thank-you note counts as a repeat "
            "there, so the fallback reads low: classify reasons for the exact measure",
        ),
    ),
    Definition(
        REOPEN_RATE, "Reopen rate", "quality", "share", "ratio", "lower",
        "reopened / answered, where a conversation is reopened when the customer writes in it "
        "after its closing time, or after one of our replies was left without an answer for at "
        "least quiet_days",
        CONVERSATIONS + " that were answered (a reply) or closed", HANDLER, ("quiet_days",),
        (HANDLING_TIME,),
        (
            "the status fields keep only the latest closing time: a conversation reopened and "
            "closed again is seen through the quiet-gap rule",
        ),
    ),
    Definition(
        SENTIMENT_RECOVERY, "Sentiment recovery", "quality", "sentiment points", "mean", "higher",
        "mean of (sentiment of the last customer message − sentiment of the first), on the "
        "sentiment analyser's score in [-1, 1]",
        CONVERSATIONS + " whose first customer message the sentiment analyser labelled negative "
        "and that have at least two analysed customer messages", HANDLER, (),
        (HANDLING_TIME, FIRST_RESPONSE_TIME),
    ),
    Definition(
        IRRITANT_DENSITY, "Irritant density", "quality", "irritants per 100 words", "ratio",
        "lower",
        "100 × irritants the reply coach found / words, over our reviewed replies",
        REPLIES + " that the reply coach has reviewed (goodwill quality review)",
        "the reply's author", (), (FIRST_RESPONSE_TIME,),
        (
            "replies not yet reviewed are left out and counted as unreviewed; the coach reviews "
            "each reply against the customer message before it and up to six earlier turns, "
            "without the relationship's state at the time",
        ),
        scale=100.0,
    ),
    Definition(
        EMPATHY_WHEN_STRONG, "Empathy when emotion is strong", "quality", "share", "ratio",
        "higher",
        "replies with the coach's empathy strength / first replies after a customer message "
        "with strong emotion",
        REPLIES + ": the first reply after a customer message whose stored emotion is negative "
        "(anger, disgust, fear, sadness) with intensity ≥ strong_emotion, or whose sentiment "
        "score ≤ strong_negative_sentiment (the coach's own thresholds); reviewed replies only",
        "the reply's author", ("strong_emotion", "strong_negative_sentiment"),
        (FIRST_RESPONSE_TIME,),
    ),
    Definition(
        PROMISES_KEPT, "Promises kept", "quality", "share", "ratio", "higher",
        "kept / (kept + kept_late + broken)",
        "promises whose outcome fell in the period (closing time; a broken promise closes at its "
        "due time)",
        "the promise's owner", (), (FIRST_RESPONSE_TIME, HANDLING_TIME),
        ("a promise made outside a conversation appears in the drill-down without one",),
    ),
)  # fmt: skip

BY_NAME = {d.name: d for d in DEFINITIONS}
NAMES = tuple(BY_NAME)


def described(parameters: Parameters) -> list[dict[str, Any]]:
    """The definitions as JSON-ready dicts, each with the values of its parameters."""
    values = parameters.as_dict()
    return [asdict(d) | {"parameters": {p: values[p] for p in d.parameters}} for d in DEFINITIONS]
