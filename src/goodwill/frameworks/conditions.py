"""The condition language of conditional blocks: a tiny, safe language over relationship facts.

    phase == long_term and promise_broken
    emotion in [anger, sadness] or not has_open_promise
    tenure_years >= 3

Grammar (parsed by hand, never ``eval``)::

    expr  := and ("or" and)*          and := not ("and" not)*
    not   := "not" not | "(" expr ")" | fact [op value | "in" list | "not" "in" list]
    op    := == != >= <= > <          list := "[" value ("," value)* "]"

A fact is one of :data:`FACTS` (a bare fact must be a boolean one); a value is a word, a quoted
string or a number. A fact with no value (an unknown phase, say) makes its comparison false.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

FactValue = str | float | bool | None
Facts = Mapping[str, FactValue]
FactKind = Literal["text", "number", "bool"]

FACTS: dict[str, FactKind] = {
    "phase": "text",  # early_days | first_disagreement | long_term
    "stage": "text",  # Knapp stage
    "emotion": "text",  # of the customer's message: anger, sadness, joy, … or neutral
    "intent": "text",  # primary intent of the customer's message
    "segment": "text",
    "idea_status": "text",
    "tenure_years": "number",
    "tenure_days": "number",
    "open_promises": "number",
    "health": "number",
    "promise_broken": "bool",  # a promise to this customer was broken (last 180 days)
    "has_open_promise": "bool",
    "has_idea": "bool",
    "negative_emotion": "bool",
    "true": "bool",
    "false": "bool",
}
_COMPARE: dict[str, Callable[[Any, Any], Any]] = {
    "==": operator.eq,
    "!=": operator.ne,
    ">=": operator.ge,
    "<=": operator.le,
    ">": operator.gt,
    "<": operator.lt,
}
_TOKENS = re.compile(r"\s*(==|!=|>=|<=|>|<|\(|\)|\[|\]|,|'[^']*'|\"[^\"]*\"|[\w.-]+)")
MAX_LENGTH = 300
_PUNCTUATION = frozenset("()[],")


class ConditionError(ValueError):
    """A condition that is not in the language; the message says what is wrong."""


class Condition:
    def evaluate(self, facts: Facts) -> bool:
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class _Bool(Condition):
    fact: str

    def evaluate(self, facts: Facts) -> bool:
        if self.fact in ("true", "false"):
            return self.fact == "true"
        return bool(facts.get(self.fact))


@dataclass(frozen=True, slots=True)
class _Compare(Condition):
    fact: str
    op: str
    value: str | float

    def evaluate(self, facts: Facts) -> bool:
        have = facts.get(self.fact)
        if have is None or isinstance(have, bool):
            return False
        if isinstance(self.value, float) != isinstance(have, int | float):
            return False
        return bool(_COMPARE[self.op](have, self.value))


@dataclass(frozen=True, slots=True)
class _In(Condition):
    fact: str
    values: tuple[str | float, ...]

    def evaluate(self, facts: Facts) -> bool:
        have = facts.get(self.fact)
        return have is not None and not isinstance(have, bool) and have in self.values


@dataclass(frozen=True, slots=True)
class _Not(Condition):
    inner: Condition

    def evaluate(self, facts: Facts) -> bool:
        return not self.inner.evaluate(facts)


@dataclass(frozen=True, slots=True)
class _All(Condition):
    parts: tuple[Condition, ...]
    any_: bool

    def evaluate(self, facts: Facts) -> bool:
        results = (p.evaluate(facts) for p in self.parts)
        return any(results) if self.any_ else all(results)


def _tokenise(text: str) -> list[str]:
    if len(text) > MAX_LENGTH:
        raise ConditionError(f"longer than {MAX_LENGTH} characters")
    tokens, pos = [], 0
    while pos < len(text):
        match = _TOKENS.match(text, pos)
        if match is None or match.end() == pos:
            if not text[pos:].strip():
                break
            raise ConditionError(f"unexpected {text[pos:].strip()[:20]!r}")
        tokens.append(match[1])
        pos = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens, self.pos = tokens, 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None:
            raise ConditionError(
                "ends too early" + (f": expected {expected!r}" if expected else "")
            )
        if expected is not None and token != expected:
            raise ConditionError(f"expected {expected!r}, found {token!r}")
        self.pos += 1
        return token

    def expr(self) -> Condition:
        parts = [self.conj()]
        while self.peek() == "or":
            self.take()
            parts.append(self.conj())
        return parts[0] if len(parts) == 1 else _All(tuple(parts), any_=True)

    def conj(self) -> Condition:
        parts = [self.neg()]
        while self.peek() == "and":
            self.take()
            parts.append(self.neg())
        return parts[0] if len(parts) == 1 else _All(tuple(parts), any_=False)

    def neg(self) -> Condition:
        if self.peek() == "not":
            self.take()
            return _Not(self.neg())
        if self.peek() == "(":
            self.take()
            inner = self.expr()
            self.take(")")
            return inner
        return self.fact()

    def fact(self) -> Condition:
        name = self.take()
        kind = FACTS.get(name)
        if kind is None:
            raise ConditionError(f"unknown fact {name!r} (known: {', '.join(FACTS)})")
        following = self.peek()
        if following in _COMPARE:
            op = self.take()
            return _Compare(name, op, _value(self.take(), kind, name, op))
        if following == "in" or (following == "not" and self._next_is("in")):
            negate = self.take() == "not"
            if negate:
                self.take("in")
            found = _In(name, tuple(_value(v, kind, name, "in") for v in self.items()))
            return _Not(found) if negate else found
        if kind != "bool":
            raise ConditionError(f"{name!r} is not yes/no: compare it (for example {name} == …)")
        return _Bool(name)

    def _next_is(self, token: str) -> bool:
        return self.pos + 1 < len(self.tokens) and self.tokens[self.pos + 1] == token

    def items(self) -> list[str]:
        self.take("[")
        values = [self.take()]
        while self.peek() == ",":
            self.take()
            values.append(self.take())
        self.take("]")
        return values


def _value(token: str, kind: FactKind, fact: str, op: str) -> str | float:
    if token in _PUNCTUATION:
        raise ConditionError(f"expected a value after {fact} {op}, found {token!r}")
    if kind == "bool":
        raise ConditionError(f"{fact!r} is yes/no: use it alone (or with not)")
    if kind == "number":
        try:
            return float(token)
        except ValueError:
            raise ConditionError(f"{fact!r} is a number, not {token!r}") from None
    if op not in ("==", "!=", "in"):
        raise ConditionError(f"{fact!r} is text: compare it with ==, != or in")
    return token[1:-1] if token[:1] in "'\"" else token


def parse_condition(text: str) -> Condition:
    """The condition in ``text``; raises :class:`ConditionError` saying what is wrong."""
    tokens = _tokenise(text)
    if not tokens:
        raise ConditionError("empty condition")
    parser = _Parser(tokens)
    condition = parser.expr()
    if parser.peek() is not None:
        raise ConditionError(f"unexpected {parser.peek()!r}")
    return condition
