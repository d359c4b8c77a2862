"""Coming apart (Knapp's second half): complaints handled badly, competitors, curt messages,
silence, unanswered outreach, cancellations, the meter-reading situation and the seed case.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from goodwill.demo import phrases, replies, seed_case, staff, voices
from goodwill.demo.episodes import contact, context, finish
from goodwill.demo.specials import late, outreach
from goodwill.demo.story import Story
from goodwill.demo.timeline import after, awake, customer_hour, iso, office_hours

_CARELESS = (f"sam.ortiz@{staff.DOMAIN}", f"lena.novak@{staff.DOMAIN}")


def bad_complaint(story: Story) -> None:
    """A recent complaint answered poorly, with its promise late or broken."""
    rng = story.rng
    if story.person.persona.key == "disagreeing" and rng.random() < 0.3:
        voluntary_action(story)
        return
    at = late(story, 20, 80) if story.person.persona.key != "leaving" else _before_leaving(story)
    agent = staff.BY_EMAIL[rng.choice(_CARELESS)]
    tier = "poor" if rng.random() < 0.65 else "mediocre"
    outcome = rng.choice(("late", "broken", "broken"))
    contact(story, at, "complaint", agent=agent, tier=tier, outcome=outcome, heat=2)


def _before_leaving(story: Story) -> datetime:
    days = story.rng.uniform(15, 60)
    return customer_hour(story.person.end - timedelta(days=days), story.rng)


def competitor(story: Story) -> None:
    at = late(story, 5, 25)
    thread = story.open(subject="Thinking about leaving", at=at)
    if thread is None:
        return
    text = story.rng.choice(voices.COMPETITOR_MENTIONS)
    story.say(thread, at, text, {"demo_reason": "competitor", "demo_situation": "complaint"})
    agent = story.agent()
    sent = story.reply_time(at, agent, thread.record.channel)
    tier = "mediocre" if story.rng.random() < 0.7 else "poor"
    reply = replies.support_reply(
        story.rng, context(story, agent, sent, "fees", 1), tier, situation="question"
    )
    story.answer(thread, sent, reply.body, agent, reply.attributes())
    finish(story, thread)


def long_tenure_irritation(story: Story) -> None:
    """Seed 003: a long-term customer treated no better than a new one."""
    rng, person = story.rng, story.person
    at = late(story, 90, 250)
    text = rng.choice(voices.LONG_TENURE_IRRITATION).format(
        years=max(2, person.tenure_years), year=person.since.year
    )
    category = rng.choice(("extra_charge_on_statement", "why_verify_identity"))
    contact(story, at, "complaint", category=category, text=text, heat=1, tier="mediocre")


def silent_check_in(story: Story) -> None:
    at = office_hours(late(story, 60, 140), story.rng)
    outreach(story, at, "check_in", "Checking in", answer=story.rng.choice(("All fine.", "ok")))


def unanswered_outreach(story: Story) -> None:
    """Avoiding: two or three messages from the owner, none answered."""
    count = story.rng.randint(2, 3)
    days = sorted((story.rng.uniform(7, 150) for _ in range(count)), reverse=True)
    for variant, before in enumerate(days):
        at = office_hours(customer_hour(story.end - timedelta(days=before), story.rng), story.rng)
        outreach(story, at, "check_in", "Checking in", variant=variant)


def cancellation(story: Story) -> None:
    """Terminating: the customer closes the account; bills and activity have stopped."""
    rng, person = story.rng, story.person
    at = customer_hour(person.end - timedelta(days=rng.uniform(1, 3)), rng)
    reason = rng.choice(voices.CANCELLATION_REASONS)
    text = f"{story.text('terminate_account')} {reason}"
    contact(story, at, "cancellation", category="terminate_account", text=text, heat=1)
    person.attributes["demo_cancelled_at"] = iso(person.end)


def voluntary_action(story: Story) -> None:
    """Seed 003's meter readings: an honest report answered by a payment demand (mostly)."""
    rng = story.rng
    at = late(story, 20, 80)
    thread = story.open(subject="Refund credited twice", at=at)
    if thread is None:
        return
    amount = Decimal(str(round(rng.uniform(20, 140), 2)))
    text = rng.choice(voices.VOLUNTARY_ACTION).format(
        merchant=rng.choice(voices.MERCHANTS), amount=amount
    )
    story.say(thread, at, text, {"demo_reason": "voluntary_report", "demo_situation": "report"})
    agent = staff.BY_EMAIL[rng.choice(_CARELESS)]
    tier = "poor" if rng.random() < 0.75 else "excellent"
    sent = story.reply_time(at, agent, thread.record.channel)
    ctx = context(story, agent, sent, "refund", 0)
    reply = replies.voluntary_action_reply(rng, ctx, tier)
    story.answer(thread, sent, reply.body, agent, reply.attributes())
    if tier == "poor":
        angry = "I told you about YOUR mistake and you treat me like a debtor?"
        story.say(thread, awake(after(sent, rng, (1, 20)), rng), angry, {"demo_reaction": "angry"})
    finish(story, thread)


def michael(story: Story) -> None:
    """The seed case, word for word: suggestion, by-the-book reply, angry answer."""
    rng = story.rng
    at = late(story, 18, 30)
    thread = story.open(subject="Feature suggestion: daily balance", at=at, channel="email")
    if thread is None:
        return
    fill = {
        "company": phrases.COMPANY,
        "app": "Northwind",
        "firm_reference": phrases.FIRM_REFERENCE,
    }
    case = {"demo_case": "seed_000", "demo_idea": "daily_balance"}
    story.say(thread, at, seed_case.SUGGESTION, case | {"demo_situation": "suggestion"})
    sam = staff.BY_EMAIL[f"sam.ortiz@{staff.DOMAIN}"]
    sent = story.reply_time(at, sam, "email")
    irritants = [
        "template_noise", "hollow_acknowledgement", "irrelevant_boilerplate", "boasting",
        "self_undermining", "dismissal", "unsolicited_workaround", "patronising",
        "generic_closing", "impersonal",
    ]  # fmt: skip
    reply = seed_case.fill(seed_case.REPLY, **fill)
    story.answer(
        thread, sent, reply, sam, case | {"demo_tier": "poor", "demo_irritants": irritants}
    )
    answer = seed_case.fill(seed_case.ANSWER, **fill)
    story.say(
        thread, awake(after(sent, rng, (3, 20)), rng), answer, case | {"demo_reaction": "angry"}
    )
    story.close(thread, "open")


DRIFTS: Mapping[str, Callable[[Story], None]] = {
    "bad_complaint": bad_complaint,
    "competitor": competitor,
    "long_tenure_irritation": long_tenure_irritation,
    "silent_check_in": silent_check_in,
    "unanswered_outreach": unanswered_outreach,
    "cancellation": cancellation,
    "seed_case": michael,
}
