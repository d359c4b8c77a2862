"""A framework's body: parsing with line numbers, the condition language, rendering, slots."""

from __future__ import annotations

import pytest

from goodwill.frameworks import blocks
from goodwill.frameworks.conditions import ConditionError, parse_condition

BODY = """\
Hi {{customer_first_name}},
{% if phase == long_term and not promise_broken %}Thank you for {{tenure}} with us.
{% else %}{% if emotion in [anger, sadness] %}I can see this has been hard.
{% endif %}{% endif %}[[answer: what you did, in your own words]]
{{operator_name}}"""


def _errors(body: str) -> list[tuple[int, str]]:
    with pytest.raises(blocks.BodyError) as caught:
        blocks.parse(body)
    return [(e.line, e.message) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("body", "line", "says"),
    [
        ("Hi\n\n{{ticket.requester.name}}", 3, "unknown variable"),
        ("{% if phase == long_term %}\nno end", 1, "without its {% endif %}"),
        ("a\n{% endif %}", 2, "without an {% if %}"),
        ("a\n{% else %}", 2, "without an {% if %}"),
        ("{% if x %}a{% endif %}", 1, "unknown fact 'x'"),
        ("{% if phase %}a{% endif %}", 1, "is not yes/no"),
        ("{% if promise_broken == yes %}a{% endif %}", 1, "is yes/no"),
        ("{% if phase > long_term %}a{% endif %}", 1, "is text"),
        ("{% if phase == %}a{% endif %}", 1, "ends too early"),
        ("{% for x in y %}{% endfor %}", 1, "unknown tag"),
        ("[[answer]]", 1, "say what to write"),
        ("[[Bad Name: x]]", 1, "name it"),
        ("line one\nHi {{customer_name}", 2, "stray"),
        ("{% if emotion in [anger %}a{% endif %}", 1, "expected"),
    ],
)
def test_mistakes_are_reported_with_their_line(body: str, line: int, says: str) -> None:
    found = _errors(body)
    assert any(n == line and says in message for n, message in found), found


def test_every_mistake_is_reported_at_once() -> None:
    found = _errors("{{nope}}\n{% if nope %}x{% endif %}\n[[x]]")
    assert [n for n, _ in found] == [1, 2, 3]


def test_conditions_evaluate_against_facts_without_eval() -> None:
    cond = parse_condition("phase == long_term and (promise_broken or tenure_years >= 3)")
    assert cond.evaluate({"phase": "long_term", "promise_broken": False, "tenure_years": 4.0})
    assert not cond.evaluate({"phase": "long_term", "promise_broken": False, "tenure_years": 1.0})
    assert not cond.evaluate({"phase": None, "promise_broken": True})
    assert parse_condition("emotion not in [joy, neutral]").evaluate({"emotion": "anger"})
    assert not parse_condition("emotion in ['anger']").evaluate({})  # unknown: false
    for text in ("__import__('os')", "phase == long_term; x", "1 == 1", "phase.__class__"):
        with pytest.raises(ConditionError):
            parse_condition(text)


def test_render_takes_the_branch_the_facts_choose_and_marks_slots() -> None:
    parsed = blocks.parse(BODY)
    values = {"customer_first_name": "Margareth", "tenure": "6 years", "operator_name": "Ana"}
    loyal = blocks.render(parsed, values=values, facts={"phase": "long_term"})
    assert "Thank you for 6 years with us." in loyal.text
    assert "hard" not in loyal.text
    angry = blocks.render(
        parsed,
        values=values,
        facts={"phase": "long_term", "promise_broken": True, "emotion": "anger"},
    )
    assert "Thank you" not in angry.text
    assert "I can see this has been hard." in angry.text
    assert angry.conditions == (
        ("phase == long_term and not promise_broken", False),
        ("emotion in [anger, sadness]", True),
    )
    [slot] = angry.slots
    assert angry.text[slot.start : slot.end] == "[[answer: what you did, in your own words]]"


def test_a_variable_without_a_value_becomes_a_slot() -> None:
    rendered = blocks.render(
        blocks.parse("Hi {{customer_first_name}}, thanks."), values={}, facts={}
    )
    assert rendered.missing == ("customer_first_name",)
    assert [s.name for s in rendered.slots] == ["customer_first_name"]


@pytest.mark.parametrize(
    ("written", "ok"),
    [
        (None, False),
        ("   ", False),
        ("what you did, in your own words", False),
        ("what you did", False),
        ("TBD", False),
        ("Fixed it.", False),
        ("I refunded the second charge this morning.", True),
    ],
)
def test_slots_need_the_operators_own_words(written: str | None, ok: bool) -> None:
    problem = blocks.check_slot("answer", "what you did, in your own words", written)
    assert (problem is None) is ok, problem
