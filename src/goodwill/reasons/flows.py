"""Contact-reason use cases over stored data: train the organisation's classifier from its
examples, classify its inbound messages, discover reasons among unlabelled messages and keep
the groups a manager accepts.

The trained model's files are kept in the database (``reason_model``, a zip of what
:meth:`ReasonClassifier.save` writes), so every process and machine loads the same model. The
model learns reason *ids*, so renaming a reason needs no retraining and a merged reason's
predictions follow it to the reason that absorbed it.
"""

from __future__ import annotations

import io
import logging
import tempfile
import threading
import uuid
import zipfile
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from goodwill import tenancy
from goodwill.database import unit_of_work, utcnow
from goodwill.errors import Conflict, InvalidInput
from goodwill.interactions.models import Interaction
from goodwill.reasons import service
from goodwill.reasons.classifier import CONTEXT_MAX, UNKNOWN, Prediction, ReasonClassifier
from goodwill.reasons.models import ContactReason, MessageReason, ReasonExample, ReasonModel
from goodwill.reasons.schemas import DiscoverRead, GroupRead, TypicalMessage

log = logging.getLogger(__name__)

BATCH = 500
_CACHE_SIZE = 4
_cache: OrderedDict[uuid.UUID, ReasonClassifier] = OrderedDict()
_cache_lock = threading.Lock()


def _pack(model: ReasonClassifier) -> bytes:
    with tempfile.TemporaryDirectory(prefix="goodwill-reasons-") as tmp:
        model.save(Path(tmp))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(Path(tmp).iterdir()):
                archive.write(path, path.name)
        return buffer.getvalue()


def _unpack(archive: bytes) -> ReasonClassifier:
    with tempfile.TemporaryDirectory(prefix="goodwill-reasons-") as tmp:
        with zipfile.ZipFile(io.BytesIO(archive)) as zipped:
            for name in zipped.namelist():
                if "/" in name or "\\" in name or name.startswith("."):
                    raise InvalidInput(f"stored reason model holds an unexpected file {name!r}")
                (Path(tmp) / name).write_bytes(zipped.read(name))
        return ReasonClassifier.load(Path(tmp))


@dataclass(frozen=True)
class TrainingData:
    texts: list[str]
    labels: list[str]  # reason ids
    unlabelled: list[str]


def training_data(*, db: Session) -> TrainingData:
    """Every example of the organisation's (unmerged) reasons, and its recent inbound messages as
    unlabelled context. :class:`InvalidInput` when there is no example."""
    rows = db.execute(
        select(ReasonExample.text, ReasonExample.reason_id)
        .join(ContactReason, ContactReason.id == ReasonExample.reason_id)
        .where(ContactReason.merged_into_id.is_(None))
        .order_by(ReasonExample.id)
    ).all()
    if not rows:
        raise InvalidInput("no examples yet: add some (POST /reasons/examples) or label messages")
    return TrainingData(
        texts=[text for text, _ in rows],
        labels=[str(reason_id) for _, reason_id in rows],
        unlabelled=_recent_inbound(db),
    )


def fit(data: TrainingData) -> ReasonClassifier:
    """The classifier of these examples (minutes for large sets: call it outside a transaction).
    :class:`InvalidInput` when the examples cannot train a model."""
    return ReasonClassifier().fit(data.texts, data.labels, unlabelled=data.unlabelled)


def store(*, db: Session, model: ReasonClassifier, example_count: int) -> ReasonModel:
    """Keep a fitted classifier as the organisation's next model version."""
    version = (db.scalar(select(func.max(ReasonModel.version))) or 0) + 1
    stored = ReasonModel(
        version=version,
        trained_at=utcnow(),
        example_count=example_count,
        threshold=float(model.threshold_),
        reasons=list(model.reasons_),
        archive=_pack(model),
    )
    db.add(stored)
    db.flush()
    with _cache_lock:
        _cache[stored.id] = model
    log.info("trained reason model v%d on %d examples", version, example_count)
    return stored


def train(*, db: Session) -> ReasonModel:
    """Read, fit and store in one unit of work (small example sets; the ``train_reasons`` job
    fits outside any transaction instead)."""
    data = training_data(db=db)
    return store(db=db, model=fit(data), example_count=len(data.texts))


