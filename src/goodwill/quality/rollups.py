"""Daily (and hourly) rollups of service quality: a period's report sums a few precomputed
rows instead of reading every message of the period (at a million customers, 28 days are
~280,000 conversations and their messages: minutes per report).

A row (:class:`~goodwill.quality.models.QualityDay`) holds, per member and metric, what the
conversations opened in its bucket (a UTC day, or one hour of it) contribute, as the numbers'
running state: a ratio's numerator, denominator and count, a median's or mean's values, the
summed notes, and the times at which pending resolutions settle (a resolution is pending while
its repeat window is open; it settles without a new message, so it is settled at read time, not
stored). A report over a period is then: the whole days in it from day rows, the whole hours at
its two edges from hour rows, the partial hours and the promises closed in the period computed
directly (``service``), all added into the same :class:`~goodwill.quality.aggregation.Tally`
objects the direct computation uses, so the numbers are the same (ratios add integers, medians
and means see the same values; a conversation's contributions do not depend on the period it is
read in).

Kept up to date incrementally, on read: every report first looks at what changed since the last
look (messages stored, analyses, reviews and reasons written, conversations updated: each an
indexed time column) and forgets the hours those changes touch, and their days' sums; a bucket
without a valid row (forgotten, never computed, computed with other parameters or reason merges,
or with another number of conversations: something was erased) is computed from the messages
and stored, a day from its valid hours plus the missing ones. Only buckets that are over are
stored.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from goodwill.database import try_write, utcnow
from goodwill.interactions.models import Conversation, Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.quality import definitions as d
from goodwill.quality import metrics, service
from goodwill.quality.aggregation import Tally
from goodwill.quality.definitions import Parameters
from goodwill.quality.metrics import Contribution
from goodwill.quality.models import QualityDay, QualityRollupState, ReplyReview
from goodwill.quality.service import Window
from goodwill.reasons.models import ContactReason, MessageReason
from goodwill.tenancy import current_organisation_id

DAY = timedelta(days=1)
MARGIN = timedelta(minutes=1)
"""Changes are looked for from this long before the last look: a transaction that wrote a
message before the last look but committed after it is still seen."""
WHOLE = 24  # the ``hour`` of a whole day's row
HOUR = timedelta(hours=1)
Key = tuple[date, int]  # (day, hour): a row's bucket
NO_MEMBER = ""
Tallies = dict[uuid.UUID | None, dict[str, Tally]]
"""Member (None: unattributed) → metric → its tally."""


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def fingerprint(db: Session, parameters: Parameters) -> str:
    """What a day's numbers depend on besides its messages: the parameters, and which reasons
    were merged into which (a repeat is the same reason)."""
    merges = db.execute(
        select(ContactReason.id, ContactReason.merged_into_id)
        .where(ContactReason.merged_into_id.is_not(None))
        .order_by(ContactReason.id)
    )
    found = {"parameters": parameters.as_dict(), "merges": [[str(a), str(b)] for a, b in merges]}
    return hashlib.sha256(json.dumps(found, sort_keys=True).encode()).hexdigest()


# --- a day's tallies as stored ---------------------------------------------------------------


def _new() -> dict[str, Tally]:
    return {name: Tally(name) for name in d.NAMES}


def _add(tallies: Tallies, c: Contribution, opened: dict[int, list[float]] | None = None) -> None:
    """Add one contribution; a pending resolution's settling time is kept in ``opened`` (by the
    tally's id) when the tallies are to be stored."""
    tally = tallies.setdefault(c.member_id, _new())[c.metric]
    tally.add(c)
    if opened is not None and c.settles_at is not None:
        opened.setdefault(id(tally), []).append(c.settles_at.timestamp())


