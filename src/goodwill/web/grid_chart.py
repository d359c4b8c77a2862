"""The Value Irritant Grid on the contact reasons page: the same geometry and colours as the
standalone SVG (goodwill.reasons.chart), drawn inline and interactive without script. Each reason
is a link (focusable with the keyboard, opening the reason's messages) whose <title> shows its
volume and evidence on hover; names are escaped. The page lists the same numbers as a table."""

from __future__ import annotations

from markupsafe import Markup, escape

from goodwill.reasons.chart import (
    COLOURS,
    LEFT,
    PLOT,
    TOP,
    quadrant_boxes,
    radius_of,
    short,
    x_of,
    y_of,
)
from goodwill.reasons.grid import Cell, Grid

WIDTH, HEIGHT = LEFT + PLOT + 40, TOP + PLOT + 60
NAME_CHARS = 30


def _share(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.0f} %"


def evidence_lines(cell: Cell) -> list[str]:
    """What a reason's place on the grid rests on, in words (for the hover text and the table)."""
    e = cell.evidence
    trend = "" if cell.trend is None else f" ({cell.trend * 100:+.0f} % on the period before)"
    mean = "—" if e.mean_sentiment is None else f"{e.mean_sentiment:+.2f}"
    effort = "—" if e.messages_per_conversation is None else f"{e.messages_per_conversation:.1f}"
    return [
        f"{cell.volume} contacts from {e.customers} customers{trend}",
        f"mean sentiment {mean}; negative emotion {_share(e.negative_emotion_share)}",
        f"repeat contact {_share(e.repeat_rate)}; resolved {_share(e.resolution_rate)}",
        f"customer messages per conversation {effort}",
        f"after it: {e.customers_positive_after} customers bought or renewed, "
        f"{e.customers_negative_after} left or wanted to",
    ]


def _background(grid: Grid) -> list[str]:
    cx, cy = x_of(grid.thresholds.customer), y_of(grid.thresholds.company)
    out = []
    for name, x0, y0, x1, y1 in quadrant_boxes(grid):
        out.append(
            f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
            f'fill="{COLOURS[name]}" fill-opacity="0.08"/>'
            f'<text x="{x0 + 10:.1f}" y="{y0 + 24:.1f}" class="q-label" fill="{COLOURS[name]}">'
            f"{name.capitalize()}</text>"
        )
    bottom = TOP + PLOT
    out += [
        f'<rect x="{LEFT}" y="{TOP}" width="{PLOT}" height="{PLOT}" fill="none" stroke="#555"/>',
        f'<line x1="{cx:.1f}" y1="{TOP}" x2="{cx:.1f}" y2="{bottom}" stroke="#555" '
        'stroke-dasharray="4 4"/>',
        f'<line x1="{LEFT}" y1="{cy:.1f}" x2="{LEFT + PLOT}" y2="{cy:.1f}" stroke="#555" '
        'stroke-dasharray="4 4"/>',
        f'<text x="{LEFT + PLOT / 2}" y="{bottom + 36}" text-anchor="middle" class="axis">'
        "Value to the customer: irritant → valuable</text>",
        f'<text x="{LEFT - 50}" y="{TOP + PLOT / 2}" text-anchor="middle" class="axis" '
        f'transform="rotate(-90 {LEFT - 50} {TOP + PLOT / 2})">'
        "Value to the company: cost → valuable</text>",
    ]
    return out


def _bubble(cell: Cell, biggest: int) -> str:
    x, y = x_of(cell.customer_value or 0.0), y_of(cell.company_value or 0.0)
    radius = radius_of(cell.volume, biggest)
    colour = COLOURS.get(cell.quadrant or "", "#777")
    name = short(cell.name, NAME_CHARS)
    tip = "\n".join([f"{cell.name} ({cell.quadrant})", *evidence_lines(cell)])
    anchor = "end" if x > LEFT + PLOT - 100 else "start" if x < LEFT + 100 else "middle"
    return (
        f'<a href="/reasons/{escape(cell.reason_id)}" class="bubble" '
        f'aria-label="{escape(cell.name)}: {cell.volume} contacts, {cell.quadrant}">'
        f"<title>{escape(tip)}</title>"
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{colour}" '
        f'fill-opacity="0.55" stroke="{colour}"/>'
        f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="{anchor}">'
        f"{escape(name)} ({cell.volume})</text></a>"
    )


def grid_chart(grid: Grid) -> Markup:
    """The grid as inline SVG; empty when no reason had a contact in the period."""
    placed = [c for c in grid.cells if c.quadrant is not None]
    if not placed:
        return Markup("")
    biggest = max(c.volume for c in placed)
    parts = [
        f'<svg class="grid-chart" viewBox="0 {TOP - 20} {WIDTH} {HEIGHT - TOP + 20}" role="group" '
        'aria-labelledby="grid-chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="grid-chart-title">Value Irritant Grid</title>',
        *_background(grid),
        *(_bubble(c, biggest) for c in sorted(placed, key=lambda c: -c.volume)),
        "</svg>",
    ]
    return Markup("\n".join(parts))  # noqa: S704 - names escaped above, the rest numbers
