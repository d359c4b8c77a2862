"""Writing the Book as import files in the documented format (docs/import.md).

accounts.csv, customers.csv, conversations.csv (CSV with a JSON ``attributes`` column),
interactions.jsonl (one JSON object per line) and mail.mbox. Output is byte-for-byte
reproducible: rows sorted by a stable key, JSON with sorted keys, fixed line endings, no
timestamps of the moment of writing.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.policy import default as default_policy
from email.utils import format_datetime
from pathlib import Path
from typing import Any

from goodwill.demo.records import (
    AccountRecord,
    Book,
    ConversationRecord,
    CustomerRecord,
    EmailRecord,
    InteractionRecord,
)
from goodwill.demo.timeline import iso

ACCOUNT_COLUMNS = ("external_id", "name", "domain", "attributes")
CUSTOMER_COLUMNS = (
    "external_id", "name", "email", "phone", "language", "account_external_id", "owner_email",
    "segment", "customer_since", "attributes",
)  # fmt: skip
CONVERSATION_COLUMNS = (
    "external_id", "customer_external_id", "subject", "channel", "status", "opened_at",
    "closed_at",
)  # fmt: skip
FILES = ("accounts.csv", "customers.csv", "conversations.csv", "interactions.jsonl", "mail.mbox")
_MAIL_POLICY = default_policy.clone(linesep="\n", max_line_length=78)


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return _json(value)
    if hasattr(value, "tzinfo"):
        return iso(value)
    return str(value)


def _write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_cell(v) for v in row])
            count += 1
    return count


def _account_row(a: AccountRecord) -> tuple[Any, ...]:
    return (a.external_id, a.name, a.domain, a.attributes)


def _customer_row(c: CustomerRecord) -> tuple[Any, ...]:
    return (
        c.external_id, c.name, c.email, c.phone, c.language, c.account_external_id,
        c.owner_email, c.segment, c.customer_since, c.attributes,
    )  # fmt: skip


def _conversation_row(c: ConversationRecord) -> tuple[Any, ...]:
    return (
        c.external_id, c.customer_external_id, c.subject, c.channel, c.status, c.opened_at,
        c.closed_at,
    )  # fmt: skip


def interaction_object(i: InteractionRecord) -> dict[str, Any]:
    """One JSONL line: absent values left out, amounts as exact decimal strings."""
    values: dict[str, Any] = {
        "external_id": i.external_id,
        "customer_external_id": i.customer_external_id,
        "conversation_external_id": i.conversation_external_id,
        "kind": i.kind,
        "channel": i.channel,
        "direction": i.direction,
        "occurred_at": iso(i.occurred_at),
        "subject": i.subject,
        "body": i.body,
        "author_name": i.author_name,
        "author_email": i.author_email,
        "amount": None if i.amount is None else f"{i.amount:.2f}",
        "currency": i.currency,
        "quantity": i.quantity,
        "score": i.score,
        "attributes": i.attributes or None,
    }
    return {k: v for k, v in values.items() if v is not None}


def _write_jsonl(path: Path, interactions: Iterable[InteractionRecord]) -> int:
    count = 0
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for record in interactions:
            fh.write(_json(interaction_object(record)) + "\n")
            count += 1
    return count


def email_bytes(record: EmailRecord) -> bytes:
    """One message of the archive with its ``From`` separator line, From-quoted (mboxrd)."""
    msg = EmailMessage(policy=_MAIL_POLICY)
    msg["From"] = record.sender
    msg["To"] = record.recipient
    msg["Subject"] = record.subject
    msg["Date"] = format_datetime(record.sent_at)
    msg["Message-ID"] = record.message_id
    if record.in_reply_to:
        msg["In-Reply-To"] = record.in_reply_to
        msg["References"] = " ".join(record.references)
    msg.set_content(record.body)
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=True, policy=_MAIL_POLICY).flatten(msg)
    address = record.sender.rsplit("<", 1)[-1].rstrip(">")
    moment = record.sent_at
    separator = f"From {address} {moment:%a %b} {moment.day:2d} {moment:%H:%M:%S %Y}\n"
    return separator.encode() + buffer.getvalue().rstrip(b"\n") + b"\n\n"


def write(book: Book, out_dir: Path) -> dict[str, int]:
    """Write every file into ``out_dir``; the number of records in each."""
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {
        "accounts.csv": _write_csv(
            out_dir / "accounts.csv",
            ACCOUNT_COLUMNS,
            (_account_row(a) for a in sorted(book.accounts, key=lambda a: a.external_id)),
        ),
        "customers.csv": _write_csv(
            out_dir / "customers.csv",
            CUSTOMER_COLUMNS,
            (_customer_row(c) for c in sorted(book.customers, key=lambda c: c.external_id)),
        ),
        "conversations.csv": _write_csv(
            out_dir / "conversations.csv",
            CONVERSATION_COLUMNS,
            (_conversation_row(c) for c in sorted(book.conversations, key=_conversation_key)),
        ),
        "interactions.jsonl": _write_jsonl(
            out_dir / "interactions.jsonl",
            sorted(book.interactions, key=lambda i: (i.occurred_at, i.external_id)),
        ),
    }
    messages = sorted((m for t in book.emails for m in t), key=lambda m: (m.sent_at, m.message_id))
    with (out_dir / "mail.mbox").open("wb") as fh:
        for message in messages:
            fh.write(email_bytes(message))
    counts["mail.mbox"] = len(messages)
    return counts


def _conversation_key(c: ConversationRecord) -> tuple[Any, ...]:
    return (c.opened_at, c.external_id)
