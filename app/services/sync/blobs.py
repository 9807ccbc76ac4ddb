"""Attachment bytes to and from the server (SYNC.md §8.4 item 6): content-addressed, resumable.

Up, before the push: for each pending ``attachment`` / ``party_attachment`` op, ``HEAD /blobs/{sha}``; a
blob the server lacks is uploaded in 1 MiB ``PATCH`` chunks from the offset the server reports (an upload cut
short resumes where it stopped; a restart sends at most one chunk again).  Down, after the pull: every live
attachment row whose file is not in the profile's attachments folder is fetched and stored under its hash
(app.services.core.attachments: temp file, fsync, rename), its SHA-256 checked."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from app.domain.enums import OutboxState
from app.models import Attachment, OutboxEntry, PartyAttachment
from app.services.core.attachments import blob_path, discard_unreferenced, store_bytes
from app.services.sync.checkpoints import checkpoint
from app.services.sync.errors import SyncError
from app.services.sync.transport import Transport, body_of

__all__ = ["attachments_folder_of", "download_missing", "drop_files", "upload_pending"]

ATTACHMENT_ENTITIES = wire.ATTACHMENT_ENTITIES
_MAX_RESTARTS = 3


def attachments_folder_of(factory: sessionmaker[Session]) -> Path:
    """The attachments folder beside the profile's database (paths.attachments_folder of its profile)."""
    engine: Any = factory.kw["bind"]
    return Path(engine.url.database).parent / "attachments"


def drop_files(factory: sessionmaker[Session], shas: Iterable[str]) -> int:
    """After a purge committed: delete the files of ``shas`` no attachment row here names any more."""
    shas = set(shas)
    return discard_unreferenced(factory, attachments_folder_of(factory), shas) if shas else 0


def _pending_blobs(factory: sessionmaker[Session]) -> list[tuple[str, int, str, str]]:
    """(sha256, size, mime, filename) of every pending attachment op, oldest first, each hash once."""
    with factory() as session:
        entries = session.execute(select(OutboxEntry).where(
            OutboxEntry.entity.in_(ATTACHMENT_ENTITIES), OutboxEntry.state == OutboxState.PENDING)
            .order_by(OutboxEntry.seq)).scalars().all()
        found: dict[str, tuple[str, int, str, str]] = {}
        for entry in entries:
            sha: Any = entry.fields.get("sha256")
            model: Any = Attachment if entry.entity == "attachment" else PartyAttachment
            row = session.get(model, entry.record_id)
            sha = sha or (row.sha256 if row is not None else None)
            if not sha or sha in found or (entry.fields.get("deleted_at") and row is not None and row.deleted_at):
                continue
            size = int(str(entry.fields.get("size") or (row.size if row is not None else 0)))
            mime = str(entry.fields.get("mime_type") or (row.mime_type if row is not None else "")) or \
                "application/octet-stream"
            name = str(entry.fields.get("filename") or (row.filename if row is not None else sha))
            found[str(sha)] = (str(sha), size, mime, name)
    return list(found.values())


def upload_pending(factory: sessionmaker[Session], transport: Transport,
                   progress: Callable[[int, int], None] | None = None) -> tuple[int, list[str]]:
    """Upload the blobs pending ops need; returns (uploaded count, messages for files missing locally)."""
    folder = attachments_folder_of(factory)
    blobs = _pending_blobs(factory)
    uploaded, messages = 0, []
    for done, (sha, size, mime, name) in enumerate(blobs):
        if progress is not None:
            progress(done, len(blobs))
        if transport.request("HEAD", f"/blobs/{sha}").status_code == 200:
            continue
        path = blob_path(folder, sha)
        if not path.is_file():
            messages.append(f"附件“{name}”的文件不在本机附件目录中，无法上传；请删除这项附件后重新添加。")
            continue
        _upload(transport, path, sha, path.stat().st_size or size, mime)
        uploaded += 1
    if progress is not None and blobs:
        progress(len(blobs), len(blobs))
    return uploaded, messages


def _upload(transport: Transport, path: Path, sha: str, size: int, mime: str) -> None:
    for _restart in range(_MAX_RESTARTS):
        upload = transport.json("POST", "/uploads", json={"sha256": sha, "size": size, "mime": mime})
        if _send_chunks(transport, path, upload):
            return
    raise SyncError(f"附件 {path.name[:12]}… 上传后校验一直不一致，请稍后再同步。")


def _send_chunks(transport: Transport, path: Path, upload: dict[str, Any]) -> bool:
    """PATCH from the server's offset to the end; False when the server found the hash wrong (restart)."""
    upload_id, offset = str(upload["upload_id"]), int(upload.get("offset") or 0)
    complete = bool(upload.get("complete"))
    with path.open("rb") as handle:
        while not complete:
            handle.seek(offset)
            chunk = handle.read(wire.CHUNK_SIZE)
            response = transport.request("PATCH", f"/uploads/{upload_id}", content=chunk,
                                         headers={wire.OFFSET_HEADER: str(offset),
                                                  "Content-Type": "application/offset+octet-stream"})
            if response.status_code == 422:
                return False
            if response.status_code == 409:  # our offset was stale: ask where the server is
                head = transport.request("HEAD", f"/uploads/{upload_id}")
                offset = int(head.headers.get(wire.OFFSET_HEADER, "0"))
                continue
            if response.status_code >= 300:
                raise SyncError(transport.failure(response))
            answer = body_of(response)
            offset, complete = int(answer.get("offset") or 0), bool(answer.get("complete"))
            if not complete:
                checkpoint("between_upload_chunks")
            if not chunk and not complete:
                raise SyncError("附件上传没有进展（服务器未确认收到数据），请稍后再同步。")
    return True


def download_missing(factory: sessionmaker[Session], transport: Transport) -> tuple[int, list[str]]:
    """Fetch the files of live attachment rows missing locally; returns (count, messages)."""
    folder = attachments_folder_of(factory)
    with factory() as session:
        rows = [(str(row[0]), str(row[1])) for model in (Attachment, PartyAttachment)
                for row in session.execute(select(model.sha256, model.filename).where(model.deleted_at.is_(None)))]
    fetched, messages = 0, []
    for sha, name in dict(rows).items():
        try:
            if blob_path(folder, sha).is_file():
                continue
        except ValueError:
            continue
        response = transport.request("GET", f"/blobs/{sha}")
        if response.status_code == 404:
            messages.append(f"附件“{name}”的文件服务器上还没有（上传它的设备尚未同步完），下次同步再取。")
            continue
        if response.status_code >= 300:
            raise SyncError(transport.failure(response))
        if hashlib.sha256(response.content).hexdigest() != sha:
            messages.append(f"附件“{name}”下载后校验不一致，已丢弃，下次同步再取。")
            continue
        store_bytes(folder, response.content, name)
        fetched += 1
    return fetched, messages
