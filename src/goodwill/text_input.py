"""Text a database cannot store is refused at the API's door, naming where it was.

PostgreSQL's text columns cannot hold the NUL character (U+0000): a name sent as ``"\\u0000"``
would reach the database and fail there (a 500 on PostgreSQL, stored as sent on SQLite). Every
/api/v1 router depends on :func:`refuse_nul`, which answers 422 naming the field instead, the
same on both databases. Uploaded files are checked by their importers, not here.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator

from fastapi import Request
from fastapi.exceptions import RequestValidationError

NUL = "\x00"
_REASON = "the NUL character (U+0000) is not allowed in text"


def _paths_with_nul(value: object, path: tuple[str | int, ...]) -> Iterator[tuple[str | int, ...]]:
    if isinstance(value, str):
        if NUL in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            name = str(key).replace(NUL, "\\u0000")  # the key as sent, printable
            if NUL in str(key):
                yield (*path, name)
            yield from _paths_with_nul(item, (*path, name))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths_with_nul(item, (*path, index))


async def refuse_nul(request: Request) -> None:
    """422 if the path, the query or a JSON body holds a NUL character anywhere."""
    found: list[tuple[str | int, ...]] = [
        ("path", name) for name, v in request.path_params.items() if NUL in str(v)
    ]
    found += [("query", name) for name, v in request.query_params.multi_items() if NUL in v]
    if "json" in request.headers.get("content-type", ""):
        body = await request.body()
        if b"\\u0000" in body:
            with contextlib.suppress(ValueError):  # not JSON: the route's validation says so
                found += list(_paths_with_nul(json.loads(body), ("body",)))
    if found:
        raise RequestValidationError(
            [{"loc": where, "msg": _REASON, "type": "string_nul"} for where in found]
        )
