"""What each kind of record shows: its table columns and its editor's fields, in one place per kind."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit, QWidget

from app.services.core import clock
from app.services.orgs.ledger import EVALUATION_VALID_YEARS, evaluation_expired
from app.services.orgs.record_dto import (
    CreditInput,
    CreditListKind,
    EvaluationGrade,
    EvaluationInput,
    InspectionInput,
    InspectionResult,
    OrgRecord,
    RecordInput,
    RecordKind,
    TermInput,
)
from app.ui.dialogs.fields import CountEdit, DateEntry
from app.ui.widgets import ChoiceBox

PICK = "（请选择）"


class YearEdit(CountEdit):
    """A year (年度): four digits typed, or blank (未填写)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9０-９]{0,4}"), self))
        self.setPlaceholderText("如 2025")


def _line(placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    return line


def _term_no() -> CountEdit:
    box = CountEdit()
    box.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9０-９]{0,2}"), box))
    box.setPlaceholderText("第几届，如 3")
    return box


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: str
    make: Callable[[], QWidget]


@dataclass(frozen=True)
class ColumnSpec:
    title: str
    text: Callable[[RecordInput], str]
    width: int = 110


@dataclass(frozen=True)
class KindSpec:
    kind: RecordKind
    noun: str  # "年检结果" in 新增年检结果 / 删除这条年检结果
    fields: tuple[FieldSpec, ...]
    columns: tuple[ColumnSpec, ...]
    make_input: Callable[..., RecordInput]
    blank: Callable[[], RecordInput]  # what a new record's editor starts with
    describe: Callable[[RecordInput], str]  # one line naming the record (delete confirmation)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _removed(data: RecordInput) -> str:
    assert isinstance(data, CreditInput)
    return _day(data.removed_on) if data.removed_on else "仍在名录中"


def _term_state(data: RecordInput) -> str:
    assert isinstance(data, TermInput)
    today = clock.today()
    if data.started_on and data.started_on > today:
        return "未开始"
    return "已届满" if data.ends_on and data.ends_on < today else "本届"


def _valid_until(data: RecordInput) -> str:
    assert isinstance(data, EvaluationInput)
    if data.evaluated_on is None:
        return ""
    on = data.evaluated_on
    until = date(on.year + EVALUATION_VALID_YEARS, on.month, min(on.day, 28))
    return f"{until.isoformat()}（已过期）" if evaluation_expired(on, clock.today()) else until.isoformat()


def _attr(name: str) -> Callable[[RecordInput], str]:
    def text(data: RecordInput) -> str:
        value = getattr(data, name)
        if value is None:
            return ""
        if isinstance(value, date):
            return value.isoformat()
        label = getattr(value, "label", None)
        return str(label if isinstance(label, str) else getattr(value, "value", value))
    return text


INSPECTION = KindSpec(
    RecordKind.INSPECTION, "年检结果",
    fields=(
        FieldSpec("year", "年度*", YearEdit),
        FieldSpec("result", "结论*", lambda: ChoiceBox([(PICK, None), *((r.label, r) for r in InspectionResult)])),
        FieldSpec("note", "备注", lambda: _line("如：未按时提交年度工作报告")),
    ),
    columns=(ColumnSpec("年度", lambda d: f"{d.year} 年度", 90), ColumnSpec("结论", _attr("result"), 90),  # type: ignore[union-attr]
             ColumnSpec("备注", _attr("note"), 300)),
    make_input=InspectionInput,
    blank=lambda: InspectionInput(year=clock.today().year - 1, result=None),  # last year's 年度
    describe=lambda d: f"{d.year} 年度的年检结果",  # type: ignore[union-attr]
)
CREDIT = KindSpec(
    RecordKind.CREDIT, "信用记录",
    fields=(
        FieldSpec("kind", "名录*", lambda: ChoiceBox([(PICK, None), *((k.label, k) for k in CreditListKind)])),
        FieldSpec("listed_on", "列入日期*", DateEntry),
        FieldSpec("reason", "列入原因*", lambda: _line("如：未按规定参加年检")),
        FieldSpec("removed_on", "移出日期", DateEntry),
    ),
    columns=(ColumnSpec("名录", _attr("kind"), 130), ColumnSpec("列入日期", _attr("listed_on"), 100),
             ColumnSpec("移出日期", _removed, 100), ColumnSpec("列入原因", _attr("reason"), 200)),
    make_input=CreditInput,
    blank=lambda: CreditInput(kind=None, listed_on=None),
    describe=lambda d: f"{_day(d.listed_on)}列入{d.kind.label if d.kind else ''}的记录",  # type: ignore[union-attr]
)
TERM = KindSpec(
    RecordKind.TERM, "换届记录",
    fields=(
        FieldSpec("term_no", "届次*", _term_no),
        FieldSpec("started_on", "本届开始日期*", DateEntry),
        FieldSpec("ends_on", "届满日期*", DateEntry),
        FieldSpec("note", "备注", lambda: _line("如：第三届理事会")),
    ),
    columns=(ColumnSpec("届次", lambda d: f"第 {d.term_no} 届", 70), ColumnSpec("开始日期", _attr("started_on"), 100),  # type: ignore[union-attr]
             ColumnSpec("届满日期", _attr("ends_on"), 100), ColumnSpec("状态", _term_state, 70),
             ColumnSpec("备注", _attr("note"), 200)),
    make_input=TermInput,
    blank=lambda: TermInput(term_no=None, started_on=None, ends_on=None),
    describe=lambda d: f"第 {d.term_no} 届的换届记录",  # type: ignore[union-attr]
)
EVALUATION = KindSpec(
    RecordKind.EVALUATION, "评估记录",
    fields=(
        FieldSpec("grade", "评估等级*", lambda: ChoiceBox([(PICK, None), *((g.value, g) for g in EvaluationGrade)])),
        FieldSpec("evaluated_on", "评估日期*", DateEntry),
        FieldSpec("note", "备注", lambda: _line("如：区民政局社会组织等级评估")),
    ),
    columns=(ColumnSpec("等级", _attr("grade"), 60), ColumnSpec("评估日期", _attr("evaluated_on"), 100),
             ColumnSpec("有效期至", _valid_until, 150), ColumnSpec("备注", _attr("note"), 200)),
    make_input=EvaluationInput,
    blank=lambda: EvaluationInput(grade=None, evaluated_on=None),
    describe=lambda d: f"{_day(d.evaluated_on)}的评估记录",  # type: ignore[union-attr]
)
SPECS: dict[RecordKind, KindSpec] = {spec.kind: spec for spec in (INSPECTION, CREDIT, TERM, EVALUATION)}


def record_row(spec: KindSpec, record: OrgRecord) -> list[str]:
    return [column.text(record.data) for column in spec.columns]
