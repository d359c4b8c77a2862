"""The Value Irritant Grid as a standalone SVG a manager can put in a slide. Pure; no script.

Value to the customer runs left (irritant) to right (valuable), value to the company bottom
(cost) to top (valuable); each reason is a circle whose area is its volume, in its quadrant's
colour. Every piece of user text (reason names) is escaped for XML.
"""

from __future__ import annotations

import math
from html import escape

from goodwill.reasons.grid import AUTOMATE, ELIMINATE, LEVERAGE, SIMPLIFY, Cell, Grid

WIDTH, HEIGHT = 960, 720
LEFT, TOP, PLOT = 110, 80, 560  # the square plot area
MAX_RADIUS, MIN_RADIUS = 48.0, 5.0
NAME_CHARS = 36
LABEL_ROOM = 110  # half the width of a long bubble label
SIDE_CHARS = 22  # the list beside the plot has about 250 px
COLOURS = {
    ELIMINATE: "#c0392b",
    SIMPLIFY: "#d68910",
    AUTOMATE: "#2874a6",
    LEVERAGE: "#1e8449",
}
# (quadrant, column, row) with column 0 = irritant to the customer, row 0 = top
_QUADRANT_CELLS = ((SIMPLIFY, 0, 0), (LEVERAGE, 1, 0), (ELIMINATE, 0, 1), (AUTOMATE, 1, 1))


def x_of(value: float) -> float:
    """The horizontal position of a value to the customer in [-1, 1] (clipped)."""
    return LEFT + (max(-1.0, min(1.0, value)) + 1) / 2 * PLOT


def y_of(value: float) -> float:
    """The vertical position of a value to the company in [-1, 1] (clipped; up is valuable)."""
    return TOP + (1 - (max(-1.0, min(1.0, value)) + 1) / 2) * PLOT


def quadrant_boxes(grid: Grid) -> list[tuple[str, float, float, float, float]]:
    """Each quadrant's name and box (x0, y0, x1, y1), split at the grid's thresholds."""
    cx, cy = x_of(grid.thresholds.customer), y_of(grid.thresholds.company)
    spans = {0: (LEFT, cx), 1: (cx, LEFT + PLOT)}
    rows = {0: (TOP, cy), 1: (cy, TOP + PLOT)}
    return [
        (name, spans[column][0], rows[row][0], spans[column][1], rows[row][1])
        for name, column, row in _QUADRANT_CELLS
    ]


def radius_of(volume: int, biggest: int) -> float:
    """A bubble's radius: its area grows with the reason's volume."""
    return MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(volume / max(biggest, 1))


def _text(x: float, y: float, content: str, **attributes: str) -> str:
    extra = "".join(
        f' {k.replace("_", "-")}="{escape(v, quote=True)}"' for k, v in attributes.items()
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content, quote=True)}</text>'


def short(name: str, chars: int = NAME_CHARS) -> str:
    return name if len(name) <= chars else name[: chars - 1] + "…"


def _quadrants(grid: Grid) -> list[str]:
    out = []
    for name, x0, y0, x1, y1 in quadrant_boxes(grid):
        out.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
            f'fill="{COLOURS[name]}" fill-opacity="0.08"/>'
        )
        out.append(
            _text(
                x0 + 10,
                y0 + 24,
                name.capitalize(),
                fill=COLOURS[name],
                font_size="18",
                font_weight="bold",
            )
        )
    return out


