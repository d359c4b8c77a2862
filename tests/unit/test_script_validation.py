"""Decision tree validation: every error kind names its node(s) and the line of the node."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from goodwill.scripts import validation

EXAMPLES = Path(validation.__file__).parent / "examples"

BROKEN = """\
name: Broken
nodes:
  - id: start
    text: Hello, how can I help?
    options:
      "Card": card
      "Loan": loan
  - id: card
    text: Which card?
    options:
      "Debit": ask_again
  - id: ask_again
    text: Could you say that again?
    options:
      "Again": card
  - id: limbo
    text: Nobody gets here.
    outcome: lost
  - id: stuck
    text: No way out and no outcome.
"""


def _by_kind(errors: list[validation.TreeError]) -> dict[str, list[validation.TreeError]]:
    found: dict[str, list[validation.TreeError]] = {}
    for error in errors:
        found.setdefault(error.kind, []).append(error)
    return found


@pytest.mark.parametrize("path", sorted(EXAMPLES.iterdir()), ids=lambda p: p.name)
def test_shipped_examples_are_valid(path: Path) -> None:
    fmt = "json" if path.suffix == ".json" else "yaml"
    tree, errors = validation.parse(path.read_text(encoding="utf-8"), fmt=fmt)
    assert errors == []
    assert tree is not None
    assert len(tree.nodes) >= 5
    assert all(n.outcome or n.options for n in tree.nodes.values())


def test_every_error_kind_names_its_nodes_and_line() -> None:
    tree, errors = validation.parse(BROKEN)
    assert tree is not None
    found = _by_kind(errors)
    (unknown,) = found["unknown_target"]
    assert unknown.nodes == ("start", "loan")
    assert "'Loan'" in unknown.message
    assert "'loan'" in unknown.message
    assert unknown.line == 3
    (cycle,) = found["cycle"]
    assert set(cycle.nodes) == {"card", "ask_again"}
    assert "card → ask_again → card" in cycle.message
    unreachable = {e.nodes[0]: e for e in found["unreachable"]}
    assert set(unreachable) == {"limbo", "stuck"}
    assert unreachable["limbo"].line == 16
    (dead,) = found["dead_end"]
    assert dead.nodes == ("stuck",)
    assert dead.line == 19
    assert "dead end" in str(dead)
    assert str(dead).startswith("line 19: ")


def test_self_loop_and_longer_cycle_are_both_reported() -> None:
    document = {
        "name": "Loops",
        "nodes": [
            {"id": "a", "text": "A?", "options": {"retry": "a", "next": "b"}},
            {"id": "b", "text": "B?", "options": {"on": "c", "end": "done"}},
            {"id": "c", "text": "C?", "options": {"back": "a"}},
            {"id": "done", "text": "Bye.", "outcome": "ok"},
        ],
    }
    _, errors = validation.from_document(document)
    cycles = sorted(e.nodes for e in errors if e.kind == "cycle")
    assert cycles == [("a",), ("a", "b", "c")]
    assert {e.kind for e in errors} == {"cycle"}


def test_json_source_reports_lines_too() -> None:
    document = {
        "name": "J",
        "nodes": [
            {"id": "s", "text": "Hi", "options": {"go": "nowhere"}},
        ],
    }
    text = json.dumps(document, indent=2)
    _, errors = validation.parse(text, fmt="json")
    (error,) = errors
    assert error.kind == "unknown_target"
    assert error.nodes == ("s", "nowhere")
    assert error.line == text.splitlines().index("    {") + 1


def test_schema_problems_are_named() -> None:
    source = """\
name: ""
kind: telepathy
start: missing
nodes:
  - id: a
    options: {"x": b}
    outcome: both
  - id: b
    text: fine
    outcome: ok
  - id: b
    text: twice
    outcome: ok
  - text: no id
"""
    _, errors = validation.parse(source)
    messages = [str(e) for e in errors]
    kinds = {e.kind for e in errors}
    assert {"schema", "duplicate_id", "unknown_target"} <= kinds
    assert any("'name'" in m for m in messages)
    assert any("'kind'" in m and "telepathy" in m for m in messages)
    assert any("'start'" in m and "missing" in m for m in messages)
    assert any("node 'a'" in m and "'text'" in m for m in messages)
    assert any("node 'a'" in m and "not both" in m for m in messages)
    assert any("node 'b' is defined twice" in m for m in messages)
    assert any("node #4" in m for m in messages)


def test_syntax_error_gives_the_line() -> None:
    tree, errors = validation.parse("name: x\nnodes:\n  - id: a\n   text: [unclosed\n")
    assert tree is None
    (error,) = errors
    assert error.kind == "syntax"
    assert "line" in error.message


def test_valid_tree_round_trips_through_its_definition() -> None:
    tree, errors = validation.parse((EXAMPLES / "cold_call.yaml").read_text(encoding="utf-8"))
    assert errors == []
    assert tree is not None
    again, errors_again = validation.from_document(tree.definition())
    assert errors_again == []
    assert again is not None
    assert again.definition() == tree.definition()
    assert tree.start == "opening"
    assert tree.kind == "cold_call"


def test_unquoted_yes_no_labels_are_reported_not_turned_into_true() -> None:
    source = "name: YN\nnodes:\n  - id: a\n    text: Sure?\n    options: {yes: b, no: b}\n"
    source += "  - id: b\n    text: Done.\n    outcome: ok\n"
    _, errors = validation.parse(source)
    assert [e.kind for e in errors] == ["schema", "schema", "dead_end", "unreachable"]
    assert "put the label and target in quotes" in errors[0].message
    assert errors[0].nodes == ("a",)
