"""JSON routes of response frameworks: the library (each save a version, reviewed by the coach),
publication (409 with the coach's findings when blocked; a manager may override with a reason),
suggestion and filling in a conversation, usage events, outcomes and import."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi import status as http_status
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from goodwill.dependencies import CurrentMember, DbSession, ManagerMember
from goodwill.errors import InvalidInput
from goodwill.frameworks import blocks, flows, importing, outcomes, service
from goodwill.frameworks.models import ResponseFramework
from goodwill.frameworks.schemas import (
    BlockErrorRead,
    CheckRead,
    FillRead,
    FillRequest,
    FrameworkCheck,
    FrameworkCreate,
    FrameworkDetail,
    FrameworkPage,
    FrameworkRead,
    FrameworkSave,
    ImportedRead,
    ImportRead,
    OutcomeList,
    OutcomeRead,
    PublishRequest,
    ReviewRead,
    SentenceRead,
    SuggestionRead,
    SuggestRead,
    SuggestRequest,
    UsageCreate,
    UsageRead,
    VersionList,
    VersionRead,
)
from goodwill.pagination import paginate

router = APIRouter(tags=["response frameworks"])
MAX_IMPORT_BYTES = 10_000_000


def _detail(db: Session, framework: ResponseFramework) -> FrameworkDetail:
    versions = service.versions_of(db=db, framework_id=framework.id)
    published = next((v for v in versions if v.number == framework.published_version), None)
    return FrameworkDetail.model_validate(
        {
            **FrameworkRead.model_validate(framework).model_dump(),
            "latest": VersionRead.model_validate(versions[0]),
            "published": VersionRead.model_validate(published) if published else None,
        }
    )


@router.get("/frameworks", response_model=FrameworkPage)
def list_frameworks(
    db: DbSession,
    _: CurrentMember,
    status: str | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> FrameworkPage:
    rows, next_cursor = paginate(
        db,
        service.query_frameworks(status=status),
        keys=[ResponseFramework.id],
        cursor=cursor,
        limit=limit,
    )
    return FrameworkPage(
        items=[FrameworkRead.model_validate(r) for r in rows], next_cursor=next_cursor
    )


@router.post(
    "/frameworks", response_model=FrameworkDetail, status_code=http_status.HTTP_201_CREATED
)
def create_framework(
    db: DbSession, member: CurrentMember, body: FrameworkCreate
) -> FrameworkDetail:
    """A new draft framework, reviewed by the coach (its review is on the version)."""
    framework = service.create(
        db=db, save=body, member=member, owner_member_id=body.owner_member_id
    )
    return _detail(db, framework)


@router.post("/frameworks/check", response_model=CheckRead)
def check_framework(db: DbSession, _: CurrentMember, body: FrameworkCheck) -> CheckRead:
    """An unsaved body's mistakes or, when it parses, the coach's review (the editor's live
    view)."""
    try:
        parsed = blocks.parse(body.body)
    except blocks.BodyError as exc:
        errors = [BlockErrorRead(line=e.line, message=e.message) for e in exc.errors]
        return CheckRead(errors=errors, slots=[], review=None)
    found = service.review_body(db=db, parsed=parsed, purpose=body)
    slots = list(dict.fromkeys(s.name for s in blocks.slots_of(parsed)))
    return CheckRead(errors=[], slots=slots, review=ReviewRead.model_validate(found.to_json()))


@router.post("/frameworks/suggest", response_model=SuggestRead)
def suggest_frameworks(db: DbSession, member: CurrentMember, body: SuggestRequest) -> SuggestRead:
    """The published frameworks that fit the message and the relationship, best first."""
    found = flows.suggest_for(
        db=db,
        interaction_id=body.interaction_id,
        customer_message=body.customer_message,
        relationship_id=body.relationship_id,
        member=member,
        limit=body.limit,
    )
    facts = found.ctx.facts
    return SuggestRead(
        intent=found.ctx.intents[0] if found.ctx.intents else None,
        emotion=flows.text_fact(facts.get("emotion")),
        phase=flows.text_fact(facts.get("phase")),
        stage=flows.text_fact(facts.get("stage")),
        items=[
            SuggestionRead(
                framework_id=s.candidate.framework_id,
                version=s.candidate.version,
                name=s.candidate.name,
                score=s.score,
                why=list(s.why),
            )
            for s in found.items
        ],
    )


@router.get("/frameworks/outcomes", response_model=OutcomeList)
def framework_outcomes(
    db: DbSession, _: ManagerMember, days: Annotated[int, Query(ge=1, le=365)] = 7
) -> OutcomeList:
    """Per framework: uses, edits, deleted sentences, and what followed its sent replies."""
    items = []
    for o in outcomes.summarise(db=db, days=days):
        rates = {
            k: o.rate(k) for k in ("repeat_contact", "sentiment_recovery", "reopen", "promise_kept")
        }
        flagged = o.flagged_sentences()
        items.append(
            OutcomeRead(
                framework_id=o.framework_id,
                name=o.name,
                status=o.status,
                suggested=o.counts["suggested"],
                used=o.counts["used"],
                sent=o.counts["sent"],
                edited=o.counts["edited"],
                mean_edit_ratio=round(sum(o.edit_ratios) / len(o.edit_ratios), 4)
                if o.edit_ratios
                else None,
                **{f"{k}_rate": v[0] for k, v in rates.items()},
                **{f"{k}_known": v[1] for k, v in rates.items()},
                deleted_sentences=[
                    SentenceRead(sentence=s, deleted=n, sent=o.counts["sent"])
                    for s, n in o.deleted.most_common(20)
                ],
                flagged=bool(flagged),
            )
        )
    return OutcomeList(days=days, items=items)


@router.post(
    "/frameworks/import", response_model=ImportRead, status_code=http_status.HTTP_201_CREATED
)
async def import_frameworks(request: Request, db: DbSession, member: ManagerMember) -> ImportRead:
    """A CSV or JSON file of canned responses (multipart field ``file``), all or nothing; each
    becomes a draft framework with the coach's review."""
    form = await request.form(max_files=1, max_fields=5)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: send the CSV or JSON in the multipart field 'file'")
        content = await upload.read(MAX_IMPORT_BYTES + 1)
        name, kind = upload.filename or "frameworks", upload.content_type or ""
    finally:
        await form.close()
    if len(content) > MAX_IMPORT_BYTES:
        raise InvalidInput(f"file: over {MAX_IMPORT_BYTES // 1_000_000} MB")
    done = importing.import_file(
        db=db, content=content, fmt=importing.format_of(name, kind), source=name, member=member
    )
    items = [
        ImportedRead(
            framework_id=i.framework.id,
            name=i.framework.name,
            line=i.line,
            review=ReviewRead.model_validate(i.review),
        )
        for i in done
    ]
    return ImportRead(imported=len(items), passed=sum(i.review.passed for i in items), items=items)


