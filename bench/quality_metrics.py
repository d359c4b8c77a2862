"""Service quality: time to review the replies with the coach, and to compute the metrics.

    .venv/bin/python bench/quality_metrics.py DEMO_DB [--repeat 3]

DEMO_DB is a Goodwill SQLite database (for example the demo's); it is copied to a temporary
folder first and only the copy is written to. Prints the time of ``goodwill quality review`` over
every reply, then of the metrics (per member and per team) and of one drill-down, for the whole
history and for the last 28 days of it; each query timing is the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from datetime import timedelta
from functools import partial
from pathlib import Path

from sqlalchemy import func, select

from goodwill import migrations, tenancy
from goodwill.database import make_engine, make_session_factory
from goodwill.interactions.models import Conversation, Interaction
from goodwill.organisations.models import Member, Organisation
from goodwill.quality import reports, reviews
from goodwill.quality.service import Window
from goodwill.types import Role


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("database", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "goodwill.sqlite3"
        shutil.copyfile(args.database, copy)
        engine = make_engine(f"sqlite:///{copy}")
        migrations.upgrade(engine)
        run(make_session_factory(engine), args.repeat)


def run(factory: object, repeat: int) -> None:
    db = factory()  # type: ignore[operator]
    with tenancy.system_scope(db):
        org = db.scalars(select(Organisation)).first()
    tenancy.scope(db, org.id)
    first, last = db.execute(
        select(func.min(Conversation.opened_at), func.max(Conversation.opened_at))
    ).one()
    replies = db.scalar(
        select(func.count())
        .select_from(Interaction)
        .where(Interaction.direction == "outbound", Interaction.kind == "message")
    )
    started = time.perf_counter()
    summary = reviews.review_replies(db=db)
    db.commit()
    took = time.perf_counter() - started
    rate = summary.reviewed / took
    print(f"coach review: {summary.reviewed} of {replies} replies in {took:.1f} s ({rate:.0f}/s)")
    caller = Member(role=Role.ADMIN.value)
    windows = {
        "whole history": Window(first, last + timedelta(seconds=1)),
        "last 28 days": Window(last - timedelta(days=28), last + timedelta(seconds=1)),
    }
    for label, window in windows.items():
        count = db.scalar(
            select(func.count())
            .select_from(Conversation)
            .where(Conversation.opened_at >= window.start, Conversation.opened_at < window.end)
        )
        for group_by in ("member", "team"):
            call = partial(
                reports.metrics_report, db=db, caller=caller, window=window, group_by=group_by
            )
            best = min(_timed(call) for _ in range(repeat))
            print(f"{label}: {count} conversations, metrics by {group_by}: {best * 1000:.0f} ms")
        call = partial(
            reports.drill_down, db=db, caller=caller, window=window, metric="resolution_efficacy"
        )
        best = min(_timed(call) for _ in range(repeat))
        print(f"{label}: drill-down (resolution efficacy, first page): {best * 1000:.0f} ms")
    db.close()


def _timed(call: object) -> float:
    started = time.perf_counter()
    call()  # type: ignore[operator]
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
