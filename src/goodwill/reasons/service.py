"""Contact reasons and their examples: create, rename, merge, split; import labelled examples;
a manager's label on one message (which wins over the model)."""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from goodwill.database import utcnow
from goodwill.errors import Conflict, ImportRejected, InvalidInput, NotFound, RowError
from goodwill.interactions.models import Interaction
from goodwill.reasons.models import ContactReason, MessageReason, ReasonExample
from goodwill.reasons.schemas import (
    ExampleImportRead,
    ExampleIn,
    ReasonCreate,
    ReasonRead,
    ReasonSplit,
    ReasonUpdate,
)

SOURCES = ("import", "message", "discovery")
MAX_EXAMPLES = 100_000


def get(*, db: Session, reason_id: uuid.UUID) -> ContactReason:
    reason = db.get(ContactReason, reason_id)
    if reason is None:
        raise NotFound(f"reason {reason_id} not found")
    return reason


def get_active(*, db: Session, reason_id: uuid.UUID) -> ContactReason:
    """A reason that can still take examples and messages (not merged into another)."""
    reason = get(db=db, reason_id=reason_id)
    if reason.merged_into_id is not None:
        raise Conflict(f"reason {reason.name!r} was merged into {reason.merged_into_id}")
    return reason


def get_by_name(*, db: Session, name: str) -> ContactReason | None:
    return db.scalar(select(ContactReason).where(ContactReason.name == name.strip()))


def get_all(*, db: Session) -> list[ContactReason]:
    """The organisation's reasons still in use, by name."""
    stmt = select(ContactReason).where(ContactReason.merged_into_id.is_(None))
    return list(db.scalars(stmt.order_by(ContactReason.name)))


def read(*, db: Session, reasons: Sequence[ContactReason]) -> list[ReasonRead]:
    """Reasons with their example and message counts."""
    ids = [r.id for r in reasons]
    examples = dict(
        db.execute(
            select(ReasonExample.reason_id, func.count())
            .where(ReasonExample.reason_id.in_(ids))
            .group_by(ReasonExample.reason_id)
        ).all()
    )
    messages = dict(
        db.execute(
            select(MessageReason.reason_id, func.count())
            .where(MessageReason.reason_id.in_(ids))
            .group_by(MessageReason.reason_id)
        ).all()
    )
    return [
        ReasonRead.model_validate(r).model_copy(
            update={"example_count": examples.get(r.id, 0), "message_count": messages.get(r.id, 0)}
        )
        for r in reasons
    ]


def _check_name_free(db: Session, name: str, *, but: ContactReason | None = None) -> str:
    name = name.strip()
    if not name:
        raise InvalidInput("name: empty")
    if name.lower() == "unknown":
        raise InvalidInput("name: 'unknown' is kept for messages of no known reason")
    existing = get_by_name(db=db, name=name)
    if existing is not None and existing is not but:
        raise Conflict(f"name: a reason called {name!r} already exists")
    return name


def create(*, db: Session, reason_in: ReasonCreate) -> ContactReason:
    name = _check_name_free(db, reason_in.name)
    reason = ContactReason(
        name=name, description=reason_in.description, company_value=reason_in.company_value
    )
    db.add(reason)
    db.flush()
    return reason


def get_or_create(*, db: Session, name: str) -> tuple[ContactReason, bool]:
    reason = get_by_name(db=db, name=name)
    if reason is not None:
        if reason.merged_into_id is not None:
            return get(db=db, reason_id=reason.merged_into_id), False
        return reason, False
    return create(db=db, reason_in=ReasonCreate(name=name)), True


def update_reason(*, db: Session, reason: ContactReason, reason_in: ReasonUpdate) -> ContactReason:
    """Rename, describe or set the value to the company; fields left out stay."""
    changes = reason_in.model_dump(exclude_unset=True)
    if "name" in changes:
        if changes["name"] is None:
            raise InvalidInput("name: a reason needs a name")
        changes["name"] = _check_name_free(db, changes["name"], but=reason)
    for field, value in changes.items():
        setattr(reason, field, value)
    db.flush()
    return reason


def merge(*, db: Session, reason: ContactReason, into: ContactReason) -> ContactReason:
    """Move every example and message of ``reason`` to ``into``; ``reason`` is kept, marked."""
    if reason.id == into.id:
        raise InvalidInput("into_reason_id: a reason cannot be merged into itself")
    if into.merged_into_id is not None:
        raise Conflict(f"into_reason_id: {into.name!r} was itself merged into another reason")
    for table in (ReasonExample, MessageReason):
        db.execute(
            update(table)
            .where(table.reason_id == reason.id)
            .values(reason_id=into.id)
            .execution_options(synchronize_session="fetch")
        )
    db.execute(
        update(ContactReason)
        .where(ContactReason.merged_into_id == reason.id)
        .values(merged_into_id=into.id)
        .execution_options(synchronize_session="fetch")
    )
    reason.merged_into_id = into.id
    db.flush()
    return into


def split(
    *, db: Session, reason: ContactReason, split_in: ReasonSplit, member_id: uuid.UUID | None
) -> ContactReason:
    """A new reason taking the chosen examples and messages of ``reason`` (messages moved this
    way count as a manager's label)."""
    examples = _owned(db, ReasonExample, ReasonExample.id, split_in.example_ids, reason)
    labels = _owned(
        db, MessageReason, MessageReason.interaction_id, split_in.interaction_ids, reason
    )
    if not examples and not labels:
        raise InvalidInput("example_ids, interaction_ids: choose something to move")
    new = create(db=db, reason_in=ReasonCreate(name=split_in.name))
    for example in examples:
        example.reason_id = new.id
    for label in labels:
        label.reason_id, label.manual, label.assigned_by_member_id = new.id, True, member_id
        label.assigned_at, label.confidence, label.model_id = utcnow(), None, None
    db.flush()
    return new


