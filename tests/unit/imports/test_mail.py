"""E-mail parsing: ids, threads, bodies, HTML, attachments, mbox splitting, bounded memory."""

from __future__ import annotations

import hashlib
import io
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

import pytest

from goodwill.imports import mail
from goodwill.imports.mail import BadMessage, parse_message, split_mbox
from goodwill.imports.readers import ErrorLog
from tests.factories.imports import make_message, mbox_bytes, write_mbox

REPLY = """Thanks, that fixed it.

Could you also send the receipt?

Best regards,
Maria Garcia
Head of Finance, Foo Ltd

On Mon, 2 Mar 2026 at 10:00, Anna <anna@acme.example> wrote:
> Hello Maria,
> I have refunded the double charge.
"""


def test_quoted_history_and_signature_are_stripped_from_the_body() -> None:
    raw = make_message(
        message_id="m2@x", sender="maria@foo.example", to="a@acme.example", body=REPLY
    )
    message = parse_message(raw, 1)
    assert message.body == "Thanks, that fixed it.\n\nCould you also send the receipt?"


def test_dash_dash_signature_and_inline_quotes_are_removed_but_lists_kept() -> None:
    body = "> you wrote this\nYes:\n- the red one\n- the blue one\n\n-- \nMaria\n+44 20 0000\n"
    raw = make_message(
        message_id="m3@x", sender="maria@foo.example", to="a@acme.example", body=body
    )
    assert parse_message(raw, 1).body == "Yes:\n- the red one\n- the blue one"


def test_message_without_message_id_gets_a_hash_of_its_bytes() -> None:
    raw = make_message(message_id=None, sender="maria@foo.example", to="a@acme.example")
    message = parse_message(raw, 1)
    assert message.message_id is None
    assert message.external_id == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert message.root_id == message.external_id


def test_thread_headers_give_parents_newest_first_and_the_root() -> None:
    raw = make_message(
        message_id="m3@x",
        sender='"Maria Garcia" <Maria@Foo.example>',
        to="a@acme.example",
        in_reply_to="m2@x",
        references=["m0@x", "m1@x", "m2@x"],
    )
    message = parse_message(raw, 1)
    assert message.external_id == "m3@x"
    assert message.parent_ids == ["m2@x", "m1@x", "m0@x"]
    assert message.root_id == "m0@x"
    assert message.sender == ("Maria Garcia", "maria@foo.example")


def test_html_only_mail_is_turned_into_text_without_the_quoted_part() -> None:
    html = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Hello <b>team</b>,</p><p>the app crashes<br>every morning.</p>"
        '<div class="gmail_quote">On Monday you wrote:<blockquote>old text</blockquote></div>'
        "</body></html>"
    )
    raw = make_message(message_id="h@x", sender="m@foo.example", to="a@acme.example", html=html)
    body = parse_message(raw, 1).body
    assert body == "Hello team,\nthe app crashes\nevery morning."
    assert "<" not in body
    assert "old text" not in body


def test_multipart_with_attachment_keeps_the_text_and_describes_the_attachment() -> None:
    raw = make_message(
        message_id="a@x",
        sender="m@foo.example",
        to="a@acme.example",
        body="The invoice is attached.\n",
        attachment=("invoice.pdf", b"%PDF-1.4" + b"\x00" * 1000),
    )
    message = parse_message(raw, 1)
    assert message.body == "The invoice is attached."
    assert message.attachments == [
        {"filename": "invoice.pdf", "content_type": "application/pdf", "size": 1008}
    ]


def test_dates_become_utc_and_missing_headers_are_bad_messages() -> None:
    raw = make_message(
        message_id="d@x",
        sender="m@foo.example",
        to="a@acme.example",
        date=datetime(2026, 3, 1, 13, 0, tzinfo=UTC),
    )
    assert parse_message(raw, 1).occurred_at == datetime(2026, 3, 1, 13, 0, tzinfo=UTC)
    no_date = raw.replace(b"Date: Sun, 01 Mar 2026 13:00:00 +0000", b"Date: someday")
    with pytest.raises(BadMessage) as exc:
        parse_message(no_date, 1)
    assert (exc.value.field, exc.value.reason) == ("Date", "'someday' is not a date")
    with pytest.raises(BadMessage) as exc:
        parse_message(b"Subject: hi\n\nno sender\n", 1)
    assert exc.value.field == "From"


