"""E-mail messages out of EML files and mbox archives (no database here).

An mbox archive is split message by message as it is read (only one message is in memory at a
time); each message is parsed with the standard library's ``email`` package (``policy=default``).
The stored body is the text part, or the HTML part turned into text with BeautifulSoup, with
quoted history and signatures removed by mail-parser-reply.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import policy
from email.errors import HeaderParseError
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any, BinaryIO

from bs4 import BeautifulSoup
from mailparser_reply import EmailMessage as ReplyText

from goodwill.imports.readers import ErrorLog, human_size

MAX_MESSAGE_BYTES = 50 * 1024**2
DEFAULT_LANGUAGES = ("en",)
_MESSAGE_ID = re.compile(r"<([^<>\s]+)>")
_UNFOLD = re.compile(r"\r?\n(?=[ \t])")
_BLOCK_TAGS = ("p", "div", "li", "tr", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6")
_QUOTE_SELECTORS = (
    "blockquote, div.gmail_quote, div.yahoo_quoted, div#divRplyFwdMsg, div#divRplyFwdMsg ~ *"
)
_PARSER = BytesParser(policy=policy.default)


class BadMessage(ValueError):
    """A message that cannot be imported: the header (or part) at fault and why."""

    def __init__(self, field: str | None, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


@dataclass(slots=True)
class MailMessage:
    """What an import needs of one e-mail message."""

    line: int
    external_id: str
    message_id: str | None
    parent_ids: list[str]
    root_id: str
    sender: tuple[str, str]
    to: list[tuple[str, str]]
    cc: list[tuple[str, str]]
    subject: str | None
    occurred_at: datetime
    body: str
    raw: bytes
    attachments: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recipients(self) -> list[tuple[str, str]]:
        return self.to + self.cc


def split_mbox(reader: BinaryIO, *, log: ErrorLog) -> Iterator[tuple[int, bytes]]:
    """``(line of the From_ line, message bytes)`` for each message of an mbox archive.

    A message starts at a line beginning ``From `` at the top of the file or after a blank
    line; ``>From `` quoting (mboxrd) is undone. A message over the size limit is logged and
    skipped without being held in memory.
    """
    parts: list[bytes] = []
    start = size = 0
    line_no = 0
    at_line_start = previous_blank = True
    for piece in iter(lambda: reader.readline(1 << 20), b""):
        is_line_start = at_line_start
        at_line_start = piece.endswith(b"\n")
        if at_line_start:
            line_no += 1
        if is_line_start and previous_blank and piece.startswith(b"From "):
            yield from _finished(start, parts, size, log)
            parts, size, start = [], 0, line_no or 1
            previous_blank = False
            continue
        if start == 0:
            if piece.strip():
                log.add(1, None, "not an mbox archive: the first line must start with 'From '")
                return
            continue
        previous_blank = is_line_start and piece in (b"\n", b"\r\n")
        if is_line_start and piece.startswith(b">") and piece.lstrip(b">").startswith(b"From "):
            piece = piece[1:]
        size += len(piece)
        if size <= MAX_MESSAGE_BYTES:
            parts.append(piece)
    yield from _finished(start, parts, size, log)


def _finished(
    start: int, parts: list[bytes], size: int, log: ErrorLog
) -> Iterator[tuple[int, bytes]]:
    if start == 0:
        return
    if size > MAX_MESSAGE_BYTES:
        log.add(start, None, f"message larger than {human_size(MAX_MESSAGE_BYTES)}")
        return
    if parts and parts[-1] in (b"\n", b"\r\n"):
        parts.pop()
    yield start, b"".join(parts)


def read_eml(reader: BinaryIO, *, log: ErrorLog) -> Iterator[tuple[int, bytes]]:
    """The one message of an EML file."""
    raw = reader.read(MAX_MESSAGE_BYTES + 1)
    if len(raw) > MAX_MESSAGE_BYTES:
        log.add(1, None, f"message larger than {human_size(MAX_MESSAGE_BYTES)}")
        return
    yield 1, raw


def parse_message(
    raw: bytes, line: int, *, languages: Sequence[str] = DEFAULT_LANGUAGES
) -> MailMessage:
    """One message's headers and body; raises :class:`BadMessage` for what cannot be imported."""
    try:
        msg = _PARSER.parsebytes(raw)
        return _message(msg, raw, line, languages)
    except BadMessage:
        raise
    except Exception as exc:  # the email package raises assorted errors on malformed input
        raise BadMessage(None, f"cannot parse the message: {exc}") from exc


