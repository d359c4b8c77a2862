"""Running the HTTP server (uvicorn) for `goodwill serve` and `goodwill demo`."""

from __future__ import annotations

import gc

import uvicorn
from fastapi import FastAPI

from goodwill.config import Settings, get_settings
from goodwill.main import create_app

WORKER_HEALTHCHECK_S = 60


def freeze_startup_objects() -> None:
    """Leave the objects alive once the app is built (modules, routes, models: about 260,000)
    out of every later garbage collection. A full collection otherwise walks them all, and with
    about 345,000 objects it paused a request for 150 to 450 ms on the demo: the p95 of the
    pages that allocate most (docs/benchmarks.md, "Quality page speed (session 4)")."""
    gc.collect()
    gc.freeze()


def build_app() -> FastAPI:
    """The app of one of ``--workers`` server processes (uvicorn's factory: each process builds
    its own from the environment's settings)."""
    app = create_app(settings=get_settings())
    freeze_startup_objects()
    return app


def serve(settings: Settings, *, host: str, port: int, workers: int = 1) -> None:
    """Serve on ``host:port``. With ``workers`` above 1, that many processes share the socket
    (uvicorn's supervisor restarts one that dies); each reads its settings from the environment,
    so ``settings`` must be the environment's (as for `goodwill serve`)."""
    log_level = settings.log_level.lower()
    if workers > 1:
        uvicorn.run(
            "goodwill.server:build_app",
            factory=True,
            workers=workers,
            # a worker answers the supervisor's pings only once its imports are done (seconds;
            # tens on a loaded machine): the default 5 s had every worker killed while starting
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_S,
            proxy_headers=True,
            host=host,
            port=port,
            log_level=log_level,
        )
        return
    app = create_app(settings=settings)
    freeze_startup_objects()
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=True)