@router.get("/frameworks/{framework_id}", response_model=FrameworkDetail)
def get_framework(db: DbSession, _: CurrentMember, framework_id: uuid.UUID) -> FrameworkDetail:
    return _detail(db, service.get(db=db, framework_id=framework_id))


@router.put("/frameworks/{framework_id}", response_model=FrameworkDetail)
def save_framework(
    db: DbSession, member: CurrentMember, framework_id: uuid.UUID, body: FrameworkSave
) -> FrameworkDetail:
    """A new version (the owner or a manager); the published version serves until this one is
    published."""
    framework = service.get(db=db, framework_id=framework_id)
    service.save(db=db, framework=framework, save=body, member=member)
    return _detail(db, framework)


@router.get("/frameworks/{framework_id}/versions", response_model=VersionList)
def list_versions(db: DbSession, _: CurrentMember, framework_id: uuid.UUID) -> VersionList:
    service.get(db=db, framework_id=framework_id)
    versions = service.versions_of(db=db, framework_id=framework_id)
    return VersionList(items=[VersionRead.model_validate(v) for v in versions])


@router.post(
    "/frameworks/{framework_id}/publish",
    response_model=FrameworkDetail,
    responses={409: {"description": "the coach's review blocks publication (findings listed)"}},
)
def publish_framework(
    db: DbSession, member: CurrentMember, framework_id: uuid.UUID, body: PublishRequest
) -> Any:
    """Publish the latest version; 409 with the blocking findings unless a manager overrides
    with ``override_reason`` (recorded on the version)."""
    framework = service.get(db=db, framework_id=framework_id)
    try:
        service.publish(
            db=db, framework=framework, member=member, override_reason=body.override_reason
        )
    except service.PublicationBlocked as exc:
        return JSONResponse(
            {"detail": str(exc), "blocking": exc.review.get("blocking", []), "review": exc.review},
            status_code=http_status.HTTP_409_CONFLICT,
        )
    return _detail(db, framework)


@router.post("/frameworks/{framework_id}/retire", response_model=FrameworkDetail)
def retire_framework(
    db: DbSession, member: CurrentMember, framework_id: uuid.UUID
) -> FrameworkDetail:
    framework = service.get(db=db, framework_id=framework_id)
    service.retire(db=db, framework=framework, member=member)
    return _detail(db, framework)


@router.post("/frameworks/{framework_id}/fill", response_model=FillRead)
def fill_framework(
    db: DbSession, member: CurrentMember, framework_id: uuid.UUID, body: FillRequest
) -> FillRead:
    """The framework filled for a reply: slots marked, conditions evaluated, coach findings."""
    filled = flows.fill(
        db=db,
        framework=service.get(db=db, framework_id=framework_id),
        member=member,
        relationship_id=body.relationship_id,
        interaction_id=body.interaction_id,
        customer_message=body.customer_message,
        number=body.version,
    )
    r, verdict = filled.rendered, filled.verdict
    return FillRead.model_validate(
        {
            "framework_id": framework_id,
            "version": filled.version.number,
            "text": r.text,
            "slots": [vars_of(s) for s in r.slots],
            "variables": dict(r.variables),
            "missing_variables": list(dict.fromkeys(r.missing)),
            "conditions": [{"condition": c, "result": v} for c, v in r.conditions],
            "reviewed_text": r.without_slots(),
            "score": verdict.score if verdict else None,
            "findings": [f.to_json() for f in verdict.findings] if verdict else [],
        }
    )


def vars_of(span: blocks.SlotSpan) -> dict[str, Any]:
    return {
        "name": span.name,
        "placeholder": span.placeholder,
        "start": span.start,
        "end": span.end,
    }


@router.post(
    "/frameworks/{framework_id}/usages",
    response_model=UsageRead,
    status_code=http_status.HTTP_201_CREATED,
)
def record_usage(
    db: DbSession, member: CurrentMember, framework_id: uuid.UUID, body: UsageCreate
) -> UsageRead:
    """Record a use; ``sent`` is refused (422) while a slot is empty, its placeholder or too
    short, or its text is missing from ``final_text``."""
    framework = service.get(db=db, framework_id=framework_id)
    usage = outcomes.record(db=db, framework=framework, member=member, usage_in=body)
    return UsageRead.model_validate(usage)
