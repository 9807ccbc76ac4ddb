"""Attachment contents on disk: content-addressed blobs and resumable uploads (SYNC.md §8.4.6).

A blob lives at ``<home>/blobs/<sha[:2]>/<sha>``, one copy per SHA-256.  An upload in progress appends to
``<home>/uploads/<id>.part``: each chunk is written at the offset the database records and fsynced before
the new offset is committed, so after a crash the database's offset is never ahead of the bytes on disk
(bytes beyond it are overwritten by the resumed chunk).  On the last chunk the file is hashed; a match is
moved into place with an atomic rename, a mismatch restarts the session at 0.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app import wire
from server import clock
from server.models import Blob, Record, Upload

SHA256 = re.compile(r"^[0-9a-f]{64}$")
ATTACHMENT_ENTITIES = ("attachment", "party_attachment")
READ_BLOCK = 1024 * 1024


def blob_path(blobs_dir: Path, sha256: str) -> Path:
    return blobs_dir / sha256[:2] / sha256


def part_path(uploads_dir: Path, upload_id: str) -> Path:
    return uploads_dir / f"{upload_id}.part"


def may_read(session: Session, sha256: str, scopes: frozenset[str] | None) -> bool:
    """Whether a live attachment record in ``scopes`` (None: any) names ``sha256``."""
    query = select(Record.scope).where(Record.entity.in_(ATTACHMENT_ENTITIES), Record.deleted.is_(False),
                                       Record.data["sha256"].as_string() == sha256)
    if scopes is not None:
        query = query.where(Record.scope.in_(sorted(scopes)))
    return session.execute(query.limit(1)).first() is not None


def state(upload: Upload) -> wire.UploadState:
    return {"upload_id": upload.id, "offset": upload.offset, "size": upload.size,
            "complete": upload.completed_at is not None}


def open_session(session: Session, uploads_dir: Path, upload_id: str, start: wire.UploadStart,
                 user_id: str) -> Upload:
    """The caller's open upload of this content, or a new one (``upload_id``) with an empty part file.
    Sessions are per user: another user's session of the same content is never handed out (they could
    otherwise append to it, or restart it with a bad chunk)."""
    found = session.execute(select(Upload).where(Upload.sha256 == start["sha256"], Upload.size == start["size"],
                                                 Upload.user_id == user_id, Upload.completed_at.is_(None))
                            .order_by(Upload.created_at).limit(1)).scalar_one_or_none()
    if found is not None:
        return found
    uploads_dir.mkdir(parents=True, exist_ok=True)
    part_path(uploads_dir, upload_id).write_bytes(b"")
    upload = Upload(id=upload_id, sha256=start["sha256"], size=start["size"], mime=start["mime"], offset=0,
                    user_id=user_id)
    session.add(upload)
    session.flush()
    return upload


def append_chunk(uploads_dir: Path, upload: Upload, chunk: bytes) -> None:
    """Write ``chunk`` at the upload's offset (anything beyond it was never confirmed), fsync, advance."""
    path = part_path(uploads_dir, upload.id)
    with open(path, "r+b" if path.exists() else "w+b") as part:
        part.seek(upload.offset)
        part.write(chunk)
        part.truncate()
        part.flush()
        os.fsync(part.fileno())
    upload.offset += len(chunk)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(READ_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def finish(session: Session, uploads_dir: Path, blobs_dir: Path, upload: Upload) -> bool:
    """Verify a complete upload: into the blobs when its hash matches (True); else restart it at 0 (False)."""
    path = part_path(uploads_dir, upload.id)
    if file_sha256(path) != upload.sha256:
        path.write_bytes(b"")
        upload.offset = 0
        return False
    target = blob_path(blobs_dir, upload.sha256)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    _fsync_dir(target.parent)
    if session.get(Blob, upload.sha256) is None:
        session.add(Blob(sha256=upload.sha256, size=upload.size, mime=upload.mime))
    upload.completed_at = clock.now()
    session.flush()
    return True


def _fsync_dir(directory: Path) -> None:
    if os.name != "posix":  # Windows cannot open a directory; its rename is durable enough for NTFS
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
