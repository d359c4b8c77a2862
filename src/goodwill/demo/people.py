"""Who the demo's customers are: names, addresses, plans, tenure, owner and persona."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from goodwill.demo import staff
from goodwill.demo.personas import Persona
from goodwill.demo.timeline import Window

FIRST_NAMES = (
    "Aisha", "Ben", "Chloé", "Daniel", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jakub",
    "Kemi", "Liam", "Maya", "Noah", "Olivia", "Pavel", "Quinn", "Rosa", "Samir", "Tara",
    "Umar", "Vera", "Will", "Ximena", "Yusuf", "Zoë", "Amara", "Bruno", "Carmen", "Dev",
    "Emma", "Felix", "Gita", "Hannah", "Ivan", "Julia", "Kofi", "Lucía", "Marek", "Nadia",
    "Oscar", "Priyanka", "Rafael", "Sofia", "Theo", "Ursula", "Viktor", "Wen", "Yara", "Zain",
    "Anna", "Bilal", "Clara", "Diego", "Eva", "Finn", "Hana", "Isaac", "José", "Kai",
    "Leila", "Mateo", "Nina", "Omar", "Petra", "Ruth", "Søren", "Tomás", "Uma", "Valentina",
    "Ahmed", "Beatriz", "Conor", "Dana", "Emil", "Freya", "George", "Helena", "Ilse", "Jonah",
    "Karin", "Luca", "Mei", "Niamh", "Orla", "Paolo", "Rhys", "Selin", "Tobias", "Łukasz",
)  # fmt: skip
LAST_NAMES = (
    "Adams", "Bauer", "Costa", "Dimitrov", "Evans", "Fischer", "García", "Hughes", "Ibrahim",
    "Jansen", "Kowalski", "Larsen", "Murphy", "Nowak", "Okafor", "Pereira", "Quinn", "Rossi",
    "Schmidt", "Taylor", "Usman", "Varga", "Walsh", "Xu", "Yilmaz", "Zimmermann", "Ahmed",
    "Brennan", "Chen", "Da Silva", "Eriksen", "Fernández", "Gallagher", "Horvat", "Ivanova",
    "Jones", "Khan", "Lindqvist", "Moreau", "Nielsen", "O'Brien", "Popescu", "Reid", "Santos",
    "Tanaka", "Ulrich", "Vasquez", "Weber", "Young", "Zhang", "Andersen", "Byrne", "Coleman",
    "Dubois", "Ekström", "Fitzgerald", "Gomes", "Hansen", "Kelly", "Lambert", "Müller",
    "Novak", "Ortiz", "Patel", "Rahman", "Sørensen", "Thompson", "Van Dijk", "Wright", "Yamada",
)  # fmt: skip
MAIL_DOMAINS = ("mail.example", "inbox.example", "post.example", "example.com", "example.net")
YEARLY_SHARE = 0.35  # long-term customers who pay for a year at a time
COUNTRIES = ("GB", "GB", "GB", "IE", "DE", "FR", "ES", "PT", "NL", "PL")


@dataclass
class Person:
    """One demo customer while their story is being written."""

    index: int
    first: str
    last: str
    email: str
    persona: Persona
    since: datetime  # when the relationship began (may be years before the window)
    start: datetime  # first moment of the window they are active in
    end: datetime  # the window's end, or when they left
    plan: str
    billing_months: int  # 1: billed monthly, 12: yearly
    owner_email: str
    country: str
    phone: str | None
    account_external_id: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    referral_friends: list[tuple[str, datetime]] = field(default_factory=list)
    plan_changes: list[tuple[datetime, str]] = field(default_factory=list)  # (from, new plan)

    def plan_at(self, moment: datetime) -> str:
        plan = self.plan
        for since, new_plan in self.plan_changes:
            if since <= moment:
                plan = new_plan
        return plan

    @property
    def external_id(self) -> str:
        return f"NW-C-{self.index:05d}"

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def tenure_years(self) -> int:
        return max(0, (self.end - self.since).days // 365)

    @property
    def long_tenured(self) -> bool:
        return self.tenure_years >= 2


def ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.replace("ø", "o").replace("ł", "l"))
    return "".join(c for c in plain.lower() if c.isascii() and c.isalnum())


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


class Registry:
    """Hands out unique e-mail addresses."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def email(self, rng: random.Random, first: str, last: str, domain: str | None = None) -> str:
        local = f"{ascii_slug(first)}.{ascii_slug(last)}"
        domain = domain or rng.choice(MAIL_DOMAINS)
        address, n = f"{local}@{domain}", 1
        while address in self._taken:
            n += 1
            address = f"{local}{n}@{domain}"
        self._taken.add(address)
        return address


def make_person(
    rng: random.Random,
    registry: Registry,
    window: Window,
    *,
    index: int,
    persona: Persona,
    owner_email: str | None = None,
    mail_domain: str | None = None,
    first: str | None = None,
) -> Person:
    first, last = first or rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    since = window.end - timedelta(
        days=rng.randint(*persona.tenure_days), hours=rng.randint(8, 20), minutes=rng.randint(0, 59)
    )
    person = Person(
        index=index,
        first=first,
        last=last,
        email=registry.email(rng, first, last, mail_domain),
        persona=persona,
        since=since,
        start=max(since, window.start),
        end=window.end,
        plan=pick(rng, persona.plans),
        billing_months=12 if persona.phase == "long_term" and rng.random() < YEARLY_SHARE else 1,
        owner_email=owner_email or pick(rng, staff.OWNER_WEIGHTS),
        country=rng.choice(COUNTRIES),
        phone=f"+44 7700 900{rng.randint(0, 999):03d}" if rng.random() < 0.6 else None,
    )
    person.attributes = {
        "demo_persona": persona.key,
        "demo_intended_stage": persona.stage,
        "demo_intended_phase": persona.phase,
        "demo_intent": persona.intent,
        "plan": person.plan,
        "billing": "yearly" if person.billing_months == 12 else "monthly",
        "country": person.country,
    }
    return person


def segment(person: Person) -> str:
    if person.persona.b2b:
        return "business"
    return "premium" if person.plan == "Premium" else "personal"
