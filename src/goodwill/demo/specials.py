"""The episodes that make a persona's stage recognisable: praise, referrals, ideas, outreach that
goes unanswered, the first bill, an upgrade, a complaint handled well or badly, a cancellation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal

from goodwill.demo import phrases, replies, staff, voices
from goodwill.demo.episodes import contact, context, finish, react
from goodwill.demo.ideas import CONSUMER_IDEAS, LOOP_CLOSED, Idea
from goodwill.demo.personas import PLAN_PRICES
from goodwill.demo.staff import StaffMember
from goodwill.demo.story import Story
from goodwill.demo.timeline import add_months, after, awake, customer_hour, office_hours, place

_UPGRADES = {"Standard": "Plus", "Plus": "Premium"}


def owner(story: Story) -> StaffMember:
    return staff.BY_EMAIL[story.person.owner_email]


def late(story: Story, low_days: int, high_days: int) -> datetime:
    """A customer's moment between ``high_days`` and ``low_days`` before the window ends."""
    days = story.rng.uniform(low_days, high_days)
    return customer_hour(story.end - timedelta(days=days), story.rng)


def outreach(
    story: Story,
    at: datetime,
    kind: str,
    subject: str,
    *,
    answer: str | None = None,
    variant: int | None = None,
    **values: str,
) -> None:
    """A proactive message from the relationship's owner; the customer answers it or not."""
    agent, person = owner(story), story.person
    thread = story.open(subject=subject, at=at, channel="email")
    if thread is None:
        return
    fields = {"first": person.first, "agent": agent.first_name, "years": str(person.tenure_years)}
    fields |= {"plan": person.plan_at(at), **values}
    texts = phrases.OUTREACH[kind]
    template = story.rng.choice(texts) if variant is None else texts[variant % len(texts)]
    body = template.format(**fields)
    story.answer(thread, at, body, agent, {"demo_outreach": kind})
    if answer is None:  # a question left unanswered waits for the customer; news does not
        story.close(thread, "pending" if kind == "check_in" else "closed")
        return
    story.say(thread, awake(after(at, story.rng, (4, 96)), story.rng), answer)
    story.close(thread)


def welcome(story: Story) -> None:
    at = story.person.since + timedelta(minutes=story.rng.randint(5, 50))
    outreach(story, at, "welcome", "Welcome to Northwind Money")


def _first_bill(story: Story) -> tuple[datetime, Decimal] | None:
    price = Decimal(PLAN_PRICES[story.person.plan])
    first = add_months(story.person.since, 1).replace(hour=6, minute=0)
    return (first, price) if price > 0 else None


def first_bill_notice(story: Story) -> None:
    """Early days done well (seed 003): explain the first bill before it arrives."""
    bill = _first_bill(story)
    if bill is None or story.rng.random() < 0.3:
        return
    at = office_hours(story.person.since + timedelta(days=story.rng.uniform(1, 6)), story.rng)
    day, price = f"{bill[0]:%A %d %B}", f"${bill[1]}"
    outreach(story, at, "first_bill", "Your first bill", day=day, price=price)


def first_bill_question(story: Story) -> None:
    """Early days without the explanation: the first bill surprises the customer."""
    bill = _first_bill(story)
    if bill is None:
        return
    at = customer_hour(bill[0] + timedelta(days=story.rng.uniform(0.5, 4)), story.rng)
    text = story.rng.choice(voices.FIRST_BILL_QUESTIONS).format(amount=bill[1])
    contact(story, at, "question", category="first_bill", text=text, heat=0)


def plan_upgrade(story: Story) -> None:
    """Intensifying: the customer asks about a bigger plan, and moves to it."""
    person, rng = story.person, story.rng
    new_plan = _UPGRADES.get(person.plan)
    if new_plan is None:
        return
    at = customer_hour(place(rng, person.start, person.end, "late"), rng)
    person.plan_changes.append((at + timedelta(days=1), new_plan))
    person.attributes["plan"] = new_plan
    thread = story.open(subject="Changing my plan", at=at)
    if thread is None:
        return
    story.say(thread, at, rng.choice(voices.UPGRADE_REQUESTS), {"demo_reason": "plan_upgrade"})
    agent = owner(story)
    sent = story.reply_time(at, agent, thread.record.channel)
    day = f"{add_months(sent, 1):%d %B}"
    body = phrases.OUTREACH["upgrade_confirmed"][0].format(
        first=person.first, plan=new_plan, price=f"${PLAN_PRICES[new_plan]}", day=day,
        agent=agent.first_name,
    )  # fmt: skip
    story.answer(thread, sent, body, agent, {"demo_tier": "excellent"})
    story.close(thread)


def card_expiry(story: Story) -> None:
    if story.rng.random() < 0.5:
        at = office_hours(place(story.rng, story.person.start, story.end, "uniform"), story.rng)
        outreach(story, at, "card_expiry", "Your new card", answer="Thanks!")


