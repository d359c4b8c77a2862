"""PostgreSQL's planner statistics before a bulk import: gathered when missing or outgrown.

Autovacuum analyses a table once enough of it has changed, looking every minute or so (and never
where it is turned off). An import that follows straight on another, such as customers and then
their interactions, would otherwise be planned on statistics from before the first. The foreign-key
check of every imported row (``id = $1 AND organisation_id = $2``, migration 0022) on a table the
planner still believes empty may take an organisation-prefixed index instead of the primary key,
and read every row of the organisation for each row imported. Measured (docs/benchmarks.md,
"The organisation in every key"): 100,000 interactions after 1,000 new customers took 13.7 s,
and 10.4 s with the customers analysed first (9.6 s before migration 0022).

``ANALYZE`` runs on a connection of its own, so its lock lasts the statement and not the
import's transaction (a second import in parallel does not wait for the first to commit). It
reads a sample of at most 30,000 rows per table. It is run when a table has outgrown its
statistics: never analysed, or more than twice the pages counted then. That happens a
logarithmic number of times as an organisation grows.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# what the rows of an import are looked up in and checked against
TABLES = ("account", "customer", "conversation", "interaction", "member")
GROWTH = 2.0
MIN_PAGES = 8  # 64 kB: below this the planner's choice costs nothing

_SIZES = text(
    "SELECT c.relname, c.reltuples, c.relpages,"
    " pg_relation_size(c.oid) / current_setting('block_size')::int AS pages"
    " FROM pg_class c"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY(:names)"
    " ORDER BY c.relname"
)


def refresh(db: Session, tables: Sequence[str] = TABLES) -> list[str]:
    """``ANALYZE`` those of ``tables`` whose statistics are missing or outgrown; their names.

    A no-op on SQLite (``sqlite_statistics``), and for a session bound to a connection rather than
    an engine (a test's outer transaction): a connection of its own could not see its rows."""
    bind = db.get_bind()
    if bind.dialect.name != "postgresql" or not isinstance(bind, Engine):
        return []
    with bind.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        stale = [
            row.relname
            for row in conn.execute(_SIZES, {"names": list(tables)})
            if row.pages >= MIN_PAGES
            and (row.reltuples < 0 or row.pages > GROWTH * max(row.relpages, 1))
        ]
        for name in stale:
            conn.execute(text(f'ANALYZE "{name}"'))
    if stale:
        log.info("analysed %s: outgrown statistics before an import", ", ".join(stale))
    return stale
