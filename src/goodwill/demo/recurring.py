"""The steady background of a relationship: bills, app activity, purchases and surveys.

Purchases replay a real CDNOW customer's timeline (when the data is present), stretched or
squeezed onto the span the demo customer is active in: dates keep their spacing, amounts are the
original dollar values and quantities the original number of CDs.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from goodwill.demo import voices
from goodwill.demo.personas import PLAN_PRICES
from goodwill.demo.sources import CDNOW_DAYS
from goodwill.demo.story import Story
from goodwill.demo.timeline import add_months, customer_hour, place

STEADY_USAGE_SHARE = 0.4
_NPS_QUESTION = "How likely are you to recommend Northwind Money to a friend or colleague?"


def billing(story: Story) -> None:
    """A bill on the anniversary of joining, every month or every year, while they stay."""
    person = story.person
    step = person.billing_months
    months = step
    while True:
        at = add_months(person.since, months).replace(hour=6, minute=0, second=0)
        if at >= person.end or at >= story.end:
            return
        months += step
        if at < story.world.window.start:
            continue
        plan = person.plan_at(at)
        price = Decimal(PLAN_PRICES[plan]) * (10 if step == 12 else 1)  # a year: two months free
        if price > 0:
            period = "yearly" if step == 12 else "monthly"
            subject = f"{plan} plan, {period} fee"
            story.money("billing", at, price, subject, attributes={"plan": plan})


def _level(trend: str, progress: float) -> float:
    if trend == "rising":
        return 0.3 + 1.2 * progress
    if trend == "falling":
        return max(0.15, 1.3 - 1.1 * progress)
    if trend == "fading":
        return 0.5 * (1 - progress) if progress < 0.65 else 0.0
    if trend == "stopped":
        return max(0.0, 1.0 - 1.5 * progress)
    return 1.0


def usage(story: Story) -> None:
    """App (or online banking) activity per week in the first months, else per month.

    Every customer whose activity changes shares it; of the steady ones, only some do.
    """
    person, rng = story.person, story.rng
    if person.persona.usage == "steady" and rng.random() >= STEADY_USAGE_SHARE:
        return
    end = min(person.end, story.end)
    span = (end - person.start).total_seconds()
    if span <= 0:
        return
    period = timedelta(days=7 if span < 120 * 86400 else 30)
    monthly = rng.uniform(10, 45)
    per_period = monthly * period.days / 30
    channel = "web" if person.persona.b2b else "app"
    at = person.start + period
    while at < end:
        progress = (at - person.start).total_seconds() / span
        sessions = round(
            per_period * _level(person.persona.usage, progress) * rng.uniform(0.8, 1.2)
        )
        if sessions > 0:
            payments = max(0, round(sessions * rng.uniform(0.3, 1.1)))
            story.emit(
                kind="usage",
                channel=channel,
                at=at,
                subject="App activity" if channel == "app" else "Online banking activity",
                quantity=sessions,
                attributes={"period_days": period.days, "sessions": sessions, "payments": payments},
            )
        at += period


def purchases(story: Story) -> None:
    """A real (or simulated) purchase timeline mapped onto the customer's active span."""
    person, rng = story.person, story.rng
    if person.persona.purchases is None:
        return
    histories = story.world.sources.histories[person.persona.purchases]
    history = histories[rng.randrange(len(histories))]
    end = min(person.end, story.end)
    span = end - person.start
    for day, quantity, amount in history:
        at = customer_hour(person.start + span * (day / CDNOW_DAYS), rng)
        if person.start <= at < end:
            subject = f"Perks shop order, {quantity} item{'s' if quantity != 1 else ''}"
            story.money("purchase", at, amount, subject, quantity=quantity)


def surveys(story: Story) -> None:
    """Now and then a recommendation survey (0-10), answered in the persona's range."""
    person, rng = story.person, story.rng
    if person.persona.survey is None:
        return
    count = 0 if rng.random() < 0.45 else 1 if rng.random() < 0.75 else 2
    end = min(person.end, story.end)
    for n in range(count):
        shape = "late" if n == count - 1 else "early"
        at = customer_hour(place(rng, person.start, end, shape), rng)
        score = rng.randint(*person.persona.survey)
        band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
        comment = rng.choice(voices.SURVEY_COMMENTS[band])
        story.emit(
            kind="survey",
            channel="survey",
            at=at,
            subject=_NPS_QUESTION,
            body=comment or None,
            score=float(score),
            attributes={"survey": "nps"},
        )
