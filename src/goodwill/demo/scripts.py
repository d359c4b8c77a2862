"""A customer's whole story: the decisions that shape it, the background, contacts and specials."""

from __future__ import annotations

from datetime import timedelta

from goodwill.demo import mailthreads, recurring, voices
from goodwill.demo.b2b import B2B_SPECIALS
from goodwill.demo.drifts import DRIFTS
from goodwill.demo.episodes import contact
from goodwill.demo.people import pick
from goodwill.demo.specials import SPECIALS, plan_upgrade
from goodwill.demo.story import Story
from goodwill.demo.timeline import customer_hour, place

MAIL_SHARE = 0.125  # customers with one e-mail thread in the mbox archive
LEAVE_WITHIN_DAYS = 420  # leaving customers close their account up to this long before today


def tell(story: Story) -> None:
    person = story.person
    if "cancellation" in person.persona.specials:
        # customers leave all through the history, not only lately, so the termination-risk
        # model has earlier departures to learn from; never before three months of custom
        leaves = story.end - timedelta(days=story.rng.uniform(10, LEAVE_WITHIN_DAYS))
        earliest = person.start + timedelta(days=90)
        person.end = min(story.end - timedelta(days=10), max(earliest, leaves))
    if "upgrade" in person.persona.specials:
        plan_upgrade(story)
    if not person.persona.b2b or person.attributes.get("billing_contact"):
        recurring.billing(story)
    recurring.usage(story)
    recurring.purchases(story)
    recurring.surveys(story)
    routine(story)
    for special in person.persona.specials:
        run_special(story, special)
    if not person.persona.b2b and story.rng.random() < MAIL_SHARE:
        mailthreads.thread(story)


def run_special(story: Story, name: str) -> None:
    if name in ("upgrade", "terse"):
        return  # done before: an upgrade changes the bills, curtness shapes routine contacts
    handler = SPECIALS.get(name) or DRIFTS.get(name) or B2B_SPECIALS[name]
    handler(story)


def routine(story: Story) -> None:
    """Everyday contacts, placed by the persona's shape (rising, falling, early...)."""
    person, rng = story.person, story.rng
    persona = person.persona
    middle = person.start + (person.end - person.start) / 2
    for _ in range(rng.randint(*persona.contacts)):
        at = customer_hour(place(rng, person.start, person.end, persona.shape), rng)
        situation = pick(rng, persona.situations)
        if "terse" in persona.specials and at > middle:
            category = story.category(situation)
            text = f"{story.text(category)} {rng.choice(voices.TERSE_ENDINGS)}"
            contact(story, at, situation, category=category, text=text, heat=0)
        else:
            contact(story, at, situation)
