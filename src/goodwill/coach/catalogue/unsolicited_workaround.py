"""Irritant: instructions for existing functions when the customer proposed something else."""

from __future__ import annotations

from goodwill.coach.situation import ALREADY, Situation
from goodwill.coach.spec import Category, Hit, bump


def detect(s: Situation, c: Category) -> list[Hit]:
    sig = s.signals
    if s.has("feedback_outcome") or sig.howto:
        return []
    if ALREADY.search(s.reply):
        return []
    if not (sig.suggestion or sig.complaint or sig.needs_action):
        return []
    severity = bump("medium", sig.strong_emotion)
    reason = "suggestion" if sig.suggestion else "default"
    hits = s.sentence_hits(c.pattern, severity, reason)
    if sig.suggestion:
        return hits
    # a complaint or request: a stop-gap is fine once the matter itself is being dealt with
    if any(s.has(x) for x in ("ownership", "specific_next_step")):
        return []
    return hits


CATEGORY = Category(
    name="unsolicited_workaround",
    kind="irritant",
    order=42,
    summary="Explaining how to use what already exists when the customer proposed something new "
    "or raised something else; fine for a how-to question.",
    detect=detect,
    phrases=(
        r"you can (?:always |also |already |still |easily |just |simply )?(?:check|view|see|find|"
        r"download|export|use|access|look up|track|set up|change|update|switch|turn on|increase|"
        r"save|reduce|request|pay|spread|choose|schedule|edit|create|rename|print|set|make|visit|"
        r"get|select|opt|unsubscribe|manage|try|text|log)",
        r"you could (?:always |also |just )?\w+",
        r"(?:alternatively|in the meantime|meanwhile|for now|until then),? (?:you|your \w+) "
        r"(?:can|could|may|might)",
        r"you (?:may|might) (?:want|wish|like|prefer) to|you (?:may|might) prefer",
        r"why not try|(?:have you tried|did you try) (?:using|clearing|restarting)",
        r"(?:a|one) (?:workaround|way around (?:this|it)) (?:is|would be)",
        r"(?:can|could) (?:be )?(?:viewed|downloaded|exported|changed|accessed|edited|requested)"
        r" (?:at any time|in|from|by|online)",
        r"(?:already )?(?:shows|takes)[^.!?]{0,40} into account|"
        r"(?:the|our) app already shows|we recommend (?:using|turning)",
        r"(?:by|from) (?:selecting|tapping|clicking|going to|opening) ",
        r"(?:the|an) (?:easiest|best|quickest|simplest) (?:way|option|thing)(?: for now)? (?:is|"
        r"would be)",
        r"you(?:'ll| will)? (?:can )?find (?:it|them|this|that|your \w+) (?:in|under|on)",
        r"(?:can|could) be (?:removed|deleted|managed|found|seen|checked|rearranged|booked|"
        r"updated) (?:at any time|in|from|by|online|one)",
        r"why not (?:try|use|add|switch|consider)",
        r"you can (?:already |also |always )?(?:rearrange|remove|delete|add|filter|sort|pin|share|"
        r"request|opt out)",
    ),
    examples=(
        "You can always check them from your app or browser by selecting the balance.",
        "In the meantime, you can export your transactions as a CSV file.",
    ),
    explanations={
        "default": "{name} raised something else; instructions for what already exists sidestep "
        "it and imply they had not thought of the obvious.",
        "suggestion": "{name} proposed an improvement; explaining how to use what already exists "
        "treats the idea as a support question and implies they don't know the product.",
    },
    suggestions={
        "default": "Deal with what they raised first; offer a stop-gap only as an option, after "
        "that.",
        "suggestion": "Respond to the idea itself (where it goes, when they will hear); mention "
        "an existing feature only if it truly does what they asked.",
    },
)
