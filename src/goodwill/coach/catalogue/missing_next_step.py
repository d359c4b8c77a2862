"""Irritant (whole reply): the customer needs something done and no concrete step is given."""

from __future__ import annotations

from goodwill.coach.situation import Situation
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


def detect(s: Situation, c: Category) -> list[Hit]:
    sig = s.signals
    unanswered = sig.question and not s.answered
    if not (sig.needs_action or unanswered) or sig.praise_only or s.resolved:
        return []
    severity = bump("medium", sig.broken_promise or sig.strong_emotion)
    vague = VAGUE.search(s.reply) if VAGUE is not None else None
    if vague:
        return [Hit(None, None, severity, "vague", vague.group(0))]
    return [Hit(None, None, severity, "suggestion" if sig.suggestion else "default")]


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
