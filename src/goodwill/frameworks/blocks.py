"""A framework's body: parsed into blocks, checked, and rendered against relationship facts.

Pure: no database, no web, and no template engine. The body is plain text with three marks:

- ``{{customer_name}}`` — a variable from the allow-list :data:`VARIABLES`, filled from Goodwill's
  data (a variable with no value becomes a slot the operator fills);
- ``{% if phase == long_term and promise_broken %} … {% else %} … {% endif %}`` — a conditional
  block over the relationship's state, in the small language of :mod:`goodwill.frameworks.
  conditions` (parsed, never evaluated as code);
- ``[[what_you_did: say what you did about it, in your own words]]`` — a required personal slot
  the operator writes; the server refuses to send a reply with a slot empty, equal to its
  placeholder or trivially short (:func:`check_slot`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from goodwill.frameworks.conditions import Condition, ConditionError, Facts, parse_condition

VARIABLES: dict[str, str] = {
    "customer_name": "the customer's full name",
    "customer_first_name": "the customer's first name",
    "tenure": "how long the customer has been with you, in words (for example '3 years')",
    "tenure_years": "whole years since the relationship started",
    "products": "the products the customer bought, comma-separated",
    "last_interaction": "the date and subject of the previous interaction",
    "open_promises": "the promises still open to the customer",
    "idea_title": "the idea the customer's suggestion was merged into",
    "idea_status": "that idea's status (new, under review, planned, shipped, declined)",
    "operator_name": "the name of the member writing the reply",
}
MIN_SLOT_WORDS = 3
MIN_SLOT_CHARS = 12
FILLER = frozenset({"n/a", "na", "tbd", "todo", "xxx", "...", "-", "asdf", "test", "placeholder"})

_TOKEN = re.compile(
    r"\{\{\s*(?P<var>[^{}]*?)\s*\}\}"
    r"|\{%\s*(?P<tag>[^%]*?)\s*%\}"
    r"|\[\[(?P<slot>[^\[\]]*)\]\]"
)
_NAME = re.compile(r"[a-z][a-z0-9_]{0,49}")


@dataclass(frozen=True, slots=True)
class Text:
    text: str


@dataclass(frozen=True, slots=True)
class Variable:
    name: str
    line: int


@dataclass(frozen=True, slots=True)
class Slot:
    name: str
    placeholder: str
    line: int


@dataclass(slots=True)
class Conditional:
    condition: Condition
    source: str
    line: int
    then: list[Block] = field(default_factory=list)
    otherwise: list[Block] = field(default_factory=list)
    in_else: bool = False  # while parsing: the else branch has begun


Block = Text | Variable | Slot | Conditional


@dataclass(frozen=True, slots=True)
class BlockError:
    """One mistake in a body, with the line it is on (1-based)."""

    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


class BodyError(ValueError):
    def __init__(self, errors: list[BlockError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def _line(body: str, pos: int) -> int:
    return body.count("\n", 0, pos) + 1


def _slot(raw: str, line: int, errors: list[BlockError]) -> Slot | None:
    name, sep, placeholder = raw.partition(":")
    name, placeholder = name.strip(), placeholder.strip()
    if not _NAME.fullmatch(name):
        errors.append(BlockError(line, f"slot [[{raw}]]: name it [[name: what to write]]"))
        return None
    if not sep or not placeholder:
        errors.append(BlockError(line, f"slot {name!r}: say what to write after the colon"))
        return None
    return Slot(name, placeholder, line)


def _tag(raw: str, line: int, stack: list[Conditional], errors: list[BlockError]) -> Block | None:
    """``if``/``else``/``endif``: returns a new conditional to open, or None."""
    word, _, rest = raw.partition(" ")
    if word == "if":
        try:
            return Conditional(parse_condition(rest), rest.strip(), line)
        except ConditionError as exc:
            errors.append(BlockError(line, f"condition {rest.strip()!r}: {exc}"))
            return Conditional(parse_condition("false"), rest.strip(), line)
    if word == "else" and not rest.strip():
        if not stack:
            errors.append(BlockError(line, "{% else %} without an {% if %}"))
        elif stack[-1].in_else:
            errors.append(BlockError(line, "a second {% else %} in one {% if %}"))
        else:
            stack[-1].in_else = True
        return None
    if word == "endif" and not rest.strip():
        if not stack:
            errors.append(BlockError(line, "{% endif %} without an {% if %}"))
        else:
            stack.pop()
        return None
    errors.append(BlockError(line, f"unknown tag {{% {raw} %}} (use if, else, endif)"))
    return None


def _target(stack: list[Conditional], top: list[Block]) -> list[Block]:
    if not stack:
        return top
    current = stack[-1]
    return current.otherwise if current.in_else else current.then


def parse(body: str) -> list[Block]:
    """The body's blocks; raises :class:`BodyError` listing every mistake with its line."""
    errors: list[BlockError] = []
    top: list[Block] = []
    stack: list[Conditional] = []
    pos = 0
    for match in _TOKEN.finditer(body):
        if match.start() > pos:
            _target(stack, top).append(Text(body[pos : match.start()]))
        pos, line = match.end(), _line(body, match.start())
        if match["var"] is not None:
            name = match["var"]
            if name not in VARIABLES:
                errors.append(BlockError(line, f"unknown variable {{{{{name}}}}}" + _known()))
            else:
                _target(stack, top).append(Variable(name, line))
        elif match["slot"] is not None:
            slot = _slot(match["slot"], line, errors)
            if slot is not None:
                _target(stack, top).append(slot)
        else:
            opened = _tag(match["tag"], line, stack, errors)
            if isinstance(opened, Conditional):
                _target(stack, top).append(opened)
                stack.append(opened)
    if pos < len(body):
        _target(stack, top).append(Text(body[pos:]))
    errors += [BlockError(c.line, "{% if %} without its {% endif %}") for c in stack]
    errors += _stray_marks(body)
    if errors:
        raise BodyError(sorted(errors, key=lambda e: e.line))
    return top


