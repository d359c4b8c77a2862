"""Grouping suggestions by meaning (pure: the shipped encoder, no database)."""

from __future__ import annotations

import uuid

import numpy as np

from goodwill.feedback import grouping

DARK = [
    "It would be great if you could add a dark mode to the app, my eyes hurt at night.",
    "Please add a dark mode to the app. The bright white screen hurts my eyes.",
    "Hi Ana, thanks for the quick reply. It would be great if you could add dark mode.",
]
APPLE_PAY = [
    "Please support Apple Pay for card payments.",
    "It would be nice to pay with Apple Pay in shops.",
]
CSV = ["Could you let me export my card statements as CSV files for my accountant?"]


def test_paraphrases_group_and_different_topics_do_not() -> None:
    texts = DARK + APPLE_PAY + CSV
    labels = grouping.group(grouping.encode(texts))
    dark, pay, csv = labels[:3], labels[3:5], labels[5]
    assert len(set(dark)) == 1
    assert len(set(pay)) == 1
    assert len({dark[0], pay[0], csv}) == 3


def test_nearest_joins_above_the_threshold_only() -> None:
    vectors = grouping.encode(DARK[:1] + APPLE_PAY[:1] + DARK[1:2])
    ideas = {uuid.uuid4(): vectors[0], uuid.uuid4(): vectors[1]}
    dark_id = next(iter(ideas))
    found, score = grouping.nearest(vectors[2], ideas)
    assert found == dark_id
    assert score >= grouping.JOIN_THRESHOLD
    unrelated = grouping.encode(CSV)[0]
    assert grouping.nearest(unrelated, ideas)[0] is None
    assert grouping.nearest(unrelated, {}) == (None, 0.0)


def test_stored_vectors_round_trip_and_centroid_is_normalised() -> None:
    vectors = grouping.encode(DARK)
    back = grouping.from_bytes(grouping.to_bytes(vectors[0]))
    assert np.allclose(back, vectors[0], atol=1e-3)
    assert abs(float(np.linalg.norm(grouping.centroid(vectors))) - 1.0) < 1e-5


def test_title_is_the_suggestion_without_greeting_and_short() -> None:
    assert grouping.title_for(DARK[2]) == "It would be great if you could add dark mode."
    long = "Please add " + " ".join(["many"] * 30) + " things."
    title = grouping.title_for(long)
    assert title.endswith("…")
    assert len(title.split()) == grouping.TITLE_WORDS
