"""Segments on hand-built relationships, stored in SQLite and PostgreSQL: each relationship in the
first segment it matches, RFM over the organisation's buyers, contact reasons in a window, the
history of who entered and left, the cadence the Today list uses, and other organisations."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput
from goodwill.relationships import engine, nextconv
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship
from goodwill.segments import service
from goodwill.segments.models import SegmentMembership
from goodwill.segments.schemas import SegmentSave
from tests.factories.customers import make_customer, org_session
from tests.factories.interactions import make_interaction
from tests.factories.organisations import OrgContext
from tests.factories.reasons import assign as label_message
from tests.factories.reasons import make_reason
from tests.factories.segments import add_interaction, make_relationship, make_segment

NOW = utcnow()
DAY = timedelta(days=1)


def _cond(field: str, op: str, value: Any, **extra: Any) -> dict[str, Any]:
    return {"field": field, "op": op, "value": value, **extra}


def _segments(db: Session) -> dict[uuid.UUID, str]:
    """Relationship → the name of its current segment."""
    names = {s.id: s.name for s in service.get_all(db=db)}
    rows = db.execute(
        select(SegmentMembership.relationship_id, SegmentMembership.segment_id).where(
            SegmentMembership.left_at.is_(None)
        )
    )
    return {rel: names[seg] for rel, seg in rows}


def test_each_relationship_is_in_the_first_segment_it_matches(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    old_friend, _ = make_relationship(
        session_factory, org_a, "Ann", stage="bonding", health=85.0, started_at=NOW - 900 * DAY
    )
    at_risk_old, _ = make_relationship(
        session_factory, org_a, "Bo", stage="avoiding", risk=0.8, started_at=NOW - 800 * DAY
    )
    newcomer, _ = make_relationship(
        session_factory, org_a, "Cy", stage="initiating", started_at=NOW - 10 * DAY
    )
    make_segment(session_factory, org_a, "Loyal", _cond("tenure_days", "gte", 730), priority=20)
    make_segment(session_factory, org_a, "At risk", _cond("risk", "gte", 0.5), priority=10)

    with org_session(session_factory, org_a) as db:
        summary = service.assign(db=db, as_of=NOW)
        found = _segments(db)

    assert found == {old_friend: "Loyal", at_risk_old: "At risk"}  # priority 10 is tried first
    assert newcomer not in found
    assert summary.segments == {"At risk": 1, "Loyal": 1}
    assert (summary.relationships, summary.unsegmented) == (3, 1)


def test_rfm_scores_are_quintiles_over_the_organisations_buyers(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Five buyers, each one step above the previous in recency, count and value: scores 1 to 5
    (worked out by hand); a customer without purchases has none."""
    rels = []
    for n in range(1, 6):
        rel, customer = make_relationship(session_factory, org_a, f"Buyer {n}")
        for k in range(n):
            at = NOW - (60 - 10 * n + k) * DAY  # the last purchase: 50, 40, ... 10 days ago
            add_interaction(session_factory, org_a, customer, at, amount=f"{10 * n}.50")
        rels.append(rel)
    never, _ = make_relationship(session_factory, org_a, "Window shopper")
    make_segment(session_factory, org_a, "Champions", _cond("rfm", "in", ["555"]), priority=1)
    make_segment(
        session_factory, org_a, "Big spenders", _cond("rfm_monetary", "gte", 4), priority=2
    )
    small = _cond("purchases_value", "between", [10, 50])
    make_segment(session_factory, org_a, "Small", small, priority=3)

    with org_session(session_factory, org_a) as db:
        found = _segments(db)

    # buyer n bought n times for 10n.50 each: values 10.5, 41, 91.5, 162, 252.5
    assert found[rels[4]] == "Champions"
    assert found[rels[3]] == "Big spenders"
    assert [found.get(r) for r in rels[:3]] == ["Small", "Small", None]
    assert never not in found


