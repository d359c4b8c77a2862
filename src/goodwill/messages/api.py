"""JSON route: the stored analysis of a message (language, sentiment, emotion, intent, …)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from goodwill.dependencies import CurrentMember, DbSession
from goodwill.messages import service
from goodwill.messages.models import MessageEmbedding
from goodwill.messages.schemas import EmbeddingInfo, FieldAnalysis, MessageAnalysisRead

router = APIRouter(tags=["interactions"])


@router.get("/interactions/{interaction_id}/analysis", response_model=MessageAnalysisRead)
def get_analysis(db: DbSession, _: CurrentMember, interaction_id: uuid.UUID) -> MessageAnalysisRead:
    """Every stored analyser result for one message, with its analyser version."""
    stored = service.get_for_interaction(db=db, interaction_id=interaction_id)
    embedding = db.get(MessageEmbedding, interaction_id)
    return MessageAnalysisRead(
        interaction_id=interaction_id,
        analysed=bool(stored),
        fields={
            name: FieldAnalysis(
                version=row.version, value=row.result.get("value"), analysed_at=row.analysed_at
            )
            for name, row in sorted(stored.items())
        },
        embedding=EmbeddingInfo(model=embedding.model, dimensions=embedding.dimensions)
        if embedding is not None
        else None,
    )
