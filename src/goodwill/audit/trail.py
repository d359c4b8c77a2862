"""The audit trail of the JSON API, kept in one place: a dependency on every API router.

After a route has run it records, for an authenticated caller:
- every request that wrote something (``create``, ``update``, ``delete`` or the verb of an
  action route such as ``merge`` or ``send``), in the request's unit of work, so the event is
  stored with the change or not at all. Whether a request wrote is known exactly: the session
  counts its flushes with changes and its bulk insert/update/delete statements, so a POST that
  only computes (the coach, classifying texts) leaves no event and a PATCH that changed nothing
  neither;
- ``view`` of one record (a GET with a path parameter) and ``export`` (a GET of an export), once
  the request has succeeded, in a unit of work of its own: a read whose transaction then wrote
  its event could fail on SQLite ("database is locked") when a worker committed meanwhile.
Lists and searches are not recorded one by one (they would double the writes of every page);
refused requests roll back with their unit of work and are logged by the application instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from goodwill.audit import service
from goodwill.audit.models import AuditEvent
from goodwill.dependencies import DbSession
from goodwill.jobs.after_request import later

_WRITES = "audit_writes"
API_PREFIX = "/api/v1"  # goodwill.main.API_PREFIX (main imports this module)
EXPORT_WORDS = frozenset({"export", "exports", "personal-data"})
MEMBER_KEY = "audit_member"
ACTOR_KEY = "audit_actor"
ORGANISATION_KEY = "audit_organisation"


def install() -> None:
    """Count the writes of every session (all sessions: an application given any session
    factory audits the same; counting costs an integer add per flush)."""
    if not event.contains(Session, "after_flush", _count_flush):
        event.listen(Session, "after_flush", _count_flush)
        event.listen(Session, "do_orm_execute", _count_statement)


def _bookkeeping(obj: object) -> bool:
    """Writes that are not the caller's action: sign-in bookkeeping (a token's or a session's
    last use) and the audit log itself."""
    from goodwill.organisations.models import ApiToken, WebSession

    return isinstance(obj, ApiToken | WebSession | AuditEvent)


def _count_flush(session: Session, _flush: UOWTransaction) -> None:
    changed = [*session.new, *session.dirty, *session.deleted]
    if any(not _bookkeeping(obj) for obj in changed):
        session.info[_WRITES] = session.info.get(_WRITES, 0) + 1


# the same bookkeeping written by statement ("UPDATE api_token SET last_used_at …")
_BOOKKEEPING_TABLES = frozenset({"api_token", "web_session", "audit_event"})


def _count_statement(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _BOOKKEEPING_TABLES:
        return
    state.session.info[_WRITES] = state.session.info.get(_WRITES, 0) + 1


def writes(session: Session) -> int:
    return int(session.info.get(_WRITES, 0))


@dataclass(frozen=True)
class Action:
    action: str
    target_type: str
    target_id: str | None


def action_of(
    method: str, template: str, path_params: dict[str, Any], wrote: bool
) -> Action | None:
    """What a request did to what, or ``None`` when there is nothing to record (``template``:
    the route's path, e.g. ``/customers/{customer_id}``)."""
    segments = [s for s in template.removeprefix(API_PREFIX).split("/") if s]
    static = [s for s in segments if not s.startswith("{")]
    names = [s.strip("{}").split(":")[0] for s in segments if s.startswith("{")]
    target_id = str(path_params[names[0]]) if names and names[0] in path_params else None
    target_type = static[0] if static else "api"
    if method == "GET":
        if EXPORT_WORDS.intersection(static):
            return Action("export", target_type, target_id)
        return Action("view", target_type, target_id) if names else None
    if not wrote:
        return None
    verbs = {"DELETE": "delete", "PUT": "update", "PATCH": "update"}
    if method in verbs:
        return Action(verbs[method], target_type, target_id)
    last = segments[-1] if segments else ""
    is_verb = len(static) > 1 and not last.startswith("{")
    return Action(last if is_verb else "create", target_type, target_id)


def actor_of(request: Request) -> str:
    """How the caller came in: ``api_token`` or ``session``."""
    return str(getattr(request.state, ACTOR_KEY, "session"))


def record_view(request: Request, organisation_id: uuid.UUID, **event: Any) -> None:
    """Record a view or an export that wrote nothing once the request is over, in a unit of work
    of its own (``service.record_apart``), so reading never turns into a write that can fail."""
    factory = request.app.state.session_factory
    if not later(request, service.record_apart, factory, organisation_id, **event):
        service.record_apart(factory, organisation_id, **event)


def audit_trail(request: Request, db: DbSession) -> Iterator[None]:
    """Router dependency: record what the request did once the route has returned."""
    yield
    member_id: uuid.UUID | None = getattr(request.state, MEMBER_KEY, None)
    if member_id is None or db.info.get(service.RECORDED):
        return
    route = request.scope.get("route")
    template = str(getattr(route, "path", request.url.path))
    db.flush()
    wrote = writes(db) > 0
    found = action_of(request.method, template, dict(request.path_params), wrote)
    if found is None:
        return
    event: dict[str, Any] = {
        "action": found.action,
        "target_type": found.target_type,
        "target_id": found.target_id,
        "actor": actor_of(request),
        "actor_member_id": member_id,
        "route": f"{request.method} {template}",
    }
    if wrote:  # stored with the change, or not at all
        service.record(db=db, **event)
    else:
        record_view(request, getattr(request.state, ORGANISATION_KEY), **event)


install()