def _axes(grid: Grid) -> list[str]:
    cx, cy = x_of(grid.thresholds.customer), y_of(grid.thresholds.company)
    bottom, right = TOP + PLOT, LEFT + PLOT
    return [
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="none" stroke="#555"/>',
        f'<line x1="{cx:.1f}" y1="{TOP}" x2="{cx:.1f}" y2="{bottom}" stroke="#555" '
        'stroke-dasharray="4 4"/>',
        f'<line x1="{LEFT}" y1="{cy:.1f}" x2="{right}" y2="{cy:.1f}" stroke="#555" '
        'stroke-dasharray="4 4"/>',
        _text(
            LEFT + PLOT / 2,
            bottom + 40,
            "Value to the customer: irritant → valuable",
            text_anchor="middle",
            font_size="15",
        ),
        _text(
            LEFT - 60,
            TOP + PLOT / 2,
            "Value to the company: cost → valuable",
            text_anchor="middle",
            font_size="15",
            transform=f"rotate(-90 {LEFT - 60} {TOP + PLOT / 2})",
        ),
        _text(LEFT, bottom + 18, "−1", font_size="12", text_anchor="middle"),
        _text(right, bottom + 18, "+1", font_size="12", text_anchor="middle"),
        _text(LEFT - 10, bottom, "−1", font_size="12", text_anchor="end"),
        _text(LEFT - 10, TOP + 10, "+1", font_size="12", text_anchor="end"),
    ]


def _anchor(x: float) -> str:
    """Labels near the plot's sides grow inwards, so they stay inside it."""
    if x > LEFT + PLOT - LABEL_ROOM:
        return "end"
    return "start" if x < LEFT + LABEL_ROOM else "middle"


def _bubble(cell: Cell, biggest: int) -> list[str]:
    x, y = x_of(cell.customer_value or 0.0), y_of(cell.company_value or 0.0)
    radius = radius_of(cell.volume, biggest)
    colour = COLOURS.get(cell.quadrant or "", "#777")
    tip = f"{cell.name}: {cell.volume} contacts, {cell.quadrant}"
    return [
        f"<g><title>{escape(tip, quote=True)}</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" fill-opacity="0.55" '
        f'stroke="{colour}"/></g>',
        _text(
            x, y + 4, f"{short(cell.name)} ({cell.volume})", text_anchor=_anchor(x), font_size="12"
        ),
    ]


def _side_list(grid: Grid, placed: list[Cell]) -> list[str]:
    x, y = LEFT + PLOT + 30, TOP + 10
    out = [_text(x, y, "Reasons by volume", font_size="15", font_weight="bold")]
    for cell in placed[:20]:
        y += 22
        trend = "" if cell.trend is None else f" {cell.trend * 100:+.0f}%"
        label = f"{short(cell.name, SIDE_CHARS)}: {cell.volume}{trend}, {cell.quadrant}"
        out.append(
            _text(x, y, label, font_size="12", fill=COLOURS.get(cell.quadrant or "", "#333"))
        )
    idle = [c.name for c in grid.cells if c.quadrant is None]
    if idle:
        y += 34
        out.append(_text(x, y, "No contacts in the period:", font_size="12", font_weight="bold"))
        for name in idle[:12]:
            y += 18
            out.append(_text(x, y, short(name, SIDE_CHARS), font_size="12", fill="#555"))
        if len(idle) > 12:
            out.append(_text(x, y + 18, f"and {len(idle) - 12} more", font_size="12", fill="#555"))
    y += 34
    out.append(_text(x, y, f"Unknown reason: {grid.unknown_volume}", font_size="12", fill="#555"))
    return out


def render(grid: Grid) -> str:
    """The whole grid as an SVG document (UTF-8 text)."""
    placed = [c for c in grid.cells if c.quadrant is not None]
    biggest = max((c.volume for c in placed), default=1)
    title = (
        f"Value Irritant Grid: contact reasons, {grid.period_from:%Y-%m-%d} to "
        f"{grid.period_to:%Y-%m-%d}"
    )
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="Helvetica, Arial, sans-serif" role="img">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>',
        _text(LEFT, 40, title, font_size="20", font_weight="bold"),
        *_quadrants(grid),
        *_axes(grid),
    ]
    for cell in sorted(placed, key=lambda c: -c.volume):  # small circles drawn last, on top
        parts += _bubble(cell, biggest)
    parts += _side_list(grid, placed)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"
