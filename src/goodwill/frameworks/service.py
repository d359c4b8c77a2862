"""Response frameworks: save (each save a new version, reviewed by the coach), publish (blocked by
irritants unless a manager overrides with a reason), retire, and list."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from functools import cache
from typing import Any

import numpy as np
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from goodwill.coach.engine import Coach
from goodwill.database import utcnow
from goodwill.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from goodwill.feedback import grouping
from goodwill.frameworks import blocks, review
from goodwill.frameworks.models import ResponseFramework, ResponseFrameworkVersion
from goodwill.frameworks.schemas import FrameworkSave, PurposeIn
from goodwill.interactions.models import Interaction
from goodwill.messages.models import MessageAnalysis
from goodwill.organisations.models import Member
from goodwill.types import Role

REAL_MESSAGES_SCANNED = 200
STATUSES = ("draft", "published", "retired")


class PublicationBlocked(Conflict):
    """The coach found irritants that block publication; ``review`` says which."""

    def __init__(self, framework_id: uuid.UUID, version: int, found: dict[str, Any]) -> None:
        self.review = found
        categories = sorted({f["category"] for f in found.get("blocking", [])})
        super().__init__(
            f"framework {framework_id} version {version} is not published: the coach found "
            f"{', '.join(categories)}; fix the text, or a manager can override with a reason"
        )


@cache
def coach() -> Coach:
    """One coach per process (its reader and catalogue load once)."""
    return Coach()


def parse_or_raise(body: str, *, where: str = "body") -> list[blocks.Block]:
    try:
        return blocks.parse(body)
    except blocks.BodyError as exc:
        raise InvalidInput(f"{where}: {exc}") from None


def purpose_of(purpose: PurposeIn) -> review.Purpose:
    return review.Purpose(
        tuple(purpose.intents),
        tuple(purpose.phases),
        tuple(purpose.emotions),
        tuple(purpose.stages),
    )


def vector_of(name: str, purpose: PurposeIn) -> bytes:
    """The purpose's meaning: the static-embedding mean of name, description and examples."""
    texts = [name, purpose.description or "", *purpose.examples]
    vectors = grouping.encoder("static").encode([t for t in texts if t.strip()])
    return grouping.to_bytes(grouping.centroid(vectors))


def real_messages(*, db: Session, intents: Sequence[str]) -> list[str]:
    """The organisation's latest analysed inbound messages of these intents."""
    stmt = (
        select(Interaction.body, MessageAnalysis.result)
        .join(MessageAnalysis, MessageAnalysis.interaction_id == Interaction.id)
        .where(
            MessageAnalysis.analyser == "intent",
            Interaction.direction == "inbound",
            Interaction.kind == "message",
        )
        .order_by(Interaction.occurred_at.desc())
        .limit(REAL_MESSAGES_SCANNED)
    )
    wanted = set(intents)
    return [
        body
        for body, result in db.execute(stmt)
        if body and (not wanted or wanted & set(result or []))
    ][: review.MAX_REAL]


def review_body(
    *, db: Session | None, parsed: list[blocks.Block], purpose: PurposeIn
) -> review.Review:
    real = real_messages(db=db, intents=purpose.intents) if db is not None else []
    return review.review(coach(), parsed, purpose_of(purpose), real)


def _can_edit(framework: ResponseFramework, member: Member | None) -> None:
    if member is None or framework.owner_member_id == member.id:
        return
    if not Role(member.role).allows(Role.MANAGER):
        raise PermissionDenied("only the framework's owner or a manager can change it")


def _new_version(
    db: Session, framework: ResponseFramework, save: FrameworkSave, member: Member | None
) -> ResponseFrameworkVersion:
    parsed = parse_or_raise(save.body)
    found = review_body(db=db, parsed=parsed, purpose=save)
    framework.latest_version += 1
    version = ResponseFrameworkVersion(
        framework_id=framework.id,
        number=framework.latest_version,
        name=save.name,
        body=save.body,
        description=save.description,
        intents=save.intents,
        phases=save.phases,
        emotions=save.emotions,
        stages=save.stages,
        examples=save.examples,
        vector=vector_of(save.name, save),
        review=found.to_json(),
        review_passed=found.passed,
        created_by_member_id=member.id if member else None,
    )
    db.add(version)
    framework.name, framework.updated_at = save.name, utcnow()
    db.flush()
    return version


