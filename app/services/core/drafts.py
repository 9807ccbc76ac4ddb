"""草稿 (drafts): what a half-filled form held, kept on disk so it survives a crash or a power cut.

One JSON file per draft in the profile's ``drafts/`` folder (``paths.drafts_dir``), named after the form
kind and the record it edits (``org.new.json``, ``org.<id>.json``).  A draft carries the form's field
values as the form typed them (JSON: text, booleans, codes), when it was saved, and for an edit the
record's ``updated_at`` it was based on, so a draft of a record changed since can say so.

Writes are atomic: the JSON goes to a temporary file in the same folder, is fsynced, and replaces the
draft with ``os.replace``; a crash mid-write leaves the previous draft whole (and a stray ``*.tmp`` that
the next store opened on the folder sweeps away).  Qt-free; any thread, but one writer per draft at a
time (the UI's ``DraftKeeper`` keeps at most one write in flight).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app.services.core import clock

log = logging.getLogger(__name__)

FORMAT = 1
STALE_TEMP_SECONDS = 600  # a temp file this old belongs to a writer that died
_SAFE = re.compile(r"[^0-9A-Za-z_-]")


@dataclass(frozen=True)
class Draft:
    kind: str  # the form: "org", later "meeting", "visit"
    key: str  # the record id, or "new"
    values: dict[str, Any]
    saved_at: datetime  # an instant (UTC)
    based_on: datetime | None = None  # the edited record's updated_at when the form was opened

    def stale_for(self, updated_at: datetime | None) -> bool:
        """Whether the record this draft edits has been saved since the draft began."""
        return self.based_on is not None and updated_at is not None and updated_at != self.based_on


def _name(kind: str, key: str) -> str:
    return f"{_SAFE.sub('_', kind)}.{_SAFE.sub('_', key)}.json"


def _instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class DraftStore:
    """The drafts of one profile (``folder`` is ``paths.drafts_dir(profile)``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._sweep_temp_files()

    def path_of(self, kind: str, key: str) -> Path:
        return self.folder / _name(kind, key)

    def save(self, kind: str, key: str, values: dict[str, Any], *, based_on: datetime | None = None) -> Draft:
        """Write (or replace) the draft atomically and return it."""
        draft = Draft(kind, key, dict(values), clock.now(), based_on)
        payload = {
            "format": FORMAT, "kind": kind, "key": key, "saved_at": draft.saved_at.isoformat(),
            "based_on": based_on.isoformat() if based_on else None, "values": draft.values,
        }
        target = self.path_of(kind, key)
        temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            with temp.open("w", encoding="utf-8") as out:
                json.dump(payload, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()  # only left when the write failed
        self._fsync_folder()
        return draft

    def load(self, kind: str, key: str) -> Draft | None:
        """The draft, or None if there is none (or its file cannot be read: a draft is never worth an error)."""
        path = self.path_of(kind, key)
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(payload, dict) or payload.get("format") != FORMAT \
                    or not isinstance(payload.get("values"), dict):
                raise ValueError("not a draft of this version")
            saved_at = _instant(payload["saved_at"])
            assert saved_at is not None
            return Draft(kind, key, payload["values"], saved_at, _instant(payload.get("based_on")))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AssertionError) as exc:
            log.warning("ignoring unreadable draft %s: %s", path, exc)
            return None

    def discard(self, kind: str, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path_of(kind, key).unlink()

    def drafts(self, kind: str | None = None) -> list[Draft]:
        """Every readable draft (of one kind), oldest first."""
        found = []
        for path in sorted(self.folder.glob("*.json")):
            draft_kind, _, rest = path.name.removesuffix(".json").partition(".")
            if kind is None or draft_kind == _SAFE.sub("_", kind):
                draft = self.load(draft_kind, rest)
                if draft is not None:
                    found.append(draft)
        return sorted(found, key=lambda d: d.saved_at)

    def _sweep_temp_files(self) -> None:
        now = clock.now().timestamp()  # file times are POSIX instants too
        for temp in self.folder.glob(".*.tmp"):
            with contextlib.suppress(OSError):
                if now - temp.stat().st_mtime > STALE_TEMP_SECONDS:
                    temp.unlink()

    def _fsync_folder(self) -> None:
        """Make the rename itself durable (POSIX; Windows cannot open a folder and needs nothing more)."""
        try:
            fd = os.open(self.folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