def _recent_inbound(db: Session) -> list[str]:
    """The organisation's most recent inbound messages: the unlabelled context that helps a
    model trained on few examples (kept only when it helps on the examples themselves)."""
    newest = (
        _inbound()
        .with_only_columns(Interaction.body, Interaction.subject)
        .order_by(Interaction.occurred_at.desc())
        .limit(CONTEXT_MAX)
    )
    return [_text(row) for row in db.execute(newest)]


def current_model(*, db: Session) -> ReasonModel:
    stored = db.scalar(select(ReasonModel).order_by(ReasonModel.version.desc()).limit(1))
    if stored is None:
        raise Conflict("no reason model yet: train one first (POST /reasons/train)")
    return stored


def load(stored: ReasonModel) -> ReasonClassifier:
    """The classifier of a stored model (kept in memory for the next request)."""
    with _cache_lock:
        model = _cache.get(stored.id)
        if model is not None:
            _cache.move_to_end(stored.id)
            return model
    model = _unpack(stored.archive)
    with _cache_lock:
        _cache[stored.id] = model
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return model


def _targets(db: Session) -> dict[str, ContactReason]:
    """Reason id (as the model knows it) → the reason it stands for today (merges followed)."""
    reasons = {r.id: r for r in db.scalars(select(ContactReason))}
    out = {}
    for reason in reasons.values():
        target, hops = reason, 0
        while target.merged_into_id is not None and hops < len(reasons):
            target, hops = reasons[target.merged_into_id], hops + 1
        out[str(reason.id)] = target
    return out


@dataclass(frozen=True)
class Assigned:
    reason: ContactReason | None
    confidence: float


def _resolve(
    predictions: Sequence[Prediction], targets: dict[str, ContactReason]
) -> list[Assigned]:
    return [
        Assigned(None if p.reason == UNKNOWN else targets.get(p.reason), p.confidence)
        for p in predictions
    ]


def classify_texts(*, db: Session, texts: Sequence[str]) -> tuple[ReasonModel, list[Assigned]]:
    """The reason of each text by the organisation's current model (nothing stored)."""
    stored = current_model(db=db)
    predictions = load(stored).predict(list(texts))
    return stored, _resolve(predictions, _targets(db))


def _inbound() -> Select[Interaction]:
    return select(Interaction).where(
        Interaction.kind == "message",
        Interaction.direction == "inbound",
        or_(Interaction.body.is_not(None), Interaction.subject.is_not(None)),
    )


def _text(row: Any) -> str:
    """A message's text for the models: its body, else its subject (rows or ORM objects)."""
    return (row.body or row.subject or "").strip() or "(empty)"


def classify_new(*, db: Session) -> int:
    """Give the current model's reason to the inbound messages that have none yet (run after
    ingest); nothing without a trained model. Returns how many were classified."""
    stored = db.scalar(select(ReasonModel).order_by(ReasonModel.version.desc()).limit(1))
    if stored is None:
        return 0
    model, targets = load(stored), _targets(db)
    unlabelled = (
        _inbound()
        .with_only_columns(Interaction.id, Interaction.body, Interaction.subject)
        .outerjoin(MessageReason, MessageReason.interaction_id == Interaction.id)
        .where(MessageReason.interaction_id.is_(None))
        .order_by(Interaction.id)
    )
    done = 0
    while rows := db.execute(unlabelled.limit(BATCH)).all():
        results = _resolve(model.predict([_text(r) for r in rows]), targets)
        for row, result in zip(rows, results, strict=True):
            reason_id = result.reason.id if result.reason is not None else None
            db.add(
                MessageReason(
                    interaction_id=row.id,
                    reason_id=reason_id,
                    confidence=result.confidence,
                    model_id=stored.id,
                    manual=False,
                    assigned_at=utcnow(),
                )
            )
        db.flush()  # the next page leaves these out
        done += len(rows)
    return done


def classify_new_after_ingest(factory: sessionmaker[Session], organisation_id: uuid.UUID) -> int:
    """:func:`classify_new` in its own transaction; failures are logged, never raised
    (``POST /reasons/classify`` with ``stored`` catches up)."""
    try:
        with unit_of_work(factory) as db:
            tenancy.scope(db, organisation_id)
            return classify_new(db=db)
    except Exception:
        log.exception("classifying new messages of organisation %s failed", organisation_id)
        return 0


