"""Customers' suggestions: a dozen ideas, each asked for in several different words.

Several customers ask for the same idea in different words, so ideas can be deduplicated. Some
ideas reach a decision during the demo's 18 months; their subscribers may or may not hear it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Idea:
    key: str
    title: str
    phrasings: tuple[str, ...]
    outcome: str | None  # shipped, planned, declined; None: no decision yet
    b2b: bool = False


IDEAS: tuple[Idea, ...] = (
    Idea(
        "daily_balance",
        "Daily balance in the account timeline",
        (
            "I'd like to see each day's balance in the timeline.",
            "Could the app show my end-of-day balance next to each day in the transaction list?",
            "It would help to have a running balance after every transaction, like my old bank.",
            "Please add a daily balance to the account history so I can see the trend at a glance.",
        ),
        "planned",
    ),
    Idea(
        "spending_categories",
        "Spending by category",
        (
            "A monthly breakdown of my spending by category would be really useful.",
            "Could you group my payments into categories like groceries, transport and eating out?",
            "I'd love a chart that shows where my money goes each month.",
        ),
        None,
    ),
    Idea(
        "csv_export",
        "Export transactions as CSV",
        (
            "Please let me export my transactions as a CSV file for my accountant.",
            "Can you add a spreadsheet export of the transaction history?",
            "I need my payments in a format Excel can open, PDF statements aren't enough.",
        ),
        "shipped",
    ),
    Idea(
        "dark_mode",
        "Dark mode",
        (
            "Any plans for a dark mode? The app is very bright at night.",
            "Please add a dark theme to the app.",
            "The white screen is blinding in the evening, a night mode would be great.",
        ),
        "shipped",
    ),
    Idea(
        "shared_jars",
        "Shared savings jars",
        (
            "It would be great if I could share a savings jar with my partner.",
            "Could two people pay into the same jar? We're saving for a holiday together.",
            "A joint pot for flatmates to pay the bills from would be very handy.",
        ),
        None,
    ),
    Idea(
        "payment_reminders",
        "Reminders before direct debits are taken",
        (
            "Could the app remind me a few days before a direct debit is taken?",
            "I'd like a notification before upcoming payments so I can top up in time.",
            "A heads-up before scheduled payments leave would save me a lot of stress.",
        ),
        "planned",
    ),
    Idea(
        "round_ups",
        "Round-up savings",
        (
            "Can you add round-ups, so each card payment rounds up into savings?",
            "I'd like the spare change from my purchases to go into a jar automatically.",
        ),
        None,
    ),
    Idea(
        "rate_alerts",
        "Exchange rate alerts",
        (
            "Please let me set an alert when the euro rate reaches a certain level.",
            "A notification when the exchange rate is good would help me time my transfers.",
            "Could I be told when GBP to USD goes above a number I choose?",
        ),
        None,
    ),
    Idea(
        "split_bill",
        "Split a payment with friends",
        (
            "It would be nice to split a restaurant bill with friends straight from the payment.",
            "Can you add a way to ask friends to pay me back for a shared payment?",
            "Splitting a payment with my flatmates in the app would save us lots of messages.",
        ),
        "declined",
    ),
    Idea(
        "subscriptions",
        "Overview of recurring subscriptions",
        (
            "Show me all my recurring subscriptions in one place, please.",
            "A list of the subscriptions my card pays every month would help me cancel old ones.",
            "Could the app spot recurring payments and list them for me?",
        ),
        None,
    ),
    Idea(
        "budgets",
        "Monthly budgets with warnings",
        (
            "I'd like to set a monthly budget and get a warning when I'm close to it.",
            "A spending limit per category with a warning would really help me.",
        ),
        None,
    ),
    Idea(
        "business_roles",
        "Permission levels for business accounts",
        (
            "We need a second login for our bookkeeper with view-only access.",
            "Please allow different permission levels for team members on our business account.",
            "Our finance assistant should be able to prepare payments but not approve them.",
        ),
        "planned",
        b2b=True,
    ),
    Idea(
        "foreign_standing_orders",
        "Standing orders in other currencies",
        (
            "Let me schedule a recurring transfer in euros, not just pounds.",
            "Could I set up a standing order to my account abroad in its own currency?",
        ),
        None,
    ),
)

CONSUMER_IDEAS = tuple(i for i in IDEAS if not i.b2b)
BY_KEY = {i.key: i for i in IDEAS}

LOOP_CLOSED: dict[str, str] = {
    "shipped": (
        "Hi {first}, in {month} you asked us for this: \"{title}\". It's in today's app update. "
        "Thank you for the idea; it came from customers like you.\n\n{agent}"
    ),
    "planned": (
        'Hi {first}, an update on your idea "{title}": our product team has planned it for the '
        "next quarter. I'll write again when it's live.\n\n{agent}"
    ),
    "declined": (
        'Hi {first}, about your idea "{title}": the product team looked at it closely and '
        "decided not to build it for now, because most payments it would cover already have a "
        "request link. I know that's not the answer you hoped for; thank you for taking the "
        "time.\n\n{agent}"
    ),
}
