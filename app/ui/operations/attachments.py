"""Files attached to a record (meeting photos and 签到表, visit photos, a follow-up's evidence), in the one
content-addressed attachments folder of the open profile: copied in when picked (bytes first; the row comes
with the record's save), opened from there, and removed again when the form closes unsaved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from app import paths
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskHandle


def _attachments() -> Any:
    from app.services.core import attachments

    return attachments


def attachments_folder(ctx: UiContext) -> Path:
    """The open profile's attachments folder (content-addressed files)."""
    return paths.attachments_folder(ctx.profile)


def store_file(*, ctx: UiContext, source: Path, on_done: Callable[[Any], None], on_error: OnError | None = None,
               owner: QObject | None = None) -> TaskHandle:
    """Copy ``source`` into the attachments folder under its SHA-256, off the UI thread (``on_done(StoredFile)``)."""
    folder = paths.attachments_dir(ctx.profile)
    return ctx.runner.submit(lambda: _attachments().store_file(folder, source), lane=Lane.READ, on_done=on_done,
                             on_error=on_error, owner=owner)


def file_path(*, ctx: UiContext, sha256: str) -> Path:
    """Where a stored file's bytes are (to open it with the system's viewer)."""
    path: Path = _attachments().blob_path(attachments_folder(ctx), sha256)
    return path


def discard_unsaved(*, ctx: UiContext, shas: Sequence[str]) -> TaskHandle:
    """A form closed without saving: remove the files it added that no row names."""
    factory, folder, frozen = ctx.database.session_factory, attachments_folder(ctx), tuple(shas)
    return ctx.runner.submit(lambda: _attachments().discard_unreferenced(factory, folder, frozen), lane=Lane.WRITE)