def classify_stored(*, db: Session, only_new: bool = False) -> tuple[ReasonModel, int, int]:
    """Give every inbound message (or only those without a reason yet) the current model's
    reason; a manager's label is kept. Returns (model, classified, manual labels kept)."""
    stored = current_model(db=db)
    model, targets = load(stored), _targets(db)
    columns = (Interaction.id, Interaction.body, Interaction.subject)  # no ORM objects kept
    stmt = _inbound().with_only_columns(*columns).order_by(Interaction.id)
    classified = kept = 0
    last: uuid.UUID | None = None
    while True:
        page = stmt if last is None else stmt.where(Interaction.id > last)
        rows = db.execute(page.limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].id
        existing = {
            m.interaction_id: m
            for m in db.scalars(
                select(MessageReason).where(MessageReason.interaction_id.in_([r.id for r in rows]))
            )
        }
        kept += sum(1 for m in existing.values() if m.manual)
        todo = [r for r in rows if r.id not in existing or not (only_new or existing[r.id].manual)]
        results = _resolve(model.predict([_text(r) for r in todo]), targets)
        for row, result in zip(todo, results, strict=True):
            label = existing.get(row.id) or MessageReason(interaction_id=row.id)
            if label not in db:
                db.add(label)
            label.reason_id = result.reason.id if result.reason is not None else None
            label.confidence, label.model_id = result.confidence, stored.id
            label.manual, label.assigned_by_member_id, label.assigned_at = False, None, utcnow()
        classified += len(todo)
        db.flush()
    return stored, classified, kept


def _unlabelled(limit: int) -> Select[Interaction]:
    """Newest inbound messages with no reason: never classified, or classified unknown."""
    labelled = select(MessageReason.interaction_id).where(
        or_(MessageReason.manual.is_(True), MessageReason.reason_id.is_not(None))
    )
    return (
        _inbound()
        .where(Interaction.id.not_in(labelled))
        .order_by(Interaction.occurred_at.desc(), Interaction.id.desc())
        .limit(limit)
    )


def discover_unlabelled(*, db: Session, k: int | None = None, limit: int = 10_000) -> DiscoverRead:
    """Group the organisation's unlabelled inbound messages into candidate reasons, each named,
    with its most typical messages and every member."""
    from goodwill.reasons.discovery import discover

    rows = list(db.scalars(_unlabelled(limit)))
    found = discover([_text(r) for r in rows], k=k)
    members: list[list[uuid.UUID]] = [[] for _ in found.groups]
    for row, group in zip(rows, found.assignments, strict=True):
        members[group].append(row.id)
    groups = [
        GroupRead(
            cluster=g.cluster,
            label=g.label,
            size=g.size,
            typical=[
                TypicalMessage(interaction_id=rows[i].id, text=_text(rows[i])) for i in g.typical
            ],
            interaction_ids=members[g.cluster],
        )
        for g in found.groups
    ]
    return DiscoverRead(messages=len(rows), groups=groups)


def accept_discovery(
    *, db: Session, name: str, interaction_ids: Sequence[uuid.UUID]
) -> tuple[ContactReason, int]:
    """Keep a discovered group (renamed, merged with others of the same name, or a part of
    one) as a reason: its messages become examples. Returns the reason and examples added."""
    messages = [
        service.inbound_message(db=db, interaction_id=i) for i in dict.fromkeys(interaction_ids)
    ]
    reason, _ = service.get_or_create(db=db, name=name)
    known = set(
        db.scalars(
            select(ReasonExample.interaction_id).where(
                ReasonExample.reason_id == reason.id,
                ReasonExample.interaction_id.in_([m.id for m in messages]),
            )
        )
    )
    added = 0
    for message in messages:
        if message.id not in known:
            db.add(
                ReasonExample(
                    reason_id=reason.id,
                    text=_text(message),
                    source="discovery",
                    interaction_id=message.id,
                )
            )
            added += 1
    db.flush()
    return reason, added