def _owned(
    db: Session, table: Any, key: Any, ids: Sequence[uuid.UUID], reason: ContactReason
) -> list[Any]:
    wanted = set(ids)
    rows = list(db.scalars(select(table).where(key.in_(wanted)))) if wanted else []
    found = {getattr(r, key.key): r for r in rows}
    missing = wanted - set(found)
    if missing:
        raise NotFound(f"{key.key} {sorted(map(str, missing))[0]} not found")
    strangers = [i for i, r in found.items() if r.reason_id != reason.id]
    if strangers:
        raise InvalidInput(f"{key.key} {strangers[0]} is not of reason {reason.name!r}")
    return list(found.values())


_EXAMPLES = TypeAdapter(list[ExampleIn])


def examples_from_json(data: Any, *, source: str = "request") -> list[ExampleIn]:
    """A JSON list (or ``{"examples": [...]}``) of ``{"text", "reason"}``; every bad item is
    reported with its position (line = item number, from 1) and field."""
    if isinstance(data, dict) and set(data) == {"examples"}:
        data = data["examples"]
    if not isinstance(data, list):
        raise InvalidInput('send a JSON list of {"text", "reason"} (or a CSV file)')
    try:
        return _EXAMPLES.validate_python(data)
    except ValidationError as exc:
        errors = [
            RowError(
                line=int(e["loc"][0]) + 1 if e["loc"] else 0,
                field=".".join(str(p) for p in e["loc"][1:]) or None,
                reason=e["msg"],
            )
            for e in exc.errors()
        ]
        raise ImportRejected(source, errors) from None


def examples_from_csv(content: bytes, *, source: str = "examples.csv") -> list[ExampleIn]:
    """A UTF-8 CSV with a header naming ``text`` and ``reason``; all rows or nothing."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{source}: not UTF-8 (byte {exc.start})") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = {"text", "reason"} - set(reader.fieldnames or [])
    if missing:
        raise ImportRejected(source, [RowError(1, f, "missing column") for f in sorted(missing)])
    rows: list[ExampleIn] = []
    errors: list[RowError] = []
    for row in reader:
        line = reader.line_num
        bad = [f for f in ("text", "reason") if not (row.get(f) or "").strip()]
        errors += [RowError(line, f, "empty") for f in bad]
        if len(rows) + len(errors) > MAX_EXAMPLES:
            raise InvalidInput(f"{source}: over {MAX_EXAMPLES} rows: split the file")
        if not bad:
            try:
                rows.append(ExampleIn(text=row["text"].strip(), reason=row["reason"].strip()))
            except ValidationError as exc:
                errors += [RowError(line, str(e["loc"][0]), e["msg"]) for e in exc.errors()]
    if errors:
        raise ImportRejected(source, errors)
    if not rows:
        raise InvalidInput(f"{source}: no examples")
    return rows


def add_examples(
    *, db: Session, examples: Sequence[ExampleIn], source: str = "import"
) -> ExampleImportRead:
    """Store labelled examples; a reason named for the first time is created."""
    created: list[str] = []
    reasons: dict[str, ContactReason] = {}
    for example in examples:
        name = example.reason.strip()
        if name not in reasons:
            reasons[name], new = get_or_create(db=db, name=name)
            if new:
                created.append(name)
        db.add(ReasonExample(reason_id=reasons[name].id, text=example.text, source=source))
    db.flush()
    return ExampleImportRead(added=len(examples), reasons_created=created)


def inbound_message(*, db: Session, interaction_id: uuid.UUID) -> Interaction:
    interaction = db.get(Interaction, interaction_id)
    if interaction is None:
        raise NotFound(f"interaction {interaction_id} not found")
    if interaction.kind != "message" or interaction.direction != "inbound":
        raise InvalidInput(f"interaction {interaction_id}: only inbound messages have a reason")
    return interaction


def label_of(*, db: Session, interaction_id: uuid.UUID) -> MessageReason | None:
    return db.scalar(select(MessageReason).where(MessageReason.interaction_id == interaction_id))


def label_message(
    *,
    db: Session,
    interaction: Interaction,
    reason: ContactReason | None,
    member_id: uuid.UUID | None,
) -> MessageReason | None:
    """A manager's label: it wins over the model, is kept when messages are classified again,
    and the message becomes an example of its reason. ``None`` removes the manager's label."""
    label = label_of(db=db, interaction_id=interaction.id)
    example = db.scalar(
        select(ReasonExample).where(
            ReasonExample.interaction_id == interaction.id, ReasonExample.source == "message"
        )
    )
    if reason is None:
        for row in (label if label is not None and label.manual else None, example):
            if row is not None:
                db.delete(row)
        db.flush()
        return None
    if label is None:
        label = MessageReason(interaction_id=interaction.id)
        db.add(label)
    label.reason_id, label.manual, label.assigned_by_member_id = reason.id, True, member_id
    label.confidence, label.model_id, label.assigned_at = None, None, utcnow()
    if example is None:
        text = (interaction.body or interaction.subject or "").strip()
        if text:
            db.add(
                ReasonExample(
                    reason_id=reason.id, text=text, source="message", interaction_id=interaction.id
                )
            )
    else:
        example.reason_id = reason.id
    db.flush()
    return label
