"""Imports every domain's tables so the metadata is complete (migrations, tests)."""

from goodwill.audit.models import AuditEvent
from goodwill.coach.models import CoachVerdict
from goodwill.customers.models import Account, Customer
from goodwill.database import Base
from goodwill.feedback.models import (
    Idea,
    IdeaStatusChange,
    LoopDelivery,
    LoopDraft,
    Suggestion,
)
from goodwill.frameworks.models import FrameworkUsage, ResponseFramework, ResponseFrameworkVersion
from goodwill.imports.models import ImportBatch
from goodwill.interactions.models import Conversation, Interaction, InteractionRaw
from goodwill.jobs.models import JobDeadLetter, JobOutbox
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
from goodwill.perception.models import PerceptionAnswer, PerceptionRequest
from goodwill.pulse.models import PulseParticipation, PulseRound, PulseSchedule, PulseTally
from goodwill.quality.models import ReplyReview
from goodwill.reasons.models import (
    ContactReason,
    MessageReason,
    ReasonExample,
    ReasonModel,
    ReasonTraining,
)
from goodwill.relationships.models import (
    Commitment,
    Relationship,
    ScoreHistory,
    StageHistory,
    TaskAction,
    TaskSnapshot,
)
from goodwill.scripts.models import DecisionTree, DecisionTreeVersion, TreeRun, TreeRunStep
from goodwill.segments.models import Segment, SegmentMembership

__all__ = [
    "Account",
    "ApiToken",
    "AuditEvent",
    "Base",
    "CoachVerdict",
    "Commitment",
    "ContactReason",
    "Conversation",
    "Customer",
    "DecisionTree",
    "DecisionTreeVersion",
    "FrameworkUsage",
    "Idea",
    "IdeaStatusChange",
    "ImportBatch",
    "Interaction",
    "InteractionRaw",
    "JobDeadLetter",
    "JobOutbox",
    "LoopDelivery",
    "LoopDraft",
    "Member",
    "MessageAnalysis",
    "MessageEmbedding",
    "MessageReason",
    "Organisation",
    "PerceptionAnswer",
    "PerceptionRequest",
    "PulseParticipation",
    "PulseRound",
    "PulseSchedule",
    "PulseTally",
    "ReasonExample",
    "ReasonModel",
    "ReasonTraining",
    "Relationship",
    "ReplyReview",
    "ResponseFramework",
    "ResponseFrameworkVersion",
    "ScoreHistory",
    "Segment",
    "SegmentMembership",
    "StageHistory",
    "Suggestion",
    "TaskAction",
    "TaskSnapshot",
    "Team",
    "TreeRun",
    "TreeRunStep",
    "UserAccount",
    "WebSession",
    "WebhookEndpoint",
]
