"""Row streams from import files: bytes in, numbered rows out, every problem located by line.

Nothing here raises on bad input: a decoding error, a malformed CSV row or a line that is not
JSON becomes a :class:`~goodwill.errors.RowError` in the shared :class:`ErrorLog`, and reading
goes on so that one pass reports every bad row. Files are read line by line through a
:class:`Source`, which hashes and counts the bytes as they go by and refuses a file over its limit.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import json
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO

from goodwill.errors import InvalidInput, RowError

MAX_FIELD_BYTES = 10 * 1024**2
"""One CSV field or one JSONL line."""
MAX_KEPT_ERRORS = 1000
"""Errors kept with their details; the rest are only counted."""

Row = tuple[int, dict[str, Any]]
"""A row: the line it starts on and its values by field name."""


def human_size(size: int) -> str:
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= scale:
            return f"{round(size / scale, 2):g} {unit}"
    return f"{size} bytes"


class ErrorLog:
    """The bad rows of one file: the first :data:`MAX_KEPT_ERRORS` in full, and the total."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []
        self.total = 0

    def add(self, line: int, field: str | None, reason: str) -> None:
        self.total += 1
        if len(self.errors) < MAX_KEPT_ERRORS:
            self.errors.append(RowError(line, field, reason))

    def __bool__(self) -> bool:
        return self.total > 0

    def sorted_errors(self) -> list[RowError]:
        return sorted(self.errors, key=lambda e: e.line)


class Source(io.RawIOBase):
    """A binary stream that counts and hashes what is read and stops at ``max_bytes``."""

    def __init__(self, stream: BinaryIO, *, name: str, max_bytes: int) -> None:
        super().__init__()
        self._stream = stream
        self.name = name
        self.max_bytes = max_bytes
        self.bytes_read = 0
        self._sha256 = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        data = self._stream.read(len(view))
        n = len(data)
        self.bytes_read += n
        if self.bytes_read > self.max_bytes:
            raise InvalidInput(
                f"{self.name}: larger than the import limit of {human_size(self.max_bytes)} "
                "(GOODWILL_MAX_IMPORT_BYTES)"
            )
        self._sha256.update(data)
        view[:n] = data
        return n

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()

    def buffered(self) -> io.BufferedReader:
        return io.BufferedReader(self, buffer_size=1 << 16)


def physical_lines(reader: io.BufferedReader, limit: int) -> Iterator[bytes | None]:
    """Each line of ``reader`` with its end of line; ``None`` for a line longer than ``limit``."""
    while True:
        line = reader.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (more := reader.readline(limit + 1)) and not more.endswith(b"\n"):
                pass
            yield None
            continue
        yield line


def _ascii_compatible(encoding: str) -> bool:
    """True when newline, comma and letters are the same single bytes as in ASCII."""
    plain = "utf-8" if encoding == "utf-8-sig" else encoding
    return "\n,a".encode(plain) == b"\n,a"


def codec_name(encoding: str | None) -> str:
    """The codec to read with (UTF-8 accepting a byte-order mark unless told otherwise)."""
    name = (encoding or "utf-8").strip()
    try:
        info = codecs.lookup(name)
    except LookupError:
        raise InvalidInput(f"encoding: unknown encoding {name!r}") from None
    return "utf-8-sig" if info.name == "utf-8" else info.name


