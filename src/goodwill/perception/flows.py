"""Asking customers, the use case the API, the CLI and the pages share: choose relationships,
make their links, and say which go out by e-mail (sent by ``sending`` once stored)."""

from __future__ import annotations

import uuid

from fastapi import Request
from sqlalchemy.orm import Session

from goodwill import tenancy
from goodwill.config import Settings
from goodwill.jobs.after_request import later
from goodwill.organisations.models import Member
from goodwill.perception import links, sending, service
from goodwill.perception.schemas import SurveyLink, SurveyRequestCreate, SurveyRequestResult

Outgoing = list[tuple[uuid.UUID, str]]  # (request id, link) to e-mail


def ask(
    *, db: Session, request_in: SurveyRequestCreate, caller: Member | None, base_url: str
) -> tuple[SurveyRequestResult, Outgoing]:
    """New links for the chosen relationships (``caller`` None: the CLI), and those to e-mail."""
    chosen = service.select_for_survey(db=db, request_in=request_in, caller=caller)
    made, skipped = service.create_requests(
        db=db,
        relationships=chosen,
        member_id=caller.id if caller is not None else None,
        expires_in_days=request_in.expires_in_days,
    )
    customers = sending.recipients(db, [link.request.relationship_id for link in made])
    created: list[SurveyLink] = []
    outgoing: Outgoing = []
    for link in made:
        request = link.request
        url = links.survey_url(request_in.link_base_url or base_url, link.token)
        emailing = request_in.send_email and bool(customers[request.relationship_id].email)
        if request_in.send_email and not emailing:
            request.delivery_error = sending.NO_ADDRESS
        if emailing:
            outgoing.append((request.id, url))
        created.append(
            SurveyLink(
                request_id=request.id,
                relationship_id=request.relationship_id,
                url=url,
                expires_at=request.expires_at,
                emailing=emailing,
                delivery_error=request.delivery_error,
            )
        )
    db.flush()
    return SurveyRequestResult(created=created, skipped=skipped), outgoing


def email_after_request(
    request: Request, db: Session, settings: Settings, outgoing: Outgoing
) -> None:
    """E-mail the links once the request's unit of work has committed (``sending``)."""
    if not outgoing:
        return
    factory = request.app.state.session_factory
    args = (factory, tenancy.current_organisation_id(db), settings, outgoing)
    if not later(request, sending.send_after_commit, *args):  # an app without AfterRequest
        sending.send_links(db=db, settings=settings, outgoing=outgoing)
