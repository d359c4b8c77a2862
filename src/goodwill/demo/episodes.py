"""Episodes: a contact and everything that follows from it (reply, promise kept or not, reaction).

A promise in a reply is followed by what happened: a call-back, a refund or an update on time
(kept), after the customer chased it (late), or only the chase (broken); a promise due after
the history ends is open, one due but not kept by then is overdue. Poor replies provoke angry
answers and repeat contacts on the same reason; excellent ones earn thanks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from goodwill.demo import replies, voices
from goodwill.demo.inbound import CATEGORIES
from goodwill.demo.replies import Context, Promise, Reply
from goodwill.demo.staff import StaffMember
from goodwill.demo.story import Story, Thread
from goodwill.demo.timeline import after, awake, office_hours


def subject_for(category: str) -> str:
    return category.replace("_", " ").rstrip("?").capitalize()


def context(
    story: Story, agent: StaffMember, at: datetime, topic: str, heat: int, category: str = ""
) -> Context:
    person = story.person
    amount = Decimal(str(round(story.rng.uniform(2.5, 180.0), 2)))
    since_year = person.since.year if person.long_tenured else None
    return Context(person.first, agent, at, topic, heat, since_year, amount, category)


def heated(story: Story, text: str, heat: int) -> str:
    extra = story.rng.choice(voices.COMPLAINT_HEAT[heat])
    if story.person.long_tenured and heat == 2 and story.rng.random() < 0.4:
        years = story.person.tenure_years
        extra += " " + story.rng.choice(voices.LONG_TENURE_IRRITATION).format(
            years=years, year=story.person.since.year
        )
    return f"{text} {extra}".strip()


def contact(
    story: Story,
    at: datetime,
    situation: str,
    *,
    agent: StaffMember | None = None,
    tier: str | None = None,
    text: str | None = None,
    category: str | None = None,
    heat: int | None = None,
    repeat: bool = True,
    outcome: str | None = None,
) -> None:
    """A customer gets in touch about a contact reason of ``situation`` and is answered."""
    rng = story.rng
    category = category or story.category(situation)
    situation, topic = CATEGORIES[category]
    heat = rng.randint(*story.person.persona.heat) if heat is None else heat
    own_words = text is None
    if text is None:
        text = story.text(category)
        if situation in ("complaint", "incident"):
            text = heated(story, text, heat)
    thread = story.open(subject=subject_for(category), at=at)
    if thread is None:
        return
    if topic == "fees" and own_words:
        charge_at = at - timedelta(days=rng.uniform(1, 3))
        story.money("billing", charge_at, Decimal("2.50"), f"Fee: {subject_for(category).lower()}")
    story.say(thread, at, text, {"demo_reason": category, "demo_situation": situation})
    agent = agent or story.agent()
    tier = tier or story.tier(agent)
    respond(story, thread, at, agent, tier, (situation, topic, category), heat, outcome)
    if repeat and situation == "complaint" and _repeats(story, tier):
        again = after(at, rng, (72, 240))
        contact(story, again, situation, category=category, heat=min(2, heat + 1), repeat=False,
                text=f"{rng.choice(voices.REPEAT_CONTACT)} {story.text(category)}")  # fmt: skip


def respond(
    story: Story,
    thread: Thread,
    at: datetime,
    agent: StaffMember,
    tier: str,
    reason: tuple[str, str, str],
    heat: int,
    outcome: str | None,
) -> None:
    """The company's reply (a call note on the phone), what became of its promise, the
    customer's reaction, and the conversation's status."""
    rng = story.rng
    situation, topic, category = reason
    phone = thread.record.channel == "phone"
    sent = at + timedelta(minutes=rng.randint(4, 25)) if phone else None
    sent = sent or story.reply_time(at, agent, thread.record.channel)
    ctx = context(story, agent, sent, topic, heat, category)
    if situation == "cancellation":
        reply = replies.cancellation_reply(rng, ctx, tier)
    else:
        reply = replies.support_reply(rng, ctx, tier, situation=situation)
    then = aftermath(story, agent, reply.promise, sent, forced=outcome)
    attrs = _reply_attrs(reply, then.outcome if then else None)
    if phone:
        body = f"Call with {story.person.first}. {reply.core}".strip()
        reply_id = story.emit(kind="note", channel="phone", direction="internal", at=sent,
                              thread=thread, body=body, author=agent, attributes=attrs)  # fmt: skip
    else:
        reply_id = story.answer(thread, sent, reply.body, agent, attrs)
        react(story, thread, reply, sent, agent)
    broken = follow_through(story, thread, reply.promise, then, agent, reply_id)
    finish(story, thread, broken=broken)


def _repeats(story: Story, tier: str) -> bool:
    chance = {"excellent": 0.03, "good": 0.08, "mediocre": 0.25, "poor": 0.35}[tier]
    return story.rng.random() < chance


def _reply_attrs(reply: Reply, outcome: str | None) -> dict[str, Any]:
    attrs = reply.attributes()
    if outcome is not None:
        attrs["demo_promise"]["outcome"] = outcome
    return attrs


def finish(story: Story, thread: Thread, *, broken: bool = False) -> None:
    recent = thread.last_at > story.end - timedelta(days=5)
    if broken:
        story.close(thread, "pending")
    elif recent and story.rng.random() < 0.5:
        story.close(thread, "open")
    else:
        story.close(thread)


def react(story: Story, thread: Thread, reply: Reply, sent: datetime, agent: StaffMember) -> None:
    """The customer's answer to the reply, if any: thanks, a shrug, or anger."""
    rng = story.rng
    at = awake(after(sent, rng, (1, 30)), rng)
    roll = rng.random()
    if (reply.tier == "excellent" and roll < 0.55) or (reply.tier == "good" and roll < 0.35):
        text = rng.choice(voices.THANKS).format(agent=agent.first_name)
        story.say(thread, at, text, {"demo_reaction": "thanks"})
    elif reply.tier == "poor" and roll < 0.45:
        story.say(thread, at, rng.choice(voices.ANGRY), {"demo_reaction": "angry"})
    elif reply.tier == "mediocre" and roll < 0.2:
        story.say(thread, at, rng.choice(voices.TERSE), {"demo_reaction": "terse"})


