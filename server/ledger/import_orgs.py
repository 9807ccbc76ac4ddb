"""``admin import-orgs FILE.xlsx``: the district's organizations from a 组织台账 file the client exported.

Each row is matched to a live organization by its 统一社会信用代码, else by its exact name (when that
organization has no other code); unmatched rows are new organizations (uuid7 ids).  A changed or new one
is written as a ``social_org`` record in its own scope ``org:<id>`` with every wire field, all under one
district version; an unchanged one is left alone, so importing the same file again changes nothing and
bumps no version.  The whole file is checked before anything is written: one bad cell, nothing imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker
from uuid6 import uuid7

from app import wire
from server import clock
from server.assignments import ADMIN_WRITER
from server.db import claim_write
from server.ledger.cells import Raw, read_cell
from server.ledger.columns import COUNT, DATE, GRADE, HEADERS, REQUIRED, YES_NO
from server.models import Record
from server.orgs import SOCIAL_ORG, live_org_records
from server.store import next_version, write_record

FIELDS = wire.ENTITY_FIELDS[SOCIAL_ORG]
_NULL_KINDS = (DATE, COUNT, GRADE)
STAMPS = ("updated_at", "updated_by")


class OrgImportError(ValueError):
    """A file that cannot be imported; ``str()`` is one Chinese line naming the row and column to fix."""


@dataclass(frozen=True)
class ImportResult:
    rows: int
    added: int
    updated: int

    @property
    def changed(self) -> int:
        return self.added + self.updated

    @property
    def unchanged(self) -> int:
        return self.rows - self.changed


@dataclass(frozen=True)
class SheetRow:
    number: int  # the Excel row number, for messages
    values: dict[str, Any]  # field -> wire value ("archived": bool)


def _header_key(text: object) -> str:
    return "".join(str(text or "").split()).replace("*", "").replace("(必填)", "").replace("（必填）", "")


def _columns(header: tuple[object, ...]) -> dict[int, tuple[str, str, str]]:
    """Column index -> (header, field, kind) of the known headers; OrgImportError when one is missing."""
    columns: dict[int, tuple[str, str, str]] = {}
    for index, cell in enumerate(header):
        key = _header_key(cell)
        if key in HEADERS:
            if any(found == key for found, _, _ in columns.values()):
                raise OrgImportError(f"表头“{key}”出现了两次，请删去一列")
            columns[index] = (key, *HEADERS[key])
    missing = [name for name in REQUIRED if name not in {found for found, _, _ in columns.values()}]
    if missing:
        raise OrgImportError(f"表头缺少“{'”“'.join(missing)}”：请用工作台“导出台账”的文件，第一行是列名")
    return columns


def read_sheet(path: Path) -> list[SheetRow]:
    """The non-blank rows of the file's first sheet, each cell read; OrgImportError on the first bad one."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise OrgImportError(f"找不到文件：{path}") from None
    except Exception as exc:  # openpyxl raises many kinds for a file that is not .xlsx
        raise OrgImportError(f"无法读取“{path.name}”：不是有效的 .xlsx 文件（{type(exc).__name__}）") from None
    try:
        lines = book.worksheets[0].iter_rows(values_only=True)
        columns = _columns(next(lines, ()))
        rows = [_read_row(number, line, columns) for number, line in enumerate(lines, start=2)
                if any(cell not in (None, "") for cell in line)]
    finally:
        book.close()
    return rows


def _read_row(number: int, line: tuple[Raw, ...], columns: dict[int, tuple[str, str, str]]) -> SheetRow:
    values: dict[str, Any] = {}
    for index, (header, field, kind) in columns.items():
        raw = line[index] if index < len(line) else None
        try:
            values[field] = read_cell(kind, raw)
        except ValueError as exc:
            raise OrgImportError(f"第 {number} 行“{header}”：{exc}") from None
    if not values.get("name"):
        raise OrgImportError(f"第 {number} 行没有组织名称：请填写或删去这一行")
    return SheetRow(number, values)


