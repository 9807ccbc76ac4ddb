"""The import plan: every data row of the file as 新增 / 更新 / 不变 / 拒绝, with the reasons.

Matching: by 统一社会信用代码; else by the exact name and 街道 (a row without 街道 matches the one
organization of that name, never one of several).  A blank cell keeps what is saved.  Each row is checked
by the organization form's own validation (``validation.check_org_input``), so an imported row obeys the
same rules as a saved form; warnings never refuse a row.  Two rows naming the same organization: the
later one is refused.  Read-only; any thread (the GUI plans on the read lane).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from app.domain import uscc as uscc_rules
from app.domain.enums import OrgType
from app.services.core import clock
from app.services.core.errors import UnknownCodeError
from app.services.ledger_io import existing
from app.services.ledger_io.changes import FieldChange, describe
from app.services.ledger_io.columns import LABELS
from app.services.ledger_io.errors import Cancelled, LedgerFileError, Progress, Steps
from app.services.ledger_io.headers import SheetHeader, find_header, no_header_message
from app.services.ledger_io.reading import RawSheet, read_sheets
from app.services.ledger_io.rows import RowProblem, SheetRow, read_rows, where
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput
from app.services.orgs.validation import REASON_MAX, REQUIRED_LATER, check_org_input

CHECK_STAGE = "核对各行"
DEFAULT_ARCHIVE_REASON = "导入台账时标为归档"
FORM_REASON_HINT = "请在“保留原因”中说明"  # the form's words (validation) for a kept code
REASON_KEY = "uscc_override_reason"
TYPE_OF_DIGIT = {digit: org_type for org_type, digit in uscc_rules.EXPECTED_TYPE_DIGIT.items()}


class RowStatus(StrEnum):
    NEW = "新增"
    UPDATE = "更新"
    UNCHANGED = "不变"
    REJECTED = "拒绝"


@dataclass(frozen=True)
class PlanRow:
    sheet_row: int
    status: RowStatus
    name: str
    org_id: str | None = None  # the organization it matched (更新 / 不变)
    changes: tuple[FieldChange, ...] = ()  # the fields an 更新 changes, with the saved and the new value
    problems: tuple[RowProblem, ...] = ()  # why it is refused
    warnings: tuple[RowProblem, ...] = ()  # worth a look; never refuse it
    data: OrgInput | None = None  # what is written (新增 / 更新)
    archived: bool = False
    archive_reason: str = ""

    @property
    def reason_text(self) -> str:
        return "；".join(str(p) for p in self.problems)

    @property
    def changed(self) -> tuple[str, ...]:
        """The labels of the fields an 更新 changes."""
        return tuple(change.label for change in self.changes)

    @property
    def change_text(self) -> str:
        """"联系电话：0591-8765 4321 → 13800000000；…" ("" unless 更新)."""
        return describe(self.changes)


@dataclass(frozen=True)
class ImportPlan:
    file_name: str
    sheet_name: str
    header_row: int
    rows: tuple[PlanRow, ...]
    skipped: tuple[tuple[int, str], ...]  # (sheet row, why): 合计行, 重复的表头
    ignored_columns: tuple[str, ...]
    fingerprint: tuple[int, str]  # the ledger's state it was planned against

    def count(self, status: RowStatus) -> int:
        return sum(1 for row in self.rows if row.status is status)

    @property
    def rejected(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.status is RowStatus.REJECTED)

    @property
    def writes(self) -> tuple[PlanRow, ...]:
        return tuple(row for row in self.rows if row.status in (RowStatus.NEW, RowStatus.UPDATE))

    @property
    def where(self) -> str:
        """“工作表“台账”，表头在第 2 行” (a CSV has no sheet: “表头在第 2 行”)."""
        return f"{sheet_phrase(self.sheet_name)}表头在第 {self.header_row} 行"

    def summary(self) -> str:
        counts = "，".join(f"{status.value} {self.count(status)}" for status in RowStatus)
        return f"{self.file_name}（{self.where}）：共 {len(self.rows)} 行，{counts}"


def sheet_phrase(sheet_name: str) -> str:
    """“工作表“台账”，” for a workbook's sheet; "" for a CSV (which has no sheets)."""
    return f"工作表“{sheet_name}”，" if sheet_name else ""


def _first_sheet_with_header(path: Path, steps: Steps) -> tuple[RawSheet, SheetHeader]:
    any_rows = False
    for sheet in read_sheets(path, steps):
        any_rows = any_rows or bool(sheet.rows)
        header = find_header(sheet)
        if header is not None:
            return sheet, header
    if not any_rows:
        raise LedgerFileError(f"{path.name} 中没有任何内容（工作表是空的）")
    raise LedgerFileError(no_header_message(path.name))


