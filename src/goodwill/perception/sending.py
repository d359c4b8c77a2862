"""E-mailing new links to their customers, through the SMTP sender of the feedback loop
(``goodwill.feedback.delivery``) and with its settings (``GOODWILL_SMTP_*``, the organisation's
``feedback.smtp_from`` and ``feedback.sender_organisation``).

Links are e-mailed only once the transaction that made them has committed (a link in a letter
always works), in a unit of work of their own; the outcome is kept on each request
(``emailed_at`` or ``delivery_error``) and shown with the relationship's open link. The tokens
travel from the request to the letter in memory only.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.config import Settings
from goodwill.customers.models import Customer
from goodwill.database import in_lists, unit_of_work, utcnow
from goodwill.feedback import delivery
from goodwill.organisations.service import get_organisation, get_setting
from goodwill.perception.models import PerceptionRequest
from goodwill.relationships.models import Relationship

log = logging.getLogger(__name__)
NO_ADDRESS = "the customer has no e-mail address"


def recipients(db: Session, relationship_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, Customer]:
    """Relationship id → its customer."""
    found: dict[uuid.UUID, Customer] = {}
    for chunk in in_lists(list(relationship_ids)):
        stmt = (
            select(Relationship.id, Customer)
            .join(Customer, Customer.id == Relationship.customer_id)
            .where(Relationship.id.in_(chunk))
        )
        found.update({row[0]: row[1] for row in db.execute(stmt)})
    return found


def letter(organisation: str, name: str | None, url: str, expires_at: datetime) -> tuple[str, str]:
    """The subject and body of the e-mail that carries a link."""
    subject = f"{organisation}: four quick questions about working with us"
    body = (
        f"Hello{' ' + name if name else ''},\n\n"
        f"We would like to know how working with {organisation} looks from your side: four "
        "questions, a minute at most.\n\n"
        f"{url}\n\n"
        f"The link is for you alone, works once and expires on {expires_at:%d %B %Y}. "
        "Your answers go to the people who look after you.\n\n"
        f"Thank you,\n{organisation}\n"
    )
    return subject, body


def smtp_config(settings: Settings, db: Session) -> delivery.SmtpConfig:
    config = get_setting(db=db, key="feedback") or {}
    return delivery.SmtpConfig.of(settings, config.get("smtp_from"))


def send_links(
    *, db: Session, settings: Settings, outgoing: Sequence[tuple[uuid.UUID, str]]
) -> int:
    """E-mail each (request id, link) to its customer; returns how many were accepted."""
    requests = {
        r.id: r
        for r in db.scalars(
            select(PerceptionRequest).where(
                PerceptionRequest.id.in_([request_id for request_id, _ in outgoing])
            )
        )
    }
    customers = recipients(db, [r.relationship_id for r in requests.values()])
    config = get_setting(db=db, key="feedback") or {}
    organisation = str(config.get("sender_organisation") or get_organisation(db=db).name)
    smtp = smtp_config(settings, db)
    sent = 0
    for request_id, url in outgoing:
        request = requests[request_id]
        customer = customers[request.relationship_id]
        if not customer.email:
            request.delivery_error = NO_ADDRESS
            continue
        subject, body = letter(organisation, customer.name, url, request.expires_at)
        email = delivery.Email(customer.email, subject, body, f"perception-{request.id}")
        attempt = delivery.send_email(smtp, email)
        request.emailed_at = utcnow() if attempt.ok else None
        request.delivery_error = None if attempt.ok else attempt.error
        sent += attempt.ok
    db.flush()
    return sent


def send_after_commit(
    factory: sessionmaker[Session],
    organisation_id: uuid.UUID,
    settings: Settings,
    outgoing: Sequence[tuple[uuid.UUID, str]],
) -> None:
    """``send_links`` in a unit of work of its own (run once the links are committed)."""
    with unit_of_work(factory) as db:
        tenancy.scope(db, organisation_id)
        sent = send_links(db=db, settings=settings, outgoing=outgoing)
    log.info("perception links e-mailed: %d of %d", sent, len(outgoing))
