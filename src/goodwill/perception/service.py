"""The perception verbs: choose relationships and make one-time links for them, take a
customer's answers through a link (once), take the owner's estimate, and read both sides of
one relationship with their gap. The book view across relationships is in ``book.py``.

Who may do what: a manager everything; an agent only for the relationships they own (the
estimate, reading a relationship's perception, asking its customer). A customer needs no account:
the link's token is the credential, and it opens nothing but its own questions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from goodwill import security, tenancy
from goodwill.database import in_lists, utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from goodwill.organisations.models import Member
from goodwill.perception import gaps
from goodwill.perception.models import CUSTOMER, OWNER, PerceptionAnswer, PerceptionRequest
from goodwill.perception.schemas import (
    MAX_REQUESTS,
    Answer,
    GapRead,
    OpenRequest,
    RelationshipPerception,
    SideRead,
    Skipped,
    SurveyRequestCreate,
)
from goodwill.relationships import service as relationship_service
from goodwill.relationships.models import Relationship
from goodwill.types import Role

MAX_TOKEN_LENGTH = 200


def is_manager(member: Member) -> bool:
    return Role(member.role).allows(Role.MANAGER)


def check_access(member: Member, relationship: Relationship) -> None:
    """The relationship's owner and managers see and answer its perception; others get 403."""
    if is_manager(member) or relationship.owner_member_id == member.id:
        return
    raise PermissionDenied(
        "only the relationship's owner or a manager sees or gives its perception"
    )


def get_relationship(*, db: Session, relationship_id: uuid.UUID, member: Member) -> Relationship:
    relationship = relationship_service.get(db=db, relationship_id=relationship_id)
    check_access(member, relationship)
    return relationship


def _owner_filter(
    db: Session, request_in: SurveyRequestCreate, caller: Member | None
) -> uuid.UUID | None:
    """The owner the selection is limited to: an agent's own relationships only."""
    owner = request_in.owner_member_id
    if caller is not None and not is_manager(caller):
        if owner not in (None, caller.id):
            raise PermissionDenied("owner_member_id: an agent asks only their own customers")
        return caller.id
    if owner is not None and db.get(Member, owner) is None:
        raise NotFound(f"owner_member_id: member {owner} not found")
    return owner


def _check_ids(
    db: Session, ids: list[uuid.UUID], owner: uuid.UUID | None, caller: Member | None
) -> None:
    found: dict[uuid.UUID, uuid.UUID | None] = {}
    for chunk in in_lists(ids):
        stmt = select(Relationship.id, Relationship.owner_member_id).where(
            Relationship.id.in_(chunk)
        )
        found.update({row.id: row.owner_member_id for row in db.execute(stmt)})
    for relationship_id in ids:
        if relationship_id not in found:
            raise NotFound(f"relationship_ids: relationship {relationship_id} not found")
        if caller is not None and not is_manager(caller) and found[relationship_id] != owner:
            raise PermissionDenied(f"relationship_ids: relationship {relationship_id} is not yours")


def select_for_survey(
    *, db: Session, request_in: SurveyRequestCreate, caller: Member | None
) -> list[Relationship]:
    """The relationships every given selector matches (``caller`` None: the CLI, unlimited)."""
    owner = _owner_filter(db, request_in, caller)
    stmt = relationship_service.query_all(
        owner_member_id=owner, stage=request_in.stage, segment=request_in.segment
    )
    if request_in.relationship_ids is not None:
        ids = list(dict.fromkeys(request_in.relationship_ids))
        _check_ids(db, ids, owner, caller)
        stmt = stmt.where(Relationship.id.in_(ids))
    rows = list(db.scalars(stmt.order_by(Relationship.id).limit(MAX_REQUESTS + 1)))
    if len(rows) > MAX_REQUESTS:
        raise InvalidInput(
            f"the selection holds more than {MAX_REQUESTS} relationships: narrow it "
            "(stage, segment, owner) or send it in parts"
        )
    if not rows:
        raise InvalidInput(
            "no relationship matches the selection (relationship_ids, stage, segment, owner)"
        )
    return rows


@dataclass(frozen=True)
class NewLink:
    """A request just made, with its token: held in memory only, never stored."""

    request: PerceptionRequest
    token: str


def _open_since(
    db: Session, relationship_ids: list[uuid.UUID], now: datetime
) -> dict[uuid.UUID, datetime]:
    """Relationship id → when its still open link was made."""
    found: dict[uuid.UUID, datetime] = {}
    for chunk in in_lists(relationship_ids):
        stmt = select(PerceptionRequest.relationship_id, PerceptionRequest.created_at).where(
            PerceptionRequest.relationship_id.in_(chunk),
            PerceptionRequest.answered_at.is_(None),
            PerceptionRequest.expires_at > now,
        )
        for row in db.execute(stmt):
            found[row.relationship_id] = max(
                row.created_at, found.get(row.relationship_id, row.created_at)
            )
    return found


def create_requests(
    *,
    db: Session,
    relationships: list[Relationship],
    member_id: uuid.UUID | None,
    expires_in_days: int,
    now: datetime | None = None,
) -> tuple[list[NewLink], list[Skipped]]:
    """One link per relationship; a relationship whose last link is still open is skipped, so
    asking twice does not ask a customer twice."""
    now = now or utcnow()
    still_open = _open_since(db, [r.id for r in relationships], now)
    links: list[NewLink] = []
    skipped: list[Skipped] = []
    for relationship in relationships:
        if relationship.id in still_open:
            since = still_open[relationship.id].date().isoformat()
            skipped.append(
                Skipped(
                    relationship_id=relationship.id, reason=f"a link made on {since} is still open"
                )
            )
            continue
        token = security.new_token()
        request = PerceptionRequest(
            relationship_id=relationship.id,
            token_hash=security.token_digest(token),
            created_by_member_id=member_id,
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days),
        )
        db.add(request)
        links.append(NewLink(request, token))
    db.flush()
    return links, skipped