def empty_org(org_id: str) -> dict[str, Any]:
    """A new organization's wire data before its row is applied: blank text "", unknown dates/counts None."""
    kinds = {field: kind for field, kind in HEADERS.values()}
    data: dict[str, Any] = {}
    for field in FIELDS:
        kind = kinds.get(field)
        data[field] = None if kind in _NULL_KINDS else False if kind == YES_NO else ""
    data.update(id=org_id, org_id=org_id, archived_at=None, deleted_at=None, updated_at=None)
    return data


def _applied(data: dict[str, Any], values: dict[str, Any], now: str) -> dict[str, Any]:
    result = dict(data)
    for field, value in values.items():
        if field == "archived":
            result["archived_at"] = (result.get("archived_at") or now) if value else None
        else:
            result[field] = value
    return result


class _Existing:
    """The live organizations by code and by exact name."""

    def __init__(self, records: list[Record]) -> None:
        self.by_uscc: dict[str, Record] = {}
        self.by_name: dict[str, list[Record]] = {}
        for record in records:
            if record.data.get("uscc"):
                self.by_uscc.setdefault(str(record.data["uscc"]).upper(), record)
            self.by_name.setdefault(str(record.data.get("name") or ""), []).append(record)

    def match(self, row: SheetRow) -> Record | None:
        uscc = str(row.values.get("uscc") or "").upper()
        if uscc and uscc in self.by_uscc:
            return self.by_uscc[uscc]
        named = [r for r in self.by_name.get(row.values["name"], []) if not r.data.get("uscc")
                 or str(r.data["uscc"]).upper() == uscc or not uscc]
        if len(named) > 1:
            raise OrgImportError(f"第 {row.number} 行：有 {len(named)} 个组织都叫“{row.values['name']}”，"
                                 "请在文件里填上统一社会信用代码以区分")
        return named[0] if named else None


def plan(session: Session, rows: list[SheetRow], now: str) -> list[tuple[str, dict[str, Any], bool]]:
    """(org id, new data, is new) of every row that changes something."""
    existing = _Existing(live_org_records(session))
    seen: dict[str, int] = {}
    changes: list[tuple[str, dict[str, Any], bool]] = []
    for row in rows:
        record = existing.match(row)
        org_id = record.id if record is not None else str(uuid7())
        key = org_id if record is not None else f"uscc:{row.values.get('uscc') or ''}|{row.values['name']}"
        if key in seen:
            raise OrgImportError(f"第 {seen[key]} 行和第 {row.number} 行是同一个组织“{row.values['name']}”，请删去一行")
        seen[key] = row.number
        before = record.data if record is not None else empty_org(org_id)
        after = _applied(before, row.values, now)
        if record is None or {k: v for k, v in after.items() if k not in STAMPS} != \
                {k: v for k, v in before.items() if k not in STAMPS}:
            changes.append((org_id, {**after, "updated_at": now, "updated_by": ADMIN_WRITER}, record is None))
    return changes


def import_orgs(factory: sessionmaker[Session], path: Path) -> ImportResult:
    """Import ``path``; OrgImportError (nothing written) when it cannot be."""
    rows = read_sheet(path)
    now = clock.now_text()
    with claim_write(factory()) as session:
        changes = plan(session, rows, now)
        if changes:
            version = next_version(session)  # holds the write lock: plan again on what is committed now
            session.expire_all()
            changes = plan(session, rows, now)
            for org_id, data, _new in changes:
                write_record(session, entity=SOCIAL_ORG, record_id=org_id, scope=wire.org_scope(org_id),
                             data={field: data.get(field) for field in FIELDS}, version=version, user_id="")
        session.commit()
    added = sum(1 for _, _, new in changes if new)
    return ImportResult(rows=len(rows), added=added, updated=len(changes) - added)