class TextLines:
    """The decoded lines of a file, numbered from 1; a line that cannot be decoded is logged."""

    def __init__(self, reader: io.BufferedReader, *, encoding: str, log: ErrorLog) -> None:
        self._reader = reader
        self.encoding = encoding
        self.log = log
        self.line_no = 0
        self.bad_lines: set[int] = set()

    def __iter__(self) -> Iterator[str]:
        if not _ascii_compatible(self.encoding):
            yield from self._wide_lines()
            return
        decode = codecs.getincrementaldecoder(self.encoding)("strict").decode
        for raw in physical_lines(self._reader, MAX_FIELD_BYTES):
            self.line_no += 1
            if raw is None:
                self._bad(f"line longer than {human_size(MAX_FIELD_BYTES)}")
                yield "\n"
                continue
            try:
                yield decode(raw)
            except UnicodeDecodeError as exc:
                self._bad(self._decode_reason(exc))
                decode = codecs.getincrementaldecoder(self.encoding)("strict").decode
                yield raw.decode(self.encoding, "replace")

    def _wide_lines(self) -> Iterator[str]:
        """Lines of an encoding where a newline is not the byte 0x0A (UTF-16, UTF-32)."""
        text = io.TextIOWrapper(self._reader, encoding=self.encoding, newline="")
        try:
            for line in text:
                self.line_no += 1
                yield line
        except UnicodeDecodeError as exc:
            self.line_no += 1
            self._bad(self._decode_reason(exc) + "; the rest of the file was not read")
        finally:
            text.detach()

    def _decode_reason(self, exc: UnicodeDecodeError) -> str:
        shown = self.encoding.replace("utf-8-sig", "UTF-8")
        byte = exc.object[exc.start : exc.start + 1].hex()
        return (
            f"cannot be decoded as {shown} (byte 0x{byte} at column {exc.start + 1}); "
            "give the file's encoding, for example --encoding cp1252"
        )

    def _bad(self, reason: str) -> None:
        self.bad_lines.add(self.line_no)
        self.log.add(self.line_no, None, reason)


def csv_rows(
    lines: TextLines, *, on_header: Callable[[list[str]], None] | None = None
) -> Iterator[Row]:
    """The data rows of a CSV file with a header row; malformed rows are logged and left out."""
    csv.field_size_limit(MAX_FIELD_BYTES)
    reader = csv.reader(iter(lines), strict=True)
    header = _header(reader, lines)
    if header is None:
        return
    if on_header is not None:
        on_header(header)
    width = len(header)
    end = reader.line_num
    while True:
        start = end + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = reader.line_num
            lines.log.add(start, None, _csv_reason(exc, start, end))
            continue
        end = reader.line_num
        if not values or any(n in lines.bad_lines for n in range(start, end + 1)):
            continue
        if len(values) != width:
            lines.log.add(start, None, _width_reason(len(values), width))
            continue
        yield start, dict(zip(header, values, strict=True))


def _header(reader: Any, lines: TextLines) -> list[str] | None:
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        lines.log.add(1, None, "the file is empty: a CSV file starts with a header row")
        return None
    except csv.Error as exc:
        lines.log.add(1, None, f"the header row is not valid CSV: {exc}")
        return None
    if 1 in lines.bad_lines:
        return None
    seen: set[str] = set()
    for name in header:
        if not name:
            lines.log.add(1, None, "the header row has an empty column name")
        elif name in seen:
            lines.log.add(1, name, "the column appears twice in the header row")
        seen.add(name)
    return None if lines.log else header


def _csv_reason(exc: csv.Error, start: int, end: int) -> str:
    message = str(exc)
    if "unexpected end of data" in message or "EOF" in message:
        return f"unclosed quote: the quoted field opened on line {start} never ends"
    where = f" (lines {start}-{end})" if end > start else ""
    return f"not valid CSV: {message}{where}"


def _width_reason(got: int, width: int) -> str:
    kind = "truncated row" if got < width else "too many fields"
    return f"{kind}: {got} field(s), the header has {width} (a missing quote or comma?)"


def jsonl_rows(lines: TextLines) -> Iterator[Row]:
    """One JSON object per line; blank lines are skipped, anything else is logged."""
    for text in lines:
        line = lines.line_no
        if line in lines.bad_lines or not text.strip():
            continue
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            lines.log.add(line, None, f"invalid JSON: {exc.msg} (column {exc.colno})")
            continue
        except RecursionError:
            lines.log.add(line, None, "invalid JSON: nested too deeply")
            continue
        if not isinstance(value, dict):
            lines.log.add(line, None, f"a line must hold one JSON object, not {_json_kind(value)}")
            continue
        yield line, value


def _json_kind(value: Any) -> str:
    names = {list: "an array", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")
