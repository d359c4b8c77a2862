"""The Quality report from daily rollups equals the direct computation (both databases): on a
seeded organisation of random conversations over six weeks up to now, for windows with and
without partial days, grouped by member, team and organisation; again after changes that touch
stored days (a repeat message in an old conversation, a closing, a reason merged, a reply
reviewed); and a stored day's pending resolutions settle at a later time as recomputing would."""

from __future__ import annotations

import random
import uuid
from collections.abc import Hashable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory, unit_of_work, utcnow
from goodwill.interactions.models import Conversation, Interaction
from goodwill.organisations.models import Member, Team
from goodwill.quality import aggregation, reports, rollups, service
from goodwill.quality.models import QualityDay
from goodwill.quality.service import Window
from goodwill.reasons.models import ContactReason
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session, relationship_of
from tests.factories.organisations import OrgContext, add_member, make_organisation
from tests.factories.quality import inbound, promise, reason, reply, review_all, thread

GROUPS = ("member", "team", "organisation")


def _seed(factory: sessionmaker[Session], org: OrgContext, rng: random.Random) -> list[uuid.UUID]:
    """Random conversations opened over the last 42 days (some today), with sentiments,
    emotions, reasons, repeats, closings and promises; the replies reviewed."""
    members = [add_member(factory, org, f"m{i}@acme.example", Role.AGENT)[0] for i in range(3)]
    with org_session(factory, org) as db:
        team = Team(name="Cards")
        db.add(team)
        db.flush()
        db.get(Member, members[0]).team_id = team.id  # type: ignore[union-attr]
    reasons = [reason(factory, org, name) for name in ("card", "fees", "login")]
    now = utcnow()
    customers = [make_customer(factory, org) for _ in range(10)]
    for _ in range(70):
        customer = rng.choice(customers)
        opened = now - timedelta(days=rng.uniform(0, 42))
        author = rng.choice([*members, None])
        messages = []
        hours = 0.0
        for _ in range(rng.randint(1, 5)):
            if rng.random() < 0.55:
                messages.append(
                    inbound(
                        hours,
                        sentiment=rng.choice([None, rng.uniform(-0.9, 0.9)]),
                        emotion=rng.choice([None, ("anger", rng.uniform(0.3, 1.0))]),
                        reason=rng.choice([None, *reasons]),
                    )
                )
            else:
                messages.append(reply(hours, author or rng.choice(members)))
            hours += rng.uniform(0.5, 96)
        closed = opened + timedelta(hours=rng.uniform(1, 200)) if rng.random() < 0.4 else None
        thread(factory, org, customer_id=customer.id, messages=messages, opened_at=opened,
               closed_at=closed)  # fmt: skip
    for _ in range(12):
        customer = rng.choice(customers)
        promise(
            factory,
            org,
            relationship_id=relationship_of(factory, org, customer.id).id,
            owner=rng.choice(members),
            status=rng.choice(["kept", "kept_late", "broken"]),
            closed_at=now - timedelta(days=rng.uniform(0, 40)),
        )
    review_all(factory, org)
    return reasons


def _direct(db: Session, caller: Member, window: Window, group_by: Any, as_of: datetime) -> Any:
    """The report as computed before rollups: every contribution of the period, aggregated."""
    who = service.people(db=db)

    def key(c: Any) -> Hashable:
        if group_by == "member":
            return c.member_id
        if group_by == "team":
            return who.team_of.get(c.member_id) if c.member_id else None
        return "organisation"

    found = service.iter_contributions(db=db, window=window, as_of=as_of)
    groups = aggregation.aggregate(found, key)
    keys = reports._visible_keys(caller, group_by, who, set(groups))
    items = [
        reports._group_row(k, groups.get(k) or aggregation.empty(), group_by, who) for k in keys
    ]
    return [item.model_dump() for item in items]


def _windows(now: datetime) -> list[Window]:
    midnight = datetime.combine(now.date(), time(), tzinfo=UTC)
    return [
        Window.of(None, now),  # the default: partial days at both ends
        Window(midnight - timedelta(days=20), midnight),  # whole days only
        Window(midnight - timedelta(days=30, hours=5), midnight - timedelta(days=2, hours=3)),
        Window(midnight - timedelta(days=41), now),
        Window(midnight + timedelta(hours=1), now) if now > midnight + timedelta(hours=1)
        else Window(midnight - timedelta(hours=5), now),  # no whole day
    ]  # fmt: skip


def _compare(factory: sessionmaker[Session], org: OrgContext) -> int:
    """Rollup-based and direct reports agree for every window and grouping; how many whole days
    the rollups hold after a report over the last 41 days."""
    admin = Member(role=Role.ADMIN.value, id=uuid.uuid4())
    with org_session(factory, org) as db:
        for window in _windows(utcnow()):
            for group_by in GROUPS:
                as_of = utcnow()
                report = reports.metrics_report(
                    db=db, caller=admin, window=window, group_by=group_by, as_of=as_of
                )
                rolled = [item.model_dump() for item in report.items]
                assert rolled == _direct(db, admin, window, group_by, as_of), (window, group_by)
        reports.metrics_report(db=db, caller=admin, window=_windows(utcnow())[3], group_by="team")
        whole = select(QualityDay.day).where(QualityDay.hour == rollups.WHOLE)
        return len(list(db.scalars(whole)))


