"""The journeys page (managers and admins): the journey map as a heat table drawn on the server as
SVG (rows: touchpoint types; columns: lifecycle phases; colour: irritant heat; every figure also
in the table below it), and the moments of truth with their intervals and the caveat."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup, escape

from goodwill.errors import InvalidInput
from goodwill.journeys import service
from goodwill.journeys.schemas import JourneyMap, Outcome
from goodwill.types import Role
from goodwill.web.auth import CurrentPage, PageDb, PageRoute
from goodwill.web.render import render

router = APIRouter(include_in_schema=False, route_class=PageRoute)
CELL_W, CELL_H, LEFT, TOP = 150, 34, 150, 24


def _fill(heat: float | None) -> str:
    """White (no irritants) to red (one irritant per reply or more); grey without reviews."""
    if heat is None:
        return "#eeeeee"
    level = min(heat, 1.0)
    other = int(255 - 175 * level)
    return f"#ff{other:02x}{other:02x}"


def heat_svg(found: JourneyMap) -> Markup:
    """The map as an SVG grid; every text escaped."""
    cells = {(c.phase, c.touchpoint): c for c in found.cells}
    width = LEFT + CELL_W * len(found.phases) + 4
    height = TOP + CELL_H * len(found.touchpoints) + 4
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="map-title"><title id="map-title">Journey map: '
        "irritant heat per touchpoint type and lifecycle phase</title>"
    ]
    for col, phase in enumerate(found.phases):
        x = LEFT + col * CELL_W + CELL_W / 2
        parts.append(f'<text x="{x}" y="16" text-anchor="middle">{escape(phase)}</text>')
    for row, name in enumerate(found.touchpoints):
        y = TOP + row * CELL_H
        parts.append(f'<text x="{LEFT - 6}" y="{y + 21}" text-anchor="end">{escape(name)}</text>')
        for col, phase in enumerate(found.phases):
            cell = cells.get((phase, name))
            x = LEFT + col * CELL_W
            fill = _fill(cell.irritant_heat) if cell else "#ffffff"
            parts.append(
                f'<rect x="{x}" y="{y}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                f'fill="{fill}" stroke="#cccccc"/>'
            )
            if cell:
                parts.append(f'<text x="{x + 6}" y="{y + 21}">{cell.interactions}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 - names escaped above, the rest numbers


@router.get("/journeys", response_model=None)
def journeys_page(request: Request, db: PageDb, page: CurrentPage) -> Response:
    page.require(Role.MANAGER)
    raw = request.query_params.get("outcome", "decline")
    if raw not in ("decline", "termination"):
        raise InvalidInput("outcome: decline or termination")
    outcome: Outcome = "decline" if raw == "decline" else "termination"
    found = service.journey_map(db=db, since=None, until=None)
    moments = service.cached_moments(db=db, outcome=outcome)
    context = {
        **page.values("journeys"),
        "map": found,
        "heat": heat_svg(found),
        "moments": moments,
        "outcome": outcome,
    }
    return render(request, "journeys.html", context)
