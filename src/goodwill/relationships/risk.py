"""Termination risk learnt from the organisation's own ended relationships.

:mod:`goodwill.stats.churn` holds the model; this module reads what it needs (three set-based
queries), keeps the fitted model with its holdout AUC in the organisation's ``settings`` under
``"risk_model"`` (or the reason there is none), and stores each relationship's probability in
``relationship.risk``.

A relationship has *ended* when the engine put it in the ``terminating`` stage; it ended when the
interaction its stage evidence cites happened (the cancellation, the last complaint), else at its
last interaction. A model whose holdout AUC is below ``MIN_AUC`` is kept, with its numbers, as
``weak`` and scores nothing: a manager should not act on a ranking barely better than chance.
The model is retrained on a full recompute and when it is more than
``RETRAIN_AFTER`` old; incremental recomputes score the relationships they touch with the stored
model.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import ColumnElement, String, cast, select, true, update
from sqlalchemy.orm import Session

from goodwill.database import IN_LIST, epoch_seconds, in_lists
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations import service as organisation_service
from goodwill.relationships import writes
from goodwill.relationships.models import Relationship, ScoreHistory
from goodwill.stats.churn import FEATURES, Events, TerminationRiskModel, features_at
from goodwill.stats.errors import InvalidSummaryError

log = logging.getLogger(__name__)

SETTINGS_KEY = "risk_model"
ENDED_STAGE = "terminating"
RETRAIN_AFTER = timedelta(days=7)
MIN_AUC = 0.6  # below this holdout AUC the model is kept for inspection but scores nothing
CONTACT_KINDS = ("message", "call", "meeting")


def _seconds(at: datetime) -> float:
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


@dataclass
class History:
    """The relationships read (in index order) and their events, start and end times."""

    ids: list[uuid.UUID]
    events: Events
    started: np.ndarray[Any, np.dtype[np.float64]]
    ended: np.ndarray[Any, np.dtype[np.float64]]
    risk: np.ndarray[Any, np.dtype[np.float64]]  # as stored before (NaN: none)


@dataclass
class HistoryPart:
    """A history as read, before its events are indexed: the relationships (in index order) and
    per event kind (relationship indices, times). Parts read for consecutive runs of
    relationships :func:`join` into exactly the part read for all of them at once."""

    ids: list[uuid.UUID]
    kinds: dict[str, tuple[Any, Any]]
    started: np.ndarray[Any, np.dtype[np.float64]]
    ended: np.ndarray[Any, np.dtype[np.float64]]
    risk: np.ndarray[Any, np.dtype[np.float64]]

    def history(self) -> History:
        arrays = {k: (np.asarray(v[0]), np.asarray(v[1])) for k, v in self.kinds.items()}
        events = Events.build(len(self.ids), arrays)
        return History(self.ids, events, self.started, self.ended, self.risk)


def join(parts: Sequence[HistoryPart]) -> HistoryPart:
    """One part from parts of consecutive relationships, in order (indices shifted)."""
    kinds: dict[str, tuple[list[Any], list[Any]]] = {}
    offset = 0
    for part in parts:
        for kind, (index, times) in part.kinds.items():
            into = kinds.setdefault(kind, ([], []))
            into[0].append(np.asarray(index, np.int64) + offset)
            into[1].append(np.asarray(times, np.float64))
        offset += len(part.ids)
    return HistoryPart(
        ids=[i for part in parts for i in part.ids],
        kinds={k: (np.concatenate(v[0]), np.concatenate(v[1])) for k, v in kinds.items()},
        started=np.concatenate([part.started for part in parts] or [np.zeros(0)]),
        ended=np.concatenate([part.ended for part in parts] or [np.zeros(0)]),
        risk=np.concatenate([part.risk for part in parts] or [np.zeros(0)]),
    )


def _relationships(
    db: Session, ids: Sequence[uuid.UUID] | None
) -> tuple[list[Any], dict[str, int]]:
    """The relationships, and their index keyed by the customer id as the database spells it
    (events are read with the same spelling, so no UUID is built per event)."""
    stmt = select(
        Relationship.id,
        Relationship.customer_id,
        cast(Relationship.customer_id, String).label("customer_key"),
        Relationship.started_at,
        Relationship.created_at,
        Relationship.stage,
        Relationship.stage_evidence,
        Relationship.last_interaction_at,
        Relationship.risk,
    ).order_by(Relationship.id)
    if ids is not None:
        stmt = stmt.where(Relationship.id.in_(ids))
    rows = list(db.execute(stmt).all())
    return rows, {row.customer_key: i for i, row in enumerate(rows)}


def _customers(customers: list[uuid.UUID] | None) -> ColumnElement[bool]:
    """All the organisation's interactions, or only these customers' (through the index)."""
    return true() if customers is None else Interaction.customer_id.in_(customers)


def _interactions(
    db: Session, index: dict[str, int], as_of: datetime, customers: list[uuid.UUID] | None
) -> dict[str, tuple[Any, Any]]:
    """Per event kind, (relationship indices, times) of the customers' interactions: read as
    columns and classified with NumPy (millions of rows on a large organisation). Every kind is
    read and the kinds not used are dropped here: with a condition on the kind, SQLite would
    look the customers up kind by kind in the kind index, several times slower."""
    stmt = select(
        cast(Interaction.customer_id, String),
        epoch_seconds(Interaction.occurred_at),
        Interaction.kind,
        Interaction.direction,
    ).where(Interaction.occurred_at <= as_of)
    found = db.execute(stmt.where(_customers(customers))).all()
    if not found:
        return {}
    keys, times, kinds, directions = (np.asarray(column) for column in zip(*found, strict=True))
    unique, inverse = np.unique(keys, return_inverse=True)
    rel = np.array([index.get(str(k), -1) for k in unique], dtype=np.int64)[inverse]
    known = rel >= 0
    at = times.astype(np.float64)
    contact = known & np.isin(kinds, CONTACT_KINDS)
    inbound = known & (kinds == "message") & (directions == "inbound")
    out = {"contact": (rel[contact], at[contact]), "inbound": (rel[inbound], at[inbound])}
    for kind in ("purchase", "usage"):
        chosen = known & (kinds == kind)
        out[kind] = (rel[chosen], at[chosen])
    return out


def _analysed(
    db: Session,
    index: dict[str, int],
    as_of: datetime,
    customers: list[uuid.UUID] | None,
    analyser: str,
    test: Any,
) -> tuple[list[int], list[float]]:
    """(relationship indices, times) of inbound messages whose ``analyser`` result passes."""
    stmt = (
        select(cast(Interaction.customer_id, String), epoch_seconds(Interaction.occurred_at))
        .join(MessageAnalysis, MessageAnalysis.interaction_id == Interaction.id)
        .where(
            MessageAnalysis.analyser == analyser,
            Interaction.direction == "inbound",
            Interaction.occurred_at <= as_of,
            test,
        )
    )
    found = db.execute(stmt.where(_customers(customers)))
    rows = [(index[c], at) for c, at in found if c in index]
    return [r[0] for r in rows], [r[1] for r in rows]


Stages = Mapping[uuid.UUID, tuple[str | None, Any]]  # relationship id → (stage, its evidence)


def _end_times(
    db: Session, rows: Sequence[Any], stages: Stages | None = None
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """When each relationship ended (NaN: it did not), from its stage as stored or as given in
    ``stages``."""
    found = [(row.stage, row.stage_evidence) if stages is None else stages[row.id] for row in rows]
    cited: dict[int, uuid.UUID] = {}
    for i, (stage, evidence) in enumerate(found):
        if stage == ENDED_STAGE:
            ids = [e.get("interaction_id") for e in evidence or [] if isinstance(e, dict)]
            first = next((x for x in ids if x), None)
            if first:
                cited[i] = uuid.UUID(str(first))
    wanted = list(cited.values())
    times: dict[uuid.UUID, datetime] = {}
    for part in in_lists(wanted):
        query = select(Interaction.id, Interaction.occurred_at).where(Interaction.id.in_(part))
        times.update((row.id, row.occurred_at) for row in db.execute(query))
    ended = np.full(len(rows), np.nan)
    for i, row in enumerate(rows):
        if found[i][0] != ENDED_STAGE:
            continue
        at = times.get(cited.get(i)) or row.last_interaction_at  # type: ignore[arg-type]
        if at is not None:
            ended[i] = _seconds(at)
    return ended


ANALYSED = ("negative", "complaint")  # the event kinds read from the messages' analyses


def _given(
    rows: Sequence[Any], times: Mapping[uuid.UUID, Sequence[float]]
) -> tuple[list[int], list[float]]:
    """(relationship indices, times) of events given per customer."""
    index: list[int] = []
    found: list[float] = []
    for i, row in enumerate(rows):
        at = times.get(row.customer_id, ())
        index.extend([i] * len(at))
        found.extend(at)
    return index, found


def read_part(
    *,
    db: Session,
    as_of: datetime,
    relationship_ids: Sequence[uuid.UUID] | None = None,
    analysed: Mapping[str, Mapping[uuid.UUID, Sequence[float]]] | None = None,
    stages: Stages | None = None,
) -> HistoryPart:
    """The organisation's relationships (or only these) with their events up to ``as_of``.

    ``analysed``: the "negative" and "complaint" events, per customer, as a recompute batch
    already read them with its messages (:func:`goodwill.relationships.scores_signals.read`:
    the same rows, times and tests as :func:`_analysed`), instead of two more joined reads.
    ``stages``: each relationship's stage and evidence as the batch is about to store them
    (else as stored), so that the batch reads its part before writing, in its read transaction."""
    rows, index = _relationships(db, relationship_ids)
    only = [row.customer_id for row in rows] if relationship_ids is not None else None
    kinds: dict[str, tuple[Any, Any]] = dict(_interactions(db, index, as_of, only))
    if analysed is not None:
        for kind in ANALYSED:
            kinds[kind] = _given(rows, analysed[kind])
    else:
        negative = MessageAnalysis.result["value"]["label"].as_string() == "negative"
        complaint = cast(MessageAnalysis.result, String).contains('"complaint"')
        kinds["negative"] = _analysed(db, index, as_of, only, "sentiment", negative)
        kinds["complaint"] = _analysed(db, index, as_of, only, "intent", complaint)
    started = np.array(
        [_seconds(row.started_at or row.created_at) for row in rows], dtype=np.float64
    )
    risk = np.array([np.nan if row.risk is None else row.risk for row in rows], np.float64)
    ended = _end_times(db, rows, stages)
    return HistoryPart([row.id for row in rows], kinds, started, ended, risk)


def read_history(
    *, db: Session, as_of: datetime, relationship_ids: Sequence[uuid.UUID] | None = None
) -> History:
    """:func:`read_part`, its events indexed."""
    return read_part(db=db, as_of=as_of, relationship_ids=relationship_ids).history()


def stored_model(*, db: Session) -> dict[str, Any] | None:
    return organisation_service.get_setting(db=db, key=SETTINGS_KEY)


def is_due(*, db: Session, as_of: datetime) -> bool:
    found = stored_model(db=db)
    if found is None or not found.get("checked_at"):
        return True
    return as_of - datetime.fromisoformat(found["checked_at"]) >= RETRAIN_AFTER


def _save(db: Session, entry: dict[str, Any]) -> None:
    organisation_service.set_setting(db=db, key=SETTINGS_KEY, value=entry)


def _store_risks(
    db: Session, history: History, model: TerminationRiskModel, as_of: datetime
) -> int:
    """Score the relationships of ``history`` still going at ``as_of`` (ended ones get None),
    with a score-history row (``{"risk": percent}``) where the risk appeared or moved by a
    point or more."""
    probability = model.predict(features_at(history.events, history.started, _seconds(as_of)))
    going = ~(history.ended <= _seconds(as_of))
    risks = [round(float(p), 4) if ok else None for p, ok in zip(probability, going, strict=True)]
    values = [{"id": rid, "risk": r} for rid, r in zip(history.ids, risks, strict=True)]
    writes.update_rows(db, Relationship, values)
    moved = [
        {
            "relationship_id": rid,
            "health": None,
            "scores": {"risk": round(risk * 100, 1)},
            "computed_at": as_of,
        }
        for rid, risk, before in zip(history.ids, risks, history.risk, strict=True)
        if risk is not None
        and (np.isnan(before) or abs(risk - before) * 100 >= writes.HISTORY_STEP)
    ]
    writes.insert_rows(db, ScoreHistory, moved)
    return int(going.sum())


def refresh(*, db: Session, as_of: datetime, history: History | None = None) -> dict[str, Any]:
    """Retrain on the whole history (read here unless given: every relationship's, as of
    ``as_of``) and score every relationship; returns the stored entry."""
    history = history or read_history(db=db, as_of=as_of)
    checked = {"checked_at": as_of.isoformat()}
    try:
        model = TerminationRiskModel().fit(
            history.events, history.started, history.ended, _seconds(as_of)
        )
    except InvalidSummaryError as error:
        missing: dict[str, Any] = {"status": "missing", "reason": error.reason, **checked}
        _save(db, missing)
        db.execute(update(Relationship).values(risk=None))
        return missing
    auc = model.summary_["holdout_auc"]
    usable = auc >= MIN_AUC
    entry: dict[str, Any] = {
        "status": "fitted" if usable else "weak",
        "trained_at": as_of.isoformat(),
        **model.to_json(),
        **checked,
    }
    if not usable:
        entry["reason"] = (
            f"holdout AUC {auc:.2f} is below {MIN_AUC:.2f}: this history does not tell who will "
            "leave well enough to score relationships"
        )
    _save(db, entry)
    if not usable:
        db.execute(update(Relationship).values(risk=None))
        return entry
    scored = _store_risks(db, history, model, as_of)
    log.info("risk model: %d relationships scored", scored)
    log.info("risk model: holdout AUC %s", model.summary_["holdout_auc"])
    return entry


def _model(db: Session) -> TerminationRiskModel | None:
    found = stored_model(db=db)
    if not found or found.get("status") != "fitted":
        return None
    try:
        return TerminationRiskModel.from_json(found)
    except (InvalidSummaryError, KeyError, ValueError):
        return None


def score(*, db: Session, relationship_ids: Sequence[uuid.UUID], as_of: datetime) -> int:
    """Score these relationships with the stored model (nothing without one)."""
    model = _model(db)
    if model is None or not relationship_ids:
        return 0
    few = len(relationship_ids) <= IN_LIST  # else read everyone: fewer queries, no huge IN list
    history = read_history(db=db, as_of=as_of, relationship_ids=relationship_ids if few else None)
    return _store_risks(db, history, model, as_of)


def explain(*, db: Session, relationship_id: uuid.UUID, as_of: datetime) -> dict[str, Any]:
    """One relationship's risk now, with each feature's value and push on the odds."""
    model = _model(db)
    if model is None:
        return {"status": "missing", "probability": None, "factors": []}
    history = read_history(db=db, as_of=as_of, relationship_ids=[relationship_id])
    at = _seconds(as_of)
    if history.ended[0] <= at:
        return {"status": "ended", "probability": None, "factors": []}
    x = features_at(history.events, history.started, at)
    pushes = model.contributions(x)[0]
    order = np.argsort(-np.abs(pushes))
    factors = [
        {
            "feature": FEATURES[j],
            "value": round(float(x[0, j]), 3),
            "push": round(float(pushes[j]), 3),
        }
        for j in order
    ]
    probability = round(float(model.predict(x)[0]), 4)
    return {"status": "fitted", "probability": probability, "factors": factors}
