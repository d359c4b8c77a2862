"""Personas: the relationship each demo customer is meant to have, and how it shows.

Each persona names the Knapp stage (seed 002) and lifecycle phase (seed 003) the generator
intends, and the patterns that express it: how often the customer gets in touch and how that
changes, what they write about, what they buy, how they use the app, what they answer in surveys,
and the special episodes (praise, referrals, competitor mentions, unanswered outreach,
cancellation...) that make the stage recognisable from the interactions alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from goodwill.types import KNAPP_STAGES, LIFECYCLE_PHASES

STAGES = KNAPP_STAGES
PHASES = LIFECYCLE_PHASES

PLAN_PRICES: Mapping[str, str] = {
    "Standard": "0",
    "Plus": "4.99",
    "Premium": "12.99",
    "Business": "39.00",
    "Business Plus": "79.00",
}


@dataclass(frozen=True)
class Persona:
    key: str
    stage: str
    phase: str
    weight: float
    intent: str  # what the interactions should show, in a sentence
    tenure_days: tuple[int, int]  # joined this many days before the demo's end
    contacts: tuple[int, int]  # routine contacts over the active span
    shape: str  # where routine contacts fall (timeline.SHAPES)
    situations: Mapping[str, float]
    purchases: str | None  # CDNOW profile of the purchase timeline
    usage: str  # new, rising, steady, falling, fading, stopped
    plans: Mapping[str, float]
    survey: tuple[int, int] | None  # score range, None: never answers surveys
    specials: tuple[str, ...] = ()
    heat: tuple[int, int] = (0, 1)  # how upset their complaints sound
    b2b: bool = False
    extra: Mapping[str, float] = field(default_factory=dict)


_PAID = {"Standard": 0.45, "Plus": 0.35, "Premium": 0.2}
_Q = {"question": 0.75, "complaint": 0.15, "incident": 0.1}

CONSUMER: tuple[Persona, ...] = (
    Persona(
        key="newcomer",
        stage="initiating",
        phase="early_days",
        weight=0.06,
        intent="joined in the last three weeks: welcome, first questions, first bill still to come",
        tenure_days=(3, 20),
        contacts=(1, 2),
        shape="uniform",
        situations={"onboarding": 1.0},
        purchases="light",
        usage="new",
        plans={"Standard": 0.3, "Plus": 0.5, "Premium": 0.2},
        survey=None,
        specials=("welcome", "first_bill_notice"),
    ),
    Persona(
        key="explorer",
        stage="experimenting",
        phase="early_days",
        weight=0.07,
        intent="trying the service out in the first weeks; asks about the first bill",
        tenure_days=(21, 75),
        contacts=(2, 4),
        shape="uniform",
        situations={"onboarding": 0.6, "question": 0.3, "complaint": 0.1},
        purchases="light",
        usage="rising",
        plans={"Standard": 0.3, "Plus": 0.5, "Premium": 0.2},
        survey=(7, 10),
        specials=("welcome", "first_bill_question"),
    ),
    Persona(
        key="upgrader",
        stage="intensifying",
        phase="early_days",
        weight=0.07,
        intent="contact and purchases rising; upgrades the plan",
        tenure_days=(75, 200),
        contacts=(3, 5),
        shape="rising",
        situations={"question": 0.7, "onboarding": 0.1, "complaint": 0.2},
        purchases="regular",
        usage="rising",
        plans={"Standard": 0.4, "Plus": 0.6},
        survey=(8, 10),
        specials=("upgrade",),
    ),
    Persona(
        key="steady",
        stage="integrating",
        phase="long_term",
        weight=0.19,
        intent="long-tenured repeat purchaser with routine questions",
        tenure_days=(400, 3000),
        contacts=(2, 5),
        shape="uniform",
        situations=_Q,
        purchases="regular",
        usage="steady",
        plans=_PAID,
        survey=(7, 9),
        specials=("card_expiry",),
    ),
    Persona(
        key="advocate",
        stage="bonding",
        phase="long_term",
        weight=0.09,
        intent="years of tenure; praise, referrals and ideas; top survey scores",
        tenure_days=(900, 3650),
        contacts=(2, 4),
        shape="uniform",
        situations={"question": 0.8, "complaint": 0.1, "incident": 0.1},
        purchases="heavy",
        usage="steady",
        plans={"Plus": 0.4, "Premium": 0.6},
        survey=(9, 10),
        specials=("praise", "referral", "suggestion", "tenure_thanks"),
    ),
    Persona(
        key="recovered",
        stage="integrating",
        phase="first_disagreement",
        weight=0.06,
        intent="an angry complaint put right quickly and warmly; sentiment restored afterwards",
        tenure_days=(300, 2000),
        contacts=(2, 4),
        shape="uniform",
        situations={"question": 0.8, "incident": 0.2},
        purchases="regular",
        usage="steady",
        plans=_PAID,
        survey=(8, 10),
        specials=("recovered_complaint",),
    ),
    Persona(
        key="disagreeing",
        stage="differentiating",
        phase="first_disagreement",
        weight=0.08,
        intent="a recent complaint handled poorly; mentions a competitor; survey drops",
        tenure_days=(120, 500),
        contacts=(1, 3),
        shape="uniform",
        situations={"question": 0.8, "complaint": 0.2},
        purchases="regular",
        usage="falling",
        plans=_PAID,
        survey=(2, 6),
        specials=("bad_complaint", "competitor"),
        heat=(1, 2),
    ),
    Persona(
        key="drifting",
        stage="circumscribing",
        phase="long_term",
        weight=0.07,
        intent="long-tenured; fewer and shorter messages, more complaints, purchases stop",
        tenure_days=(700, 3000),
        contacts=(3, 6),
        shape="falling",
        situations={"complaint": 0.6, "question": 0.4},
        purchases="lapsed",
        usage="falling",
        plans=_PAID,
        survey=(3, 6),
        specials=("terse", "long_tenure_irritation"),
        heat=(1, 2),
    ),
    Persona(
        key="stagnant",
        stage="stagnating",
        phase="long_term",
        weight=0.07,
        intent="still paying, but nothing else: no contact, purchases or growth for months",
        tenure_days=(500, 2500),
        contacts=(1, 3),
        shape="early",
        situations={"question": 0.8, "complaint": 0.2},
        purchases="lapsed",
        usage="fading",
        plans={"Plus": 0.6, "Premium": 0.4},
        survey=(5, 7),
        specials=("silent_check_in",),
    ),
    Persona(
        key="avoiding",
        stage="avoiding",
        phase="long_term",
        weight=0.05,
        intent="stopped using the app; the company's messages go unanswered",
        tenure_days=(500, 2500),
        contacts=(1, 3),
        shape="early",
        situations={"question": 0.5, "complaint": 0.5},
        purchases="lapsed",
        usage="stopped",
        plans=_PAID,
        survey=None,
        specials=("unanswered_outreach",),
        heat=(1, 2),
    ),
    Persona(
        key="leaving",
        stage="terminating",
        phase="first_disagreement",
        weight=0.05,
        intent="complaints handled badly, a competitor, then the account is closed",
        tenure_days=(200, 1500),
        contacts=(2, 4),
        shape="uniform",
        situations={"complaint": 0.6, "question": 0.4},
        purchases="lapsed",
        usage="stopped",
        plans=_PAID,
        survey=(0, 4),
        specials=("bad_complaint", "cancellation"),
        heat=(1, 2),
    ),
    Persona(
        key="suggester",
        stage="integrating",
        phase="long_term",
        weight=0.05,
        intent="engaged customer who sends ideas; some hear back, some never do",
        tenure_days=(400, 2000),
        contacts=(1, 3),
        shape="uniform",
        situations={"question": 1.0},
        purchases="regular",
        usage="steady",
        plans=_PAID,
        survey=(7, 10),
        specials=("suggestion", "suggestion", "suggestion"),
    ),
)

SEED_CASE = Persona(
    key="seed_case",
    stage="differentiating",
    phase="first_disagreement",
    weight=0.0,
    intent="the seed study's case: a suggestion answered by the book, and an angry reply",
    tenure_days=(700, 1100),
    contacts=(2, 3),
    shape="uniform",
    situations={"question": 1.0},
    purchases="regular",
    usage="steady",
    plans={"Plus": 1.0},
    survey=(8, 9),
    specials=("seed_case",),
)

BUSINESS: tuple[Persona, ...] = (
    Persona(
        key="b2b_partner",
        stage="bonding",
        phase="long_term",
        weight=0.35,
        intent="business account of many years: quarterly reviews, ideas, referrals",
        tenure_days=(1000, 3000),
        contacts=(3, 6),
        shape="uniform",
        situations=_Q,
        purchases=None,
        usage="steady",
        plans={"Business Plus": 1.0},
        survey=(9, 10),
        specials=("quarterly_reviews", "account_calls", "business_idea"),
        b2b=True,
    ),
    Persona(
        key="b2b_steady",
        stage="integrating",
        phase="long_term",
        weight=0.3,
        intent="business account running smoothly: payroll, calls, routine questions",
        tenure_days=(400, 1500),
        contacts=(3, 5),
        shape="uniform",
        situations=_Q,
        purchases=None,
        usage="steady",
        plans={"Business": 1.0},
        survey=(7, 9),
        specials=("account_calls", "annual_review"),
        b2b=True,
    ),
    Persona(
        key="b2b_new",
        stage="intensifying",
        phase="early_days",
        weight=0.15,
        intent="new business account: onboarding workshop, pricing negotiation, rising activity",
        tenure_days=(45, 150),
        contacts=(3, 5),
        shape="rising",
        situations={"onboarding": 0.6, "question": 0.4},
        purchases=None,
        usage="rising",
        plans={"Business": 1.0},
        survey=(8, 10),
        specials=("onboarding_meetings", "account_calls"),
        b2b=True,
    ),
    Persona(
        key="b2b_at_risk",
        stage="differentiating",
        phase="first_disagreement",
        weight=0.2,
        intent="business account after a failed payroll run; evaluating a competitor at renewal",
        tenure_days=(300, 1500),
        contacts=(2, 4),
        shape="uniform",
        situations={"complaint": 0.5, "question": 0.5},
        purchases=None,
        usage="falling",
        plans={"Business": 1.0},
        survey=(3, 6),
        specials=("payroll_incident", "renewal_at_risk"),
        heat=(1, 2),
        b2b=True,
    ),
)

ALL: tuple[Persona, ...] = (*CONSUMER, SEED_CASE, *BUSINESS)
BY_KEY: Mapping[str, Persona] = {p.key: p for p in ALL}


def allocate(total: int, personas: tuple[Persona, ...]) -> list[Persona]:
    """``total`` personas in proportion to their weights (largest remainder), each at least once."""
    weight = sum(p.weight for p in personas)
    exact = [total * p.weight / weight for p in personas]
    counts = [max(1, int(x)) for x in exact]
    order = sorted(range(len(personas)), key=lambda i: exact[i] - int(exact[i]), reverse=True)
    i = 0
    while sum(counts) < total:
        counts[order[i % len(order)]] += 1
        i += 1
    while sum(counts) > total:
        largest = max(range(len(counts)), key=lambda j: counts[j])
        counts[largest] -= 1
    return [p for p, n in zip(personas, counts, strict=True) for _ in range(n)]