def _message(msg: EmailMessage, raw: bytes, line: int, languages: Sequence[str]) -> MailMessage:
    headers = _raw_headers(msg)
    senders = _addresses(headers, "from")
    if not senders:
        raise BadMessage("From", "missing: no sender address")
    occurred_at = _date(headers)
    message_id = _first_id(headers.get("message-id"))
    references = _ids(headers.get("references"))
    in_reply_to = _ids(headers.get("in-reply-to"))
    parents = list(dict.fromkeys([*in_reply_to[-1:], *reversed(references)]))
    if message_id:
        external_id = capped_id("", message_id)
    else:
        external_id = "sha256:" + hashlib.sha256(raw).hexdigest()
    subject = _decoded(" ".join(headers.get("subject", []))).strip()
    return MailMessage(
        line=line,
        external_id=external_id,
        message_id=message_id,
        parent_ids=parents,
        root_id=(references or in_reply_to or [external_id])[0],
        sender=senders[0],
        to=_addresses(headers, "to"),
        cc=_addresses(headers, "cc"),
        subject=subject or None,
        occurred_at=occurred_at,
        body=message_text(msg, languages),
        raw=raw,
        attachments=_attachments(msg),
    )


def capped_id(prefix: str, value: str, limit: int = 255) -> str:
    """``prefix + value``, or ``prefix + sha256:hash`` when that would be longer than ``limit``."""
    full = prefix + value
    if len(full) <= limit:
        return full
    return prefix + "sha256:" + hashlib.sha256(value.encode()).hexdigest()


def _raw_headers(msg: EmailMessage) -> dict[str, list[str]]:
    """Header values as written (unfolded, 8-bit bytes read as UTF-8), by lower-case name.

    Reading them raw instead of through the policy's header objects is several times faster,
    and threading, addresses and dates need only the simple parsers of ``email.utils``.
    """
    headers: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        headers.setdefault(name.lower(), []).append(_clean(_UNFOLD.sub("", str(value))))
    return headers


def _clean(value: str) -> str:
    """Text safe to store: undecoded bytes (surrogate escapes) read as UTF-8, no NUL."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    return value.replace("\x00", "")


def _decoded(value: str) -> str:
    """RFC 2047 encoded words (``=?utf-8?q?...?=``) decoded."""
    if "=?" not in value:
        return value
    try:
        return _clean(str(make_header(decode_header(value))))
    except (LookupError, ValueError, UnicodeError, HeaderParseError):
        return value


def _date(headers: dict[str, list[str]]) -> datetime:
    values = headers.get("date")
    if not values:
        raise BadMessage("Date", "missing")
    try:
        when = parsedate_to_datetime(values[0])
    except (TypeError, ValueError, IndexError):
        raise BadMessage("Date", f"{values[0]!r} is not a date") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def _addresses(headers: dict[str, list[str]], name: str) -> list[tuple[str, str]]:
    found = []
    for display, address in getaddresses(headers.get(name, [])):
        address = address.strip().lower()
        if "@" in address and "." in address.rsplit("@", 1)[1] and len(address) <= 320:
            found.append((_decoded(display).strip(), address))
    return found


def _ids(values: list[str] | None) -> list[str]:
    return _MESSAGE_ID.findall(" ".join(values)) if values else []


def _first_id(values: list[str] | None) -> str | None:
    if not values:
        return None
    ids = _ids(values)
    return ids[0] if ids else (values[0].strip() or None)


def message_text(msg: EmailMessage, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The newest reply's text: text part (or HTML made text), no quotes, no signature."""
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, KeyError):
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        content = html_to_text(content)
    return strip_reply(_clean(content), languages)


def html_to_text(html: str) -> str:
    """Readable text of an HTML mail: blocks on their own lines, quoted history left out."""
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "head", "title"]):
        tag.decompose()
    for tag in soup.select(_QUOTE_SELECTORS):
        tag.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.append("\n")
    lines = (" ".join(line.split()) for line in soup.get_text().splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def strip_reply(text: str, languages: Sequence[str] = DEFAULT_LANGUAGES) -> str:
    """The text the author wrote: quoted lines, quoted history and the signature removed."""
    own = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))
    parsed = ReplyText(text=own, languages=list(languages), keep_hyphen_lists=True).read()
    return parsed.replies[0].body if parsed.replies else ""


def _attachments(msg: EmailMessage) -> list[dict[str, Any]]:
    found = []
    for part in msg.iter_attachments():
        payload = part.get_payload(decode=True)
        filename = part.get_filename()
        found.append(
            {
                "filename": _clean(filename) if filename else None,
                "content_type": part.get_content_type(),
                "size": len(payload) if isinstance(payload, bytes) else 0,
            }
        )
    return found