def find_by_token(*, db: Session, token: str) -> PerceptionRequest:
    """The request behind a link's token, with ``db`` scoped to its organisation from then on;
    an unknown token is a NotFound (used and expired ones are found: see :func:`link_state`)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise NotFound("this link is not valid")
    digest = security.token_digest(token)
    with tenancy.system_scope(db):
        request = db.scalar(select(PerceptionRequest).where(PerceptionRequest.token_hash == digest))
    if request is None:
        raise NotFound("this link is not valid")
    tenancy.scope(db, request.organisation_id)
    return request


def link_state(request: PerceptionRequest, now: datetime | None = None) -> str:
    """``open``, ``answered`` or ``expired``."""
    if request.answered_at is not None:
        return "answered"
    return "expired" if request.expires_at <= (now or utcnow()) else "open"


def answer_by_customer(
    *, db: Session, request: PerceptionRequest, answer: Answer, now: datetime | None = None
) -> PerceptionAnswer:
    """Store the customer's answers once: the link is claimed by a conditional UPDATE, so two
    submissions at the same moment store one answer and the other gets a Conflict."""
    now = now or utcnow()
    claimed = db.execute(
        update(PerceptionRequest)
        .where(
            PerceptionRequest.id == request.id,
            PerceptionRequest.answered_at.is_(None),
            PerceptionRequest.expires_at > now,
        )
        .values(answered_at=now)
        .execution_options(synchronize_session=False)
    )
    db.refresh(request)
    if getattr(claimed, "rowcount", 0) != 1:
        raise Conflict(f"this link has {'been used' if request.answered_at else 'expired'}")
    row = PerceptionAnswer(
        relationship_id=request.relationship_id,
        side=CUSTOMER,
        request_id=request.id,
        answered_at=now,
        **answer.model_dump(),
    )
    db.add(row)
    db.flush()
    return row


def estimate(
    *,
    db: Session,
    relationship: Relationship,
    member: Member,
    answer: Answer,
    now: datetime | None = None,
) -> PerceptionAnswer:
    """The owner's (or a manager's) estimate of how the customer sees it; the latest counts."""
    check_access(member, relationship)
    row = PerceptionAnswer(
        relationship_id=relationship.id,
        side=OWNER,
        member_id=member.id,
        answered_at=now or utcnow(),
        **answer.model_dump(),
    )
    db.add(row)
    db.flush()
    return row


def latest(*, db: Session, relationship_id: uuid.UUID, side: str) -> PerceptionAnswer | None:
    stmt = (
        select(PerceptionAnswer)
        .where(PerceptionAnswer.relationship_id == relationship_id, PerceptionAnswer.side == side)
        .order_by(PerceptionAnswer.answered_at.desc(), PerceptionAnswer.id.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def open_request(
    *, db: Session, relationship_id: uuid.UUID, now: datetime | None = None
) -> PerceptionRequest | None:
    stmt = (
        select(PerceptionRequest)
        .where(
            PerceptionRequest.relationship_id == relationship_id,
            PerceptionRequest.answered_at.is_(None),
            PerceptionRequest.expires_at > (now or utcnow()),
        )
        .order_by(PerceptionRequest.created_at.desc())
        .limit(1)
    )
    return db.scalar(stmt)


def side_answers(row: PerceptionAnswer) -> gaps.SideAnswers:
    return gaps.SideAnswers(row.scores(), row.answered_at)


def gap_read(found: gaps.Gap) -> GapRead:
    return GapRead(
        by_question=found.by_question,
        shortfall=found.shortfall,
        largest_shortfall=found.largest_shortfall,
        blind_spot=found.blind_spot,
        customer_balance=found.customer_balance,
        owner_balance=found.owner_balance,
        older_side=found.older_side,
        days_apart=found.days_apart,
    )


def _side_read(row: PerceptionAnswer | None) -> SideRead | None:
    if row is None:
        return None
    return SideRead(
        side=row.side,
        scores=row.scores(),
        comment=row.comment,
        answered_at=row.answered_at,
        member_id=row.member_id,
    )


def relationship_perception(
    *,
    db: Session,
    relationship: Relationship,
    window_days: int = gaps.DEFAULT_WINDOW_DAYS,
    threshold: int = gaps.DEFAULT_THRESHOLD,
    as_of: datetime | None = None,
) -> RelationshipPerception:
    """Both sides' latest answers, dated, and their gap when both are from the window."""
    as_of = as_of or utcnow()
    customer = latest(db=db, relationship_id=relationship.id, side=CUSTOMER)
    owner = latest(db=db, relationship_id=relationship.id, side=OWNER)
    c_side = side_answers(customer) if customer else None
    o_side = side_answers(owner) if owner else None
    reason = gaps.not_comparable(c_side, o_side, as_of=as_of, window_days=window_days)
    found = None
    if reason is None and c_side is not None and o_side is not None:
        found = gap_read(gaps.gap(c_side, o_side, threshold=threshold))
    pending = open_request(db=db, relationship_id=relationship.id, now=as_of)
    return RelationshipPerception(
        relationship_id=relationship.id,
        owner_member_id=relationship.owner_member_id,
        window_days=window_days,
        threshold=threshold,
        customer=_side_read(customer),
        owner=_side_read(owner),
        comparable=found is not None,
        reason=reason,
        gap=found,
        open_request=None
        if pending is None
        else OpenRequest(
            request_id=pending.id,
            created_at=pending.created_at,
            expires_at=pending.expires_at,
            emailed_at=pending.emailed_at,
            delivery_error=pending.delivery_error,
        ),
    )
