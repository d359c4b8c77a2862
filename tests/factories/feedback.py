"""Suggestions, ideas and closing-the-loop drafts, stored in one organisation."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.feedback import flows
from goodwill.feedback import service as feedback_service
from goodwill.feedback.models import Idea, LoopDraft, Suggestion
from goodwill.feedback.schemas import IdeaCreate, IdeaUpdate, SuggestionCreate
from goodwill.organisations.models import Organisation
from tests.factories.customers import org_session
from tests.factories.organisations import OrgContext

DARK_MODE = "It would be great if you could add a dark mode to the app, my eyes hurt at night."


def make_suggestion(
    factory: sessionmaker[Session],
    org: OrgContext,
    *,
    customer_id: uuid.UUID,
    text: str = DARK_MODE,
    interaction_id: uuid.UUID | None = None,
    idea_id: uuid.UUID | None = None,
    suggested_at: datetime | None = None,
) -> Suggestion:
    suggestion_in = SuggestionCreate(
        customer_id=customer_id,
        text=text,
        interaction_id=interaction_id,
        idea_id=idea_id,
        suggested_at=suggested_at,
    )
    with org_session(factory, org) as db:
        return feedback_service.create_suggestion(
            db=db, suggestion_in=suggestion_in, member_id=org.admin_member_id
        )


def set_status(
    factory: sessionmaker[Session],
    org: OrgContext,
    idea_id: uuid.UUID,
    status: str,
    note: str | None = None,
) -> list[LoopDraft]:
    """Change an idea's status as a manager would; the drafts it prepared."""
    with org_session(factory, org) as db:
        idea = feedback_service.get_idea(db=db, idea_id=idea_id)
        idea_in = IdeaUpdate.model_validate({"status": status, "public_note": note})
        feedback_service.update_idea(
            db=db, idea=idea, idea_in=idea_in, member_id=org.admin_member_id
        )
        return flows.prepare_drafts(db=db, idea=idea, member_id=org.admin_member_id)


def get_idea(factory: sessionmaker[Session], org: OrgContext, idea_id: uuid.UUID) -> Idea:
    with org_session(factory, org) as db:
        return feedback_service.get_idea(db=db, idea_id=idea_id)


def mark_sent(factory: sessionmaker[Session], org: OrgContext, draft_id: uuid.UUID) -> None:
    """A draft recorded as already sent (sending it again is a no-op)."""
    with org_session(factory, org) as db:
        draft = flows.get_draft(db=db, draft_id=draft_id)
        draft.state = "sent"
        draft.sent_at = utcnow()
        draft.sent_by_member_id = org.admin_member_id


DARK_MODE_AGAIN = "Please add a dark mode to the app. The bright white screen hurts my eyes."
CSV_EXPORT = "Could you let me export my card statements as CSV files for my accountant?"


def feedback_records(
    factory: sessionmaker[Session], org: OrgContext, label: str, customer_id: uuid.UUID
) -> dict[str, uuid.UUID]:
    """For cross-tenant tests: two ideas (the first with two suggestions, planned) and the
    closing-the-loop draft it prepared, to go by the organisation's outbound webhook."""
    with org_session(factory, org) as db:
        organisation = db.get(Organisation, org.organisation_id)
        assert organisation is not None
        hook = {"webhook_url": f"https://helpdesk.{label}.example/goodwill"}
        organisation.settings = {**organisation.settings, "feedback": hook}
        idea_2 = feedback_service.create_idea(
            db=db, idea_in=IdeaCreate(title="CSV export"), member_id=org.admin_member_id
        ).id
    first = make_suggestion(factory, org, customer_id=customer_id, text=DARK_MODE)
    second = make_suggestion(
        factory, org, customer_id=customer_id, text=DARK_MODE_AGAIN, idea_id=first.idea_id
    )
    make_suggestion(factory, org, customer_id=customer_id, text=CSV_EXPORT, idea_id=idea_2)
    with org_session(factory, org) as db:
        db.execute(update(Suggestion).where(Suggestion.id == first.id).values(channel="chat"))
    (draft,) = set_status(factory, org, first.idea_id, "planned", "In the April release.")
    return {
        "idea": first.idea_id,
        "idea_2": idea_2,
        "suggestion": first.id,
        "suggestion_2": second.id,
        "loop_draft": draft.id,
    }
