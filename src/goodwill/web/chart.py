"""The stage history as a step chart, drawn on the server as SVG (no script, no library).

Knapp's ten stages are the rows, coming together at the top and coming apart below; time runs
left to right from the first recorded stage to now. Text is escaped; the SVG has a title and a
description for screen readers, and the page lists the same history as a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from markupsafe import Markup, escape

from goodwill.types import KNAPP_STAGES

STAGES = KNAPP_STAGES
WIDTH, ROW, LEFT, RIGHT, TOP = 720, 22, 120, 16, 12


def _y(stage: str) -> float:
    row = STAGES.index(stage) if stage in STAGES else len(STAGES) - 1
    return TOP + row * ROW + ROW / 2


def _x(at: datetime, start: datetime, span: float) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * ((at - start).total_seconds() / span)


def _grid(start: datetime, end: datetime) -> list[str]:
    parts = []
    for stage in STAGES:
        y = _y(stage)
        cls = "apart" if STAGES.index(stage) >= 5 else "together"
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" class="{cls}">{stage}</text>'
        )
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
    bottom = TOP + len(STAGES) * ROW + 14
    parts.append(f'<text x="{LEFT}" y="{bottom}" class="axis">{start:%d %b %Y}</text>')
    right = WIDTH - RIGHT
    parts.append(
        f'<text x="{right}" y="{bottom}" text-anchor="end" class="axis">{end:%d %b %Y}</text>'
    )
    return parts


def stage_chart(history: Sequence[tuple[str, datetime]], now: datetime) -> Markup:
    """SVG of ``history`` ((stage, valid from) oldest first) up to ``now``; empty without one."""
    if not history:
        return Markup("")
    start = min(history[0][1], now)
    span = max((now - start).total_seconds(), 1.0)
    height = TOP + len(STAGES) * ROW + 24
    points: list[str] = []
    for i, (stage, at) in enumerate(history):
        until = history[i + 1][1] if i + 1 < len(history) else now
        y = _y(stage)
        points += [f"{_x(at, start, span):.1f},{y:.1f}", f"{_x(until, start, span):.1f},{y:.1f}"]
    last_stage = history[-1][0]
    summary = f"{len(history)} stage records since {start:%d %b %Y}; now {last_stage}"
    parts = [
        f'<svg class="stage-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="stage-chart-title stage-chart-desc" xmlns="http://www.w3.org/2000/svg">',
        '<title id="stage-chart-title">Stage history</title>',
        f'<desc id="stage-chart-desc">{escape(summary)}</desc>',
        *_grid(start, now),
        f'<polyline class="path" points="{" ".join(points)}"/>',
        f'<circle class="now" r="5" cx="{WIDTH - RIGHT}" cy="{_y(last_stage):.1f}"/>',
        "</svg>",
    ]
    return Markup("\n".join(parts))  # noqa: S704 - every value above is a number or a fixed name
