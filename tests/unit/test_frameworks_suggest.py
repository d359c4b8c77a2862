"""Ranking frameworks for a situation (pure), and the coach's review of a framework."""

from __future__ import annotations

import uuid

import numpy as np

from goodwill.coach.engine import Coach
from goodwill.frameworks import blocks, review
from goodwill.frameworks.suggest import Candidate, Library, Situation, score_one


def _candidate(name: str, **purpose: list[str]) -> Candidate:
    return Candidate(
        uuid.uuid4(),
        uuid.uuid4(),
        1,
        name,
        frozenset(purpose.get("intents", [])),
        frozenset(purpose.get("phases", [])),
        frozenset(purpose.get("emotions", [])),
        frozenset(purpose.get("stages", [])),
    )


def _situation(*intents: str, emotion: str = "neutral", phase: str | None = None) -> Situation:
    return Situation(intents, emotion, phase, None, np.array([1.0, 0.0], dtype=np.float32))


LIBRARY = [
    _candidate(
        "Apology, long-term", intents=["complaint"], phases=["long_term"], emotions=["anger"]
    ),
    _candidate("Apology, any", intents=["complaint"]),
    _candidate("Idea", intents=["suggestion"]),
    _candidate("Generic"),
]


def test_the_framework_fitting_intent_phase_and_emotion_comes_first() -> None:
    vectors = np.array([[0.0, 1.0]] * len(LIBRARY), dtype=np.float32)
    library = Library(LIBRARY, vectors)
    ranked = library.rank(_situation("complaint", emotion="anger", phase="long_term"))
    assert [s.candidate.name for s in ranked] == [
        "Apology, long-term",
        "Apology, any",
        "Generic",
        "Idea",
    ]
    assert "for complaint messages" in ranked[0].why
    early = library.rank(_situation("complaint", emotion="anger", phase="early_days"))
    assert early[0].candidate.name == "Apology, any"  # long-term recognition does not fit
    idea = library.rank(_situation("suggestion"))
    assert idea[0].candidate.name == "Idea"
    assert "made for complaint, not suggestion" in idea[-1].why


def test_meaning_breaks_a_tie_between_frameworks_of_the_same_purpose() -> None:
    twins = [_candidate("Far", intents=["billing"]), _candidate("Near", intents=["billing"])]
    vectors = np.array([[0.0, 1.0], [1.0, 0.0]], dtype=np.float32)
    ranked = Library(twins, vectors).rank(_situation("billing"))
    assert [s.candidate.name for s in ranked] == ["Near", "Far"]
    assert any("close in meaning" in w for w in ranked[0].why)


def test_an_empty_library_suggests_nothing() -> None:
    assert Library([], np.zeros((0, 2), dtype=np.float32)).rank(_situation("question")) == []


def test_review_blocks_the_seed_reply_and_passes_a_personal_framework() -> None:
    coach = Coach()
    seed = (
        "Dear customer,\n\nPlease type your reply above this line. Learn how to download "
        "statements in our help centre.\n\nLet us know if you have any other questions. "
        "We're happy to help."
    )
    found = review.review(coach, blocks.parse(seed), review.Purpose(intents=("suggestion",)))
    assert not found.passed
    assert {"template_noise", "patronising", "generic_closing"} <= {
        f["category"] for f in found.blocking
    }
    personal = (
        "Hi {{customer_first_name}},\n\n"
        "[[answer: what happens to the idea, and when they will hear]]\n\n{{operator_name}}"
    )
    assert review.review(
        coach, blocks.parse(personal), review.Purpose(intents=("suggestion",))
    ).passed


def test_the_vectorised_scores_equal_the_explained_ones() -> None:
    rng = np.random.default_rng(7)
    vocab = {
        "intents": ["complaint", "question", "billing"],
        "phases": ["early_days", "long_term"],
        "emotions": ["anger", "joy"],
        "stages": ["bonding", "avoiding"],
    }
    candidates = [
        _candidate(f"f{i}", **{k: [v for v in vs if rng.random() < 0.4] for k, vs in vocab.items()})
        for i in range(60)
    ]
    vectors = rng.normal(size=(60, 8)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    library = Library(candidates, vectors)
    for intents, phase in [
        (("complaint", "billing"), "long_term"),
        ((), None),
        (("question",), "x"),
    ]:
        situation = Situation(intents, "anger", phase, "bonding", vectors[0])
        expected = [
            score_one(c, situation, float(v @ vectors[0])).score
            for c, v in zip(candidates, vectors, strict=True)
        ]
        assert np.allclose(library.scores(situation), expected, atol=1e-4)
