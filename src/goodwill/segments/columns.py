"""The fields segment rules use, read for every relationship of the organisation in a few
set-based queries (only the queries the rules need), as arrays for :mod:`goodwill.segments.rules`.

- ``tenure_days``: since the relationship started (its creation when the start is unknown);
- ``last_contact_days``: since the customer's last message, call or meeting (the kinds the
  stay-in-touch cadence counts), or since the start when there was none;
- ``purchases_count`` and ``purchases_value``: interactions of kind ``purchase`` and the sum of
  their ``amount`` as stored (no currency conversion; a purchase without an amount counts but
  adds nothing); a relationship without purchases has 0 and 0;
- ``rfm_*`` and ``rfm``: :mod:`goodwill.segments.rfm` over the organisation's purchasing
  customers; missing for the others;
- ``reasons``: the names of the contact reasons of the customer's messages in the window.
Ids and times are read raw (:mod:`goodwill.relationships.rows`): no object per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Float, String, cast, func, select
from sqlalchemy.orm import Session

from goodwill.database import epoch_seconds
from goodwill.interactions.models import Interaction
from goodwill.reasons.models import ContactReason, MessageReason
from goodwill.relationships.models import Relationship
from goodwill.relationships.nextconv import CONTACT_KINDS
from goodwill.segments import rfm, rules

DAY = 86400.0
NAN = float("nan")


@dataclass
class Table:
    """The relationships read (``keys``: their ids as the database returns them raw, one per
    row) and their fields, row for row."""

    keys: list[str]
    columns: rules.Columns
    index: dict[str, int]  # customer id (raw) → row


def read(db: Session, *, fields: set[str], windows: set[int], as_of: datetime) -> Table:
    """The organisation's relationships with the ``fields`` named (and the reasons of each
    window in ``windows``), as of ``as_of``."""
    rows = db.execute(
        select(
            cast(Relationship.id, String),
            cast(Relationship.customer_id, String),
            Relationship.stage,
            Relationship.phase,
            Relationship.segment,
            Relationship.health,
            Relationship.risk,
            epoch_seconds(func.coalesce(Relationship.started_at, Relationship.created_at)),
        )
    ).all()
    index = {r[1]: i for i, r in enumerate(rows)}
    table = Table([r[0] for r in rows], rules.Columns(len(rows)), index)
    now = as_of.timestamp()
    started = np.array([r[7] for r in rows], dtype=np.float64)
    numbers, texts = table.columns.numbers, table.columns.texts
    numbers["tenure_days"] = (now - started) / DAY
    for name, at in (("stage", 2), ("phase", 3), ("label", 4)):
        texts[name] = np.array([r[at] or "" for r in rows], dtype=np.str_)
    numbers["health"] = np.array([r[5] for r in rows], dtype=np.float64)
    numbers["risk"] = np.array([r[6] for r in rows], dtype=np.float64)
    if "last_contact_days" in fields:
        last = _latest_contact(db, table, as_of)
        numbers["last_contact_days"] = (now - np.where(np.isnan(last), started, last)) / DAY
    if fields & rules.PURCHASE_FIELDS:
        _purchases(db, table, as_of)
    for days in windows:
        table.columns.reasons[days] = _reasons(db, table, as_of, days)
    return table


def _by_customer(table: Table, found: Sequence[Any], column: int) -> npt.NDArray[np.float64]:
    """One value per relationship from rows keyed by raw customer id (NaN where none)."""
    out = np.full(table.columns.size, NAN)
    for row in found:
        at = table.index.get(row[0])
        if at is not None and row[column] is not None:
            out[at] = row[column]
    return out


def _latest_contact(db: Session, table: Table, as_of: datetime) -> npt.NDArray[np.float64]:
    """One query per contact kind (each a scan of ``ix_interaction_kind_reads``), the latest."""
    latest = np.full(table.columns.size, NAN)
    for kind in CONTACT_KINDS:
        stmt = (
            select(
                cast(Interaction.customer_id, String),
                epoch_seconds(func.max(Interaction.occurred_at)),
            )
            .where(Interaction.kind == kind, Interaction.occurred_at <= as_of)
            .group_by(Interaction.customer_id)
        )
        latest = np.fmax(latest, _by_customer(table, db.execute(stmt).all(), 1))
    return latest


def _purchases(db: Session, table: Table, as_of: datetime) -> None:
    stmt = (
        select(
            cast(Interaction.customer_id, String),
            func.count(),
            cast(func.sum(Interaction.amount), Float),
            epoch_seconds(func.max(Interaction.occurred_at)),
        )
        .where(Interaction.kind == "purchase", Interaction.occurred_at <= as_of)
        .group_by(Interaction.customer_id)
    )
    found = db.execute(stmt).all()
    count = np.nan_to_num(_by_customer(table, found, 1))
    value = np.nan_to_num(_by_customer(table, found, 2))
    last = _by_customer(table, found, 3)
    numbers = table.columns.numbers
    numbers["purchases_count"], numbers["purchases_value"] = count, value
    scores = rfm.scores((as_of.timestamp() - last) / DAY, count, value)
    numbers["rfm_recency"] = scores.recency
    numbers["rfm_frequency"] = scores.frequency
    numbers["rfm_monetary"] = scores.monetary
    table.columns.texts["rfm"] = scores.codes()


def _reasons(db: Session, table: Table, as_of: datetime, days: int) -> dict[str, rules.Mask]:
    """Per reason name, which relationships' customers wrote a message with it in the window."""
    stmt = (
        select(cast(Interaction.customer_id, String), ContactReason.name)
        .join(MessageReason, MessageReason.interaction_id == Interaction.id)
        .join(ContactReason, ContactReason.id == MessageReason.reason_id)
        .where(
            Interaction.occurred_at > as_of - timedelta(days=days),
            Interaction.occurred_at <= as_of,
        )
        .distinct()
    )
    masks: dict[str, rules.Mask] = {}
    for customer, name in db.execute(stmt):
        at = table.index.get(customer)
        if at is not None:
            masks.setdefault(name, np.zeros(table.columns.size, dtype=bool))[at] = True
    return masks
