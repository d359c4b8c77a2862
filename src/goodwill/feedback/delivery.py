"""Sending a closing-the-loop message: by SMTP, or by an outbound webhook (signed, retried).

Outbound webhooks are signed exactly like the inbound ones (``interactions/webhooks.py``):
``Goodwill-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>``, so a
receiver verifies them with the same code. A 5xx answer, a timeout or a connection error is retried
with exponential backoff; a 4xx is final (the receiver refused the message itself). Every attempt
is returned, to be logged. ``Goodwill-Delivery`` carries the draft id on every attempt, and the
e-mail's Message-ID is derived from it: receivers can drop a duplicate.
"""

from __future__ import annotations

import json
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import httpx

from goodwill import security
from goodwill.config import Settings
from goodwill.interactions.webhooks import SIGNATURE_HEADER, signed_payload

DELIVERY_HEADER = "Goodwill-Delivery"


@dataclass(frozen=True)
class Attempt:
    ok: bool
    status_code: int | None
    duration_ms: float
    error: str | None


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    sender: str
    timeout: float = 10.0
    starttls: bool = False
    username: str | None = None
    password: str | None = None

    @classmethod
    def of(cls, settings: Settings, sender: str | None = None) -> SmtpConfig:
        """The server the app's settings name; ``sender`` (an organisation's own From address)
        wins over ``GOODWILL_SMTP_FROM``."""
        password = settings.smtp_password
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            sender=str(sender or settings.smtp_from),
            timeout=settings.smtp_timeout_seconds,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=password.get_secret_value() if password else None,
        )


@dataclass(frozen=True)
class Email:
    recipient: str
    subject: str
    body: str
    message_key: str  # stable per draft: the Message-ID is built from it


def build_email(config: SmtpConfig, email: Email) -> EmailMessage:
    message = EmailMessage()
    message["From"] = config.sender
    message["To"] = email.recipient
    message["Subject"] = email.subject
    message["Date"] = formatdate(localtime=False, usegmt=True)
    domain = config.sender.rsplit("@", 1)[-1].strip("> ") or "goodwill.local"
    message["Message-ID"] = make_msgid(idstring=email.message_key, domain=domain)
    message.set_content(email.body)
    return message


def send_email(config: SmtpConfig, email: Email) -> Attempt:
    """One SMTP transaction; the server's answer code is kept (250 when accepted)."""
    started = time.perf_counter()
    try:
        with smtplib.SMTP(config.host, config.port, timeout=config.timeout) as smtp:
            if config.starttls:
                smtp.starttls()
            if config.username:
                smtp.login(config.username, config.password or "")
            refused = smtp.send_message(build_email(config, email))
            code, _ = smtp.noop()
        error = f"refused: {refused}" if refused else None
        return Attempt(not refused, 250 if not refused else code, _ms(started), error)
    except smtplib.SMTPResponseException as exc:
        return Attempt(False, exc.smtp_code, _ms(started), _smtp_error(exc))
    except (smtplib.SMTPException, OSError) as exc:
        return Attempt(False, None, _ms(started), f"{type(exc).__name__}: {exc}")


def _smtp_error(exc: smtplib.SMTPResponseException) -> str:
    raw = exc.smtp_error
    text = raw.decode(errors="replace") if isinstance(raw, bytes) else str(raw)
    return f"{type(exc).__name__}: {exc.smtp_code} {text}"


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The ``Goodwill-Signature`` header value for ``body``."""
    digest = security.hmac_sha256(secret.encode(), signed_payload(timestamp, body))
    return f"t={timestamp},v1={digest}"


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff_seconds: float = 0.5  # 0.5 s, 1 s, 2 s between attempts
    timeout_seconds: float = 10.0


def post_webhook(
    *,
    client: httpx.Client,
    url: str,
    secret: str,
    payload: dict[str, Any],
    delivery_key: str,
    policy: RetryPolicy,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Attempt]:
    """POST ``payload`` until accepted, refused (4xx) or out of attempts; every attempt."""
    body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
    attempts: list[Attempt] = []
    for number in range(policy.attempts):
        if number:
            sleep(policy.backoff_seconds * 2 ** (number - 1))
        attempt = _post_once(client, url, secret, body, delivery_key, policy.timeout_seconds)
        attempts.append(attempt)
        if attempt.ok or (attempt.status_code is not None and attempt.status_code < 500):
            break
    return attempts


def _post_once(
    client: httpx.Client, url: str, secret: str, body: bytes, key: str, timeout: float
) -> Attempt:
    headers = {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: sign(secret, body, int(time.time())),
        DELIVERY_HEADER: key,
    }
    started = time.perf_counter()
    try:
        response = client.post(url, content=body, headers=headers, timeout=timeout)
    except httpx.TimeoutException as exc:
        return Attempt(False, None, _ms(started), f"timeout: {exc}")
    except httpx.HTTPError as exc:
        return Attempt(False, None, _ms(started), f"{type(exc).__name__}: {exc}")
    ok = 200 <= response.status_code < 300
    error = None if ok else f"HTTP {response.status_code}: {response.text[:500]}"
    return Attempt(ok, response.status_code, _ms(started), error)


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 3)
