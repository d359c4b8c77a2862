"""Type aliases and enumerations shared across domains."""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypeAlias

JSONDict: TypeAlias = dict[str, Any]

# Knapp's ten relationship stages (seed 002), coming together then coming apart, in order
KNAPP_STAGES: tuple[str, ...] = (
    "initiating",
    "experimenting",
    "intensifying",
    "integrating",
    "bonding",
    "differentiating",
    "circumscribing",
    "stagnating",
    "avoiding",
    "terminating",
)
# the lifecycle phases of seed 003 the engine names ("established" is the rest)
LIFECYCLE_PHASES: tuple[str, ...] = ("early_days", "first_disagreement", "long_term")


class Role(StrEnum):
    """A member's role in an organisation; each includes the rights of the ones before it."""

    AGENT = "agent"
    MANAGER = "manager"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return _ROLE_RANK[self]

    def allows(self, needed: Role) -> bool:
        return self.rank >= needed.rank


_ROLE_RANK = {Role.AGENT: 0, Role.MANAGER: 1, Role.ADMIN: 2}


class InteractionKind(StrEnum):
    """What an interaction is."""

    MESSAGE = "message"
    CALL = "call"
    MEETING = "meeting"
    NOTE = "note"
    PURCHASE = "purchase"
    BILLING = "billing"
    USAGE = "usage"
    SURVEY = "survey"


class Direction(StrEnum):
    """Who spoke: the customer (inbound), the company (outbound), or internal notes."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"
    INTERNAL = "internal"


class Channel(StrEnum):
    """Where an interaction happened."""

    EMAIL = "email"
    CHAT = "chat"
    PHONE = "phone"
    SMS = "sms"
    WEB = "web"
    SOCIAL = "social"
    IN_PERSON = "in_person"
    BILLING = "billing"
    STORE = "store"
    APP = "app"
    SURVEY = "survey"
    OTHER = "other"


class ConversationStatus(StrEnum):
    OPEN = "open"
    PENDING = "pending"
    CLOSED = "closed"
