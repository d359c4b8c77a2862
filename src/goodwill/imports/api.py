"""JSON route for importing one file over HTTP (managers and admins)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, BackgroundTasks, HTTPException, Request, status
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from goodwill import ingest
from goodwill.dependencies import AppSettings, DbSession, ManagerMember
from goodwill.errors import InvalidInput
from goodwill.imports import service
from goodwill.imports.readers import human_size
from goodwill.imports.rows import Kind
from goodwill.imports.schemas import ImportRead

router = APIRouter(tags=["imports"])

_MULTIPART_OVERHEAD = 64 * 1024
_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "kind": {
                            "type": "string",
                            "enum": [*(k.value for k in Kind), service.EMAIL],
                            "description": "what the rows are, when the file name does not say",
                        },
                        "encoding": {
                            "type": "string",
                            "description": "e.g. cp1252; UTF-8 if unset",
                        },
                    },
                }
            }
        },
    }
}


def _too_large(what: str, size: int, limit: int) -> HTTPException:
    return HTTPException(
        status.HTTP_413_CONTENT_TOO_LARGE,
        detail=f"{what} is {human_size(size)}, over the upload limit of {human_size(limit)} "
        "(GOODWILL_MAX_UPLOAD_BYTES)",
    )


def _form_text(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


@router.post(
    "/imports",
    response_model=ImportRead,
    status_code=status.HTTP_201_CREATED,
    openapi_extra=_UPLOAD_BODY,
    responses={413: {"description": "file over the upload limit"}, 422: {"description": "refused"}},
)
async def create_import(
    request: Request,
    db: DbSession,
    member: ManagerMember,
    settings: AppSettings,
    background: BackgroundTasks,
) -> ImportRead:
    """Import one CSV, JSONL, EML or mbox file (multipart field ``file``): all of it or nothing."""
    limit = min(settings.max_upload_bytes, settings.max_import_bytes)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit + _MULTIPART_OVERHEAD:
        raise _too_large("the upload", int(declared), limit)
    form = await request.form(max_files=1, max_fields=10)
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InvalidInput("file: send the file in the multipart field 'file'")
        name = upload.filename or "upload"
        if upload.size is not None and upload.size > limit:
            raise _too_large(name, upload.size, limit)
        result = await run_in_threadpool(
            service.import_file,
            db=db,
            stream=upload.file,
            source_name=name,
            kind=_form_text(form.get("kind")),
            encoding=_form_text(form.get("encoding")),
            member_id=member.id,
            max_bytes=limit,
        )
    finally:
        await form.close()
    ingest.after_response(request, background, member.organisation_id)
    return ImportRead(
        import_id=result.import_id,
        source=result.source,
        created=result.created,
        skipped=result.skipped,
    )
