"""The customer sentiment set read by bench/analysis_sentiment_customer.py is well-formed."""

from __future__ import annotations

import json
from pathlib import Path

DATA = (
    Path(__file__).resolve().parents[2] / "data" / "sentiment_customer" / "banking77_sample.jsonl"
)


def test_customer_sentiment_sample_has_240_labelled_messages() -> None:
    lines = DATA.read_text(encoding="utf-8").splitlines()
    rows = [json.loads(line) for line in lines]

    assert len(rows) == 240
    assert all(set(row) == {"text", "label", "banking77_category"} for row in rows)
    assert {row["label"] for row in rows} <= {"negative", "neutral", "positive"}
    assert all(row["text"].strip() and row["banking77_category"] for row in rows)
