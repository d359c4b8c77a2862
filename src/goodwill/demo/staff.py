"""Northwind Money's team: who signs the replies, and how each of them tends to write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from goodwill.types import Role

ORGANISATION_NAME = "Northwind Money"
DOMAIN = "northwind.example"
DEMO_PASSWORD = "goodwill-demo-2026"  # noqa: S105 - a local demo's published password
ADMIN_EMAIL = f"admin@{DOMAIN}"

TIERS = ("excellent", "good", "mediocre", "poor")


@dataclass(frozen=True)
class StaffMember:
    """A member of the demo organisation and the style the generator gives their replies."""

    email: str
    name: str
    role: Role
    team: str | None
    tiers: Mapping[str, float]  # share of replies in each quality tier
    reply_hours: tuple[float, float]  # how fast they answer
    reliability: tuple[float, float]  # chance a promise is kept, kept late (else broken)
    shift: tuple[int, int] = (8, 18)  # working hours (UTC)
    weekends: bool = False

    @property
    def first_name(self) -> str:
        return self.name.split()[0]

    @property
    def mailbox(self) -> str:
        """``Name <address>``, as in an e-mail header."""
        return f"{self.name} <{self.email}>"


def _tiers(excellent: float, good: float, mediocre: float, poor: float) -> dict[str, float]:
    return {"excellent": excellent, "good": good, "mediocre": mediocre, "poor": poor}


STAFF: tuple[StaffMember, ...] = (
    StaffMember(
        ADMIN_EMAIL, "Alex Morgan", Role.ADMIN, None, _tiers(1, 0, 0, 0), (2, 6), (0.9, 0.1)
    ),
    StaffMember(
        f"maria.lopez@{DOMAIN}",
        "Maria Lopez",
        Role.MANAGER,
        "Support",
        _tiers(0.7, 0.3, 0, 0),
        (1, 6),
        (0.85, 0.1),
    ),
    StaffMember(
        f"david.chen@{DOMAIN}",
        "David Chen",
        Role.MANAGER,
        "Accounts",
        _tiers(0.5, 0.4, 0.1, 0),
        (2, 20),
        (0.8, 0.12),
    ),
    # Priya writes the best replies and is not the fastest: quality and speed differ.
    StaffMember(
        f"priya.shah@{DOMAIN}",
        "Priya Shah",
        Role.AGENT,
        "Support",
        _tiers(0.6, 0.3, 0.1, 0),
        (2, 9),
        (0.9, 0.07),
    ),
    StaffMember(
        f"tom.becker@{DOMAIN}",
        "Tom Becker",
        Role.AGENT,
        "Support",
        _tiers(0.2, 0.55, 0.2, 0.05),
        (1, 5),
        (0.75, 0.15),
    ),
    StaffMember(
        f"lena.novak@{DOMAIN}",
        "Lena Novak",
        Role.AGENT,
        "Support",
        _tiers(0, 0.2, 0.55, 0.25),
        (1, 24),
        (0.55, 0.2),
    ),
    # Sam follows the template to the letter, works the long shift and answers fastest of all.
    StaffMember(
        f"sam.ortiz@{DOMAIN}",
        "Sam Ortiz",
        Role.AGENT,
        "Support",
        _tiers(0, 0, 0.3, 0.7),
        (0.2, 1.5),
        (0.4, 0.2),
        shift=(7, 22),
        weekends=True,
    ),
    StaffMember(
        f"jonas.berg@{DOMAIN}",
        "Jonas Berg",
        Role.AGENT,
        "Accounts",
        _tiers(0.35, 0.45, 0.15, 0.05),
        (2, 24),
        (0.7, 0.15),
    ),
)

BY_EMAIL: Mapping[str, StaffMember] = {m.email: m for m in STAFF}

# Who answers consumer support conversations, and who looks after business accounts.
SUPPORT_WEIGHTS: Mapping[str, float] = {
    f"priya.shah@{DOMAIN}": 0.22,
    f"tom.becker@{DOMAIN}": 0.25,
    f"lena.novak@{DOMAIN}": 0.23,
    f"sam.ortiz@{DOMAIN}": 0.25,
    f"maria.lopez@{DOMAIN}": 0.05,
}
ACCOUNT_WEIGHTS: Mapping[str, float] = {
    f"jonas.berg@{DOMAIN}": 0.6,
    f"david.chen@{DOMAIN}": 0.4,
}
OWNER_WEIGHTS: Mapping[str, float] = {
    f"priya.shah@{DOMAIN}": 0.2,
    f"tom.becker@{DOMAIN}": 0.2,
    f"lena.novak@{DOMAIN}": 0.2,
    f"sam.ortiz@{DOMAIN}": 0.2,
    f"maria.lopez@{DOMAIN}": 0.2,
}
