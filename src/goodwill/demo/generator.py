"""Generate the demo organisation's history as import files: pure, seeded, reproducible.

``generate(out_dir, seed=7, customers=2000, as_of=...)`` writes accounts.csv, customers.csv,
conversations.csv, interactions.jsonl and mail.mbox in the format of docs/import.md. The same
seed, size, ``as_of`` and data folder give byte-identical files. No database is touched.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from goodwill.demo import b2b, personas, writer
from goodwill.demo.people import Person, Registry, make_person, segment
from goodwill.demo.rand import rng_for
from goodwill.demo.records import AccountRecord, Book, CustomerRecord
from goodwill.demo.scripts import tell
from goodwill.demo.sources import load
from goodwill.demo.story import Story, World
from goodwill.demo.timeline import Window
from goodwill.errors import InvalidInput

MIN_CUSTOMERS = 60
MAX_CUSTOMERS = 200_000


@dataclass(frozen=True)
class GenerationSummary:
    out_dir: Path
    seed: int
    as_of: date
    customers: int
    accounts: int
    conversations: int
    interactions: int  # rows of interactions.jsonl
    emails: int  # messages in mail.mbox (each becomes an interaction when imported)
    email_threads: int
    personas: dict[str, int]
    used_banking77: bool
    used_cdnow: bool
    seconds: float
    files: dict[str, int] = field(default_factory=dict)

    @property
    def total_interactions(self) -> int:
        return self.interactions + self.emails


def generate(
    out_dir: Path,
    *,
    seed: int = 7,
    customers: int = 2000,
    as_of: date | None = None,
    data_dir: Path | None = None,
) -> GenerationSummary:
    """Write the demo's import files into ``out_dir``; ``data_dir`` None uses built-in texts."""
    if not MIN_CUSTOMERS <= customers <= MAX_CUSTOMERS:
        raise InvalidInput(f"customers: between {MIN_CUSTOMERS} and {MAX_CUSTOMERS}")
    started = time.perf_counter()
    as_of = as_of or date.today()
    sources = load(data_dir)
    world = World(seed=seed, window=Window.ending(as_of), sources=sources, book=Book())
    accounts, people = plan_people(world, customers)
    world.book.accounts.extend(accounts)
    for person in people:
        tell(Story(world, person, rng_for(seed, "story", person.index)))
        world.book.customers.append(customer_record(person))
    files = writer.write(world.book, out_dir)
    return GenerationSummary(
        out_dir=out_dir,
        seed=seed,
        as_of=as_of,
        customers=len(world.book.customers),
        accounts=len(accounts),
        conversations=len(world.book.conversations),
        interactions=len(world.book.interactions),
        emails=files["mail.mbox"],
        email_threads=len(world.book.emails),
        personas=dict(sorted(Counter(p.persona.key for p in people).items())),
        used_banking77=sources.banking77,
        used_cdnow=sources.cdnow,
        seconds=time.perf_counter() - started,
        files=files,
    )


def plan_people(world: World, total: int) -> tuple[list[AccountRecord], list[Person]]:
    """Every customer with a persona: business contacts, Michael, and the consumers."""
    registry = Registry()
    account_count = max(len(personas.BUSINESS), total // 60)
    accounts, business = b2b.plan_accounts(
        world.seed, registry, world.window, count=account_count, first_index=1
    )
    people = list(business)
    michael = make_person(
        rng_for(world.seed, "michael"), registry, world.window,
        index=len(people) + 1, persona=personas.SEED_CASE, first="Michael",
    )  # fmt: skip
    people.append(michael)
    consumers = personas.allocate(total - len(people), personas.CONSUMER)
    order = rng_for(world.seed, "order")
    order.shuffle(consumers)
    for persona in consumers:
        index = len(people) + 1
        rng = rng_for(world.seed, "person", index)
        people.append(make_person(rng, registry, world.window, index=index, persona=persona))
    pair_referrals(people)
    return accounts, people


def pair_referrals(people: list[Person]) -> None:
    """Advocates bring in some of the newest customers (recorded on both sides)."""
    advocates = [p for p in people if "referral" in p.persona.specials]
    newcomers = [p for p in people if p.persona.key in ("newcomer", "explorer")]
    for advocate, friend in zip(advocates, newcomers[: len(newcomers) // 2], strict=False):
        advocate.referral_friends.append((friend.first, friend.since))
        friend.attributes["demo_referred_by"] = advocate.external_id


def customer_record(person: Person) -> CustomerRecord:
    return CustomerRecord(
        external_id=person.external_id,
        name=person.name,
        email=person.email,
        phone=person.phone,
        language="en",
        account_external_id=person.account_external_id,
        owner_email=person.owner_email,
        segment=segment(person),
        customer_since=person.since,
        attributes=person.attributes,
    )
