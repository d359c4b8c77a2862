"""The operators' verdicts on the coach's findings: what they found right or wrong.

The coach's blind reads show that rules written from hand-made examples stop improving on new
writers (docs/benchmarks.md, "Reply coach"); what would move them is labelled real replies. A
verdict keeps the draft and the finding as the operator saw them, so a team's verdicts can be
exported as labelled material, and the same flagged sentence judged wrong again and again is
muted for that organisation (``goodwill.coach.verdicts``).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from goodwill.database import Base, IdMixin, utcnow
from goodwill.tenancy import TenantMixin, tenant_key


class CoachVerdict(IdMixin, TenantMixin, Base):
    """One operator's verdict ("right" or "wrong") on one finding of the coach on one draft.

    ``start``/``end`` are the finding's offsets in ``reply`` (code points; both null for a
    whole-reply finding) and ``text`` the flagged words; ``sentence_key`` names the flagged words
    once normalised (case, spacing, digits), so verdicts on the same sentence in other drafts
    count together. ``relationship_id`` ties the verdict to a customer when the draft was
    checked for one, so the customer's erasure removes it with their other records."""

    __tablename__ = "coach_verdict"
    __table_args__ = (
        Index(None, "organisation_id", "category", "sentence_key"),
        Index(None, "organisation_id", "created_at"),
        tenant_key("member_id", "member", ondelete="SET NULL"),
        tenant_key("relationship_id", "relationship", ondelete="CASCADE"),
    )

    member_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    relationship_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    category: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(10))
    verdict: Mapped[str] = mapped_column(String(10))
    start: Mapped[int | None]
    end: Mapped[int | None]
    text: Mapped[str | None] = mapped_column(Text)
    sentence_key: Mapped[str | None] = mapped_column(String(64))
    customer_message: Mapped[str] = mapped_column(Text)
    reply: Mapped[str] = mapped_column(Text)
    reader: Mapped[str] = mapped_column(String(50))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
