"""Work deferred until a request is completely over, its unit of work committed.

FastAPI runs a route's ``BackgroundTasks`` *before* it closes the ``yield`` dependencies, so a
background task runs while the request's transaction (``DbSession``) is still open: a job sent
from there can reach a worker before the data it is about exists for other connections (and on
SQLite the in-process work waits on the request's write lock). :class:`AfterRequest`, the
outermost middleware, runs the deferred work once the whole application has returned.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import anyio
from fastapi import BackgroundTasks, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

_KEY = "goodwill_after_request"

Deferred = Callable[[], object]


class AfterRequest:
    """Pure ASGI middleware: after the app has answered with a success and cleaned up (its
    transaction committed), run what was deferred."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deferred: list[Deferred] = []
        scope.setdefault("state", {})[_KEY] = deferred
        status: list[int] = []

        async def send_noting_status(message: Message) -> None:
            if message["type"] == "http.response.start":
                status.append(int(message["status"]))
            await send(message)

        await self.app(scope, receive, send_noting_status)
        # like background tasks: only after a success (a refused request stored nothing)
        if status and status[0] < 400:
            for work in deferred:
                await anyio.to_thread.run_sync(_run, work)


def _run(work: Deferred) -> None:
    try:
        work()
    except Exception:
        log.exception("work deferred after the request failed")


def defer(
    request: Request,
    background: BackgroundTasks,
    fn: Callable[..., object],
    *args: Any,
    **kwargs: Any,
) -> None:
    """Run ``fn(*args, **kwargs)`` after the request has committed (a background task if the
    middleware is not installed)."""
    deferred: list[Deferred] | None = request.scope.get("state", {}).get(_KEY)
    if deferred is None:
        background.add_task(fn, *args, **kwargs)
        return
    deferred.append(functools.partial(fn, *args, **kwargs))


def later(request: Request, fn: Callable[..., object], *args: Any, **kwargs: Any) -> bool:
    """Run ``fn(*args, **kwargs)`` once the request is over and committed (only after a
    success); ``False`` when the middleware is not installed (the caller decides what then)."""
    deferred: list[Deferred] | None = request.scope.get("state", {}).get(_KEY)
    if deferred is None:
        return False
    deferred.append(functools.partial(fn, *args, **kwargs))
    return True