def _split(data: bytes) -> tuple[list[tuple[int, bytes]], list[str]]:
    log = ErrorLog()
    messages = list(split_mbox(io.BytesIO(data), log=log))
    return messages, [str(e) for e in log.errors]


def test_mbox_is_split_at_from_lines_with_their_line_numbers() -> None:
    one = make_message(message_id="1@x", sender="a@foo.example", to="b@acme.example")
    two = make_message(
        message_id="2@x",
        sender="a@foo.example",
        to="b@acme.example",
        body="First line\nFrom here on it is quoted in mbox\n",
    )
    data = b"".join(mbox_bytes([one, two]))
    messages, errors = _split(data)
    assert errors == []
    assert [line for line, _ in messages] == [1, 3 + one.count(b"\n")]
    assert messages[0][1] == one
    assert messages[1][1] == two
    assert b"\nFrom here on" in messages[1][1]


def test_a_file_that_is_not_an_mbox_is_refused_on_line_1() -> None:
    assert _split(b"Subject: hello\n\nbody\n") == (
        [],
        ["line 1: not an mbox archive: the first line must start with 'From '"],
    )


def test_a_message_over_the_limit_is_reported_not_held(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mail, "MAX_MESSAGE_BYTES", 2000)
    small = make_message(message_id="s@x", sender="a@foo.example", to="b@acme.example")
    big = make_message(
        message_id="b@x", sender="a@foo.example", to="b@acme.example", body=("y" * 70 + "\n") * 60
    )
    messages, errors = _split(b"".join(mbox_bytes([small, big, small])))
    assert len(messages) == 2
    big_line = 3 + small.count(b"\n")
    assert errors == [f"line {big_line}: message larger than 1.95 KiB"]


def _big_mbox(path: Path, n: int) -> Path:
    """``n`` distinct messages of about 1.2 KB each."""
    template = make_message(
        message_id="MSGID",
        sender="Maria <maria@foo.example>",
        to="support@acme.example",
        body="All of this is a fairly long customer message.\n" * 10 + REPLY,
    )
    return write_mbox(path, (template.replace(b"MSGID", f"m{i}@x".encode()) for i in range(n)))


@pytest.mark.slow
def test_ten_thousand_messages_stream_in_bounded_memory(tmp_path: Path) -> None:
    """Every message is split out of the archive and its headers read; every 10th is fully
    parsed (body, reply stripping), which keeps the test short under tracemalloc's slowdown."""
    path = _big_mbox(tmp_path / "big.mbox", 10_000)
    size = path.stat().st_size
    assert size > 9_000_000
    ids: list[str] = []
    tracemalloc.start()
    try:
        with path.open("rb", buffering=0) as raw, io.BufferedReader(raw) as fh:
            for line, data in split_mbox(fh, log=ErrorLog()):
                if len(ids) % 10 == 0:
                    assert parse_message(data, line).body.startswith("All of this")
                start = data.index(b"Message-ID: <") + 13
                ids.append(data[start : data.index(b"@x>")].decode())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert ids == [f"m{i}" for i in range(10_000)]
    # holding the archive (over 9 MB) or its parsed messages would break this bound by far
    assert peak < 3_000_000, f"peak {peak} bytes for a {size} byte archive"


def test_undecodable_header_bytes_and_nul_characters_become_storable_text() -> None:
    raw = make_message(
        message_id="n@x", sender="m@foo.example", to="a@acme.example", body="a\x00b\n"
    )
    raw = raw.replace(b"Subject: Question about my invoice", b"Subject: Caf\xc3\xa9 \xff")
    message = parse_message(raw, 1)
    assert message.subject == "Café \ufffd"
    assert message.body == "ab"
