"""Company replies in four quality tiers, with the promises they make.

*excellent*: personal, owns the issue, empathy when the customer is upset, a concrete next step
with a time, says what happens to a suggestion. *good*: personal and clear. *mediocre*: generic
thanks and closing, no next step. *poor*: the seed case's ingredients (template noise,
boilerplate, boasting, patronising "simply", blame, trust appeals, blunt demands).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from goodwill.demo import phrases
from goodwill.demo.ideas import Idea
from goodwill.demo.staff import StaffMember
from goodwill.demo.timeline import add_business_days, iso, next_business_day

_PROMISE_CHANCE = {"excellent": 0.8, "good": 0.6, "mediocre": 0.4, "poor": 0.35}


@dataclass(frozen=True)
class Promise:
    kind: str  # callback, refund, update, card
    text: str
    due_at: datetime


@dataclass(frozen=True)
class Reply:
    body: str
    tier: str
    irritants: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    promise: Promise | None = None
    core: str = ""  # what was said, without greeting and sign-off (for call notes)

    def attributes(self) -> dict[str, Any]:
        attrs: dict[str, Any] = {"demo_tier": self.tier}
        if self.irritants:
            attrs["demo_irritants"] = list(self.irritants)
        if self.strengths:
            attrs["demo_strengths"] = list(self.strengths)
        if self.promise is not None:
            attrs["demo_promise"] = {
                "kind": self.promise.kind,
                "text": self.promise.text,
                "due_at": iso(self.promise.due_at),
            }
        return attrs


@dataclass(frozen=True)
class Context:
    """What the replying member knows about the customer and the contact."""

    first: str
    agent: StaffMember
    sent_at: datetime
    topic: str
    heat: int = 0  # 0 calm, 1 annoyed, 2 angry
    since_year: int | None = None  # set for long-tenured customers
    amount: Decimal = Decimal("0")
    category: str = ""

    def answer(self) -> str:
        return phrases.CATEGORY_ANSWERS.get(self.category) or phrases.ANSWERS[self.topic]


def _due(kind: str, sent_at: datetime, tier: str) -> datetime:
    if kind == "callback":
        day = next_business_day(sent_at)
        return day.replace(hour=12 if tier == "excellent" else 17, minute=0)
    if kind == "refund":
        return add_business_days(sent_at, 3).replace(hour=18, minute=0)
    if kind == "update":
        return sent_at + timedelta(hours=48)
    return add_business_days(sent_at, 5).replace(hour=18, minute=0)


def make_promise(rng: random.Random, ctx: Context, tier: str, kind: str) -> Promise:
    due = _due(kind, ctx.sent_at, tier)
    text = phrases.PROMISES[kind][tier].format(weekday=due.strftime("%A"), amount=ctx.amount)
    return Promise(kind=kind, text=text, due_at=due)


def _signature(tier: str, agent: StaffMember) -> str:
    if tier == "excellent":
        return f"{agent.first_name}\n{phrases.COMPANY}"
    if tier == "good":
        return f"Best wishes,\n{agent.first_name}"
    if tier == "mediocre":
        return f"{phrases.GENERIC_CLOSING}\n\nKind regards,\n{phrases.COMPANY} Support"
    return f"{phrases.GENERIC_CLOSING}\nBest regards,"


def _poor(
    rng: random.Random, ctx: Context, core: list[str], pool: tuple[str, ...]
) -> tuple[str, list[str]]:
    """A poor reply: template noise, impersonal, hollow thanks, 2-3 irritants, generic closing."""
    used: list[str] = ["hollow_acknowledgement", "generic_closing"]
    head: list[str] = []
    if rng.random() < 0.6:
        head.append(phrases.TEMPLATE_NOISE)
        used.append("template_noise")
    if rng.random() < 0.5:
        head.append("Dear customer,")
        used.append("impersonal")
    else:
        head.append(f"Hi {ctx.first},")
    lines = [f"Thank you for getting in touch with {phrases.COMPANY}. {rng.choice(phrases.HOLLOW)}"]
    for category in rng.sample(pool, k=min(len(pool), rng.randint(2, 3))):
        lines.append(rng.choice(phrases.IRRITANTS[category]))
        used.append(category)
    body = "\n\n".join([*head, *lines, *core, _signature("poor", ctx.agent)])
    return body, used


def support_reply(
    rng: random.Random, ctx: Context, tier: str, *, situation: str, promise_kind: str | None = None
) -> Reply:
    """The answer to a question, onboarding query, complaint or incident."""
    troubled = situation in ("complaint", "incident")
    promise = None
    if troubled and promise_kind is None and rng.random() < _PROMISE_CHANCE[tier]:
        promise_kind = rng.choice(phrases.PROMISE_FOR_TOPIC[ctx.topic])
    if promise_kind is not None:
        promise = make_promise(rng, ctx, tier, promise_kind)
    if tier == "poor":
        pool = ["blame_shifting", "irrelevant_boilerplate", "patronising", "boasting"]
        pool += ["trust_appeal", "unsolicited_workaround"] if troubled else ["self_undermining"]
        core = [promise.text] if promise else [] if troubled else [ctx.answer()]
        body, used = _poor(rng, ctx, core, tuple(pool))
        said = [rng.choice(phrases.IRRITANTS["blame_shifting"]), *core]
        return Reply(body, tier, tuple(used), (), promise, " ".join(said))
    return _personal_reply(rng, ctx, tier, troubled=troubled, promise=promise)


def _personal_reply(
    rng: random.Random, ctx: Context, tier: str, *, troubled: bool, promise: Promise | None
) -> Reply:
    strengths: list[str] = []
    irritants: list[str] = []
    parts: list[str] = []
    if tier == "mediocre":
        parts.append(f"Hello {ctx.first},")
        parts.append(f"Thank you for contacting {phrases.COMPANY}. {rng.choice(phrases.HOLLOW)}")
        irritants += ["hollow_acknowledgement", "generic_closing", "impersonal"]
    else:
        parts.append(f"Hi {ctx.first},")
        strengths.append("personal_address")
    if tier == "excellent" and troubled and ctx.heat > 0:
        parts.append(rng.choice(phrases.EMPATHY))
        strengths.append("empathy")
    if tier == "excellent" and ctx.since_year is not None and troubled:
        parts.append(phrases.TENURE_RECOGNITION.format(year=ctx.since_year))
    said = phrases.FIXES[tier][ctx.topic] if troubled else ctx.answer()
    parts.append(said)
    if troubled and tier == "excellent":
        strengths.append("ownership")
    if promise is not None:
        parts.append(promise.text)
        said = f"{said} {promise.text}"
        if tier != "mediocre":
            strengths.append("specific_next_step")
    elif tier == "mediocre" and troubled:
        irritants.append("missing_next_step")
    if tier == "excellent":
        parts.append(rng.choice(phrases.EXCELLENT_CLOSINGS))
    parts.append(_signature(tier, ctx.agent))
    body = "\n\n".join(parts)
    return Reply(body, tier, tuple(irritants), tuple(strengths), promise, said)


def suggestion_reply(rng: random.Random, ctx: Context, tier: str, idea: Idea) -> Reply:
    """The answer to a feature idea: only the better tiers say what happens to it."""
    if tier == "excellent":
        body = (
            f"Hi {ctx.first},\n\nThank you, this is a genuinely useful idea. I've added it to our "
            f'product board as "{idea.title}" with your words attached, and marked you as someone '
            "who wants to hear back. The product team reviews new ideas on the first Monday of "
            "every month; whatever they decide, I'll write to you.\n\n"
            + _signature(tier, ctx.agent)
        )
        return Reply(body, tier, (), ("personal_address", "feedback_outcome", "ownership"))
    if tier == "good":
        body = (
            f'Hi {ctx.first},\n\nThanks for the suggestion. I\'ve passed "{idea.title}" to our '
            "product team and noted that you'd like to hear back when there's a decision.\n\n"
            + _signature(tier, ctx.agent)
        )
        return Reply(body, tier, (), ("personal_address", "feedback_outcome"))
    if tier == "mediocre":
        body = (
            f"Hello {ctx.first},\n\nThank you for contacting {phrases.COMPANY}. "
            f"{phrases.HOLLOW[0]} We will submit your feedback to our internal team.\n\n"
            + _signature(tier, ctx.agent)
        )
        return Reply(body, tier, ("hollow_acknowledgement", "generic_closing", "impersonal"))
    pool = ("dismissal", "boasting", "self_undermining", "unsolicited_workaround", "patronising")
    body, used = _poor(rng, ctx, [], pool)
    return Reply(body, tier, tuple(used))


def praise_reply(ctx: Context, tier: str) -> Reply:
    if tier in ("excellent", "good"):
        body = (
            f"Hi {ctx.first},\n\nThank you, that made our day. I've shared your message with the "
            "team.\n\n" + _signature(tier, ctx.agent)
        )
        return Reply(body, tier, (), ("personal_address",))
    body = f"Dear customer,\n\n{phrases.HOLLOW[1]}\n\n" + _signature("poor", ctx.agent)
    return Reply(body, tier, ("impersonal", "hollow_acknowledgement", "generic_closing"))


def cancellation_reply(rng: random.Random, ctx: Context, tier: str) -> Reply:
    payout = add_business_days(ctx.sent_at, 2)
    if tier in ("excellent", "good"):
        body = (
            f"Hi {ctx.first},\n\nI'm sorry to see you go, and thank you for telling us why. "
            f"I've closed the account as you asked; your remaining balance will be in your bank "
            f"account by {payout:%A}. If you ever want to come back, your history stays with us "
            "for a year.\n\n" + _signature(tier, ctx.agent)
        )
        said = f"Closed the account as asked; the balance will be paid out by {payout:%A}."
        return Reply(body, tier, (), ("personal_address", "specific_next_step"), None, said)
    core = [
        "Please note that closing your account is irreversible. Before you go: did you know "
        "Premium members get free travel insurance? To close your account simply follow the "
        "steps in the app. Learn how to close your account (link)"
    ]
    body, used = _poor(rng, ctx, core, ("irrelevant_boilerplate", "boasting"))
    return Reply(body, tier, (*used, "patronising"), (), None, core[0])


def voluntary_action_reply(rng: random.Random, ctx: Context, tier: str) -> Reply:
    """The meter-reading situation (seed 003): thanks and fair terms, or a blunt demand."""
    if tier in ("excellent", "good"):
        text = phrases.FAIR_TERMS.format(first=ctx.first, day=f"{ctx.sent_at:%A}")
        body = f"Hi {ctx.first},\n\n{text}\n\n" + _signature(tier, ctx.agent)
        return Reply(body, tier, (), ("personal_address", "empathy", "specific_next_step"))
    demand = phrases.BLUNT_DEMAND.format(amount=ctx.amount)
    body, used = _poor(rng, ctx, [demand], ("irrelevant_boilerplate",))
    return Reply(body, tier, (*used, "blunt_demand", "missing_empathy"))
