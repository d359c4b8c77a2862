"""Tenancy, enforced in one place: every ORM statement of a session is scoped to one organisation.

A session is *scoped* (``scope(session, organisation_id)``) or explicitly *unscoped* for system work
(``system_scope(session)``: sign-in look-ups, migrations, admin CLI). A session that is neither may
not touch a tenant table at all: deny by default. Scoped reads get ``organisation_id = :org``
added to every tenant entity (joins, lazy loads and ``Session.get`` included), so a record of
another organisation is indistinguishable from a missing one. Writes are checked at flush and on
ORM bulk inserts: a row of another organisation raises :class:`TenancyViolation`. The few writes
that are not ORM statements check their rows against :func:`current_organisation_id` themselves
(the engine's Core updates in ``relationships.writes``, the importer's COPY in
``goodwill.database_copy``).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, ClassVar

from sqlalchemy import ForeignKeyConstraint, event
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    UOWTransaction,
    declared_attr,
    mapped_column,
    sessionmaker,
    with_loader_criteria,
)
from sqlalchemy.sql.schema import ForeignKey

from goodwill.errors import TenancyViolation

_ORG_KEY = "goodwill.organisation_id"
_SYSTEM_KEY = "goodwill.system"


class TenantMixin:
    """A table whose every row belongs to exactly one organisation.

    ``organisation_id`` is part of the table's primary key, and every foreign key to another
    tenant table carries it on both sides (:func:`tenant_key`): the rules a distributed PostgreSQL
    (Citus, with the organisation as distribution column) enforces, and a reference across
    organisations is refused by PostgreSQL itself. The ORM's identity stays the row's own key
    (``__row_key__``, ``id`` unless a table says otherwise), so ``Session.get(Model, id)`` and the
    unit of work are unchanged. SQLite keeps the single-column keys it was created with: it never
    runs distributed (migration 0022, docs/scaling.md).
    """

    __row_key__: ClassVar[tuple[str, ...]] = ("id",)

    @declared_attr
    def organisation_id(cls) -> Mapped[uuid.UUID]:
        return mapped_column(
            ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True, index=True
        )

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"primary_key": list(cls.__row_key__)}


def tenant_key(column: str, target: str, *, ondelete: str) -> ForeignKeyConstraint:
    """The foreign key from ``column`` to tenant table ``target``, with ``organisation_id`` on
    both sides. ``SET NULL`` names its column (PostgreSQL 15): the organisation is never nulled."""
    action = f"SET NULL ({column})" if ondelete == "SET NULL" else ondelete
    return ForeignKeyConstraint(
        [column, "organisation_id"],
        [f"{target}.id", f"{target}.organisation_id"],
        ondelete=action,
    )


def scope(session: Session, organisation_id: uuid.UUID) -> Session:
    """Bind ``session`` to one organisation for the rest of its life."""
    current = session.info.get(_ORG_KEY)
    if current is not None and current != organisation_id:
        raise TenancyViolation("session is already scoped to another organisation")
    session.info[_ORG_KEY] = organisation_id
    return session


def current_organisation_id(session: Session) -> uuid.UUID:
    org = session.info.get(_ORG_KEY)
    if org is None:
        raise TenancyViolation("this session is not scoped to an organisation")
    return org  # type: ignore[no-any-return]


@contextmanager
def system_scope(session: Session) -> Iterator[Session]:
    """Allow unscoped access across organisations inside the block (system work only)."""
    previous = session.info.get(_SYSTEM_KEY, False)
    session.info[_SYSTEM_KEY] = True
    try:
        yield session
    finally:
        session.info[_SYSTEM_KEY] = previous


def _is_tenant_entity(mapper: Any) -> bool:
    return mapper is not None and issubclass(mapper.class_, TenantMixin)


def _touches_tenant_tables(state: ORMExecuteState) -> bool:
    return any(_is_tenant_entity(m) for m in state.all_mappers)


def _on_execute(state: ORMExecuteState) -> None:
    session = state.session
    if session.info.get(_SYSTEM_KEY):
        return
    org = session.info.get(_ORG_KEY)
    if org is None:
        if _touches_tenant_tables(state) or _touches_organisation(state):
            raise TenancyViolation("query on organisation data from an unscoped session")
        return
    if state.is_insert:
        _check_insert_params(state, org)
        return
    if state.is_select or state.is_update or state.is_delete:
        state.statement = state.statement.options(
            with_loader_criteria(
                TenantMixin,
                lambda cls: cls.organisation_id == org,
                include_aliases=True,
                track_closure_variables=False,
            ),
            with_loader_criteria(
                _organisation_class(),
                lambda cls: cls.id == org,
                include_aliases=True,
                track_closure_variables=False,
            ),
        )


def _organisation_class() -> type[Any]:
    from goodwill.organisations.models import Organisation

    return Organisation


def _touches_organisation(state: ORMExecuteState) -> bool:
    org_cls = _organisation_class()
    return any(m is not None and m.class_ is org_cls for m in state.all_mappers)


def _check_insert_params(state: ORMExecuteState, org: uuid.UUID) -> None:
    params = state.parameters
    rows: list[Any] = list(params) if isinstance(params, list | tuple) else [params]
    for row in rows:
        if not isinstance(row, Mapping):
            continue
        value = row.get("organisation_id")
        if value is not None and value != org:
            raise TenancyViolation("bulk insert of a row belonging to another organisation")


def _before_flush(session: Session, _flush: UOWTransaction, _instances: Any) -> None:
    if session.info.get(_SYSTEM_KEY):
        return
    org = session.info.get(_ORG_KEY)
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantMixin):
            continue
        if org is None:
            raise TenancyViolation(f"write of {type(obj).__name__} from an unscoped session")
        if obj.organisation_id is None and obj in session.new:
            obj.organisation_id = org
        elif obj.organisation_id != org:
            raise TenancyViolation(f"write of {type(obj).__name__} of another organisation")


def install(factory: sessionmaker[Session]) -> None:
    """Attach the tenancy rules to every session ``factory`` makes."""
    event.listen(factory, "do_orm_execute", _on_execute)
    event.listen(factory, "before_flush", _before_flush)
