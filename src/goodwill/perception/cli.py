"""``goodwill perception``: make one-time links for customers (and e-mail them), and the gaps
between what customers answered and what their owners estimated."""

from __future__ import annotations

import uuid
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.table import Table

from goodwill import tenancy
from goodwill.cli_support import (
    OrgOption,
    console,
    handle_errors,
    organisation_session,
    session_factory,
)
from goodwill.config import get_settings
from goodwill.database import utcnow
from goodwill.errors import InvalidInput
from goodwill.organisations import service as organisation_service
from goodwill.perception import book, gaps
from goodwill.perception.questions import KEYS
from goodwill.perception.schemas import GapBook, SurveyRequestCreate

perception_app = typer.Typer(
    help="Two-sided perception: ask customers, compare with their owners' estimates.",
    no_args_is_help=True,
)


def _ids(values: list[str] | None) -> list[uuid.UUID] | None:
    """Relationship ids given as repeated --ids or comma-separated."""
    if not values:
        return None
    ids = []
    for raw in (v.strip() for value in values for v in value.split(",")):
        try:
            ids.append(uuid.UUID(raw))
        except ValueError:
            raise InvalidInput(f"--ids: {raw!r} is not a relationship id") from None
    return ids


def _request_in(**fields: object) -> SurveyRequestCreate:
    try:
        return SurveyRequestCreate.model_validate(fields)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "selection"
        names = {"relationship_ids": "--ids", "link_base_url": "--base-url", "stage": "--stage"}
        raise InvalidInput(f"{names.get(where, '--' + where)}: {first['msg']}") from None


@perception_app.command("request")
@handle_errors
def request(
    base_url: Annotated[str, typer.Option("--base-url", help="where customers reach Goodwill")],
    stage: Annotated[str | None, typer.Option(help="relationships in this stage")] = None,
    segment: Annotated[str | None, typer.Option(help="relationships with this segment")] = None,
    owner: Annotated[
        str | None, typer.Option(help="relationships this member owns (e-mail)")
    ] = None,
    ids: Annotated[list[str] | None, typer.Option("--ids", help="relationship ids")] = None,
    expires_days: Annotated[int, typer.Option(help="days the links stay valid")] = 30,
    send: Annotated[bool, typer.Option("--send", help="e-mail each link to its customer")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """One-time links for the chosen relationships; their tokens are printed here only. A
    relationship whose last link is still open is skipped (safe to run twice)."""
    from goodwill.perception import flows, sending  # the mail and job code: only when run

    factory = session_factory()
    with organisation_session(factory, org) as db:
        owner_id = (
            organisation_service.get_member_by_email(db=db, email=owner).id if owner else None
        )
        request_in = _request_in(
            relationship_ids=_ids(ids), stage=stage, segment=segment, owner_member_id=owner_id,
            expires_in_days=expires_days, send_email=send, link_base_url=base_url,
        )  # fmt: skip
        result, outgoing = flows.ask(db=db, request_in=request_in, caller=None, base_url=base_url)
        organisation_id = tenancy.current_organisation_id(db)
    if outgoing:  # once the links are committed
        sending.send_after_commit(factory, organisation_id, get_settings(), outgoing)
    if as_json:
        typer.echo(result.model_dump_json())
        return
    for link in result.created:
        mail = " (e-mailed)" if link.emailing else ""
        typer.echo(f"{link.relationship_id}  {link.url}  until {link.expires_at:%Y-%m-%d}{mail}")
    for skipped in result.skipped:
        typer.echo(f"{skipped.relationship_id}  skipped: {skipped.reason}")
    console.print(f"{len(result.created)} link(s) made, {len(result.skipped)} skipped")


@perception_app.command("gaps")
@handle_errors
def gaps_command(
    owner: Annotated[str | None, typer.Option(help="one owner's relationships (e-mail)")] = None,
    window_days: Annotated[
        int, typer.Option(help="compare answers from these days")
    ] = gaps.DEFAULT_WINDOW_DAYS,
    threshold: Annotated[
        int, typer.Option(help="shortfall points of a blind spot")
    ] = gaps.DEFAULT_THRESHOLD,
    blind_spots: Annotated[bool, typer.Option("--blind-spots", help="only blind spots")] = False,
    limit: Annotated[int, typer.Option(help="relationships listed")] = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
    org: Annotated[str | None, OrgOption] = None,
) -> None:
    """Customer minus owner per question: the mean and spread over the book, per owner, and the
    relationships with the largest gaps (blind spots: the customer sees it worse)."""
    if not 1 <= window_days <= 730:
        raise InvalidInput("--window-days: between 1 and 730")
    if not 1 <= threshold <= gaps.MAX_GAP:
        raise InvalidInput(f"--threshold: between 1 and {gaps.MAX_GAP}")
    with organisation_session(session_factory(), org) as db:
        owner_id = (
            organisation_service.get_member_by_email(db=db, email=owner).id if owner else None
        )
        found = book.gap_book(
            db=db, as_of=utcnow(), window_days=window_days, threshold=threshold,
            owner_member_id=owner_id, blind_spots_only=blind_spots, cursor=None, limit=limit,
        )  # fmt: skip
    if as_json:
        typer.echo(found.model_dump_json())
        return
    _print_book(found, window_days, threshold)


def _print_book(found: GapBook, window_days: int, threshold: int) -> None:
    console.print(
        f"{found.relationships} relationship(s) with both sides from the last {window_days} days; "
        f"{found.blind_spots} blind spot(s) (shortfall >= {threshold})",
        highlight=False,
    )
    means = Table("question", "mean gap (customer - owner)")
    for q in found.questions:
        means.add_row(q.key, "-" if q.mean_gap is None else f"{q.mean_gap:+.2f}")
    console.print(means)
    owners = Table("owner", "compared", "blind spots")
    for o in found.owners:
        owners.add_row(o.owner_name or "(nobody)", str(o.relationships), str(o.blind_spots))
    console.print(owners)
    items = Table("relationship", "customer", "owner", *KEYS, "blind spot")
    for item in found.items:
        gap = item.gap.by_question
        items.add_row(
            str(item.relationship_id), item.customer_name or "-", item.owner_name or "-",
            *(f"{gap[k]:+d}" for k in KEYS), "yes" if item.gap.blind_spot else "",
        )  # fmt: skip
    console.print(items)


def register(app: typer.Typer) -> None:
    app.add_typer(perception_app, name="perception")
