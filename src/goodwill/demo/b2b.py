"""Business accounts: companies with two to four contacts, owned by the Accounts team, with
meetings, calls and internal notes besides the support conversations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta

from goodwill.demo import staff
from goodwill.demo.episodes import contact
from goodwill.demo.ideas import BY_KEY
from goodwill.demo.people import Person, Registry, ascii_slug, make_person
from goodwill.demo.personas import BUSINESS, allocate
from goodwill.demo.rand import rng_for
from goodwill.demo.records import AccountRecord
from goodwill.demo.specials import late, owner, suggestion
from goodwill.demo.story import Story
from goodwill.demo.timeline import Window, add_months, office_hours, place

COMPANIES = (
    "Harbour Logistics", "Greenfield Bakery", "Atlas Architects", "Blue Lantern Studio",
    "Copperleaf Dental", "Driftwood Travel", "Elm Street Clinic", "Foxglove Florists",
    "Granite Builders", "Hollow Oak Brewery", "Ironbridge Consulting", "Juniper Yoga",
    "Kingfisher Marine", "Larkspur Media", "Meadowvale Farms", "Northgate Motors",
    "Orchard Lane Cafe", "Pebble Bay Hotel", "Quayside Print", "Redwood Legal",
    "Saltmarsh Seafood", "Thistle Textiles", "Upland Outdoor", "Vantage Robotics",
    "Willow Tree Nursery", "Yellowfin Events", "Zephyr Cycles", "Amberline Freight",
    "Birchwood Joinery", "Cobalt Analytics", "Dovetail Interiors", "Evergreen Solar",
)  # fmt: skip
ROLES = ("Finance Director", "Office Manager", "Bookkeeper", "Managing Director", "Operations Lead")

QBR_NOTES = (
    "Quarterly review with {contact} ({role}): happy with the FX rates; want multi-user access "
    "before the end of the year. Next review in three months.",
    "Quarterly review: payroll runs smoothly, {contact} praised the same-day transfers. They "
    "recommended us to their sister company.",
    "Quarterly review: volumes up 20%; discussed a higher card limit for the sales team.",
)
CALL_NOTES = (
    "Called {contact} about the failed payroll batch; fixed the beneficiary details together, "
    "payments went out at 14:20.",
    "{contact} called: a team member's card was declined abroad; unblocked it during the call.",
    "Check-in call with {contact}, no issues; they open a subsidiary in Ireland next year.",
    "{contact} asked how to add a second cardholder; walked them through it.",
)
ONBOARDING_NOTES = (
    "Onboarding workshop with {contact}: set up batch payments for payroll and two virtual "
    "cards for subscriptions. They asked for a CSV export for their accountant.",
    "Pricing conversation with {contact}: agreed the Business plan at $39 a month for 12 "
    "months, FX margin 0.35% above $50k a month. Contract sent.",
)
RISK_NOTES = (
    "Renewal meeting with {contact}: Kestrel Pay offered them a lower FX margin; they want us to "
    "match it. Still upset about the failed payroll run in the spring.",
    "Internal: {company} is trialling Kestrel Pay Business alongside us; decision in six weeks. "
    "Risk of losing the account.",
)


def plan_accounts(
    seed: int, registry: Registry, window: Window, *, count: int, first_index: int
) -> tuple[list[AccountRecord], list[Person]]:
    """``count`` business accounts and their contacts (customer indexes from ``first_index``)."""
    accounts: list[AccountRecord] = []
    people: list[Person] = []
    for number, persona in enumerate(allocate(count, BUSINESS), start=1):
        rng = rng_for(seed, "account", number)
        name = COMPANIES[(number - 1) % len(COMPANIES)]
        if number > len(COMPANIES):
            name = f"{name} {number // len(COMPANIES) + 1}"
        domain = f"{ascii_slug(name)}.example"
        external_id = f"NW-A-{number:03d}"
        attrs = {"demo_persona": persona.key, "industry_size": rng.choice(("small", "medium"))}
        accounts.append(AccountRecord(external_id, name, domain, attrs))
        account_owner = rng.choice(list(staff.ACCOUNT_WEIGHTS))
        for k in range(rng.randint(2, 4)):
            person = make_person(
                rng, registry, window, index=first_index + len(people), persona=persona,
                owner_email=account_owner, mail_domain=domain,
            )  # fmt: skip
            if k > 0:  # the account's other contacts joined with it, in the same country
                person.since = people[-k].since
                person.start = max(person.since, window.start)
                person.country = person.attributes["country"] = people[-k].country
            person.account_external_id = external_id
            person.attributes |= {"role": ROLES[k % len(ROLES)], "billing_contact": k == 0}
            person.attributes["company"] = name
            people.append(person)
    return accounts, people


def _note(story: Story, at: datetime, kind: str, template: str) -> None:
    person = story.person
    body = template.format(
        contact=person.first, role=person.attributes.get("role", ""),
        company=person.attributes.get("company", ""),
    )  # fmt: skip
    channel = "in_person" if kind == "meeting" else "other"
    fields = {"direction": "internal"} if kind == "note" else {}
    story.emit(
        kind=kind, channel=channel, at=at, subject=body.split(":")[0], body=body,
        author=owner(story), attributes={"demo_b2b": kind}, **fields,
    )  # fmt: skip


def quarterly_reviews(story: Story) -> None:
    if not story.person.attributes.get("billing_contact"):
        return
    at = add_months(story.person.start, 1)
    while at < story.end:
        _note(story, office_hours(at, story.rng), "meeting", story.rng.choice(QBR_NOTES))
        at = add_months(at, 3)


def annual_review(story: Story) -> None:
    if story.person.attributes.get("billing_contact"):
        at = office_hours(place(story.rng, story.person.start, story.end, "uniform"), story.rng)
        _note(story, at, "meeting", QBR_NOTES[2])


def account_calls(story: Story) -> None:
    rng, person = story.rng, story.person
    shape = "rising" if person.persona.usage == "rising" else "uniform"
    months = max(1, (story.end - person.start).days // 30)
    for _ in range(max(1, months // rng.randint(2, 4))):
        at = office_hours(place(rng, person.start, story.end, shape), rng)
        body = rng.choice(CALL_NOTES).format(contact=person.first)
        direction = rng.choice(("inbound", "outbound"))
        story.call(at, body, owner(story), direction=direction, subject="Account call")


def onboarding_meetings(story: Story) -> None:
    if story.person.attributes.get("billing_contact"):
        for days, template in zip((5, 20), ONBOARDING_NOTES, strict=True):
            at = office_hours(story.person.since + timedelta(days=days), story.rng)
            _note(story, at, "meeting", template)


def payroll_incident(story: Story) -> None:
    at = late(story, 120, 200)
    text = (
        "Our payroll batch failed this morning and 14 employees haven't been paid. This is "
        "serious, we need it fixed today."
    )
    contact(story, at, "complaint", category="failed_transfer", text=text, heat=2, tier="mediocre")


def renewal_at_risk(story: Story) -> None:
    if story.person.attributes.get("billing_contact"):
        for template, (low, high) in zip(RISK_NOTES, ((30, 60), (5, 25)), strict=True):
            kind = "meeting" if template.startswith("Renewal") else "note"
            _note(story, office_hours(late(story, low, high), story.rng), kind, template)


def business_idea(story: Story) -> None:
    if story.person.attributes.get("billing_contact"):
        suggestion(story, BY_KEY["business_roles"])


B2B_SPECIALS: Mapping[str, Callable[[Story], None]] = {
    "quarterly_reviews": quarterly_reviews,
    "annual_review": annual_review,
    "account_calls": account_calls,
    "onboarding_meetings": onboarding_meetings,
    "payroll_incident": payroll_incident,
    "renewal_at_risk": renewal_at_risk,
    "business_idea": business_idea,
}
