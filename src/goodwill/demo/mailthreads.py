"""E-mail threads for the mbox archive, so the demo exercises the e-mail import path too.

Each thread: the customer's message to support, the team member's reply quoting it, and now and
then the customer's answer and a last word from the team. Replies quote what they answer (the
importer strips quoted history and signatures).
"""

from __future__ import annotations

from datetime import datetime

from goodwill.demo import inbound, replies, staff, voices
from goodwill.demo.episodes import context, subject_for
from goodwill.demo.people import pick
from goodwill.demo.records import EmailRecord
from goodwill.demo.story import Story
from goodwill.demo.timeline import after, awake, customer_hour, place

SUPPORT = f"Northwind Money Support <support@{staff.DOMAIN}>"
_SITUATIONS = {"question": 0.55, "complaint": 0.3, "onboarding": 0.15}


def quote(record: EmailRecord, name: str) -> str:
    quoted = "\n".join(f"> {line}" if line else ">" for line in record.body.splitlines())
    return f"On {record.sent_at:%a, %d %b %Y at %H:%M}, {name} wrote:\n{quoted}"


def _message_id(story: Story, n: int, domain: str) -> str:
    return f"<{story.person.external_id.lower()}.m{n}@{domain}>"


def thread(story: Story) -> None:
    """One e-mail thread between the customer and a team member."""
    rng, person = story.rng, story.person
    at = customer_hour(place(rng, person.start, person.end, "uniform"), rng)
    category = story.category(pick(rng, _SITUATIONS))
    situation, topic = inbound.CATEGORIES[category]
    customer = f"{person.name} <{person.email}>"
    domain = person.email.split("@", 1)[1]
    first = EmailRecord(
        message_id=_message_id(story, 1, domain),
        sender=customer,
        recipient=SUPPORT,
        sent_at=at,
        subject=subject_for(category),
        body=f"Hi,\n\n{story.text(category)}\n\nThanks,\n{person.first}",
    )
    agent = story.agent()
    tier = story.tier(agent)
    sent = story.reply_time(at, agent, "email")
    ctx = context(story, agent, sent, topic, 0, category)
    reply = replies.support_reply(rng, ctx, tier, situation=situation)
    body = f"{reply.body}\n\n{quote(first, person.name)}"
    second = _answer(first, _message_id(story, 2, staff.DOMAIN), sent, body, agent.mailbox)
    messages = [first, second]
    if rng.random() < 0.45:
        text = rng.choice(voices.THANKS if tier in ("excellent", "good") else voices.ANGRY)
        body = f"{text.format(agent=agent.first_name)}\n\n{quote(second, agent.name)}"
        at = awake(after(sent, rng, (1, 30)), rng)
        messages.append(_answer(second, _message_id(story, 3, domain), at, body, customer))
    if all(m.sent_at < story.end for m in messages):
        story.world.book.emails.append(messages)


def _answer(
    parent: EmailRecord, message_id: str, at: datetime, body: str, sender: str
) -> EmailRecord:
    return EmailRecord(
        message_id=message_id,
        sender=sender,
        recipient=parent.sender,
        sent_at=at,
        subject=f"Re: {parent.subject}",
        body=body,
        in_reply_to=parent.message_id,
        references=(*parent.references, parent.message_id),
    )
