"""Reading and checking a decision tree as authored (YAML or JSON): pure, no database.

A tree is a mapping with ``name``, optional ``kind`` and ``start``, and ``nodes``: a list of
nodes, each with an ``id``, a ``text`` (what to say or ask) and either ``options`` (a mapping of
answer label → next node id, or a list of ``{label, next}``) or an ``outcome`` (the end of a
run, with its name)::

    name: Card not arrived
    kind: service
    nodes:
      - id: greet
        text: Has the card been sent more than 7 days ago?
        options: {"Yes": reissue, "No": wait}
      - id: wait
        text: It is on its way; I will check on Friday and write to you.
        outcome: reassured

:func:`check` returns every error, each naming its node(s) and, when the source was a file, the
line of the node: unknown targets, dead ends, unreachable nodes and cycles. A tree with any error
cannot be published.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

import yaml

TREE_KINDS = ("service", "cold_call", "self_service")
MAX_ID = 200  # node ids and outcomes
MAX_LABEL = 500  # option labels
ErrorKind = Literal[
    "syntax", "schema", "duplicate_id", "unknown_target", "dead_end", "unreachable", "cycle"
]


@dataclass(frozen=True)
class TreeError:
    """One problem of a tree: what, which node(s), and the line of the first node (1-based)."""

    kind: ErrorKind
    message: str
    nodes: tuple[str, ...] = ()
    line: int | None = None

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class Node:
    id: str
    text: str
    options: dict[str, str] = field(default_factory=dict)  # label → next node id
    outcome: str | None = None


@dataclass(frozen=True)
class Tree:
    """A parsed tree: its nodes in authored order, the start node, and each node's line."""

    name: str
    kind: str
    start: str
    nodes: dict[str, Node]
    lines: dict[str, int] = field(default_factory=dict)

    def definition(self) -> dict[str, Any]:
        """The tree as plain data (what is stored beside the source)."""
        return {
            "name": self.name,
            "kind": self.kind,
            "start": self.start,
            "nodes": [
                {
                    "id": n.id,
                    "text": n.text,
                    "options": _option_list(n.options),
                    "outcome": n.outcome,
                }
                for n in self.nodes.values()
            ],
        }


def _option_list(options: dict[str, str]) -> list[dict[str, str]]:
    # a list, not a mapping: PostgreSQL's JSONB does not keep the order of an object's keys
    return [{"label": label, "next": target} for label, target in options.items()]


def options_of(node: dict[str, Any]) -> dict[str, str]:
    """A stored node's options, label → next node id, in authored order."""
    return {o["label"]: o["next"] for o in node.get("options") or []}


def load(text: str, *, fmt: Literal["yaml", "json"] = "yaml") -> tuple[Any, dict[str, int]]:
    """The document in ``text`` and the line of each node id; raises ``ValueError`` on syntax."""
    if fmt == "json":
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {exc.lineno}: {exc.msg}") from exc
    else:
        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"line {mark.line + 1}: " if mark is not None else ""
            raise ValueError(f"{where}{getattr(exc, 'problem', None) or exc}") from exc
    return document, _node_lines(text)