def test_reasons_seen_in_a_window_and_a_misspelt_reason_is_refused(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    card = make_reason(session_factory, org_a, "Card lost")
    recent, recent_customer = make_relationship(session_factory, org_a, "Dee")
    older, older_customer = make_relationship(session_factory, org_a, "Eve")
    for customer, days in ((recent_customer, 5), (older_customer, 45)):
        message = make_interaction(
            session_factory, org_a, customer_id=customer, occurred_at=(NOW - days * DAY).isoformat()
        )
        label_message(session_factory, org_a, message.id, card)
    make_segment(
        session_factory, org_a, "Lost a card lately", _cond("reasons", "eq", "Card lost", days=30)
    )
    bad = SegmentSave.model_validate(
        {"name": "Typo", "rule": {"conditions": [_cond("reasons", "in", ["Card lots"])]}}
    )

    with org_session(session_factory, org_a) as db:
        found = _segments(db)
        with pytest.raises(InvalidInput, match=r"condition 1 \(reasons\): no contact reason"):
            service.create(db=db, segment_in=bad)

    assert found == {recent: "Lost a card lately"}
    assert older not in found


def test_entering_and_leaving_are_kept_so_this_months_entrants_are_one_query(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    ann, _ = make_relationship(session_factory, org_a, "Ann", health=90.0)
    bo, _ = make_relationship(session_factory, org_a, "Bo", health=40.0)
    make_segment(session_factory, org_a, "Thriving", _cond("health", "gte", 70), priority=1)
    make_segment(session_factory, org_a, "Struggling", _cond("health", "lt", 50), priority=2)
    later = utcnow() + 10 * DAY
    with org_session(session_factory, org_a) as db:
        for rel_id, health in ((ann, 45.0), (bo, 42.0)):
            rel = db.get(Relationship, rel_id)
            assert rel is not None
            rel.health = health
        db.flush()
        moved = service.assign(db=db, as_of=later)
        again = service.assign(db=db, as_of=later + DAY)
        struggling = service.get_by_name(db=db, name="Struggling")
        this_month = service.movements(segment_id=struggling.id).where(
            SegmentMembership.entered_at >= later - DAY
        )
        entrants = [m.relationship_id for m in db.scalars(this_month)]
        stays = db.scalars(
            select(SegmentMembership)
            .where(SegmentMembership.relationship_id == ann)
            .order_by(SegmentMembership.entered_at)
        ).all()

    assert (moved.entered, moved.left) == (1, 1)  # Ann moved; Bo stayed where he was
    assert (again.entered, again.left) == (0, 0)  # nothing changed: nothing written
    assert entrants == [ann]
    assert [(s.left_at, s.segment_id == struggling.id) for s in stays] == [
        (later, False),
        (None, True),
    ]
    assert stays[1].entered_at == later


def test_the_today_list_uses_the_rule_defined_segments_cadence(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """Labelled "personal" (ideally every 90 days) but in the rule-defined segment Champions,
    whose own cadence is 7 to 14 days: 20 days of silence is cold."""
    customer = make_customer(session_factory, org_a, name="Fay Good", segment="personal")
    with org_session(session_factory, org_a) as db:
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
        rel.started_at, rel.phase, rel.health = NOW - 400 * DAY, "established", 95.0
    add_interaction(session_factory, org_a, customer.id, NOW - 20 * DAY, kind="message")
    with org_session(session_factory, org_a) as db:
        assert nextconv.tasks(db=db, relationship_id=rel.id, kind="stay_in_touch") == []
    make_segment(
        session_factory,
        org_a,
        "Champions",
        _cond("health", "gte", 90),
        playbook={"cadence": {"ideal_days": 7, "max_days": 14}},
    )

    with org_session(session_factory, org_a) as db:
        tasks = nextconv.tasks(db=db, relationship_id=rel.id, kind="stay_in_touch")

    assert len(tasks) == 1
    assert tasks[0].reason.startswith("cold: last contact 20 days ago")
    assert tasks[0].reason.endswith("maximum gap of 14 days for segment Champions")


def test_names_are_unique_renaming_takes_the_playbook_and_deleting_reassigns(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rel, _ = make_relationship(session_factory, org_a, "Gus", health=80.0)
    first = make_segment(
        session_factory,
        org_a,
        "Happy",
        _cond("health", "gte", 70),
        priority=1,
        playbook={"cadence": {"ideal_days": 10, "max_days": 20}},
    )
    make_segment(session_factory, org_a, "Known", _cond("health", "gte", 0), priority=2)
    with org_session(session_factory, org_a) as db:
        segment = service.get(db=db, segment_id=first)
        same = SegmentSave.model_validate({"name": "Known", "rule": segment.rule})
        with pytest.raises(Conflict, match="already a segment named 'Known'"):
            service.update(db=db, segment=segment, segment_in=same)
        renamed = SegmentSave.model_validate(
            {"name": "Delighted", "rule": segment.rule, "priority": 1}
        )
        service.update(db=db, segment=segment, segment_in=renamed)
        assert service.own_playbooks(db) == {
            "Delighted": {"cadence": {"ideal_days": 10, "max_days": 20}}
        }
        assert _segments(db) == {rel: "Delighted"}
        service.delete(db=db, segment=segment)
        assert service.own_playbooks(db) == {}
        assert _segments(db) == {rel: "Known"}


def test_assign_and_preview_see_only_their_own_organisation(
    session_factory: sessionmaker[Session], org_a: OrgContext, org_b: OrgContext
) -> None:
    mine, _ = make_relationship(session_factory, org_a, "Hal", health=60.0)
    theirs, _ = make_relationship(session_factory, org_b, "Ida", health=60.0)
    make_segment(session_factory, org_b, "Theirs", _cond("health", "gte", 50))
    make_segment(session_factory, org_a, "Mine", _cond("health", "gte", 50))

    with org_session(session_factory, org_a) as db:
        summary = service.assign(db=db)
        preview = service.preview(db=db, rule={"conditions": [_cond("health", "gte", 50)]})
    with org_session(session_factory, org_b) as db:
        b_rows = _segments(db)

    assert summary.relationships == 1
    assert summary.segments == {"Mine": 1}
    assert (preview.matching, [r for r, _ in preview.sample]) == (1, [mine])
    assert b_rows == {theirs: "Theirs"}


def test_the_engine_assigns_from_what_it_stored_and_an_incremental_only_once_a_day(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    """engine.finish reassigns on a full recompute (segments read the stage and phase it has
    just stored), and an incremental one reassigns only when the last assignment is a day old."""
    customer = make_customer(session_factory, org_a, name="Nia New")
    add_interaction(session_factory, org_a, customer.id, NOW - 3 * DAY, kind="message")
    make_segment(session_factory, org_a, "New", _cond("phase", "eq", "early_days"))
    with org_session(session_factory, org_a) as db:
        before = _segments(db)
        engine.recompute(db=db, all_relationships=True)
        after = _segments(db)
        rel = relationship_service.get_by_customer(db=db, customer_id=customer.id)
    assert before == {}  # never computed: no phase yet
    assert rel.phase == "early_days"
    assert after == {rel.id: "New"}

    # the phase moves on (set by hand here): an incremental run within the day keeps the
    # membership, one a day later reassigns
    with org_session(session_factory, org_a) as db:
        db.execute(update(Relationship).values(phase="long_term"))
    now = utcnow()
    with org_session(session_factory, org_a) as db:
        assert not service.is_due(db=db, as_of=now + DAY / 2)
        engine.recompute(db=db, as_of=now + DAY / 2)  # nothing new: nothing recomputed
        soon = _segments(db)
        assert service.is_due(db=db, as_of=now + 2 * DAY)
        engine.recompute(db=db, as_of=now + 2 * DAY)
        later = _segments(db)
    assert soon == {rel.id: "New"}
    assert later == {}


def test_an_organisation_without_segments_never_reassigns(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    with org_session(session_factory, org_a) as db:
        assert not service.is_due(db=db, as_of=NOW)
