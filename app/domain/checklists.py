"""走访检查表: the versioned visit checklist (``resources/checklists/<version>.toml``), parsed and checked.

A checklist file names its ``version`` (``YYYY.N``, the same as the file's stem), a ``title``, the day it
takes ``effective`` and its ``items`` in order, each a stable ``code`` (the same question keeps its code
across versions) and the ``text`` asked; ``party_only`` items are 不适用 where no party organization covers
the organization.  Pure: the service reads the files, this module only judges the mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

__all__ = ["Checklist", "ChecklistError", "ChecklistItem", "newest", "parse_checklist", "version_key"]

_VERSION_RE = re.compile(r"^(\d{4})\.(\d{1,3})$")
_CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,29}$")
MAX_TEXT = 200


class ChecklistError(ValueError):
    """A checklist file that cannot be used; ``problems`` lists every fault, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("；".join(problems))


@dataclass(frozen=True)
class ChecklistItem:
    code: str
    text: str
    party_only: bool = False


@dataclass(frozen=True)
class Checklist:
    version: str
    title: str
    effective: date
    items: tuple[ChecklistItem, ...]

    def item(self, code: str) -> ChecklistItem | None:
        return next((item for item in self.items if item.code == code), None)


def version_key(version: str) -> tuple[int, int]:
    """``"2026.1"`` → ``(2026, 1)``: versions sort by year, then number (``2024.10`` after ``2024.9``)."""
    match = _VERSION_RE.match(version)
    if match is None:
        raise ChecklistError([f"版本号“{version}”格式不对，应为“年份.序号”，如 2026.1"])
    return int(match[1]), int(match[2])


def newest(checklists: Iterable[Checklist], *, on: date | None = None) -> Checklist | None:
    """The newest version (already effective ``on`` that day, when given)."""
    usable = [c for c in checklists if on is None or c.effective <= on]
    return max(usable, key=lambda c: version_key(c.version), default=None)


def parse_checklist(mapping: Mapping[str, Any], *, expected_version: str | None = None) -> Checklist:
    """The checklist a TOML mapping describes; ``ChecklistError`` lists every problem found.

    ``expected_version``: the file's stem, which must equal its ``version`` (so a copied file that was not
    renumbered cannot shadow another version)."""
    problems: list[str] = []
    version = mapping.get("version")
    if not isinstance(version, str) or not _VERSION_RE.match(version):
        problems.append(f"version 应为“年份.序号”形式的文字，如 \"2026.1\"（现为 {version!r}）")
        version = ""
    elif expected_version is not None and version != expected_version:
        problems.append(f"文件名 {expected_version}.toml 与其中的 version = \"{version}\" 不一致")
    title = mapping.get("title", "走访检查表")
    if not isinstance(title, str) or not title.strip():
        problems.append("title 应为非空文字")
        title = ""
    effective = mapping.get("effective")
    if not isinstance(effective, date):
        problems.append("effective 应为生效日期，如 2026-01-01（不加引号）")
        effective = date.min
    items = _items(mapping.get("items"), problems)
    if problems:
        raise ChecklistError(problems)
    return Checklist(version, title.strip(), effective, items)


def _items(raw: object, problems: list[str]) -> tuple[ChecklistItem, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append("至少要有一项 [[items]]")
        return ()
    items: list[ChecklistItem] = []
    seen: set[str] = set()
    for n, entry in enumerate(raw, start=1):
        if not isinstance(entry, dict):
            problems.append(f"第 {n} 项不是表（应写成 [[items]]）")
            continue
        code, text, party_only = entry.get("code"), entry.get("text"), entry.get("party_only", False)
        if not isinstance(code, str) or not _CODE_RE.match(code):
            problems.append(f"第 {n} 项的 code 应为大写字母开头的编号，如 \"C01\"（现为 {code!r}）")
            continue
        if code in seen:
            problems.append(f"编号 {code} 出现了两次")
        seen.add(code)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{code} 的 text 不能为空")
        elif len(text.strip()) > MAX_TEXT:
            problems.append(f"{code} 的 text 超过 {MAX_TEXT} 字")
        if not isinstance(party_only, bool):
            problems.append(f"{code} 的 party_only 应为 true 或 false")
        unknown = set(entry) - {"code", "text", "party_only"}
        if unknown:
            problems.append(f"{code} 含有不认识的键：{'、'.join(sorted(unknown))}")
        if isinstance(text, str) and isinstance(party_only, bool):
            items.append(ChecklistItem(code, text.strip(), party_only))
    return tuple(items)
