"""Inbound webhook: other tools post interactions, signed with the endpoint's secret.

``Goodwill-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>``. An unknown
or revoked endpoint answers exactly like a wrong signature, so endpoint ids cannot be probed.
Replays inside the time window are harmless: interactions are idempotent by external id.
"""

from __future__ import annotations

import json
import re
import time
import uuid
from typing import Annotated, Any

from fastapi import (
    APIRouter,
    BackgroundTasks,
    Depends,
    Header,
    HTTPException,
    Request,
    Response,
    status,
)
from fastapi.exceptions import RequestValidationError
from pydantic import ValidationError

from goodwill import ingest, security, tenancy
from goodwill.config import Settings
from goodwill.dependencies import AppSettings, DbSession
from goodwill.errors import InvalidInput, NotAuthenticated, NotFound
from goodwill.interactions import service
from goodwill.interactions.schemas import (
    InteractionBatch,
    InteractionBatchResult,
    InteractionCreate,
    InteractionRead,
)
from goodwill.organisations import service as organisation_service

router = APIRouter(tags=["webhooks"])

SIGNATURE_HEADER = "Goodwill-Signature"
_SIGNATURE = re.compile(r"^t=(?P<t>\d{1,12}),(?P<v1>v1=[0-9a-f]{64}(?:,v1=[0-9a-f]{64})*)$")


async def raw_body(request: Request, settings: AppSettings) -> bytes:
    """The request body exactly as sent (the signature covers these bytes)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            detail=f"body: over {settings.max_upload_bytes} bytes (GOODWILL_MAX_UPLOAD_BYTES)",
        )
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]


def signed_payload(timestamp: int, body: bytes) -> bytes:
    return f"{timestamp}.".encode() + body


def verify_signature(
    *, header: str | None, body: bytes, secret: str | None, settings: Settings, now: float
) -> None:
    """Check a ``Goodwill-Signature`` header; ``secret`` None (no such endpoint) always fails."""
    if not header:
        raise NotAuthenticated(f"missing {SIGNATURE_HEADER} header: t=<unix seconds>,v1=<hex>")
    match = _SIGNATURE.match(header.strip().replace(" ", ""))
    if match is None:
        raise NotAuthenticated(
            f"malformed {SIGNATURE_HEADER} header: expected t=<unix seconds>,v1=<64 hex digits>"
        )
    timestamp = int(match["t"])
    skew = abs(now - timestamp)
    if skew > settings.webhook_tolerance_seconds:
        raise NotAuthenticated(
            f"{SIGNATURE_HEADER} timestamp is {int(skew)} s away from the server's clock "
            f"(tolerance {settings.webhook_tolerance_seconds} s): sign each request when sending"
        )
    key = (secret or "whsec_no-such-endpoint").encode()
    expected = security.hmac_sha256(key, signed_payload(timestamp, body))
    sent = [v.removeprefix("v1=") for v in match["v1"].split(",")]
    matches = [security.constant_time_equals(expected, s) for s in sent]
    if secret is None or not any(matches):
        raise NotAuthenticated(
            "signature does not match: no active webhook endpoint with this id, or the body "
            "was signed with another secret or changed on the way"
        )


def _parse(body: bytes) -> InteractionCreate | InteractionBatch:
    try:
        data: Any = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput(f"body: not JSON ({exc})") from None
    model = (
        InteractionBatch if isinstance(data, dict) and "interactions" in data else InteractionCreate
    )
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in errors]) from None


@router.post(
    "/webhooks/{endpoint_id}/interactions",
    response_model=InteractionRead | InteractionBatchResult,
    status_code=status.HTTP_201_CREATED,
    responses={
        200: {"description": "every interaction was stored before: nothing changed"},
        401: {"description": "missing, malformed, stale or wrong signature"},
        413: {"description": "body over GOODWILL_MAX_UPLOAD_BYTES"},
    },
)
def receive_interactions(
    endpoint_id: uuid.UUID,
    db: DbSession,
    settings: AppSettings,
    body: RawBody,
    request: Request,
    response: Response,
    background: BackgroundTasks,
    signature: Annotated[str | None, Header(alias=SIGNATURE_HEADER)] = None,
) -> InteractionRead | InteractionBatchResult:
    """One interaction object, or ``{"interactions": [...]}`` (at most 1000, all or nothing)."""
    try:
        endpoint = organisation_service.get_webhook_endpoint(db=db, endpoint_id=endpoint_id)
        secret = organisation_service.webhook_secret(
            endpoint=endpoint, server_key=settings.secret_key_bytes()
        )
    except NotFound:
        endpoint, secret = None, None
    verify_signature(header=signature, body=body, secret=secret, settings=settings, now=time.time())
    assert endpoint is not None  # verify_signature refused a missing one
    tenancy.scope(db, endpoint.organisation_id)
    ingest.after_response(request, background, endpoint.organisation_id)
    parsed = _parse(body)
    if isinstance(parsed, InteractionCreate):
        one = service.create(db=db, interaction_in=parsed)
        if not one.created:
            response.status_code = status.HTTP_200_OK
        return InteractionRead.model_validate(one.interaction)
    stored = service.create_many(db=db, interactions_in=parsed.interactions)
    created = sum(s.created for s in stored)
    if not created:
        response.status_code = status.HTTP_200_OK
    return InteractionBatchResult(
        created=created,
        existing=len(stored) - created,
        items=[InteractionRead.model_validate(s.interaction) for s in stored],
    )