@dataclass(frozen=True)
class Aftermath:
    """What the history shows after a promise by the window's end.

    kept: fulfilled before it was due; late: chased, then fulfilled; broken: chased, never
    fulfilled; overdue: due before the end but not (yet) kept; open: not due yet.
    """

    outcome: str
    chase_at: datetime | None = None
    fulfil_at: datetime | None = None


def aftermath(
    story: Story,
    agent: StaffMember,
    promise: Promise | None,
    sent: datetime,
    *,
    forced: str | None = None,
) -> Aftermath | None:
    if promise is None:
        return None
    due, rng = promise.due_at, story.rng
    if due >= story.end:
        return Aftermath("open")
    kept, late = agent.reliability
    roll = rng.random()
    outcome = forced or ("kept" if roll < kept else "late" if roll < kept + late else "broken")
    if outcome == "kept":
        fulfil = max(sent + timedelta(hours=1), due - timedelta(hours=2))
        return Aftermath(outcome, None, min(fulfil, due - timedelta(minutes=10)))
    chase = awake(due + timedelta(hours=rng.uniform(10, 40)), rng)
    if chase >= story.end:
        return Aftermath("overdue")
    if outcome == "broken":
        return Aftermath(outcome, chase)
    fulfil = office_hours(after(chase, rng, (20, 72)), rng)
    return Aftermath(outcome if fulfil < story.end else "overdue", chase, fulfil)


def follow_through(
    story: Story,
    thread: Thread,
    promise: Promise | None,
    then: Aftermath | None,
    agent: StaffMember,
    reply_id: str | None,
) -> bool:
    """Emit what happened after the promise; True when the customer is left waiting."""
    if promise is None or then is None or reply_id is None:
        return False
    if then.chase_at is not None:
        text = story.rng.choice(voices.CHASE[promise.kind]).format(weekday=f"{promise.due_at:%A}")
        story.say(thread, then.chase_at, text, {"demo_chases": reply_id})
    if then.fulfil_at is not None and then.fulfil_at < story.end:
        done = {"demo_fulfils": reply_id, "demo_promise_outcome": then.outcome}
        _fulfil(story, thread, promise, then.fulfil_at, agent, done)
    return then.outcome in ("broken", "overdue")


def _fulfil(
    story: Story,
    thread: Thread,
    promise: Promise,
    at: datetime,
    agent: StaffMember,
    attrs: dict[str, Any],
) -> None:
    first = story.person.first
    if promise.kind == "callback":
        body = f"Called {first} back as promised: went through the problem together, resolved."
        story.call(at, body, agent, thread=thread, attributes=attrs)
    elif promise.kind == "refund":
        amount = -Decimal(str(round(story.rng.uniform(2.5, 60.0), 2)))
        story.money("billing", at, amount, "Refund", thread=thread, attributes=attrs)
    elif promise.kind == "update":
        body = (
            f"Hi {first}, as promised, an update: it's sorted on our side and you'll see the "
            f"change in the app now.\n\n{agent.first_name}"
        )
        story.answer(thread, at, body, agent, attrs)
    else:
        story.say(thread, at, "The new card arrived today, thanks.", attrs)
