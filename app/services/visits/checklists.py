"""The versioned visit checklists shipped in ``resources/checklists/`` (DESIGN §2.0).

A new visit is answered on the newest version; a saved visit keeps its version and each answered item's
text (``ChecklistAnswer.item_text``), so it reads the same after the files change or a version is dropped.
The files are read once per process (they ship with the app).  Any thread.
"""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

from app import paths
from app.domain.checklists import Checklist, ChecklistError, newest, parse_checklist, version_key
from app.services.core.errors import ServiceError

__all__ = ["ChecklistFileError", "all_checklists", "checklist_of", "current_checklist"]


class ChecklistFileError(ServiceError):
    def __init__(self, path: Path, detail: str) -> None:
        self.path = path
        super().__init__(f"走访检查表文件 {path} 无法使用：{detail}。请参照 resources/checklists/2026.1.toml 改正。")


def checklists_dir() -> Path:
    return paths.resources_dir() / "checklists"


@functools.cache
def _load(folder: Path) -> tuple[Checklist, ...]:
    found = []
    for path in sorted(folder.glob("*.toml")):
        try:
            with path.open("rb") as handle:
                found.append(parse_checklist(tomllib.load(handle), expected_version=path.stem))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ChecklistFileError(path, f"读取失败（{exc}）") from None
        except ChecklistError as exc:
            raise ChecklistFileError(path, "；".join(exc.problems)) from None
    return tuple(sorted(found, key=lambda c: version_key(c.version)))


def all_checklists(folder: Path | None = None) -> tuple[Checklist, ...]:
    """Every checklist version shipped, oldest first."""
    return _load(folder or checklists_dir())


def current_checklist(folder: Path | None = None) -> Checklist:
    """The newest version: the one a new visit is answered on."""
    chosen = newest(all_checklists(folder))
    if chosen is None:
        raise ChecklistFileError(folder or checklists_dir(), "文件夹中没有任何检查表（*.toml）")
    return chosen


def checklist_of(version: str, folder: Path | None = None) -> Checklist | None:
    """The checklist of ``version``, if it still ships (an old visit needs only its stored texts)."""
    return next((c for c in all_checklists(folder) if c.version == version), None)
