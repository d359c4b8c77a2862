"""The four perception questions, asked of the customer and, about the customer, of the owner.

One scale for both sides, 1 to 5 with both ends labelled (the Q12 pulse's scale): a customer
answers four questions on a phone in under a minute, and the two sides' answers differ by whole
steps (−4 … +4), which people read at a glance. A 0–10 scale would add resolution the two sides
cannot use (an owner does not guess a customer's 7 from their 8) and invite reading it as NPS.
Seed 000 defines a good relationship as one where "both parties perceive they are gaining more
value than they are giving away", so value received and value given are asked apart; their
difference is the *balance*. Every route, page and CLI command reads the questions from here.
"""

from __future__ import annotations

from dataclasses import dataclass

SCALE = (1, 5)
COMMENT_MAX = 2000


@dataclass(frozen=True)
class Question:
    key: str
    customer_text: str  # to the customer; {org} is the organisation's name
    owner_text: str  # to the owner, about the customer; {customer} is their name
    low: str  # what 1 means
    high: str  # what 5 means
    higher_is_better: bool  # for the relationship, from the customer's side

    def for_customer(self, org: str) -> str:
        return self.customer_text.format(org=org)

    def for_owner(self, customer: str) -> str:
        return self.owner_text.format(customer=customer)


QUESTIONS: tuple[Question, ...] = (
    Question(
        "value_received",
        "How much value do you get from working with {org}?",
        "How much value does {customer} feel they get from working with us?",
        "very little",
        "a great deal",
        higher_is_better=True,
    ),
    Question(
        "value_given",
        "How much do you put in (money, time, effort) to work with {org}?",
        "How much does {customer} feel they put in (money, time, effort) to work with us?",
        "very little",
        "a great deal",
        higher_is_better=False,
    ),
    Question(
        "trust",
        "{org} does what it says it will do.",
        "{customer} would say: we do what we say we will do.",
        "strongly disagree",
        "strongly agree",
        higher_is_better=True,
    ),
    Question(
        "ease",
        "Working with {org} is easy.",
        "{customer} would say: working with us is easy.",
        "strongly disagree",
        "strongly agree",
        higher_is_better=True,
    ),
)
KEYS: tuple[str, ...] = tuple(q.key for q in QUESTIONS)
BY_KEY = {q.key: q for q in QUESTIONS}