def test_the_rollup_report_equals_the_direct_computation_and_follows_changes(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    rng = random.Random(7)
    reasons = _seed(session_factory, org_a, rng)
    assert _compare(session_factory, org_a) >= 30  # the whole days were stored and used
    with org_session(session_factory, org_a) as db:
        old = db.scalars(
            select(Conversation)
            .where(Conversation.opened_at < utcnow() - timedelta(days=10))
            .order_by(Conversation.opened_at.desc())
        ).first()
        assert old is not None
        day, hour = old.opened_at.date(), old.opened_at.hour
        before = _computed(db, day)
        # the customer writes again in an older conversation (a repeat for it), which is closed
        db.add(
            Interaction(
                external_id="late-1",
                customer_id=old.customer_id,
                conversation_id=old.id,
                kind="message",
                channel="email",
                direction="inbound",
                occurred_at=old.opened_at + timedelta(days=2),
                body="It is broken again.",
            )
        )
        old.closed_at = old.opened_at + timedelta(hours=1)
    _compare(session_factory, org_a)
    with org_session(session_factory, org_a) as db:
        after = _computed(db, day)
    assert after[hour] > before[hour]  # the touched hour was computed again …
    kept = [h for h in before if h not in (hour, rollups.WHOLE) and after.get(h) == before[h]]
    assert len(kept) >= 20  # … the day's other hours were reused, its sum made again
    assert rollups.WHOLE in after  # (its time: its oldest hour's)
    # a reason merged into another (every stored row's fingerprint changes), replies reviewed
    with org_session(session_factory, org_a) as db:
        db.get(ContactReason, reasons[2]).merged_into_id = reasons[0]  # type: ignore[union-attr]
    review_all(session_factory, org_a)
    _compare(session_factory, org_a)


def _computed(db: Session, day: Any) -> dict[int, datetime]:
    """When each of the day's stored rows (hours, and the whole day: 24) was computed."""
    found = db.execute(select(QualityDay.hour, QualityDay.computed_at).where(QualityDay.day == day))
    return {row[0]: row[1] for row in found}


def test_a_stored_days_pending_resolutions_settle_as_recomputing_would(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    _seed(session_factory, org_a, random.Random(11))
    agent, _ = add_member(session_factory, org_a, "late@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a)
    day = utcnow().date() - timedelta(days=3)
    messages = [inbound(0, reason=None), reply(1, agent)]  # pending: 7 days from the reply
    opened = rollups.midnight(day) + timedelta(hours=9)
    thread(session_factory, org_a, customer_id=customer.id, messages=messages, opened_at=opened)
    window = Window(rollups.midnight(day), rollups.midnight(day) + rollups.DAY)
    with org_session(session_factory, org_a) as db:
        print_ = rollups.fingerprint(db, service.parameters(db=db))
        row = rollups.compute_day(db, day, utcnow(), print_)[-1]  # the whole day
        later = utcnow() + timedelta(days=6)
        settled: rollups.Tallies = {}
        rollups.load(row.tallies, later, settled)
        direct: rollups.Tallies = {}
        rollups._direct(db, window, later, direct)
        values = {(k, name): t.value() for k, ts in settled.items() for name, t in ts.items()}
        expected = {(k, name): t.value() for k, ts in direct.items() for name, t in ts.items()}
        assert values == expected
        pending = [t.notes.get("pending", 0) for ts in direct.values() for t in ts.values()]
        stored_open = [
            s.get("open") for ts in row.tallies.values() for s in ts.values() if s.get("open")
        ]
        assert stored_open  # pending when computed …
        assert sum(pending) < sum(len(o) for o in stored_open)  # … settled 6 days later


def test_a_report_beside_another_writer_on_sqlite_computes_directly(tmp_path: Path) -> None:
    """Two reports at once on SQLite: the one whose snapshot another connection's commit made
    stale cannot write its rollups (SQLite's busy snapshot); it answers from the messages
    instead of failing (it was a 503 under concurrent load) or trusting rows it did not update."""
    engine = make_engine(f"sqlite:///{tmp_path / 'busy.sqlite3'}")
    migrations.upgrade(engine)
    factory = make_session_factory(engine)
    org = make_organisation(factory, "Busy Bank")
    _seed(factory, org, random.Random(5))
    admin = Member(role=Role.ADMIN.value, id=uuid.uuid4())
    window = _windows(utcnow())[3]
    reader = tenancy.scope(factory(), org.organisation_id)
    try:
        reader.execute(select(Conversation.id).limit(1)).all()  # its snapshot begins here
        with unit_of_work(factory) as writer:  # another request commits meanwhile
            tenancy.scope(writer, org.organisation_id)
            writer.execute(update(Conversation).values(subject="renamed"))
        as_of = utcnow()
        report = reports.metrics_report(
            db=reader, caller=admin, window=window, group_by="member", as_of=as_of
        )
        rolled = [item.model_dump() for item in report.items]
        assert rolled == _direct(reader, admin, window, "member", as_of)
        reader.commit()
    finally:
        reader.close()
    with org_session(factory, org) as db:  # nothing was stored by the report that could not
        assert list(db.scalars(select(QualityDay.day))) == []
    engine.dispose()
