"""CSV and JSONL row streams: line numbers, encodings, malformed rows, limits."""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from goodwill.errors import InvalidInput
from goodwill.imports import readers
from goodwill.imports.readers import ErrorLog, Row, Source, TextLines, codec_name


def _lines(data: bytes, encoding: str | None = None) -> TextLines:
    source = Source(io.BytesIO(data), name="test.csv", max_bytes=10**9)
    return TextLines(source.buffered(), encoding=codec_name(encoding), log=ErrorLog())


def read_csv(data: bytes, encoding: str | None = None) -> tuple[list[Row], list[str]]:
    lines = _lines(data, encoding)
    rows = list(readers.csv_rows(lines))
    return rows, [str(e) for e in lines.log.sorted_errors()]


def read_jsonl(data: bytes, encoding: str | None = None) -> tuple[list[Row], list[str]]:
    lines = _lines(data, encoding)
    rows = list(readers.jsonl_rows(lines))
    return rows, [str(e) for e in lines.log.sorted_errors()]


def test_csv_rows_carry_the_line_they_start_on() -> None:
    data = b'\xef\xbb\xbfid,body\n1,"two\nlines"\n2,plain\n'
    rows, errors = read_csv(data)
    assert errors == []
    assert rows == [(2, {"id": "1", "body": "two\nlines"}), (4, {"id": "2", "body": "plain"})]


def test_truncated_csv_row_is_reported_with_its_line() -> None:
    rows, errors = read_csv(b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n")
    assert [r[0] for r in rows] == [2]
    assert errors[0].startswith("line 3: truncated row: 2 field(s), the header has 3")
    assert errors[1].startswith("line 4: too many fields")


def test_unclosed_quote_names_the_line_where_it_opened() -> None:
    rows, errors = read_csv(b'a,b\n1,ok\n2,"never closed\n3,x\n')
    assert [r[0] for r in rows] == [2]
    assert errors == ["line 3: unclosed quote: the quoted field opened on line 3 never ends"]


def test_garbage_after_a_closing_quote_is_a_bad_row_and_reading_goes_on() -> None:
    rows, errors = read_csv(b'a,b\n1,"x"y\n2,z\n')
    assert [r[0] for r in rows] == [3]
    assert len(errors) == 1
    assert errors[0].startswith("line 2: not valid CSV")


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_non_utf8_bytes_report_every_line_where_decoding_failed(codec: str) -> None:
    data = "name,city\nAnna,Köln\nBob,Paris\nZoé,Nîmes\n".encode(codec)
    rows, errors = read_csv(data)
    assert [r[1]["name"] for r in rows] == ["Bob"]
    assert [e.split(":")[0] for e in errors] == ["line 2", "line 4"]
    assert "cannot be decoded as UTF-8 (byte 0xf6 at column 7)" in errors[0]
    assert "--encoding cp1252" in errors[0]


def test_the_right_encoding_reads_the_same_file_cleanly() -> None:
    data = "name,city\nAnna,Köln\nZoé,Nîmes €\n".encode("cp1252")
    rows, errors = read_csv(data, "cp1252")
    assert errors == []
    assert [r[1]["city"] for r in rows] == ["Köln", "Nîmes €"]


def test_utf16_is_read_when_named() -> None:
    rows, errors = read_csv("a,b\nx,ÿ\ny,z\n".encode("utf-16"), "utf-16")
    assert errors == []
    assert rows == [(2, {"a": "x", "b": "ÿ"}), (3, {"a": "y", "b": "z"})]


def test_unknown_encoding_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="unknown encoding 'klingon'"):
        codec_name("klingon")


def test_empty_file_and_bad_headers_are_reported_on_line_1() -> None:
    assert read_csv(b"") == ([], ["line 1: the file is empty: a CSV file starts with a header row"])
    rows, errors = read_csv(b"a,a,\n1,2,3\n")
    assert rows == []
    assert errors == [
        "line 1, field 'a': the column appears twice in the header row",
        "line 1: the header row has an empty column name",
    ]


def test_jsonl_reports_invalid_json_and_non_objects_and_skips_blank_lines() -> None:
    data = b'{"a": 1}\n\n{"a": 2,}\n[1, 2]\n{"a": "\xe9"}\n{"a": 3}\n'
    rows, errors = read_jsonl(data)
    assert [r[0] for r in rows] == [1, 6]
    assert errors[0].startswith("line 3: invalid JSON: ")
    assert errors[1] == "line 4: a line must hold one JSON object, not an array"
    assert errors[2].startswith("line 5: cannot be decoded as UTF-8")


def test_a_line_over_the_limit_is_reported_and_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FIELD_BYTES", 64)
    data = b'{"a": 1}\n{"a": "' + b"x" * 200 + b'"}\n{"a": 3}\n'
    rows, errors = read_jsonl(data)
    assert [r[0] for r in rows] == [1, 3]
    assert errors == ["line 2: line longer than 64 bytes"]


def test_source_stops_at_its_limit_with_the_limit_in_the_message() -> None:
    source = Source(io.BytesIO(b"x" * 5000), name="big.csv", max_bytes=4096)
    with pytest.raises(InvalidInput, match=r"big.csv: larger than the import limit of 4 KiB"):
        source.buffered().read()


def test_source_hashes_what_it_reads() -> None:
    import hashlib

    data = b"a,b\n" * 50_000
    source = Source(io.BytesIO(data), name="x.csv", max_bytes=10**9)
    source.buffered().read()
    assert source.hexdigest() == hashlib.sha256(data).hexdigest()
    assert source.bytes_read == len(data)


def test_error_log_keeps_the_first_errors_and_counts_all() -> None:
    log = ErrorLog()
    for i in range(readers.MAX_KEPT_ERRORS + 50):
        log.add(i + 1, "f", "bad")
    assert len(log.errors) == readers.MAX_KEPT_ERRORS
    assert log.total == readers.MAX_KEPT_ERRORS + 50


_CSVISH = st.lists(
    st.sampled_from([b"a", b",", b'"', b"\n", b"\r\n", b"\xe9", b"\xc3\xa9", b"\x00", b" ", b"{"]),
    max_size=60,
).map(b"".join)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(_CSVISH, st.binary(max_size=200)))
def test_csv_reader_never_crashes_on_malformed_input(body: bytes) -> None:
    data = b"a,b\n" + body
    rows, _ = read_csv(data)
    line_count = data.count(b"\n") + 1
    for line, values in rows:
        assert 2 <= line <= line_count
        assert set(values) == {"a", "b"}


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(body=st.one_of(_CSVISH, st.binary(max_size=200), st.text(max_size=80).map(str.encode)))
def test_jsonl_reader_gives_objects_or_located_errors(body: bytes) -> None:
    lines = _lines(body)
    rows = list(readers.jsonl_rows(lines))
    line_count = body.count(b"\n") + 1
    assert all(isinstance(values, dict) and 1 <= line <= line_count for line, values in rows)
    assert all(1 <= e.line <= line_count for e in lines.log.errors)
