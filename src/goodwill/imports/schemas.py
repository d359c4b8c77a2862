"""Import shapes at the HTTP boundary."""

from __future__ import annotations

import uuid

from pydantic import BaseModel


class ImportRead(BaseModel):
    """A file that was imported: what it created and what it skipped as already known."""

    import_id: uuid.UUID
    source: str
    created: dict[str, int]
    skipped: dict[str, int]
