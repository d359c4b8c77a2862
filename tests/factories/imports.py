"""Import files for tests and the benchmark: customers, interactions, e-mail messages, mbox."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner, Result

from goodwill import tenancy
from goodwill.config import get_settings
from goodwill.database import Base, make_engine, make_session_factory, unit_of_work
from goodwill.imports import service as import_service
from goodwill.imports.rows import FIELDS, Kind
from goodwill.imports.service import ImportResult
from goodwill.interactions.models import Interaction
from tests.factories.organisations import OrgContext

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

_INBOUND = (
    "Hi, I was charged twice for my subscription this month. Can you refund one of them?",
    "The export to CSV fails with a timeout since yesterday. We need it for the board meeting.",
    "Thanks for the quick fix last week, everything works again.",
    "Could you add a dark mode? My whole team works late and would love it.",
    "I still have not received the replacement card you promised on Monday.",
    "We are thinking about moving to the annual plan. What discount can you offer?",
)
_OUTBOUND = (
    "Sorry about the double charge. I have refunded it; you will see it in 3-5 days. Anna",
    "I have asked our engineers to look at the timeout and will update you by Friday.",
    "Thank you for the suggestion: I added it to our roadmap review on the 12th.",
    "Your replacement card left our office today by tracked post.",
)


def customer_rows(n: int, *, prefix: str = "C") -> Iterator[dict[str, Any]]:
    for i in range(n):
        yield {
            "external_id": f"{prefix}-{i}",
            "name": f"Customer {i}",
            "email": f"customer{i}@{prefix.lower()}.example",
            "segment": ("smb", "enterprise", "consumer")[i % 3],
            "customer_since": (START - timedelta(days=30 + i % 700)).date().isoformat(),
        }


def interaction_rows(
    n: int, *, customers: int, prefix: str = "C", seed: int = 7
) -> Iterator[dict[str, Any]]:
    """``n`` realistic interactions across ``customers`` customers (messages, calls, purchases)."""
    rng = random.Random(seed)
    for i in range(n):
        when = START + timedelta(minutes=7 * i)
        row: dict[str, Any] = {
            "external_id": f"I-{i}",
            "customer_external_id": f"{prefix}-{rng.randrange(customers)}",
            "occurred_at": when.isoformat().replace("+00:00", "Z"),
        }
        pick = rng.random()
        if pick < 0.7:
            inbound = rng.random() < 0.55
            row |= {
                "kind": "message",
                "channel": rng.choice(("email", "chat")),
                "direction": "inbound" if inbound else "outbound",
                "subject": "Re: your account",
                "body": rng.choice(_INBOUND if inbound else _OUTBOUND),
            }
        elif pick < 0.85:
            row |= {"kind": "call", "channel": "phone", "direction": "outbound", "body": "Call"}
        else:
            row |= {
                "kind": "purchase",
                "channel": "store",
                "amount": f"{rng.randrange(100, 50000) / 100:.2f}",
                "currency": "EUR",
                "quantity": rng.randrange(1, 4),
            }
        yield row


def write_csv(path: Path, kind: Kind, rows: Iterable[dict[str, Any]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(FIELDS[kind]), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_jsonl(path: Path, rows: Iterable[Any]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            fh.write(json.dumps(row) + "\n")
    return path


def make_message(
    *,
    message_id: str | None,
    sender: str,
    to: str,
    subject: str = "Question about my invoice",
    body: str = "Hello,\n\nmy invoice is wrong.\n\nMaria\n",
    date: datetime = START,
    in_reply_to: str | None = None,
    references: list[str] | None = None,
    html: str | None = None,
    attachment: tuple[str, bytes] | None = None,
) -> bytes:
    """One RFC 5322 message; ``html`` alone makes an HTML-only mail."""
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(date)
    if message_id is not None:
        msg["Message-ID"] = f"<{message_id}>"
    if in_reply_to:
        msg["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        msg["References"] = " ".join(f"<{r}>" for r in references)
    if html is not None:
        msg.set_content(html, subtype="html")
    else:
        msg.set_content(body)
    if attachment is not None:
        name, data = attachment
        msg.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return msg.as_bytes()


def mbox_bytes(messages: Iterable[bytes]) -> Iterator[bytes]:
    """The messages as an mbox archive (mboxrd quoting), piece by piece."""
    for raw in messages:
        yield b"From MAILER-DAEMON Mon Jan  5 09:00:00 2026\n"
        for line in raw.replace(b"\r\n", b"\n").splitlines(keepends=True):
            if line.lstrip(b">").startswith(b"From "):
                line = b">" + line
            yield line
        yield b"\n"


def write_mbox(path: Path, messages: Iterable[bytes]) -> Path:
    with path.open("wb") as fh:
        for piece in mbox_bytes(messages):
            fh.write(piece)
    return path


def thread_messages(
    n: int, *, customers: int = 50, domain: str = "acme.example", seed: int = 3
) -> Iterator[bytes]:
    """``n`` messages in threads of up to four: a customer writes, the company answers, …"""
    rng = random.Random(seed)
    i = 0
    while i < n:
        customer = f"customer{rng.randrange(customers)}@mail.example"
        root = f"t{i}@mail.example"
        chain: list[str] = []
        for step in range(min(rng.randrange(1, 5), n - i)):
            inbound = step % 2 == 0
            message_id = root if step == 0 else f"t{i}.{step}@{domain}"
            yield make_message(
                message_id=message_id,
                sender=customer if inbound else f"Anna <anna@{domain}>",
                to=f"support@{domain}" if inbound else customer,
                subject="Invoice question" if step == 0 else "Re: Invoice question",
                body=rng.choice(_INBOUND if inbound else _OUTBOUND) + "\n\nBest regards,\nSam\n",
                date=START + timedelta(hours=i + step),
                in_reply_to=chain[-1] if chain else None,
                references=chain or None,
            )
            chain.append(message_id)
        i += len(chain)


def run_import(factory: sessionmaker[Session], org: OrgContext, **kwargs: Any) -> ImportResult:
    """One file through the service in its own unit of work, as the CLI and the API run it."""
    with unit_of_work(factory) as session:
        tenancy.scope(session, org.organisation_id)
        return import_service.import_file(db=session, **kwargs)


def count_rows(factory: sessionmaker[Session], org: OrgContext, model: type[Base]) -> int:
    with unit_of_work(factory) as session:
        tenancy.scope(session, org.organisation_id)
        return session.scalar(select(func.count()).select_from(model)) or 0


@dataclass(frozen=True)
class CliEnv:
    """A `goodwill` home with its own SQLite file and one organisation (slug ``acme``)."""

    home: Path
    database: Path
    runner: CliRunner

    @property
    def env(self) -> dict[str, str]:
        return {
            "GOODWILL_HOME": str(self.home),
            "GOODWILL_DATABASE_URL": f"sqlite:///{self.database}",
            "GOODWILL_ADMIN_PASSWORD": "correct horse battery staple",
            "COLUMNS": "300",
        }

    def run(self, *args: str) -> Result:
        from goodwill.cli import app

        return self.runner.invoke(app, list(args), env=self.env)

    def count_interactions(self) -> tuple[int, int]:
        """(rows, distinct external ids), read with a fresh engine."""
        engine = make_engine(f"sqlite:///{self.database}")
        try:
            session = make_session_factory(engine)()
            with tenancy.system_scope(session):
                rows = session.scalar(select(func.count()).select_from(Interaction)) or 0
                distinct = session.scalar(select(func.count(Interaction.external_id.distinct())))
            session.close()
            return rows, distinct or 0
        finally:
            engine.dispose()


@contextmanager
def cli_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliEnv]:
    """A fresh home for CLI tests: `goodwill init` has run; settings are re-read."""
    env = CliEnv(tmp_path / "home", tmp_path / "home" / "goodwill.sqlite3", CliRunner())
    for key, value in env.env.items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()
    try:
        result = env.run(
            "init",
            "--org-name",
            "Acme",
            "--admin-email",
            "a@acme.example",
            "--domain",
            "acme.example",
        )
        assert result.exit_code == 0, result.output
        yield env
    finally:
        get_settings.cache_clear()
