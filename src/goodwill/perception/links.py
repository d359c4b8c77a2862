"""A customer's link: its address, and the nonce of the form it opens.

The token in the address is the credential (256 random bits; only its SHA-256 is stored). The
answer form carries a nonce as well: an HMAC of the request id and the time the form was shown,
under the server key, so an answer is accepted only from a form this server rendered for this
link in the last day (a forged cross-site POST needs both the token and a fresh nonce). Nothing is
stored for it; the link's single use is what stops a replay.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from goodwill import security

SURVEY_PATH = "/p/"
NONCE_MAX_AGE = timedelta(hours=24)


def survey_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}{SURVEY_PATH}{token}"


def form_nonce(secret: bytes, request_id: uuid.UUID, issued: int) -> str:
    """The nonce of a form shown at ``issued`` (unix seconds) for one request."""
    mac = security.hmac_sha256(secret, f"perception-form:{request_id}:{issued}".encode())
    return f"{issued}.{mac}"


def nonce_is_valid(secret: bytes, request_id: uuid.UUID, nonce: str, now: datetime) -> bool:
    issued_raw, _, _ = nonce.partition(".")
    if not issued_raw.isdigit() or len(issued_raw) > 12:
        return False
    issued = int(issued_raw)
    age = now.timestamp() - issued
    if not -60 <= age <= NONCE_MAX_AGE.total_seconds():
        return False
    return security.constant_time_equals(nonce, form_nonce(secret, request_id, issued))
