"""Irritant (whole reply): the customer needs something done and no concrete step is given."""

from __future__ import annotations

import re

from goodwill.coach.situation import ANY_INCONVENIENCE, APOLOGY, Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases

VAGUE = compile_phrases(
    (
        r"(?:we|someone|the team|our \w+ team) will (?:look into|be in touch|get back|contact you|"
        r"update you)[^.!?]*",
        r"(?:will be|are) (?:looking into|contacted when|in the queue)[^.!?]*",
        r"as soon as (?:possible|we have more information)|in due course|(?:called|contacted) back "
        r"in turn",
    )
)

# a conditional step for a fault that persists: "if it still doesn't open", "if that fails"
TROUBLESHOOT = re.compile(
    r"\bif (?:it|that|this|the (?:\w+ ){0,2}\w+) (?:still )?(?:doesn['’]?t|does not|won['’]?t|"
    r"will not|isn['’]?t|is not|fails?)\b[^.!?]{0,40}?,\s*(?:please )?(?:try|tap|click|press|go|"
    r"open|restart|hold|select|use|scan|call|reply|send|e-?mail|message|ring|text)\b",
    re.I,
)


def detect(s: Situation, c: Category) -> list[Hit]:
    sig = s.signals
    unanswered = sig.question and not s.answered
    # the reply itself shows a matter was raised: it refuses, blames or apologises for it
    raised = any(s.has(x) for x in ("dismissal", "blame_shifting")) or _formula_apology(s)
    if not (sig.needs_action or unanswered or raised) or sig.praise_only or s.resolved:
        return []
    # a troubleshooting step the customer can take now ("if it still doesn't open, tap …") is
    # the next step for a fault
    if TROUBLESHOOT.search(s.reply):
        return []
    severity = bump("medium", sig.broken_promise or sig.strong_emotion)
    vague = VAGUE.search(s.reply) if VAGUE is not None else None
    if vague:
        return [Hit(None, None, severity, "vague", vague.group(0))]
    return [Hit(None, None, severity, "suggestion" if sig.suggestion else "default")]


def _formula_apology(s: Situation) -> bool:
    return any(
        APOLOGY.search(x.text) is not None and ANY_INCONVENIENCE.search(x.text) is not None
        for x in s.sentences
    )


CATEGORY = Category(
    name="missing_next_step",
    kind="irritant",
    order=95,
    whole_reply=True,
    summary="The customer needs something done (a complaint, a problem, a request, a suggestion) "
    "and the reply gives no completed action and no concrete next step, owner or time.",
    detect=detect,
    explanations={
        "default": "{name} needs something done, and the reply neither reports an action nor "
        "says who will do what by when, so they will have to chase.",
        "vague": "“{trigger}” names no owner and no time; {name} still does not know what "
        "happens next.",
        "suggestion": "Nothing tells {name} what happens to their suggestion or whether they will "
        "ever hear about it.",
    },
    suggestions={
        "default": "Add one concrete step: what you will do, who does it and by when (“I'll "
        "call you on Thursday before noon”).",
        "vague": "Replace it with a named owner and a date.",
        "suggestion": "Say where the idea goes, when it is reviewed and that you will tell them "
        "the outcome.",
    },
)
