"""The catalogue is data: fixed names, texts for every reason, and categories can be added."""

from __future__ import annotations

from goodwill.coach import IRRITANTS, STRENGTHS, Coach, Draft, InterimReader, catalogue
from goodwill.coach.situation import Situation
from goodwill.coach.spec import Category, Hit


def test_catalogue_has_exactly_the_fixed_category_names() -> None:
    names = {c.name for c in catalogue.load()}
    assert names == set(IRRITANTS) | set(STRENGTHS)
    kinds = {c.name: c.kind for c in catalogue.load()}
    assert all(kinds[n] == "irritant" for n in IRRITANTS)
    assert all(kinds[n] == "strength" for n in STRENGTHS)


def test_every_category_explains_itself_for_a_manager() -> None:
    for c in catalogue.load():
        assert c.summary
        assert c.explanations["default"]
        assert c.suggestions["default"]
        assert c.examples or c.whole_reply, c.name


def test_whole_reply_categories() -> None:
    whole = {c.name for c in catalogue.load() if c.whole_reply}
    assert whole == {"impersonal", "missing_empathy", "missing_next_step"}


def test_strengths_run_before_irritants() -> None:
    kinds = [c.kind for c in catalogue.load()]
    assert kinds == sorted(kinds, key=lambda k: k != "strength")


def test_a_new_category_needs_no_engine_change() -> None:
    def detect(s: Situation, c: Category) -> list[Hit]:
        return s.sentence_hits(c.pattern, "low")

    shouting = Category(
        name="shouting",
        kind="irritant",
        summary="Capital letters.",
        detect=detect,
        phrases=("URGENT",),
        examples=("URGENT: pay now",),
        explanations={"default": "Capitals read as shouting at {name}."},
        suggestions={"default": "Write it in normal case."},
    )
    coach = Coach(reader=InterimReader(), categories=[*catalogue.load(), shouting])
    verdict = coach.review(
        Draft("Hi, when is my bill due?", "Hi Ann,\n\nURGENT: it is due today.\n\nSam")
    )
    found = [f for f in verdict.findings if f.category == "shouting"]
    assert found
    assert found[0].text == "URGENT: it is due today."
    assert found[0].explanation == "Capitals read as shouting at Ann."
