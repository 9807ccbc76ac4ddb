"""Attachment contents: ``HEAD|GET /blobs/{sha256}`` and resumable uploads (tus-style) under ``/uploads``.

``HEAD /blobs/{sha}`` says whether the server already has a content (dedup: a client that knows the hash
has the bytes), ``GET`` serves it (with ``Range``) only to a caller who may read an attachment record naming
it.  ``POST /uploads`` is idempotent per hash: the open session again, or ``complete: true`` when the blob
is stored.  ``PATCH /uploads/{id}`` appends a chunk at ``Upload-Offset``: a different offset answers 409
with the server's offset (the client resumes there); the last chunk is verified (422 and a restart at 0 on
a hash mismatch) and moved into the blobs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Request, Response, status
from fastapi import Path as PathParam
from fastapi.responses import FileResponse, JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from uuid6 import uuid7

from app import wire
from server.api.push import NO_NUL
from server.blobs import SHA256, append_chunk, blob_path, file_sha256, finish, may_read, open_session, state
from server.config import Settings
from server.deps import Caller, CallerDep, SessionDep
from server.models import Blob, Upload
from server.scopes import granted_scopes

router = APIRouter(tags=["blobs"])
UploadId = Annotated[str, PathParam(max_length=36, pattern=NO_NUL)]
NO_BLOB = "服务器上没有这个附件文件"
NOT_YOURS = "无权下载此附件：它不属于分配给您的组织"
NO_UPLOAD = "上传会话不存在，请重新开始上传"
BAD_HASH = "sha256 应为 64 位小写十六进制摘要"
HASH_MISMATCH = "上传的文件内容与摘要不符（传输中损坏），请从头重新上传"
TOO_LONG = "上传的数据超过了声明的文件大小"


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _check_hash(sha256: str) -> None:
    if not SHA256.match(sha256):
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, detail=BAD_HASH)


@router.head("/blobs/{sha256}")
def has_blob(sha256: str, request: Request, caller: CallerDep, session: SessionDep) -> Response:
    _check_hash(sha256)
    blob = session.get(Blob, sha256)
    if blob is None or not blob_path(_settings(request).blobs_dir, sha256).is_file():
        return Response(status_code=status.HTTP_404_NOT_FOUND)
    return Response(headers={"Content-Length": str(blob.size), "Content-Type": blob.mime})


@router.get("/blobs/{sha256}", response_class=FileResponse)
def get_blob(sha256: str, request: Request, caller: CallerDep, session: SessionDep) -> FileResponse:
    _check_hash(sha256)
    blob = session.get(Blob, sha256)
    path = blob_path(_settings(request).blobs_dir, sha256)
    if blob is None or not path.exists():
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NO_BLOB)
    if not may_read(session, sha256, granted_scopes(session, caller)):
        raise HTTPException(status.HTTP_403_FORBIDDEN, detail=NOT_YOURS)
    session.rollback()
    return FileResponse(path, media_type=blob.mime)  # answers Range requests with 206 itself


class UploadStartBody(BaseModel):
    sha256: str = Field(pattern="^[0-9a-f]{64}$")
    size: int = Field(ge=0, le=2**40)
    mime: str = Field(default="application/octet-stream", max_length=100, pattern=NO_NUL)


@router.post("/uploads", response_model=None)  # wire.UploadState
def start_upload(body: UploadStartBody, request: Request, caller: CallerDep,
                 session: SessionDep) -> wire.UploadState | JSONResponse:
    settings = _settings(request)
    if _stored(session, settings.blobs_dir, body.sha256, body.size, body.mime):
        session.commit()
        return {"upload_id": "", "offset": body.size, "size": body.size, "complete": True}
    upload = open_session(session, settings.uploads_dir, str(uuid7()),
                          {"sha256": body.sha256, "size": body.size, "mime": body.mime}, caller.user_id)
    if upload.size == 0:  # nothing to send: verify the empty content now
        refused = _finish_or_refuse(session, settings, upload)
        if refused is not None:
            return refused
    result = state(upload)
    session.commit()
    return result


def _stored(session: SessionDep, blobs_dir: Path, sha256: str, size: int, mime: str) -> bool:
    """The blob is stored; also when a crash left its file in place before the row was committed.  A row
    whose file is gone (a disk restored without it) is dropped, so the content is uploaded again."""
    path = blob_path(blobs_dir, sha256)
    blob = session.get(Blob, sha256)
    if blob is not None:
        if path.is_file():
            return True
        session.delete(blob)
        session.flush()
    if path.exists() and path.stat().st_size == size and file_sha256(path) == sha256:
        session.add(Blob(sha256=sha256, size=size, mime=mime))
        session.flush()
        return True
    return False


def _upload(session: SessionDep, upload_id: str, caller: Caller) -> Upload:
    """The caller's own upload session (another user's is "not found": its id tells them nothing)."""
    upload = session.execute(select(Upload).where(Upload.id == upload_id).with_for_update()).scalar_one_or_none()
    if upload is None or upload.user_id != caller.user_id:
        raise HTTPException(status.HTTP_404_NOT_FOUND, detail=NO_UPLOAD)
    return upload


def _offset_headers(upload: Upload) -> dict[str, str]:
    return {wire.OFFSET_HEADER: str(upload.offset), "Upload-Length": str(upload.size)}


@router.head("/uploads/{upload_id}")
def upload_offset(upload_id: UploadId, caller: CallerDep, session: SessionDep) -> Response:
    upload = _upload(session, upload_id, caller)
    return Response(headers=_offset_headers(upload))


async def _body(request: Request) -> bytes:
    return await request.body()


@router.patch("/uploads/{upload_id}", response_model=None)  # wire.UploadState
def append(upload_id: UploadId, request: Request, caller: CallerDep, session: SessionDep,
           chunk: Annotated[bytes, Depends(_body)],
           upload_offset: Annotated[int, Header(alias=wire.OFFSET_HEADER, ge=0)]) -> wire.UploadState | JSONResponse:
    """Runs on the thread pool (file and database I/O); the body is read on the event loop first."""
    settings = _settings(request)
    upload = _upload(session, upload_id, caller)
    if upload.completed_at is not None:
        return state(upload)
    if upload_offset != upload.offset:
        detail = f"上传位置不一致：服务器已收到 {upload.offset} 字节，请从该位置继续"
        return JSONResponse({"detail": detail, "offset": upload.offset}, status_code=409,
                            headers=_offset_headers(upload))
    if upload.offset + len(chunk) > upload.size:
        raise HTTPException(status.HTTP_413_CONTENT_TOO_LARGE, detail=TOO_LONG)
    append_chunk(settings.uploads_dir, upload, chunk)
    if upload.offset == upload.size:
        refused = _finish_or_refuse(session, settings, upload)
        if refused is not None:
            return refused
    result = state(upload)
    session.commit()
    return result


def _finish_or_refuse(session: SessionDep, settings: Settings, upload: Upload) -> JSONResponse | None:
    """Verify and store a complete upload; a mismatch restarts it at 0 (committed) and answers 422."""
    if finish(session, settings.uploads_dir, settings.blobs_dir, upload):
        return None
    session.commit()
    return JSONResponse({"detail": HASH_MISMATCH, "offset": 0}, status_code=422, headers=_offset_headers(upload))
