"""Every tenant key carries the organisation: the rules a distributed PostgreSQL (Citus, with
``organisation_id`` as distribution column) enforces before it accepts a table, checked on the
real catalogue, and what they give: PostgreSQL itself refuses a row that points at another
organisation's row, and ``ON DELETE SET NULL`` never nulls the organisation."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from goodwill.customers.models import Customer
from goodwill.interactions.models import Conversation
from goodwill.organisations.models import Member
from goodwill.relationships.models import Relationship
from goodwill.types import Role
from tests.factories.customers import make_customer, org_session
from tests.factories.organisations import OrgContext, add_member

# tables Citus would copy to every node: global, small, read before the organisation is known
REFERENCE = {"organisation", "user_account", "web_session", "alembic_version"}

_TABLES = """
SELECT c.relname,
       bool_or(a.attname = 'organisation_id') AS tenant
FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
GROUP BY c.relname
"""

# every primary key, unique constraint and unique index, with its column names
_UNIQUE_KEYS = """
SELECT t.relname, i.relname,
       array(SELECT a.attname FROM unnest(x.indkey) k JOIN pg_attribute a
             ON a.attrelid = t.oid AND a.attnum = k)::text[]
FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
WHERE t.relnamespace = 'public'::regnamespace AND x.indisunique
"""

# every foreign key: (table, name, referred table, [(column, referred column)], SET NULL columns)
_FOREIGN_KEYS = """
SELECT t.relname, c.conname, r.relname,
       array(SELECT a.attname || '=' || b.attname
             FROM unnest(c.conkey, c.confkey) AS k(l, f)
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.l
             JOIN pg_attribute b ON b.attrelid = c.confrelid AND b.attnum = k.f)::text[],
       c.confdeltype,
       array(SELECT a.attname FROM unnest(c.confdelsetcols) k
             JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k)::text[]
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class r ON r.oid = c.confrelid
WHERE c.contype = 'f' AND t.relnamespace = 'public'::regnamespace
"""


@pytest.fixture
def postgres(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("the distributed-table rules are PostgreSQL's (SQLite keeps single keys)")
    return engine


def test_the_catalogue_keeps_the_distribution_rules(postgres: Engine) -> None:
    with postgres.connect() as conn:
        tables = dict(conn.execute(text(_TABLES)).all())
        unique_keys = conn.execute(text(_UNIQUE_KEYS)).all()
        foreign_keys = conn.execute(text(_FOREIGN_KEYS)).all()
    distributed = {name for name, tenant in tables.items() if tenant}
    assert set(tables) - distributed == REFERENCE
    assert len(distributed) == 50

    broken = [
        f"{table}.{index} {columns} lacks organisation_id"
        for table, index, columns in unique_keys
        if table in distributed and "organisation_id" not in columns
    ]
    tenant_fks = 0
    for table, name, referred, pairs, on_delete, set_null in foreign_keys:
        if table in REFERENCE and referred in distributed:
            broken.append(f"{name}: a reference table may not point into a distributed one")
        if table in distributed and referred in distributed:
            tenant_fks += 1
            if "organisation_id=organisation_id" not in pairs:
                broken.append(f"{name} {pairs} does not join on organisation_id")
            if on_delete == "n" and (not set_null or "organisation_id" in set_null):
                broken.append(f"{name}: ON DELETE SET NULL would null organisation_id")
    assert broken == []
    assert tenant_fks == 82


def test_postgresql_refuses_a_row_that_points_into_another_organisation(
    postgres: Engine,
    session_factory: sessionmaker[Session],
    org_a: OrgContext,
    org_b: OrgContext,
) -> None:
    theirs = make_customer(session_factory, org_b)
    ours = make_customer(session_factory, org_a)
    row = {
        "organisation_id": org_a.organisation_id,
        "external_id": "case-1",
        "channel": "email",
        "status": "open",
        "opened_at": ours.created_at,
    }
    with org_session(session_factory, org_a) as db:
        db.execute(insert(Conversation), [{**row, "customer_id": ours.id}])  # its own: stored
        with (
            pytest.raises(IntegrityError, match="fk_conversation_customer_id_customer"),
            db.begin_nested(),
        ):
            db.execute(
                insert(Conversation), [{**row, "external_id": "x", "customer_id": theirs.id}]
            )


def test_set_null_clears_the_reference_and_keeps_the_organisation(
    session_factory: sessionmaker[Session], org_a: OrgContext
) -> None:
    member_id, _ = add_member(session_factory, org_a, "owner@acme.example", Role.AGENT)
    customer = make_customer(session_factory, org_a, owner_member_id=member_id)
    with org_session(session_factory, org_a) as db:
        db.delete(db.get(Member, member_id))
    with org_session(session_factory, org_a) as db:
        owner, organisation = db.execute(
            select(Relationship.owner_member_id, Relationship.organisation_id).where(
                Relationship.customer_id == customer.id
            )
        ).one()
        assert db.get(Customer, customer.id) is not None
    assert owner is None
    assert organisation == org_a.organisation_id