def _node_lines(text: str) -> dict[str, int]:
    """Line of each node mapping, by its id (JSON is read as YAML for this; best effort)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    lines: dict[str, int] = {}
    for item in _node_mappings(root):
        for key, value in item.value:
            if key.value == "id" and isinstance(value, yaml.ScalarNode):
                lines.setdefault(str(value.value), item.start_mark.line + 1)
    return lines


def _node_mappings(root: Any) -> Iterator[yaml.MappingNode]:
    if not isinstance(root, yaml.MappingNode):
        return
    for key, value in root.value:
        if key.value == "nodes" and isinstance(value, yaml.SequenceNode):
            yield from (v for v in value.value if isinstance(v, yaml.MappingNode))


def parse(
    text: str, *, fmt: Literal["yaml", "json"] = "yaml"
) -> tuple[Tree | None, list[TreeError]]:
    """Read and check a tree: (the tree, or None when it cannot be read; every error found)."""
    try:
        document, lines = load(text, fmt=fmt)
    except ValueError as exc:
        return None, [TreeError("syntax", f"not valid {fmt.upper()}: {exc}")]
    return from_document(document, lines=lines)


def from_document(
    document: Any, *, lines: dict[str, int] | None = None
) -> tuple[Tree | None, list[TreeError]]:
    """Build a tree from plain data and check it."""
    lines = lines or {}
    errors: list[TreeError] = []
    if not isinstance(document, dict):
        return None, [TreeError("schema", "a tree is a mapping with 'name' and 'nodes'")]
    nodes = _read_nodes(document.get("nodes"), lines, errors)
    if not nodes:
        errors.append(TreeError("schema", "'nodes': a tree needs at least one node"))
        return None, errors
    name = document.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(TreeError("schema", "'name': give the tree a name"))
        name = ""
    kind = document.get("kind", "service")
    if kind not in TREE_KINDS:
        errors.append(TreeError("schema", f"'kind': {kind!r} is not one of {TREE_KINDS}"))
    start = document.get("start", next(iter(nodes)))
    if start not in nodes:
        errors.append(TreeError("unknown_target", f"'start': no node {start!r}", (str(start),)))
        start = next(iter(nodes))
    tree = Tree(name=name.strip(), kind=str(kind), start=str(start), nodes=nodes, lines=lines)
    return tree, errors + check(tree)


def _read_nodes(raw: Any, lines: dict[str, int], errors: list[TreeError]) -> dict[str, Node]:
    if not isinstance(raw, list):
        return {}
    nodes: dict[str, Node] = {}
    for position, item in enumerate(raw, start=1):
        node = _read_node(item, position, lines, errors)
        if node is None:
            continue
        if node.id in nodes:
            errors.append(
                TreeError("duplicate_id", f"node {node.id!r} is defined twice", (node.id,))
            )
            continue
        nodes[node.id] = node
    return nodes


def _read_node(
    item: Any, position: int, lines: dict[str, int], errors: list[TreeError]
) -> Node | None:
    raw_id = item.get("id") if isinstance(item, dict) else None
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int):
        hint = " (put yes/no/on/off ids in quotes)" if isinstance(raw_id, bool) else ""
        errors.append(TreeError("schema", f"node #{position}: a node needs an 'id'{hint}"))
        return None
    node_id = str(raw_id)
    line = lines.get(node_id)

    def fail(message: str) -> None:
        errors.append(TreeError("schema", f"node {node_id!r}: {message}", (node_id,), line))

    if len(node_id) > MAX_ID:
        fail(f"the id is longer than {MAX_ID} characters")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        fail("'text' is missing (what to say or ask)")
    options = _read_options(item.get("options") or {}, fail)
    outcome = item.get("outcome")
    if outcome is not None and options:
        fail("a node has either 'options' or an 'outcome', not both")
    if outcome is not None and len(str(outcome)) > MAX_ID:
        fail(f"the outcome is longer than {MAX_ID} characters")
    return Node(node_id, str(text or ""), options, str(outcome) if outcome is not None else None)


def _read_options(raw: Any, fail: Callable[[str], None]) -> dict[str, str]:
    if isinstance(raw, list) and all(
        isinstance(o, dict) and {"label", "next"} <= o.keys() for o in raw
    ):
        raw = {o["label"]: o["next"] for o in raw}
    if not isinstance(raw, dict):
        fail("'options' must map each answer label to the id of the next node")
        return {}
    options: dict[str, str] = {}
    for label, target in raw.items():
        if isinstance(label, bool) or isinstance(target, bool):
            fail(f"option {label!r}: YAML read a yes/no value; put the label and target in quotes")
        elif len(str(label)) > MAX_LABEL or len(str(target)) > MAX_ID:
            fail(f"option {str(label)[:40]!r}: label or target too long")
        else:
            options[str(label)] = str(target)
    return options


def check(tree: Tree) -> list[TreeError]:
    """Unknown targets, dead ends, unreachable nodes and cycles, each naming its node(s)."""
    return [
        *_unknown_targets(tree),
        *_dead_ends(tree),
        *_unreachable(tree),
        *_cycles(tree),
    ]


def _unknown_targets(tree: Tree) -> Iterator[TreeError]:
    for node in tree.nodes.values():
        for label, target in node.options.items():
            if target not in tree.nodes:
                yield TreeError(
                    "unknown_target",
                    f"node {node.id!r}: option {label!r} leads to unknown node {target!r}",
                    (node.id, target),
                    tree.lines.get(node.id),
                )


def _dead_ends(tree: Tree) -> Iterator[TreeError]:
    for node in tree.nodes.values():
        if not node.options and node.outcome is None:
            yield TreeError(
                "dead_end",
                f"node {node.id!r} is a dead end: give it options or an outcome",
                (node.id,),
                tree.lines.get(node.id),
            )


def reachable(tree: Tree) -> set[str]:
    seen: set[str] = set()
    todo = [tree.start]
    while todo:
        current = todo.pop()
        if current in seen or current not in tree.nodes:
            continue
        seen.add(current)
        todo.extend(tree.nodes[current].options.values())
    return seen


def _unreachable(tree: Tree) -> Iterator[TreeError]:
    seen = reachable(tree)
    for node_id in tree.nodes:
        if node_id not in seen:
            yield TreeError(
                "unreachable",
                f"node {node_id!r} cannot be reached from the start node {tree.start!r}",
                (node_id,),
                tree.lines.get(node_id),
            )


def _cycles(tree: Tree) -> Iterator[TreeError]:
    """One error per cycle (found as a back edge of a depth-first search), nodes in order."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    reported: set[frozenset[str]] = set()
    for root in tree.nodes:
        if root in state:
            continue
        path: list[str] = [root]
        stack = [iter(tree.nodes[root].options.values())]
        state[root] = 1
        while stack:
            target = next(stack[-1], None)
            if target is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(target) == 1:
                cycle = tuple(path[path.index(target) :])
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    yield _cycle_error(tree, cycle)
            elif target in tree.nodes and target not in state:
                state[target] = 1
                path.append(target)
                stack.append(iter(tree.nodes[target].options.values()))


def _cycle_error(tree: Tree, cycle: tuple[str, ...]) -> TreeError:
    loop = " → ".join((*cycle, cycle[0]))
    return TreeError("cycle", f"cycle: {loop}", cycle, tree.lines.get(cycle[0]))