def praise(story: Story) -> None:
    for _ in range(story.rng.randint(1, 2)):
        at = customer_hour(place(story.rng, story.person.start, story.end, "late"), story.rng)
        agent = story.agent()
        text = story.rng.choice(voices.PRAISE).format(
            agent=agent.first_name, years=max(2, story.person.tenure_years)
        )
        _simple(story, at, "Thank you", text, "praise", agent)


def _simple(
    story: Story, at: datetime, subject: str, text: str, reason: str, agent: StaffMember
) -> None:
    """An inbound message with a short, tiered acknowledgement."""
    thread = story.open(subject=subject, at=at)
    if thread is None:
        return
    story.say(thread, at, text, {"demo_reason": reason, "demo_situation": reason})
    sent = story.reply_time(at, agent, thread.record.channel)
    tier = story.tier(agent)
    reply = replies.praise_reply(context(story, agent, sent, "account", 0), tier)
    story.answer(thread, sent, reply.body, agent, reply.attributes())
    story.close(thread)


def referral(story: Story) -> None:
    """Bonding: the customer brings friends (who appear as new customers)."""
    for friend, joined in story.person.referral_friends:
        at = customer_hour(joined - timedelta(days=story.rng.uniform(1, 6)), story.rng)
        text = story.rng.choice(voices.REFERRALS).format(friend=friend)
        _simple(
            story, max(at, story.person.start), "A friend of mine", text, "referral", owner(story)
        )


def tenure_thanks(story: Story) -> None:
    at = office_hours(late(story, 60, 300), story.rng)
    answer = "That's a lovely surprise, thank you!"
    outreach(story, at, "tenure_thanks", "Thank you for staying with us", answer=answer)


def suggestion(story: Story, idea: Idea | None = None) -> None:
    """An idea sent in; only some replies say what happens to it, and only some loops close."""
    rng, person = story.rng, story.person
    idea = idea or rng.choice(CONSUMER_IDEAS)
    at = customer_hour(place(rng, person.start, story.end, "uniform"), rng)
    thread = story.open(subject="A suggestion for the app", at=at)
    if thread is None:
        return
    attrs = {"demo_reason": "suggestion", "demo_situation": "suggestion", "demo_idea": idea.key}
    story.say(thread, at, rng.choice(idea.phrasings), attrs)
    agent = story.agent()
    tier = story.tier(agent)
    sent = story.reply_time(at, agent, thread.record.channel)
    reply = replies.suggestion_reply(rng, context(story, agent, sent, "account", 0), tier, idea)
    story.answer(thread, sent, reply.body, agent, reply.attributes() | {"demo_idea": idea.key})
    react(story, thread, reply, sent, agent)
    finish(story, thread)
    close_loop(story, idea, at, agent, tier)


def close_loop(story: Story, idea: Idea, asked: datetime, agent: StaffMember, tier: str) -> None:
    """Tell the customer what became of their idea (recommendation 5 of seed 000) - or don't."""
    window = story.world.window
    if idea.outcome is None:
        return
    decided = window.start + timedelta(days=window.days * _DECISION_POINT[idea.outcome])
    chance = {"excellent": 0.9, "good": 0.6, "mediocre": 0.1, "poor": 0.05}[tier]
    if decided <= asked or story.rng.random() >= chance:
        return
    at = office_hours(decided + timedelta(days=story.rng.uniform(0, 5)), story.rng)
    thread = story.open(subject=f"Your idea: {idea.title}", at=at, channel="email")
    if thread is None:
        return
    body = LOOP_CLOSED[idea.outcome].format(
        first=story.person.first, month=f"{asked:%B}", title=idea.title, agent=agent.first_name
    )
    story.answer(thread, at, body, agent, {"demo_idea": idea.key, "demo_loop": idea.outcome})
    story.close(thread)


_DECISION_POINT = {"shipped": 0.7, "planned": 0.85, "declined": 0.6}


def recovered_complaint(story: Story) -> None:
    """An angry complaint, owned and fixed by the best of the team, then warm words."""
    at = late(story, 50, 130)
    agent = staff.BY_EMAIL[story.rng.choice(("maria.lopez", "priya.shah")) + f"@{staff.DOMAIN}"]
    contact(story, at, "complaint", agent=agent, tier="excellent", heat=2, outcome="kept")
    later = customer_hour(at + timedelta(days=story.rng.uniform(15, 45)), story.rng)
    if later < story.end:
        text = f"Thanks again to {agent.first_name} for how my problem was handled. Really good."
        _simple(story, later, "Thank you", text, "praise", agent)


SPECIALS: Mapping[str, Callable[[Story], None]] = {
    "welcome": welcome,
    "first_bill_notice": first_bill_notice,
    "first_bill_question": first_bill_question,
    "upgrade": plan_upgrade,
    "card_expiry": card_expiry,
    "praise": praise,
    "referral": referral,
    "tenure_thanks": tenure_thanks,
    "suggestion": suggestion,
    "recovered_complaint": recovered_complaint,
}
