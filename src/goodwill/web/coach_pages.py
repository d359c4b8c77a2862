"""The reply coach as a page: the customer's message and a draft in, the irritants highlighted in
the draft, each with its explanation and suggestion, and the score.

With JavaScript (static/coach.js) the page asks the JSON coach (``POST /api/v1/coach``, the
browser session plus the ``x-csrf-token`` header) as the operator types and redraws the
highlights with DOM text nodes; without it the form posts here and the server draws the same
highlights. A relationship page embeds the same form (``coach_panel.html``) with the
relationship's id, so the coach reads the relationship's state too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from goodwill.coach import service as coach_service
from goodwill.coach import verdicts as coach_verdicts
from goodwill.coach.api import get_coach
from goodwill.coach.schemas import MAX_TEXT
from goodwill.errors import InvalidInput
from goodwill.relationships import service as relationship_service
from goodwill.web.auth import CheckedForm, CurrentPage, PageContext, PageDb, PageRoute
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)


@dataclass(frozen=True)
class Piece:
    """A run of the draft: plain, or marked as an irritant (``findings``: numbers from 1)."""

    text: str
    findings: tuple[int, ...] = ()


def marked(reply: str, findings: Sequence[dict[str, Any]]) -> list[Piece]:
    """The draft cut into plain and marked runs; overlapping irritant spans become one mark
    naming every finding it covers. Offsets are in characters (code points), as the coach
    gives them; static/coach.js does the same on the browser side."""
    spans = sorted(
        (max(int(f["start"]), 0), min(int(f["end"]), len(reply)), n)
        for n, f in enumerate(findings, 1)
        if f["kind"] == "irritant" and f["start"] is not None and f["end"] is not None
    )
    groups: list[tuple[int, int, tuple[int, ...]]] = []
    for start, end, number in spans:
        if end <= start:
            continue
        if groups and start < groups[-1][1]:
            first, last, numbers = groups[-1]
            groups[-1] = (first, max(last, end), (*numbers, number))
        else:
            groups.append((start, end, (number,)))
    pieces: list[Piece] = []
    at = 0
    for start, end, numbers in groups:
        if start > at:
            pieces.append(Piece(reply[at:start]))
        pieces.append(Piece(reply[start:end], numbers))
        at = end
    if at < len(reply):
        pieces.append(Piece(reply[at:]))
    return pieces


def review(
    db: Session, customer_message: str, reply: str, relationship_id: uuid.UUID | None
) -> dict[str, Any]:
    """The coach's verdict as the JSON API gives it (score, intent, emotion, findings)."""
    coach = get_coach()
    draft = coach_service.build_draft(
        db=db,
        customer_message=customer_message,
        reply=reply,
        relationship_id=relationship_id,
        reader=coach.reader,
    )
    verdict = coach_verdicts.for_organisation(db=db, verdict=coach.review(draft), reply=reply)
    return verdict.to_json()  # less what the organisation's operators muted, as in the API


def _relationship_id(raw: str) -> uuid.UUID | None:
    if not raw:
        return None
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise InvalidInput("relationship_id: not a relationship's id") from None


def _page(
    request: Request,
    page: PageContext,
    values: dict[str, str],
    verdict: dict[str, Any] | None,
    error: str | None,
    code: int = 200,
) -> Response:
    findings: list[dict[str, Any]] = list(verdict["findings"]) if verdict else []
    context = {
        **page.values("coach"),
        "coach_values": values,
        "verdict": verdict,
        "findings": findings,
        "pieces": marked(values.get("reply", ""), findings) if verdict else [],
        "error": error,
        "max_text": MAX_TEXT,
    }
    return render(request, "coach.html", context, status_code=code)


@router.get("/coach", response_model=None)
def coach_page(request: Request, page: CurrentPage) -> Response:
    return _page(request, page, {}, None, None)


@router.post("/coach", response_model=None)
def coach_submit(request: Request, db: PageDb, page: CurrentPage, form: CheckedForm) -> Response:
    """The form without JavaScript: the verdict drawn by the server. Nothing is stored."""
    values = {k: str(form.get(k, "")) for k in ("customer_message", "reply", "relationship_id")}
    relationship_id = _relationship_id(values["relationship_id"].strip())
    if relationship_id is not None:
        relationship_service.get(db=db, relationship_id=relationship_id)  # 404 if not ours
    message, reply = values["customer_message"].strip(), values["reply"].strip()
    if not message or not reply or len(message) > MAX_TEXT or len(reply) > MAX_TEXT:
        error = f"Write the customer's message and your draft (1 to {MAX_TEXT:,} characters each)."
        return _page(request, page, values, None, error, 422)
    verdict = review(db, message, reply, relationship_id)
    values["reply"] = reply
    return _page(request, page, values, verdict, None)
