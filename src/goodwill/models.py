"""Imports every domain's tables so the metadata is complete (migrations, tests)."""

from goodwill.customers.models import Account, Customer
from goodwill.database import Base
from goodwill.imports.models import ImportBatch
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.messages.models import MessageAnalysis, MessageEmbedding
from goodwill.organisations.models import (
    ApiToken,
    Member,
    Organisation,
    Team,
    UserAccount,
    WebhookEndpoint,
    WebSession,
)
from goodwill.relationships.models import Commitment, Relationship, StageHistory

__all__ = [
    "Account",
    "ApiToken",
    "Base",
    "Commitment",
    "Conversation",
    "Customer",
    "ImportBatch",
    "Interaction",
    "InteractionRaw",
    "Member",
    "MessageAnalysis",
    "MessageEmbedding",
    "Organisation",
    "Relationship",
    "StageHistory",
    "Team",
    "UserAccount",
    "WebSession",
    "WebhookEndpoint",
]
