"""Reasons discovered without labels: groups, their names and typical messages."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from goodwill.errors import InvalidInput
from goodwill.reasons import discovery
from goodwill.reasons.discovery import discover, eigengap_k
from goodwill.reasons.naming import group_labels

TOPICS = {
    "delivery": [
        "my parcel has not arrived yet",
        "where is my parcel, the delivery is late",
        "the parcel was never delivered",
        "tracking says the parcel was delivered but nothing came",
        "how long does parcel delivery take",
        "my parcel delivery is two weeks late",
        "the courier lost my parcel",
        "parcel delivery still pending",
    ],
    "refund": [
        "I want a refund for my purchase",
        "please refund my money",
        "when will I get my refund",
        "the refund has not reached my bank account",
        "can I return this for a refund",
        "I was promised a refund last week",
        "refund still not processed",
        "how long does a refund take",
    ],
    "password": [
        "I forgot my password",
        "reset my password please",
        "the reset password link does not work",
        "my password is not accepted when I log in",
        "how do I change my password",
        "password reset email never came",
        "locked out, forgot the password",
        "new password is rejected",
    ],
}
TEXTS = [t for texts in TOPICS.values() for t in texts]
TRUTH = [i for i, texts in enumerate(TOPICS.values()) for _ in texts]


def test_three_clear_topics_are_found_without_being_told_how_many() -> None:
    result = discover(TEXTS)
    assert len(result.groups) == 3
    assert adjusted_rand_score(TRUTH, result.assignments) > 0.9
    labels = " ".join(g.label for g in result.groups)
    assert {"parcel", "refund", "password"} <= set(labels.replace("/", " ").split())


def test_groups_are_numbered_by_size_and_typical_messages_belong_to_their_group() -> None:
    result = discover(TEXTS, k=4, encoder="static")
    sizes = [g.size for g in result.groups]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(sizes) == len(TEXTS)
    assert [g.cluster for g in result.groups] == list(range(4))
    for group in result.groups:
        assert 1 <= len(group.typical) <= 3
        assert all(result.assignments[i] == group.cluster for i in group.typical)
        assert result.assignments.count(group.cluster) == group.size


def test_too_few_messages_or_an_impossible_k_are_refused() -> None:
    with pytest.raises(InvalidInput, match="at least 3 messages"):
        discover(["a", "b"])
    with pytest.raises(InvalidInput, match="k = 30"):
        discover(TEXTS, k=30)


def test_the_eigengap_names_the_count_before_the_jump() -> None:
    assert eigengap_k(np.array([0.0, 0.01, 0.02, 0.03, 0.5, 0.55, 0.6])) == 4


def test_labels_are_the_distinctive_words_of_each_group() -> None:
    labels = group_labels(TEXTS, TRUTH)
    assert "parcel" in labels[0]
    assert "refund" in labels[1]
    assert "password" in labels[2]
    assert group_labels(["the", "a"], [0, 1]) == {0: "(no common words)", 1: "(no common words)"}


def test_beyond_the_sample_the_other_messages_join_the_groups_of_their_kind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(discovery, "SAMPLE", 20)
    result = discover(TEXTS, k=3)
    assert len(result.assignments) == len(TEXTS)
    assert sum(g.size for g in result.groups) == len(TEXTS)
    assert adjusted_rand_score(TRUTH, result.assignments) > 0.8
