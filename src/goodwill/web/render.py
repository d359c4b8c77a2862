"""The Jinja environment of the web pages: autoescaped everywhere, with a few display filters."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined

HERE = Path(__file__).parent
static_files = StaticFiles(directory=HERE / "static")


def when(value: datetime | None) -> str:
    """A time as a person reads it in a list: '3 Dec 2026 14:05' (UTC), or a dash."""
    if value is None:
        return "—"
    at = value.astimezone(UTC) if value.tzinfo else value
    return f"{at.day} {at:%b %Y %H:%M}"


def day(value: datetime | None) -> str:
    if value is None:
        return "—"
    return f"{value.day} {value:%b %Y}"


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def label(value: str | None) -> str:
    """A stored name as words: 'first_disagreement' → 'first disagreement'."""
    return "—" if not value else value.replace("_", " ")


def plain(value: Any) -> str:
    """A stored evidence value in words: {'kept': 1, 'late': 2} → 'kept 1, late 2'."""
    if isinstance(value, dict):
        return ", ".join(f"{label(str(k))} {plain(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=True,  # every template, whatever its name: user text is always escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(when=when, day=day, score=score, percent=percent, label=label, plain=plain)
    return env


templates = Jinja2Templates(env=_environment())


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    return templates.TemplateResponse(request, template, context, status_code=status_code)