def _new_input(row: SheetRow, header: SheetHeader, problems: list[RowProblem]) -> OrgInput | None:
    org_type = row.values.get("org_type")
    if org_type is None and len(row.uscc) == 18 and row.uscc[0] == uscc_rules.CIVIL_AFFAIRS:
        org_type = TYPE_OF_DIGIT.get(row.uscc[1])
    if not isinstance(org_type, OrgType):
        if not any(p.column == where(header, "org_type") for p in problems):
            problems.append(RowProblem(where(header, "org_type"), "请填写组织类型（新增的组织必须有类型）"))
        return None
    fields = {k: v for k, v in row.values.items() if k in organizations.INPUT_FIELDS and k != "org_type"}
    return OrgInput(**{"name": "", **fields, "org_type": org_type})  # type: ignore[arg-type]


def _archive_state(row: SheetRow, header: SheetHeader, current: existing.Existing | None,
                   problems: list[RowProblem]) -> tuple[bool, str]:
    was = (current.archived, current.archive_reason) if current else (False, "")
    archived = row.values.get("archived")
    archived = was[0] if archived is None else bool(archived)
    reason = str(row.values.get("archive_reason") or "") or (was[1] if archived else "")
    if archived and not reason:
        reason = DEFAULT_ARCHIVE_REASON
    if len(reason) > REASON_MAX:
        problems.append(RowProblem(where(header, "archive_reason"), f"归档原因最多{REASON_MAX}字"))
    return archived, reason if archived else ""


