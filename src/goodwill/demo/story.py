"""One customer's history being written: conversations and interactions, with stable ids."""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from goodwill.demo import staff
from goodwill.demo.inbound import CATEGORIES
from goodwill.demo.people import Person, pick
from goodwill.demo.records import Book, ConversationRecord, InteractionRecord
from goodwill.demo.sources import Sources
from goodwill.demo.staff import StaffMember
from goodwill.demo.timeline import Window, after, office_hours

CHANNELS: Mapping[str, float] = {"email": 0.5, "chat": 0.3, "app": 0.12, "phone": 0.08}
CURRENCY = "USD"


@dataclass(frozen=True)
class World:
    """What every story shares: the seed, the window, the texts and the book being filled."""

    seed: int
    window: Window
    sources: Sources
    book: Book


class Thread:
    """An open conversation and the time of its latest interaction."""

    def __init__(self, record: ConversationRecord) -> None:
        self.record = record
        self.last_at = record.opened_at


class Story:
    def __init__(self, world: World, person: Person, rng: random.Random) -> None:
        self.world = world
        self.person = person
        self.rng = rng
        self._interactions = 0
        self._threads = 0

    @property
    def end(self) -> datetime:
        return self.world.window.end

    # -- who and what -------------------------------------------------------------------------

    def agent(self) -> StaffMember:
        weights = staff.ACCOUNT_WEIGHTS if self.person.persona.b2b else staff.SUPPORT_WEIGHTS
        return staff.BY_EMAIL[pick(self.rng, weights)]

    def tier(self, agent: StaffMember) -> str:
        return pick(self.rng, agent.tiers)

    def category(self, situation: str) -> str:
        texts = self.world.sources.texts
        options = sorted(c for c, (s, _) in CATEGORIES.items() if s == situation and c in texts)
        return self.rng.choice(options)

    def text(self, category: str) -> str:
        return self.rng.choice(self.world.sources.texts[category])

    def reply_time(self, at: datetime, agent: StaffMember, channel: str) -> datetime:
        low, high = agent.reply_hours
        if channel == "chat":
            low, high = low / 8, high / 8
        moment = after(at, self.rng, (low, high))
        return office_hours(moment, self.rng, agent.shift, agent.weekends)

    # -- conversations ------------------------------------------------------------------------

    def open(self, *, subject: str, at: datetime, channel: str | None = None) -> Thread | None:
        if not self.world.window.start <= at < self.end:
            return None
        self._threads += 1
        record = ConversationRecord(
            external_id=f"NW-T-{self.person.index:05d}-{self._threads:02d}",
            customer_external_id=self.person.external_id,
            subject=subject,
            channel=channel or pick(self.rng, CHANNELS),
            opened_at=at,
        )
        self.world.book.conversations.append(record)
        return Thread(record)

    def close(self, thread: Thread, status: str = "closed") -> None:
        thread.record.status = status
        if status == "closed":
            closed = thread.last_at + timedelta(minutes=self.rng.randint(5, 240))
            thread.record.closed_at = min(closed, self.end - timedelta(seconds=1))

    # -- interactions -------------------------------------------------------------------------

    def emit(self, *, kind: str, channel: str, at: datetime, **fields: Any) -> str | None:
        """Record one interaction (dropped when it falls after the window); its external id."""
        if not max(self.person.since, self.world.window.start) <= at < self.end:
            return None
        thread: Thread | None = fields.pop("thread", None)
        author: StaffMember | None = fields.pop("author", None)
        if author is not None:
            fields.update(author_name=author.name, author_email=author.email)
        if thread is not None:
            fields["conversation_external_id"] = thread.record.external_id
            thread.last_at = max(thread.last_at, at)
        self._interactions += 1
        external_id = f"NW-I-{self.person.index:05d}-{self._interactions:03d}"
        record = InteractionRecord(
            external_id=external_id,
            customer_external_id=self.person.external_id,
            kind=kind,
            channel=channel,
            occurred_at=at,
            **fields,
        )
        self.world.book.interactions.append(record)
        return external_id

    def say(
        self, thread: Thread, at: datetime, body: str, attrs: dict[str, Any] | None = None
    ) -> str | None:
        """The customer writes (or calls) in ``thread``."""
        channel = thread.record.channel
        return self.emit(
            kind="call" if channel == "phone" else "message",
            channel=channel,
            direction="inbound",
            at=at,
            thread=thread,
            subject=thread.record.subject,
            body=body,
            author_name=self.person.name,
            attributes=attrs or {},
        )

    def answer(
        self,
        thread: Thread,
        at: datetime,
        body: str,
        agent: StaffMember,
        attrs: dict[str, Any] | None = None,
    ) -> str | None:
        """The company writes (or calls) in ``thread``."""
        channel = thread.record.channel
        return self.emit(
            kind="call" if channel == "phone" else "message",
            channel=channel,
            direction="outbound",
            at=at,
            thread=thread,
            subject=f"Re: {thread.record.subject}",
            body=body,
            author=agent,
            attributes=attrs or {},
        )

    def call(
        self,
        at: datetime,
        body: str,
        agent: StaffMember,
        *,
        direction: str = "outbound",
        **fields: Any,
    ) -> str | None:
        return self.emit(
            kind="call",
            channel="phone",
            at=at,
            direction=direction,
            body=body,
            author=agent,
            **fields,
        )

    def money(
        self, kind: str, at: datetime, amount: Decimal, subject: str, **fields: Any
    ) -> str | None:
        channel = "billing" if kind == "billing" else "app"
        return self.emit(
            kind=kind,
            channel=channel,
            at=at,
            amount=amount,
            currency=CURRENCY,
            subject=subject,
            **fields,
        )
