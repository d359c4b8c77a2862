"""The query planner's statistics on SQLite: gathered when missing or stale.

Every tenant query carries ``organisation_id = ?``. Without statistics SQLite guesses that an
equality on any index's first column matches ten rows, so it prefers an organisation-prefixed
index over the primary key: eight interactions read by id scan every interaction of the
organisation (42 ms on the demo, seconds at 100,000 customers), and Today's task list took 380 ms
instead of 115 ms. ``ANALYZE`` tells it an organisation is most of the table. SQLite never runs it
by itself (the documentation asks applications to), and PostgreSQL's autovacuum does, so this is
SQLite only.

``ANALYZE`` reads every index whole: 0.1 s on the demo, 8 s on a 7 GB database of 100,000
customers and 3 million interactions (other writers wait meanwhile, within the 10 s busy
timeout). Not with ``analysis_limit``: its approximate statistics count at most that many rows
per organisation, which is the very misjudgement they are meant to cure (the engine's full
recompute at 100,000 relationships took 184 s of CPU with them, 127 s with full ones). It is run
when the interactions outgrow the statistics (no statistics yet, or more than twice the rows
counted then: a logarithmic number of times as an organisation grows), after ingest and after
migrations (which may add indexes with no statistics of their own)."""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine

log = logging.getLogger(__name__)

MIN_ROWS = 1000  # below this the planner's choice costs nothing worth a write lock
GROWTH = 2.0  # gather again when the interactions have more than doubled since


def refresh(engine: Engine, *, force: bool = False, min_rows: int = MIN_ROWS) -> bool:
    """Gather SQLite's statistics if they are missing or stale (or ``force``); whether it did.

    A no-op elsewhere. Never raises for a busy database: statistics can wait for next time."""
    if engine.dialect.name != "sqlite":
        return False
    with engine.connect() as conn:
        if not force and not stale(conn, min_rows=min_rows):
            return False
        try:
            conn.exec_driver_sql("ANALYZE")
            conn.commit()
        except Exception as exc:  # a locked database: the next ingest tries again
            conn.rollback()
            log.warning("could not gather SQLite statistics: %s", exc)
            return False
    log.info("gathered SQLite statistics")
    return True


def stale(conn: Connection, *, min_rows: int = MIN_ROWS) -> bool:
    """Whether the interactions outgrew the statistics: none gathered yet, or more than
    :data:`GROWTH` times as many rows as when they were (``max(rowid)``: an index lookup, not a
    count)."""
    rows = conn.exec_driver_sql("SELECT max(rowid) FROM interaction").scalar() or 0
    if rows < min_rows:
        return False
    counted = _counted(conn, "interaction")
    return counted is None or rows > GROWTH * counted


def has_statistics(conn: Connection) -> bool:
    """Whether statistics were ever gathered in this database."""
    return _counted(conn, "interaction") is not None


def _counted(conn: Connection, table: str) -> int | None:
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'"
    ).first()
    if exists is None:
        return None
    stat = conn.exec_driver_sql(
        "SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", (table,)
    ).scalar()
    return int(str(stat).split()[0]) if stat else None