def _known() -> str:
    return " (known: " + ", ".join(VARIABLES) + ")"


def _stray_marks(body: str) -> list[BlockError]:
    """Marks left half-open (``{{name}``, ``[[slot``) are mistakes, not text to send."""
    rest = _TOKEN.sub(lambda m: " " * len(m[0]), body)
    return [
        BlockError(_line(body, m.start()), f"unclosed or stray {m[0]!r}")
        for m in re.finditer(r"\{\{|\}\}|\{%|%\}|\[\[|\]\]", rest)
    ]


def slots_of(blocks: list[Block]) -> list[Slot]:
    """Every slot in any branch (a slot name may repeat in two branches)."""
    found: list[Slot] = []
    for block in blocks:
        if isinstance(block, Slot):
            found.append(block)
        elif isinstance(block, Conditional):
            found += slots_of(block.then) + slots_of(block.otherwise)
    return found


@dataclass(frozen=True, slots=True)
class SlotSpan:
    """A slot in rendered text: ``text[start:end]`` is its ``[[name: placeholder]]`` mark."""

    name: str
    placeholder: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    slots: tuple[SlotSpan, ...]
    conditions: tuple[tuple[str, bool], ...]
    variables: Mapping[str, str]
    missing: tuple[str, ...]

    def with_slots_as(self, stand_in: str) -> tuple[str, list[tuple[int, int]]]:
        """The text with every slot written as ``stand_in``, and where each stand-in is."""
        out: list[str] = []
        spans: list[tuple[int, int]] = []
        pos = 0
        for slot in self.slots:
            out.append(self.text[pos : slot.start])
            start = sum(len(p) for p in out)
            out.append(stand_in)
            spans.append((start, start + len(stand_in)))
            pos = slot.end
        out.append(self.text[pos:])
        return "".join(out), spans

    def without_slots(self) -> str:
        """The text with every slot mark removed (what the coach reviews of the fixed part)."""
        return tidy(re.sub(r"\[\[[^\[\]]*\]\]", "", self.text))


def tidy(text: str) -> str:
    text = re.sub(r"[ \t]+([,.!?;:])", r"\1", text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(r"\n[ \t]+", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def render(
    blocks: list[Block],
    *,
    values: Mapping[str, str | None],
    facts: Facts,
    force: bool | None = None,
) -> Rendered:
    """The text for these values and facts; ``force`` takes every then- (True) or else-branch
    (False) regardless of the facts (the coach review reads every fixed sentence this way)."""
    out: list[str] = []
    spans: list[SlotSpan] = []
    conditions: list[tuple[str, bool]] = []
    used: dict[str, str] = {}
    missing: list[str] = []
    _emit(blocks, values, facts, force, out, spans, conditions, used, missing)
    return Rendered("".join(out), tuple(spans), tuple(conditions), used, tuple(missing))


def _emit(
    blocks: list[Block],
    values: Mapping[str, str | None],
    facts: Facts,
    force: bool | None,
    out: list[str],
    spans: list[SlotSpan],
    conditions: list[tuple[str, bool]],
    used: dict[str, str],
    missing: list[str],
) -> None:
    for block in blocks:
        if isinstance(block, Text):
            out.append(block.text)
        elif isinstance(block, Variable):
            value = (values.get(block.name) or "").strip()
            if value:
                used[block.name] = value
                out.append(value)
            else:
                missing.append(block.name)
                _emit_slot(block.name, VARIABLES[block.name], out, spans)
        elif isinstance(block, Slot):
            _emit_slot(block.name, block.placeholder, out, spans)
        else:
            taken = block.condition.evaluate(facts) if force is None else force
            conditions.append((block.source, taken))
            branch = block.then if taken else block.otherwise
            _emit(branch, values, facts, force, out, spans, conditions, used, missing)


def _emit_slot(name: str, placeholder: str, out: list[str], spans: list[SlotSpan]) -> None:
    start = sum(len(part) for part in out)
    mark = f"[[{name}: {placeholder}]]"
    out.append(mark)
    spans.append(SlotSpan(name, placeholder, start, start + len(mark)))


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def check_slot(name: str, placeholder: str, written: str | None) -> str | None:
    """Why the operator's text for a slot is not acceptable, or None when it is."""
    text = _normal(written or "")
    if not text:
        return f"slot {name!r} is empty: write it in your own words"
    if text == _normal(placeholder) or text in _normal(placeholder) or "[[" in text:
        return f"slot {name!r} still holds its placeholder: write it in your own words"
    if text.strip(".!?") in FILLER:
        return f"slot {name!r} holds filler ({written!r}): write it in your own words"
    if len(text.split()) < MIN_SLOT_WORDS or len(text) < MIN_SLOT_CHARS:
        return (
            f"slot {name!r} is too short ({written!r}): at least {MIN_SLOT_WORDS} words "
            "in your own words"
        )
    return None
