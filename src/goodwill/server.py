"""Running the HTTP server (uvicorn) for `goodwill serve` and `goodwill demo`."""

from __future__ import annotations

import uvicorn

from goodwill.config import Settings
from goodwill.main import create_app


def serve(settings: Settings, *, host: str, port: int) -> None:
    app = create_app(settings=settings)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), proxy_headers=True)
