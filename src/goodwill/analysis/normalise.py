"""Normalise a message: the latest reply only, readable characters, offsets back to the original.

- Quoted history, signatures and disclaimers are found by ``mail-parser-reply`` (its header,
  signature and disclaimer patterns for several languages); lines it leaves that still start
  with ``>`` are quoted text as well.
- Broken encodings (mojibake, HTML entities) are repaired by ``ftfy``, on the lines its quick
  badness test flags.
- Every kept line is a :class:`Segment` that maps its span in the normalised text to its span in
  the original, so a finding on the normalised text can be shown on what the person wrote.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import ftfy
import ftfy.badness
from mailparser_reply import EmailReplyParser

from goodwill.analysis.base import Analyser, Context, Message

MAIL_LANGUAGES = ("en", "de", "fr", "es", "it", "nl", "pl", "sv", "da", "cs")
MAX_SIGNOFF_WORDS = 4  # a sign-off line is short: "Thanks," / "Best regards, Anna"


@dataclass(frozen=True, slots=True)
class Segment:
    """A kept line: ``text[start:end]`` came from ``original[original_start:original_end]``.

    ``alignment`` (only when ftfy changed the line) gives, for each offset 0 … len of the fixed
    line, the matching offset in the original line.
    """

    start: int
    end: int
    original_start: int
    original_end: int
    alignment: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Removed:
    kind: str  # "quoted" | "signature" | "disclaimer"
    start: int
    end: int


@dataclass(frozen=True)
class Normalised:
    text: str
    original: str
    segments: tuple[Segment, ...]
    removed: tuple[Removed, ...]
    encoding_fixed: bool

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span of ``text[start:end]``."""
        return self._map(start, is_end=False), self._map(end, is_end=True)

    def _map(self, offset: int, *, is_end: bool) -> int:
        for seg in self.segments:
            if seg.start <= offset <= seg.end:
                if is_end and offset == seg.start and seg.start != seg.end:
                    continue
                inside = offset - seg.start
                if seg.alignment is not None:
                    return seg.original_start + seg.alignment[inside]
                return seg.original_start + inside
        return self.segments[-1].original_end if self.segments else 0

    def to_json(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "removed": [{"kind": r.kind, "start": r.start, "end": r.end} for r in self.removed],
            "encoding_fixed": self.encoding_fixed,
        }


def _needs_ftfy(text: str) -> bool:
    """Mojibake (ftfy's own quick test) or a possible HTML entity; most lines need neither."""
    return ("&" in text and ";" in text) or (not text.isascii() and ftfy.badness.is_bad(text))


def align(original: str, fixed: str) -> tuple[int, ...]:
    """For each offset in ``fixed`` (0 … len), the offset in ``original`` it came from."""
    out = [0] * (len(fixed) + 1)
    matcher = difflib.SequenceMatcher(None, original, fixed, autojunk=False)
    for _, o_start, o_end, f_start, f_end in matcher.get_opcodes():
        for k in range(f_start, f_end + 1):
            share = (k - f_start) / max(f_end - f_start, 1)
            out[k] = o_start + round(share * (o_end - o_start))
    return tuple(out)


def _latest_reply_lines(parser: EmailReplyParser, text: str) -> tuple[list[str], str, str]:
    """Lines of the latest reply, its signature block, and the first line of quoted history."""
    if "\n" not in text and "\r" not in text:
        return [text.strip()], "", ""
    replies = parser.read(text).replies
    if not replies:
        return [], "", ""
    reply = replies[0]
    quoted = replies[1].content.strip().split("\n", 1)[0] if len(replies) > 1 else ""
    signature = reply.signatures or ""
    if signature and len(signature.split("\n", 1)[0].split()) > MAX_SIGNOFF_WORDS:
        signature = ""  # "Thanks, I got it working" is text, not a sign-off
        body = reply.content
        for disclaimer in reply.disclaimers or []:
            body = body.replace(disclaimer, "")
    else:
        body = reply.body
    lines = [line for line in body.split("\n") if not line.lstrip().startswith(">")]
    return lines, signature, quoted


def _removed_kind(fragment: str, signature: str) -> str:
    first_line = fragment.strip().split("\n", 1)[0].strip()
    if signature and first_line and signature.startswith(first_line):
        return "signature"
    return "disclaimer"


def _tail(text: str, cursor: int, signature: str, quoted: str) -> list[Removed]:
    """What follows the last kept line: signature or disclaimer, then quoted history."""
    quote_at = text.find(quoted, cursor) if quoted else -1
    if quote_at < 0:
        quote_at = len(text) if signature or not text[cursor:].lstrip().startswith(">") else cursor
    removed = []
    if text[cursor:quote_at].strip():
        removed.append(Removed(_removed_kind(text[cursor:quote_at], signature), cursor, quote_at))
    if text[quote_at:].strip():
        removed.append(Removed("quoted", quote_at, len(text)))
    return removed


def _fix(line: str) -> tuple[str, tuple[int, ...] | None]:
    fixed = ftfy.fix_text(line) if _needs_ftfy(line) else line
    return fixed, (align(line, fixed) if fixed != line else None)


def normalise(text: str, parser: EmailReplyParser) -> Normalised:
    lines, signature, quoted = _latest_reply_lines(parser, text)
    segments: list[Segment] = []
    removed: list[Removed] = []
    parts: list[str] = []
    cursor = length = 0
    for line in lines:
        stripped = line.strip()
        found = text.find(stripped, cursor) if stripped else -1
        if found < 0:
            continue
        if text[cursor:found].strip():
            removed.append(Removed("quoted", cursor, found))
        fixed, alignment = _fix(stripped)
        if parts:
            parts.append("\n")
            length += 1
        end = found + len(stripped)
        segments.append(Segment(length, length + len(fixed), found, end, alignment))
        parts.append(fixed)
        length += len(fixed)
        cursor = end
    removed.extend(_tail(text, cursor, signature, quoted))
    fixed_any = any(s.alignment is not None for s in segments)
    return Normalised("".join(parts), text, tuple(segments), tuple(removed), fixed_any)


class Normaliser(Analyser[Normalised]):
    name: str = "normalise"
    version: str = "1.0.0"
    output: str = "normalised"
    stored: bool = True

    def __init__(self) -> None:
        self._parser = EmailReplyParser(languages=list(MAIL_LANGUAGES))

    def analyse_batch(
        self, messages: Sequence[Message], contexts: Sequence[Context]
    ) -> list[Normalised]:
        return [normalise(m.text, self._parser) for m in messages]
