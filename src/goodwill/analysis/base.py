"""The pieces every analyser shares: the message it reads and the contract it keeps.

An analyser has a ``name``, a ``version``, the ``inputs`` (fields written by earlier analysers)
it reads and the one ``output`` field it writes. ``analyse`` handles one message inside a
request; ``analyse_batch`` handles many and is where models amortise their cost. A result is
JSON-able through ``to_json`` so it can be stored beside the message with the analyser's name
and version and recomputed when the version changes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Generic, Literal, Protocol, Self, TypeVar

Direction = Literal["inbound", "outbound"]
JSONDict = dict[str, Any]


class Result(Protocol):
    def to_json(self) -> Any: ...


R = TypeVar("R", bound=Result)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Message:
    """One message: ``inbound`` from a customer, ``outbound`` from the company.

    ``thread`` holds the earlier messages of the same conversation, oldest first.
    """

    id: str
    text: str
    direction: Direction | None = None
    sent_at: datetime | None = None
    thread: tuple[Message, ...] = field(default=())


class Context:
    """The fields earlier analysers wrote for one message."""

    __slots__ = ("values",)

    def __init__(self) -> None:
        self.values: dict[str, Result] = {}

    def get(self, name: str, kind: type[T]) -> T:
        value = self.values.get(name)
        if not isinstance(value, kind):
            raise LookupError(f"analysis field {name!r} is missing: add its analyser earlier")
        return value


class Analyser(ABC, Generic[R]):
    name: str
    version: str
    output: str
    inputs: tuple[str, ...] = ()
    stored: bool = True  # False for intermediate features nobody needs to keep

    def fit(self, messages: Sequence[Message]) -> Self:
        """Analysers that learn from messages override this; the rest need no fitting."""
        del messages
        return self

    def analyse(self, message: Message, context: Context | None = None) -> R:
        return self.analyse_batch([message], [context or Context()])[0]

    @abstractmethod
    def analyse_batch(self, messages: Sequence[Message], contexts: Sequence[Context]) -> list[R]:
        """One result per message, in order."""

    def describe(self) -> Mapping[str, str]:
        return {"analyser": self.name, "version": self.version}
