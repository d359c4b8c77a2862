"""Strength: the greeting uses the customer's name."""

from __future__ import annotations

from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit
from goodwill.coach.text import greeting_name


def detect(s: Situation, c: Category) -> list[Hit]:
    if s.greeting is None:
        return []
    span = greeting_name(s.greeting.text)
    if span is None:
        return []
    end = s.greeting.start + span[1]
    return [Hit(s.greeting.start, end, "low", trigger=s.greeting.text[span[0] : span[1]])]


CATEGORY = Category(
    name="personal_address",
    kind="strength",
    order=10,
    summary="The reply greets the customer by name.",
    detect=detect,
    examples=("Hi Michael,", "Dear Mrs Doyle,"),
    explanations={
        "default": "Greeting {trigger} by name shows a person wrote this for them, not a template.",
    },
    suggestions={"default": "Keep it; sign with your own name too."},
)
