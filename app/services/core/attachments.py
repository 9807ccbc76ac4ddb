"""Attachment files, content-addressed (DESIGN §3): the bytes first, under their SHA-256, then the row.

``store_file`` copies a file into the profile's attachments folder: it hashes while it writes a temporary
file in that folder, fsyncs it, and renames it to ``<sha256[:2]>/<sha256>`` (the rename is atomic on one
file system, so a crash leaves either no file or the whole file — never a half file under a hash name).
The same content twice is stored once.  Only then may a service write the row naming it
(``attachment`` / ``party_attachment``); a row whose file is missing is refused (``require_stored``).
``discard_unreferenced`` removes files of a form that was closed without saving, once no row (live or
tombstoned) names them.  The integrity check (``app.services.core.integrity.check_attachments``) finds
rows without files and files without rows.

File work: run on the task runner's file lane, never on the UI thread.  No Qt.
"""

from __future__ import annotations

import hashlib
import mimetypes
import os
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Attachment, PartyAttachment
from app.services.core.errors import ServiceError, ValidationFailed

__all__ = ["TEMP_PREFIX", "StoredFile", "blob_path", "discard_unreferenced", "require_stored", "store_bytes",
           "store_file"]

TEMP_PREFIX = ".incoming-"  # a temporary file of a write in progress (or cut short by a crash)
MAX_BYTES = 50 * 1024 * 1024
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_BLOCK = 1 << 20


@dataclass(frozen=True)
class StoredFile:
    """A file whose bytes are in the attachments folder: what a row needs to name it."""

    sha256: str
    filename: str
    size: int
    mime_type: str


def blob_path(folder: Path, sha256: str) -> Path:
    """Where the bytes of ``sha256`` live (whether or not they are there)."""
    if not _SHA_RE.match(sha256):
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return folder / sha256[:2] / sha256


def _fsync_dir(path: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync on Windows; NTFS journals the rename
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write(folder: Path, chunks: Iterable[bytes], filename: str) -> StoredFile:
    folder.mkdir(parents=True, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > MAX_BYTES:
                    raise ServiceError(f"文件“{filename}”超过 {MAX_BYTES // (1024 * 1024)} MB，不能作为附件；"
                                       "请压缩图片或拆分扫描件后再添加")
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        sha = digest.hexdigest()
        target = blob_path(folder, sha)
        if target.exists() and target.stat().st_size == size:  # the same content is stored once
            temp.unlink()
        else:
            target.parent.mkdir(exist_ok=True)
            os.replace(temp, target)
            _fsync_dir(target.parent)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    mime = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return StoredFile(sha, filename, size, mime)


def store_file(folder: Path, source: Path) -> StoredFile:
    """Copy ``source`` into ``folder`` under its SHA-256 (see the module doc).  ServiceError with a Chinese
    message when it cannot be read or is too large."""
    try:
        with source.open("rb") as handle:
            return _write(folder, iter(lambda: handle.read(_BLOCK), b""), source.name)
    except FileNotFoundError:
        raise ServiceError(f"找不到文件：{source}") from None
    except IsADirectoryError:
        raise ServiceError(f"“{source}”是文件夹，请选择文件") from None
    except PermissionError:
        raise ServiceError(f"没有权限读取文件：{source}") from None


def store_bytes(folder: Path, data: bytes, filename: str) -> StoredFile:
    """Store ``data`` as a file named ``filename`` (same contract as :func:`store_file`)."""
    return _write(folder, [data], filename)


def require_stored(folder: Path, sha256: str, filename: str) -> None:
    """Bytes before the row: refuse a row whose file is not in ``folder``."""
    try:
        present = blob_path(folder, sha256).is_file()
    except ValueError:
        present = False
    if not present:
        raise ValidationFailed({"attachments": f"附件“{filename}”的文件不在附件目录中（可能已被移走）："
                                               "请删除这项附件后重新添加"})


def discard_unreferenced(factory: sessionmaker[Session], folder: Path, shas: Iterable[str]) -> int:
    """Delete the files of ``shas`` that no attachment row (live or tombstoned) names: what a form added and
    then threw away.  Returns how many files were removed."""
    wanted = {sha for sha in shas if _SHA_RE.match(sha)}
    if not wanted:
        return 0
    with factory() as session:
        named = set(session.execute(select(Attachment.sha256).where(Attachment.sha256.in_(wanted))).scalars())
        named |= set(session.execute(
            select(PartyAttachment.sha256).where(PartyAttachment.sha256.in_(wanted))).scalars())
    removed = 0
    for sha in wanted - named:
        path = blob_path(folder, sha)
        if path.is_file():
            path.unlink()
            removed += 1
    return removed