def _dump(tallies: Tallies, opened: dict[int, list[float]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for member, by_metric in tallies.items():
        row = out[str(member) if member else NO_MEMBER] = {}
        for name, t in by_metric.items():
            state: dict[str, Any] = {"notes": t.notes}
            if t.definition.aggregation == "ratio":
                state |= {"n": sum(t.numerators), "d": sum(t.denominators), "c": t.counted}
                if t.numerators:
                    state["k"] = len(t.numerators)
            else:
                state["v"] = t.values
            if id(t) in opened:
                state["open"] = sorted(opened[id(t)])
            row[name] = state
    return out


def load(stored: dict[str, Any], as_of: datetime, into: Tallies) -> None:
    """Add a stored day into ``into``, its pending resolutions settled at ``as_of``."""
    now = as_of.timestamp()
    for key, by_metric in stored.items():
        member = uuid.UUID(key) if key else None
        tallies = into.setdefault(member, _new())
        for name, state in by_metric.items():
            t = tallies[name]
            for k, v in state["notes"].items():
                t.notes[k] = t.notes.get(k, 0) + v
            if "v" in state:
                t.values.extend(state["v"])
                continue
            if state.get("k"):
                t.numerators.append(state["n"])
                t.denominators.append(state["d"])
            t.counted += state["c"]
            settled = sum(1 for at in state.get("open", ()) if at <= now)
            if settled:  # pending when stored, resolved now: what resolution() says at as_of
                t.numerators.append(float(settled))
                t.denominators.append(float(settled))
                t.counted += settled
                t.notes["pending"] -= settled


# --- keeping the days up to date --------------------------------------------------------------


def _touched(db: Session, since: datetime, repeat: timedelta) -> set[Key]:
    """The hours (of conversations opened) whose numbers what changed since ``since`` moves: a
    message's own conversation, and for a customer's new message or a reason given, the
    customer's conversations we answered within the repeat window before it (whose resolution
    it may now repeat). Each change is found through its indexed time, so a look costs what
    changed, not what is stored."""
    rows_ = select(
        Interaction.conversation_id,
        Interaction.customer_id,
        Interaction.direction,
        Interaction.occurred_at,
    )
    new = list(db.execute(rows_.where(Interaction.created_at > since)))
    written = (
        select(MessageAnalysis.interaction_id).where(MessageAnalysis.analysed_at > since),
        select(ReplyReview.interaction_id).where(ReplyReview.reviewed_at > since),
    )
    conversations = {row[0] for row in new if row[0] is not None}
    for stmt in written:
        for ids in _chunks(set(db.scalars(stmt))):
            found = select(Interaction.conversation_id).where(Interaction.id.in_(ids))
            conversations.update(c for c in db.scalars(found) if c is not None)
    repeats = [row for row in new if row[2] == "inbound"]
    reasoned = select(MessageReason.interaction_id).where(MessageReason.assigned_at > since)
    for ids in _chunks(set(db.scalars(reasoned))):
        repeats += list(db.execute(rows_.where(Interaction.id.in_(ids))))
    conversations.update(row[0] for row in repeats if row[0] is not None)
    conversations.update(_answered_before(db, repeats, repeat))
    opened = select(Conversation.opened_at)
    times = list(db.scalars(opened.where(Conversation.updated_at > since)))
    for ids in _chunks(conversations):
        times += db.scalars(opened.where(Conversation.id.in_(ids)))
    return {(at.date(), at.hour) for at in times}


def _answered_before(db: Session, messages: list[Any], repeat: timedelta) -> set[Any]:
    """The conversations of these messages' customers with a reply of ours in the repeat window
    before the message (a superset, read per batch: from the earliest such window to the
    latest message)."""
    found: set[Any] = set()
    by_customer: dict[Any, list[datetime]] = {}
    for row in messages:
        by_customer.setdefault(row[1], []).append(row[3])
    for customers in _chunks(set(by_customer)):
        times = [t for c in customers for t in by_customer[c]]
        stmt = select(Interaction.conversation_id).where(
            Interaction.customer_id.in_(customers),
            Interaction.direction == "outbound",
            Interaction.occurred_at >= min(times) - repeat,
            Interaction.occurred_at <= max(times),
            Interaction.conversation_id.is_not(None),
        )
        found.update(db.scalars(stmt.distinct()))
    return found


def _chunks(values: set[Any], size: int = 500) -> Iterator[list[Any]]:
    items = list(values)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def catch_up(db: Session, now: datetime) -> None:
    """Forget the stored days that changes since the last look touch (see the module)."""
    # one request catches up at a time; the others go on with the rows as they are (any
    # change they miss is at most a request old, and seen by the next look)
    locked = select(QualityRollupState).with_for_update(skip_locked=True)
    state = db.scalars(locked).one_or_none()
    if state is None:
        if db.get(QualityRollupState, current_organisation_id(db)) is not None:
            return  # another request is catching up
        try:
            with db.begin_nested():
                org = current_organisation_id(db)
                db.add(QualityRollupState(organisation_id=org, checked_at=now))
                db.execute(delete(QualityDay))  # rows of an unknown age: compute them again
        except IntegrityError:
            pass  # another request began first
        return
    repeat = timedelta(days=service.parameters(db=db).repeat_window_days)
    touched = _touched(db, state.checked_at - MARGIN, repeat)
    days = sorted({day for day, _ in touched})
    for chunk in _chunks(set(days)):  # a touched hour's day row is a sum that includes it
        db.execute(delete(QualityDay).where(QualityDay.day.in_(chunk), QualityDay.hour == WHOLE))
    for day in days:
        hours = sorted(hour for d, hour in touched if d == day)
        db.execute(delete(QualityDay).where(QualityDay.day == day, QualityDay.hour.in_(hours)))
    state.checked_at = now
    db.flush()


def span(key: Key) -> tuple[datetime, datetime]:
    """The [start, end) of a row's bucket."""
    day, hour = key
    if hour == WHOLE:
        return midnight(day), midnight(day) + DAY
    start = midnight(day) + hour * HOUR
    return start, start + HOUR


def forget(db: Session, day: date) -> None:
    """Forget a day's rows (it is computed again when next read or refreshed)."""
    db.execute(delete(QualityDay).where(QualityDay.day == day))


def _opened_in(db: Session, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).where(Conversation.opened_at >= start, Conversation.opened_at < end)
    return db.scalar(stmt) or 0


def _opened_per(db: Session, keys: list[Key]) -> dict[Key, int]:
    """How many conversations were opened in each bucket: one statement (each part an index
    range count), not a round trip per bucket."""
    org = current_organisation_id(db)  # named: a compound statement's parts are plain SQL
    parts = []
    for n, key in enumerate(keys):
        start, end = span(key)
        part = select(literal(n).label("n"), func.count().label("opened"))
        parts.append(
            part.where(
                Conversation.organisation_id == org,
                Conversation.opened_at >= start,
                Conversation.opened_at < end,
            )
        )
    found = {row[0]: row[1] for row in db.execute(union_all(*parts))} if parts else {}
    return {key: found.get(n, 0) for n, key in enumerate(keys)}


def _compute(db: Session, key: Key, now: datetime, print_: str) -> QualityDay:
    """One hour's row from the messages (not added to the session)."""
    tallies: Tallies = {}
    opened: dict[int, list[float]] = {}
    start, end = span(key)
    for c in service.iter_contributions(
        db=db, window=Window(start, end), as_of=now, promises=False
    ):
        _add(tallies, c, opened)
    return QualityDay(
        organisation_id=current_organisation_id(db),
        day=key[0],
        hour=key[1],
        computed_at=now,
        fingerprint=print_,
        conversations=_opened_in(db, start, end),
        tallies=_dump(tallies, opened),
    )


def compute_day(db: Session, day: date, now: datetime, print_: str) -> list[QualityDay]:
    """A day's 24 hour rows and its whole-day row (their sum), from one reading of the day's
    messages: a conversation's contributions do not depend on the period it is read in."""
    start, end = span((day, WHOLE))
    opened = db.execute(
        select(Conversation.id, Conversation.opened_at).where(
            Conversation.opened_at >= start, Conversation.opened_at < end
        )
    )
    hour_of = {conversation_id: at.hour for conversation_id, at in opened}
    by_hour: list[tuple[Tallies, dict[int, list[float]]]] = [({}, {}) for _ in range(WHOLE)]
    window = Window(start, end)
    for c in service.iter_contributions(db=db, window=window, as_of=now, promises=False):
        hour_tallies, hour_opened = by_hour[hour_of[c.conversation_id]]  # type: ignore[index]
        _add(hour_tallies, c, hour_opened)
    counts = [0] * WHOLE
    for hour in hour_of.values():
        counts[hour] += 1
    made = [
        QualityDay(
            organisation_id=current_organisation_id(db),
            day=day,
            hour=hour,
            computed_at=now,
            fingerprint=print_,
            conversations=counts[hour],
            tallies=_dump(*by_hour[hour]),
        )
        for hour in range(WHOLE)
    ]
    whole = QualityDay(
        organisation_id=current_organisation_id(db),
        day=day,
        hour=WHOLE,
        computed_at=now,
        fingerprint=print_,
        conversations=len(hour_of),
        tallies=_summed([h.tallies for h in made]),
    )
    return [*made, whole]


FEW_HOURS = 4  # a day missing more hour rows than this is read whole, in one pass


def _day_rows(db: Session, day: date, now: datetime, print_: str) -> list[QualityDay]:
    """A day's rows to store, its whole-day row last: the hours whose rows are missing or out of
    date computed (one by one when few, else the whole day in one pass), the others reused."""
    stored = {
        r.hour: r
        for r in db.scalars(
            select(QualityDay).where(QualityDay.day == day, QualityDay.hour != WHOLE)
        )
    }
    opened = _opened_per(db, [(day, hour) for hour in range(WHOLE)])
    valid = {
        hour: row
        for hour, row in stored.items()
        if row.fingerprint == print_ and row.conversations == opened[(day, hour)]
    }
    missing = [hour for hour in range(WHOLE) if hour not in valid]
    if len(missing) > FEW_HOURS:
        return compute_day(db, day, now, print_)
    made = [_compute(db, (day, hour), now, print_) for hour in missing]
    hours = sorted([*valid.values(), *made], key=lambda r: r.hour)
    whole = QualityDay(
        organisation_id=current_organisation_id(db),
        day=day,
        hour=WHOLE,
        computed_at=min(r.computed_at for r in hours),
        fingerprint=print_,
        conversations=sum(r.conversations for r in hours),
        tallies=_summed([r.tallies for r in hours]),
    )
    return [*made, whole]


def _summed(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Stored tallies added together (a day's from its hours'): exact, as ``load`` reads them."""
    out: dict[str, Any] = {}
    for part in parts:
        for member, by_metric in part.items():
            row = out.setdefault(member, {})
            for name, state in by_metric.items():
                o = row.get(name)
                if o is None:
                    row[name] = json.loads(json.dumps(state))
                    continue
                for k, v in state["notes"].items():
                    o["notes"][k] = o["notes"].get(k, 0) + v
                if "v" in state:
                    o["v"].extend(state["v"])
                    continue
                o["n"], o["d"], o["c"] = (
                    o["n"] + state["n"],
                    o["d"] + state["d"],
                    o["c"] + state["c"],
                )
                if state.get("k"):
                    o["k"] = o.get("k", 0) + state["k"]
                if state.get("open"):
                    o["open"] = sorted([*o.get("open", []), *state["open"]])
    return out


def _store(db: Session, rows: list[QualityDay]) -> None:
    """Store computed rows (replacing theirs); another request storing them first wins, and on
    SQLite, a database another request is writing leaves them for the next report to store."""

    def replace() -> None:
        for row in rows:
            db.execute(
                delete(QualityDay).where(QualityDay.day == row.day, QualityDay.hour == row.hour)
            )
        db.add_all(rows)

    try_write(db, replace, conflicts=True)


def rows(db: Session, keys: list[Key], now: datetime) -> dict[Key, QualityDay]:
    """The valid rows of these buckets (all over by ``now``), those missing or out of date
    computed from the messages and stored (a whole day with its hours)."""
    if not keys:
        return {}
    print_ = fingerprint(db, service.parameters(db=db))
    wholes = sorted({day for day, hour in keys if hour == WHOLE})
    parts = sorted({day for day, hour in keys if hour != WHOLE})
    wanted = or_(
        (QualityDay.hour == WHOLE) & QualityDay.day.in_(wholes),
        (QualityDay.hour != WHOLE) & QualityDay.day.in_(parts),
    )
    stored = {(r.day, r.hour): r for r in db.scalars(select(QualityDay).where(wanted))}
    opened = _opened_per(db, keys)
    found: dict[Key, QualityDay] = {}
    for key in keys:
        row = stored.get(key)
        valid = row is not None and row.fingerprint == print_
        if valid and row is not None and row.conversations == opened[key]:
            found[key] = row
            continue
        if key[1] == WHOLE:
            made = _day_rows(db, key[0], now, print_)
        else:
            made = [_compute(db, key, now, print_)]
        _store(db, made)
        found[key] = made[-1]
    return found


def refresh(db: Session, first: date, last: date, now: datetime | None = None) -> int:
    """Compute and store the days from ``first`` until ``last`` (excluded) that have no valid
    row (with their hours); how many were looked at. The backfill uses it."""
    now = now or utcnow()
    days = [first + timedelta(days=n) for n in range((min(last, now.date()) - first).days)]
    rows(db, [(day, WHOLE) for day in days], now)
    return len(days)


# --- a period's tallies -------------------------------------------------------------------------


def _hour_floor(at: datetime) -> datetime:
    return at.replace(minute=0, second=0, microsecond=0)


def _hour_ceil(at: datetime) -> datetime:
    floor = _hour_floor(at)
    return floor if floor == at else floor + HOUR


def _day_ceil(at: datetime) -> date:
    return at.date() if at.time() == time() else at.date() + DAY


def cover(window: Window, as_of: datetime) -> tuple[list[Key], list[Window]]:
    """The period as stored buckets (whole days, then whole hours at the edges, all over by
    ``as_of``) and what is left to compute directly (partial hours, and what is after
    ``as_of``)."""
    start, end = window.start.astimezone(UTC), window.end.astimezone(UTC)
    over = min(end, as_of.astimezone(UTC))
    first, last = _day_ceil(start), over.date()
    keys: list[Key] = []
    edges = [(start, end)]
    if first < last:
        keys = [(first + timedelta(days=n), WHOLE) for n in range((last - first).days)]
        edges = [(start, midnight(first)), (midnight(last), end)]
    direct: list[Window] = []
    for a, b in edges:
        h0, h1 = _hour_ceil(a), _hour_floor(min(b, over))
        if h0 >= h1:
            direct += [Window(a, b)] if a < b else []
            continue
        keys += [(at.date(), at.hour) for at in (h0 + n * HOUR for n in range((h1 - h0) // HOUR))]
        direct += [Window(x, y) for x, y in ((a, h0), (h1, b)) if x < y]
    return keys, direct


def tallies(*, db: Session, window: Window, as_of: datetime) -> Tallies:
    """Every member's tallies for the period: whole days and hours from their rows (brought up
    to date first), partial hours and the promises computed directly."""
    now = utcnow()
    found: Tallies = {}
    if abs(as_of - now) > MARGIN:  # as of another time: nothing stored applies
        _direct(db, window, as_of, found)
        _promises(db, window, found)
        return found
    if not try_write(db, lambda: catch_up(db, now)):
        # SQLite, another report writing: the stored rows were not brought up to date, so this
        # report does not trust them and computes the period directly (as before the rollups)
        _direct(db, window, as_of, found)
        _promises(db, window, found)
        return found
    keys, direct = cover(window, as_of)
    stored = rows(db, keys, as_of)
    for key in keys:
        row = stored[key]
        if row.computed_at <= as_of:
            load(row.tallies, as_of, found)
        else:  # stored by a request that began later: settled past this report's as_of
            direct.append(Window(*span(key)))
    for part in direct:
        _direct(db, part, as_of, found)
    _promises(db, window, found)
    return found


def _direct(db: Session, window: Window, as_of: datetime, into: Tallies) -> None:
    for c in service.iter_contributions(db=db, window=window, as_of=as_of, promises=False):
        _add(into, c)


def _promises(db: Session, window: Window, into: Tallies) -> None:
    for c in metrics.promises(service.promise_rows(db=db, window=window)):
        _add(into, c)


def merged(parts: Iterable[dict[str, Tally]]) -> dict[str, Tally]:
    """Several members' tallies as one group's (a team's, the organisation's)."""
    out = _new()
    for part in parts:
        for name, t in part.items():
            o = out[name]
            for k, v in t.notes.items():
                o.notes[k] = o.notes.get(k, 0) + v
            o.values.extend(t.values)
            o.numerators.extend(t.numerators)
            o.denominators.extend(t.denominators)
            o.counted += t.counted
    return out
