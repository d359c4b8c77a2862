"""The customer's perception survey: a public page reached by a one-time link, no sign-in, no
app around it, and working without JavaScript.

The token in the address is the credential; the form also carries a nonce bound to the link
(``goodwill.perception.links``), and a link takes one answer (a second is refused, also at the
same moment). The page shows the organisation's name and the questions, nothing of what the
company thinks; everything shown is escaped. An unknown link is a 404, an expired one a 410, a
used one says thank you (200) and shows no form. The page is never cached or indexed and sends
no referrer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from goodwill.config import Settings
from goodwill.database import utcnow
from goodwill.dependencies import AppSettings, DbSession
from goodwill.errors import Conflict, NotFound
from goodwill.organisations.service import get_organisation
from goodwill.perception import links, service
from goodwill.perception.models import PerceptionRequest
from goodwill.perception.questions import COMMENT_MAX, QUESTIONS, SCALE
from goodwill.web.perception_pages import answer_from_form
from goodwill.web.render import render

router = APIRouter(include_in_schema=False)
HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Referrer-Policy": "no-referrer"}
CLOSED = {
    "unknown": (404, "This link is not valid", "Please check that the whole link was copied."),
    "answered": (200, "Thank you", "Your answers are in. This link has done its work."),
    "expired": (410, "This link has expired", "Thank you for looking; it can no longer be used."),
}


async def posted_form(request: Request) -> FormData:
    return await request.form()


STALE = {
    "form": "This form was open too long or did not come from this page: please send it again."
}


PostedForm = Annotated[FormData, Depends(posted_form)]


def _page(request: Request, context: dict[str, Any], code: int) -> Response:
    response = render(request, "perception_survey.html", context, status_code=code)
    response.headers.update(HEADERS)
    return response


def _closed(request: Request, state: str, organisation: str | None = None) -> Response:
    code, title, detail = CLOSED[state]
    context = {"state": state, "title": title, "detail": detail, "organisation": organisation}
    return _page(request, context, code)


def _form(
    request: Request,
    db: Session,
    settings: Settings,
    survey: PerceptionRequest,
    *,
    errors: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    code: int = 200,
) -> Response:
    organisation = get_organisation(db=db).name
    nonce = links.form_nonce(settings.secret_key_bytes(), survey.id, int(utcnow().timestamp()))
    context = {
        "state": "open",
        "title": f"How is it going with {organisation}?",
        "organisation": organisation,
        "questions": [(q, q.for_customer(organisation)) for q in QUESTIONS],
        "scores": list(range(SCALE[0], SCALE[1] + 1)),
        "nonce": nonce,
        "errors": errors or {},
        "values": values or {},
        "comment_max": COMMENT_MAX,
        "action": request.url.path,
    }
    return _page(request, context, code)


def _find(db: Session, token: str) -> PerceptionRequest | None:
    try:
        return service.find_by_token(db=db, token=token)
    except NotFound:
        return None


@router.get("/p/{token}", response_model=None)
def survey_page(request: Request, db: DbSession, settings: AppSettings, token: str) -> Response:
    survey = _find(db, token)
    if survey is None:
        return _closed(request, "unknown")
    state = service.link_state(survey)
    if state != "open":
        return _closed(request, state, get_organisation(db=db).name)
    return _form(request, db, settings, survey)


@router.post("/p/{token}", response_model=None)
def survey_answer(
    request: Request, db: DbSession, settings: AppSettings, form: PostedForm, token: str
) -> Response:
    """Store the answers once, then show the thank-you page (POST, redirect, GET)."""
    survey = _find(db, token)
    if survey is None:
        return _closed(request, "unknown")
    if service.link_state(survey) != "open":
        return _closed(request, service.link_state(survey), get_organisation(db=db).name)
    values = {k: v for k, v in form.items() if isinstance(v, str)}
    nonce = values.get("nonce", "")
    if not links.nonce_is_valid(settings.secret_key_bytes(), survey.id, nonce, utcnow()):
        return _form(request, db, settings, survey, errors=STALE, values=values, code=403)
    answer, errors = answer_from_form(values)
    if answer is None:
        return _form(request, db, settings, survey, errors=errors, values=values, code=422)
    try:
        service.answer_by_customer(db=db, request=survey, answer=answer)
    except Conflict:
        return _closed(request, service.link_state(survey), get_organisation(db=db).name)
    return RedirectResponse(request.url.path, status_code=303)
