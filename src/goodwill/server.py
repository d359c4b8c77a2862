"""Running the HTTP server (uvicorn) for `goodwill serve` and `goodwill demo`."""

from __future__ import annotations

import gc

import uvicorn

from goodwill.config import Settings
from goodwill.main import create_app


def freeze_startup_objects() -> None:
    """Leave the objects alive once the app is built (modules, routes, models: about 260,000)
    out of every later garbage collection. A full collection otherwise walks them all, and with
    about 345,000 objects it paused a request for 150 to 450 ms on the demo: the p95 of the
    pages that allocate most (docs/benchmarks.md, "Quality page speed (session 4)")."""
    gc.collect()
    gc.freeze()


def serve(settings: Settings, *, host: str, port: int) -> None:
    app = create_app(settings=settings)
    freeze_startup_objects()
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), proxy_headers=True)