def check_owner(db: Session, owner_member_id: uuid.UUID) -> None:
    if db.get(Member, owner_member_id) is None:
        raise NotFound(f"member {owner_member_id} not found")


def create(
    *,
    db: Session,
    save: FrameworkSave,
    member: Member | None,
    owner_member_id: uuid.UUID | None = None,
) -> ResponseFramework:
    """A new draft framework (its first version, reviewed)."""
    if owner_member_id is not None:
        check_owner(db, owner_member_id)
    owner = owner_member_id or (member.id if member else None)
    framework = ResponseFramework(name=save.name, status="draft", owner_member_id=owner)
    db.add(framework)
    db.flush()
    _new_version(db, framework, save, member)
    return framework


def save(
    *, db: Session, framework: ResponseFramework, save: FrameworkSave, member: Member | None
) -> ResponseFrameworkVersion:
    """A new version; a published framework keeps serving its published version until this
    one is published."""
    _can_edit(framework, member)
    return _new_version(db, framework, save, member)


def publish(
    *,
    db: Session,
    framework: ResponseFramework,
    member: Member | None,
    override_reason: str | None = None,
) -> ResponseFrameworkVersion:
    """Publish the latest version. Blocked by the coach's review unless a manager overrides
    with a reason (kept on the version, with who overrode)."""
    _can_edit(framework, member)
    version = get_version(db=db, framework_id=framework.id, number=framework.latest_version)
    if framework.status == "published" and framework.published_version == version.number:
        return version
    if not version.review_passed:
        if override_reason is None or not override_reason.strip():
            raise PublicationBlocked(framework.id, version.number, version.review)
        if member is not None and not Role(member.role).allows(Role.MANAGER):
            raise PermissionDenied("only a manager can override the coach's review")
        version.override_reason = override_reason.strip()
        version.override_member_id = member.id if member else None
    version.published_at = utcnow()
    framework.published_version, framework.status = version.number, "published"
    framework.updated_at = utcnow()
    db.flush()
    return version


def retire(*, db: Session, framework: ResponseFramework, member: Member | None) -> None:
    """No longer suggested or filled; its versions and outcomes are kept."""
    _can_edit(framework, member)
    framework.status, framework.updated_at = "retired", utcnow()
    db.flush()


def get(*, db: Session, framework_id: uuid.UUID) -> ResponseFramework:
    framework = db.get(ResponseFramework, framework_id)
    if framework is None:
        raise NotFound(f"framework {framework_id} not found")
    return framework


def query_frameworks(*, status: str | None = None) -> Select[Any]:
    stmt = select(ResponseFramework)
    if status is not None:
        if status not in STATUSES:
            raise InvalidInput(f"status: {status!r} is not one of {', '.join(STATUSES)}")
        stmt = stmt.where(ResponseFramework.status == status)
    return stmt


def versions_of(*, db: Session, framework_id: uuid.UUID) -> list[ResponseFrameworkVersion]:
    stmt = select(ResponseFrameworkVersion).where(
        ResponseFrameworkVersion.framework_id == framework_id
    )
    return list(db.scalars(stmt.order_by(ResponseFrameworkVersion.number.desc())))


def get_version(*, db: Session, framework_id: uuid.UUID, number: int) -> ResponseFrameworkVersion:
    stmt = select(ResponseFrameworkVersion).where(
        ResponseFrameworkVersion.framework_id == framework_id,
        ResponseFrameworkVersion.number == number,
    )
    version = db.scalar(stmt)
    if version is None:
        raise NotFound(f"framework {framework_id}: no version {number}")
    return version


def version_for_use(
    *, db: Session, framework: ResponseFramework, number: int | None
) -> ResponseFrameworkVersion:
    """The asked version; by default the published one (the latest for a never-published
    draft, so the editor can preview it). A retired framework is not used."""
    if number is None and framework.status == "retired":
        raise Conflict(f"framework {framework.id} is retired")
    chosen = number or framework.published_version or framework.latest_version
    return get_version(db=db, framework_id=framework.id, number=chosen)


def decode(vector: bytes) -> np.ndarray[Any, np.dtype[np.float32]]:
    return grouping.from_bytes(vector)