class _Planner:
    def __init__(self, session: Session, header: SheetHeader, today: date) -> None:
        self.session, self.header, self.today = session, header, today
        self.index = existing.ExistingIndex.load(session)
        self.claimed: dict[object, tuple[int, str]] = {}  # an organization -> the first row naming it, its name

    def plan(self, row: SheetRow, current: existing.Existing | None) -> PlanRow:
        """What importing ``row`` does; ``current`` is the organization it matched, if any."""
        if current is not None and current.unknown_code:
            refusal = UnknownCodeError(f"“{current.data.name}”", current.unknown_code)
            return PlanRow(row.number, RowStatus.REJECTED, current.data.name, current.id,
                           problems=(RowProblem("", str(refusal)),))
        problems = list(row.problems) + self._identity_problems(row, current)
        if current is not None:
            fields = {k: v for k, v in row.values.items() if k in organizations.INPUT_FIELDS}
            data: OrgInput | None = dataclasses.replace(current.data, **fields)  # type: ignore[arg-type]
        else:
            data = _new_input(row, self.header, problems)
        archived, reason = _archive_state(row, self.header, current, problems)
        data = organizations._cleaned(data) if data is not None else None
        org_id = current.id if current else None
        if current is not None and data == current.data and not problems and (archived, reason) == (
                current.archived, current.archive_reason):  # writes nothing: no rule to check (~0.4 ms a row)
            return PlanRow(row.number, RowStatus.UNCHANGED, current.data.name, org_id, data=data,
                           archived=archived, archive_reason=reason)
        warnings = self._check(data, org_id, problems) if data is not None else ()
        if problems or data is None:
            name = row.name or (current.data.name if current else "")
            return PlanRow(row.number, RowStatus.REJECTED, name, org_id, problems=tuple(problems), warnings=warnings)
        if current is None:
            warnings += self._similar(row)
            return PlanRow(row.number, RowStatus.NEW, data.name, None, warnings=warnings, data=data,
                           archived=archived, archive_reason=reason)
        changes = [FieldChange(LABELS.get(k, k), getattr(current.data, k), getattr(data, k))
                   for k in organizations.INPUT_FIELDS if getattr(data, k) != getattr(current.data, k)]
        if archived != current.archived:
            changes.append(FieldChange(LABELS["archived"], current.archived, archived))
        elif reason != current.archive_reason:
            changes.append(FieldChange(LABELS["archive_reason"], current.archive_reason, reason))
        return PlanRow(row.number, RowStatus.UPDATE, data.name, org_id, tuple(changes), warnings=warnings,
                       data=data, archived=archived, archive_reason=reason)

    def _identity_problems(self, row: SheetRow, current: existing.Existing | None) -> list[RowProblem]:
        """A row without a name that matched nothing; a second row naming the same organization."""
        found = []
        if not row.name and current is None:
            found.append(RowProblem(where(self.header, "name"), "组织名称为空"))
        identity = current.id if current else (("uscc", row.uscc) if row.uscc else ("name", row.name, row.street))
        first, first_name = self.claimed.setdefault(identity, (row.number, row.name))
        if first != row.number:
            found.append(self._duplicate(row, first, first_name))
        return found

    def _duplicate(self, row: SheetRow, first: int, first_name: str) -> RowProblem:
        """A second row naming the organization of row ``first``: by its code, or by its name and 街道."""
        if not row.uscc:
            what = "组织名称和所在街道" if row.street else "组织名称"
            return RowProblem(where(self.header, "name"),
                              f"与第 {first} 行的{what}相同，是同一个组织：请删除重复的一行")
        said = f"{where(self.header, 'uscc')}与第 {first} 行（{first_name or '无名称'}）相同"
        if row.name and first_name and row.name != first_name:
            return RowProblem("", f"{said}，但名称不同（{row.name}）：可能有一行的代码填错了，请核对后修改")
        return RowProblem("", f"{said}，是同一个组织：请删除重复的一行")

    def _similar(self, row: SheetRow) -> tuple[RowProblem, ...]:
        found = self.index.similar(row)
        if found is None:
            return ()
        name, place = found
        return (RowProblem(where(self.header, "name"),
                           f"{place}已有名称相近的组织“{name}”：如果是它改了名，请先在台账中把名称改为“{row.name}”"
                           "（或在文件中填写它的统一社会信用代码）再导入，否则会新增一个组织"),)

    def _in_file_terms(self, message: str) -> str:
        """The form's advice put in the file's terms: the form's “保留原因” box is a column of the file."""
        if FORM_REASON_HINT not in message:
            return message
        if self.header.has(REASON_KEY):
            return message.replace(FORM_REASON_HINT, f"请在{where(self.header, REASON_KEY)}中说明")
        return message.replace(FORM_REASON_HINT, f"请在文件中增加一列“{LABELS[REASON_KEY]}”，在这一行填写保留原因")

    def _check(self, data: OrgInput, org_id: str | None, problems: list[RowProblem]) -> tuple[RowProblem, ...]:
        """The form's rules on what could be read: adds the problems (each column named once, the cell's own
        reason first) and returns the warnings."""
        check = check_org_input(self.session, data, org_id=org_id, today=self.today)
        named = {p.column for p in problems}
        problems += [found for k, m in check.problems.items() if k not in REQUIRED_LATER
                     and (found := RowProblem(where(self.header, k), self._in_file_terms(m))).column not in named]
        later = {k: f"{m}：导入后请在组织信息中补填" for k, m in check.problems.items() if k in REQUIRED_LATER}
        return tuple(RowProblem(where(self.header, k), m) for k, m in {**check.warnings, **later}.items())


def plan_import(factory: sessionmaker[Session], path: Path, *, progress: Progress | None = None,
                cancelled: Cancelled | None = None, today: date | None = None) -> ImportPlan:
    """Read ``path`` and say, row by row, what importing it would do.  Writes nothing.  Raises
    LedgerFileError (a file that is no 台账, with what to do) or ImportCancelled."""
    steps = Steps(progress, cancelled)
    sheet, header = _first_sheet_with_header(path, steps)
    sheet_rows, skipped = read_rows(header, sheet.rows)
    if not sheet_rows:
        place = f"的工作表“{sheet.name}”" if sheet.name else ""
        raise LedgerFileError(f"{path.name}{place}在表头（第 {header.row} 行）下面没有数据行")
    with factory() as session:
        planner = _Planner(session, header, today or clock.today())
        matches = planner.index.match_all(sheet_rows)
        currents = existing.load_existing(session, {m for m in matches if m})
        planned = []
        for n, (row, match) in enumerate(zip(sheet_rows, matches, strict=True)):
            ambiguous = planner.index.ambiguous(row) if match is None else None
            if ambiguous:
                planned.append(PlanRow(row.number, RowStatus.REJECTED, row.name,
                                       problems=(RowProblem(where(header, "sub_district"), ambiguous),)))
            else:
                planned.append(planner.plan(row, currents.get(match) if match else None))
            steps.step(CHECK_STAGE, n + 1, len(sheet_rows))
        fingerprint = existing.fingerprint(session)
    return ImportPlan(path.name, sheet.name, header.row, tuple(planned), tuple(skipped), header.ignored, fingerprint)
