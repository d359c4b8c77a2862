"""Irritant (whole reply): no human on the other end: 'Dear customer', or signed by nobody."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit, bump, compile_phrases
from goodwill.coach.text import generic_greeting

ASKED_FOR_A_PERSON = compile_phrases(
    (r"no name|who (?:am i|are you)|a real person|a human|(?:your|a) name|robot|bot\b",)
)


def detect(s: Situation, c: Category) -> list[Hit]:
    generic = s.greeting is not None and generic_greeting(s.greeting.text)
    nameless = s.signature is not None and s.signature.human_name is None
    if not (generic or nameless):
        return []
    context = s.customer + " ".join(t.text for t in s.draft.context if t.direction == "inbound")
    asked = ASKED_FOR_A_PERSON is not None and ASKED_FOR_A_PERSON.search(context) is not None
    cooling = s.signals.coming_apart or s.signals.long_term
    severity = "high" if asked else bump("low", s.signals.strong_emotion or cooling)
    if generic and s.greeting is not None:
        return [Hit(s.greeting.start, s.greeting.end, severity, "greeting", s.greeting.text)]
    assert s.signature is not None
    text = s.reply[s.signature.start : s.signature.end]
    return [Hit(s.signature.start, s.signature.end, severity, "signature", text)]


CATEGORY = Category(
    name="impersonal",
    kind="irritant",
    order=80,
    whole_reply=True,
    summary="'Dear customer', or a reply signed by a team, a company or nobody: the customer "
    "cannot tell a person wrote it.",
    detect=detect,
    examples=("Dear Customer,", "Best regards, (no name)", "The Support Team"),
    explanations={
        "default": "Nothing shows a person wrote this; {name} cannot tell who they are dealing "
        "with.",
        "greeting": "“{trigger}” could be sent to anyone; {name} notices that nobody looked at "
        "who they are.",
        "signature": "The reply is signed by nobody in particular, so {name} has no one to hold "
        "to the answer (the seed case's customer: “there is no name on your email”).",
    },
    suggestions={
        "default": "Greet the customer by name and sign with your own first name.",
        "greeting": "Use the customer's name.",
        "signature": "Sign with your first name (and team, if useful).",
    },
)
