"""The 社会组织 detail form: create or edit every field, with live validation from the service.

While the user types, ``check_org`` runs (debounced) on the read lane and each problem appears in red
under its field, each warning in orange; problems of fields not yet touched stay quiet until the first
save attempt.  Saving validates the whole form in the service: if it fails, every problem is shown and
the first one gets the focus, and nothing typed is lost.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.domain import uscc as uscc_rules
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.orgs.dto import DEFAULT_COMMUNITY_CATEGORIES, EvaluationGrade, OrgDetail, OrgInput, OrgType
from app.services.orgs.validation import OrgCheck
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, CountSpinBox, FieldSlot, OptionalDateEdit
from app.ui.dialogs.org_records.panel import RecordTabs
from app.ui.operations import organizations as ops
from app.ui.widgets import ChoiceBox

CHECK_DELAY_MS = 250
ORIGIN = "org_dialog"
REASON_HINT = "必填：该代码未通过校验位检查，如确认无误（如早期试点代码），请说明保留原因"

# (group title, ((field, label), ...)) in form order; the first problem in this order gets the focus
GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("基本信息", (
        ("name", "组织名称*"), ("short_name", "简称"), ("org_type", "组织类型*"),
        ("community_category", "社区社会组织类别"), ("uscc", "统一社会信用代码"),
        ("uscc_override_reason", "保留原因"), ("legal_representative", "法定代表人"),
        ("founded_on", "成立日期"),
    )),
    ("登记与管理", (
        ("registration_authority", "登记管理机关"), ("supervisory_unit", "业务主管单位"),
        ("industry_department", "行业管理部门"), ("evaluation_grade", "评估等级"),
        ("evaluation_date", "评估日期"),
    )),
    ("党建", (
        ("party_clause_in_charter", "党建入章"), ("party_clause_approved_on", "入章核准日期"),
        ("party_member_count", "党员人数"),
    )),
    ("联系与规模", (
        ("sub_district", "所在街道"), ("community", "所在社区"), ("address", "地址"),
        ("contact_person", "联系人"), ("contact_phone", "联系电话"), ("staff_count", "专职工作人员数"),
        ("member_count", "会员数"), ("notes", "备注"),
    )),
)
FIELD_ORDER = tuple(name for _title, group in GROUPS for name, _label in group)
PLACEHOLDERS = {
    "name": "与登记证书一致的全称",
    "uscc": "18位；备案的社区社会组织可不填",
    "registration_authority": "如：某某区民政局",
    "supervisory_unit": "直接登记的组织不填",
    "sub_district": "如：某某街道",
    "community": "如：某某社区",
}


def _make_editor(name: str) -> QWidget:
    if name in ("founded_on", "evaluation_date", "party_clause_approved_on"):
        return OptionalDateEdit()
    if name in ("staff_count", "member_count", "party_member_count"):
        return CountSpinBox()
    if name == "org_type":
        return ChoiceBox([(org_type.label, org_type) for org_type in OrgType])
    if name == "community_category":
        return ChoiceBox([("（不适用）", ""), *((c, c) for c in DEFAULT_COMMUNITY_CATEGORIES)])
    if name == "evaluation_grade":
        return ChoiceBox([("未评估", None), *((grade.value, grade) for grade in EvaluationGrade)])
    if name == "party_clause_in_charter":
        return QCheckBox("章程已写入党的建设内容")
    if name == "notes":
        notes = QPlainTextEdit()
        notes.setFixedHeight(64)
        notes.setTabChangesFocus(True)
        return notes
    line = QLineEdit()
    line.setPlaceholderText(PLACEHOLDERS.get(name, ""))
    return line


class OrgDialog(QDialog):
    """Create (``detail`` None) or edit one organization.  Emits ``saved(OrgDetail)`` then closes."""

    saved = Signal(object)

    def __init__(self, ctx: UiContext, detail: OrgDetail | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._detail = ctx, detail
        self._touched: set[str] = set()
        self._show_all = detail is not None  # an existing record: every problem is worth showing
        self._generation = 0
        self.last_check: OrgCheck | None = None
        self.slots: dict[str, FieldSlot] = {}
        self.labels: dict[str, QLabel] = {}
        self.forms: dict[str, QFormLayout] = {}
        self.setWindowTitle(f"编辑组织：{detail.data.name}" if detail else "新建组织")
        self._build()
        if detail is not None:
            self.set_input(detail.data)
        self._sync_dependent_fields()
        self._opened_with = self.form_input()  # to tell whether closing would throw input away
        self._check_timer = QTimer(self, singleShot=True, interval=CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self._connect_changes()
        self.editor("name").setFocus()
        if detail is not None:
            self.run_check()

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.hide()
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        for index, (title, group) in enumerate(GROUPS):
            (left if index < 2 else right).addWidget(self._group(title, group))
        left.addStretch(1)
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        body = QWidget()
        body.setLayout(columns)
        self.scroll_area = QScrollArea(self)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setWidget(body)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton("保存", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.tabs = QTabWidget(self)  # 基本信息, then the records (年检年报, 信用记录, 换届, 评估)
        self.tabs.addTab(self.scroll_area, "基本信息")
        self.records = RecordTabs(self.tabs, self._ctx, self._detail)
        self.records.orgChanged.connect(self._org_changed_by_records)
        footer = QHBoxLayout()
        footer.addWidget(self.records.mine_box)
        footer.addWidget(self.buttons, 1)
        layout = QVBoxLayout(self)
        if self._detail is not None and self._detail.archived:
            archived = self._detail.archived_on
            when = f"于 {archived:%Y-%m-%d} " if archived else ""
            note = QLabel(f"该组织已{when}归档（原因：{self._detail.archive_reason or '未说明'}），"
                          "不在在册台账中；可在台账中选中后点“恢复”。", self)
            note.setWordWrap(True)
            note.setStyleSheet("color: #5f6368;")
            layout.addWidget(note)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(footer)
        self.resize(1020, 660)

    def _group(self, title: str, group: tuple[tuple[str, str], ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for name, label_text in group:
            slot = FieldSlot(_make_editor(name))
            label = QLabel(label_text)
            label.setBuddy(slot.editor)
            form.addRow(label, slot)
            self.slots[name], self.labels[name], self.forms[name] = slot, label, form
        return box

    def editor(self, name: str) -> Any:
        return self.slots[name].editor

    # -- values ----------------------------------------------------------------------------------
    def form_input(self) -> OrgInput:
        """What the form holds now, as the service takes it."""
        return OrgInput(**{spec.name: self.slots[spec.name].value() for spec in fields(OrgInput)})

    def set_input(self, data: OrgInput) -> None:
        for spec in fields(OrgInput):
            self.slots[spec.name].set_value(getattr(data, spec.name))

    def _connect_changes(self) -> None:
        for name in FIELD_ORDER:
            self.slots[name].changed.connect(lambda field=name: self._edited(field))

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._sync_dependent_fields()
        self._check_timer.start()

    def _sync_dependent_fields(self) -> None:
        """Type-specific and conditional fields, decided locally so they follow every keystroke."""
        community = self.editor("org_type").value() is OrgType.COMMUNITY_FILED
        category = self.editor("community_category")
        if not community:
            category.setCurrentIndex(0)
        category.setEnabled(community)
        category.setItemText(0, "（未选择）" if community else "（不适用）")
        category.setToolTip("" if community else "只有社区社会组织(备案)填写类别")
        self.editor("party_clause_approved_on").setEnabled(self.editor("party_clause_in_charter").isChecked())
        required = self.reason_required()
        self.forms["uscc_override_reason"].setRowVisible(
            self.slots["uscc_override_reason"], required or self._reason_given())
        self.labels["uscc_override_reason"].setText("保留原因*" if required else "保留原因")

    def _reason_given(self) -> bool:
        return bool(self.editor("uscc_override_reason").text().strip())

    def reason_required(self) -> bool:
        """The code is well formed but fails its check character: keeping it needs a stated reason."""
        code = uscc_rules.normalize(self.editor("uscc").text())
        return bool(code) and uscc_rules.validate(code).checksum_failed

    # -- validation ------------------------------------------------------------------------------
    def run_check(self) -> None:
        """Ask the service about the whole form now (live feedback; saves nothing)."""
        self._check_timer.stop()
        self._generation += 1
        generation = self._generation
        ops.check_org(
            ctx=self._ctx, data=self.form_input(), org_id=self._detail.id if self._detail else None,
            on_done=lambda check: self._checked(generation, check), owner=self,
        )

    def _checked(self, generation: int, check: OrgCheck) -> None:
        if generation == self._generation:  # a newer keystroke or a save supersedes this result
            self.last_check = check
            self.show_check(check.problems, check.warnings)

    def show_check(self, problems: dict[str, str], warnings: dict[str, str]) -> None:
        shown = {k: v for k, v in problems.items() if self._show_all or k in self._touched}
        for name, slot in self.slots.items():
            if name in shown:
                slot.show_message(shown[name], "error")
            elif name in warnings:
                slot.show_message(warnings[name], "warning")
            elif name == "uscc_override_reason" and self.reason_required() and not self._reason_given():
                slot.show_message(REASON_HINT, "warning")
            else:
                slot.show_message("", "")
            color = f"color: {ERROR_COLOR};" if name in shown else ""
            self.labels[name].setStyleSheet(color)
        self._show_banner(shown)

    def _show_banner(self, shown: dict[str, str]) -> None:
        stray = [text for name, text in shown.items() if name not in self.slots]
        if self._show_all and shown:
            lines = [f"有 {len(shown)} 处需要更正，请按红色提示修改后再保存。", *stray]
            self.banner.setText("\n".join(lines))
            self.banner.setStyleSheet(f"color: {ERROR_COLOR}; font-weight: bold;")
            self.banner.show()
        else:
            self.banner.hide()

    def problems_shown(self) -> dict[str, str]:
        """Field -> red message currently under it."""
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "error"}

    def warnings_shown(self) -> dict[str, str]:
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "warning"}

    def _focus_first(self, problems: dict[str, str]) -> None:
        first = next((name for name in FIELD_ORDER if name in problems), None)
        if first is None:
            return
        if first == "uscc" and self.reason_required() and not self._reason_given():
            first = "uscc_override_reason"  # the code is fine as typed; what is missing is the reason
        slot = self.slots[first]
        self.scroll_area.ensureWidgetVisible(slot)
        slot.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(slot.editor, QLineEdit):
            slot.editor.selectAll()

    # -- save ------------------------------------------------------------------------------------
    def save(self) -> None:
        """Validate the whole form in the service and save it, or show every problem."""
        self._show_all = True
        self._generation += 1  # any live check still running is now out of date
        self._check_timer.stop()
        self._set_busy(True)
        data = self.form_input()
        if self._detail is None:
            ops.create_org(ctx=self._ctx, data=data, on_done=self._saved, on_error=self._save_failed,
                           origin=ORIGIN, owner=self)
        else:
            ops.update_org(ctx=self._ctx, org_id=self._detail.id, data=data,
                           expected_updated_at=self._detail.updated_at, on_done=self._saved,
                           on_error=self._save_failed, origin=ORIGIN, owner=self)

    def _org_changed_by_records(self, detail: OrgDetail) -> None:
        """An evaluation added or deleted in the 评估 tab set the organization's grade: show it, and save
        the form against the organization as it now is (no false 已被修改)."""
        self._detail = detail
        for name in ("evaluation_grade", "evaluation_date"):
            value = getattr(detail.data, name)
            if name not in self._touched:
                self.slots[name].blockSignals(True)
                self.slots[name].set_value(value)
                self.slots[name].blockSignals(False)
            self._opened_with = replace(self._opened_with, **{name: value})

    def has_unsaved_input(self) -> bool:
        return self.form_input() != self._opened_with

    def reject(self) -> None:
        """取消, Esc or the window's close button: ask before throwing typed input away."""
        if self.has_unsaved_input():
            answer = QMessageBox.question(
                self, "放弃修改？", "表单中有尚未保存的内容。关闭后这些内容将丢失，确定要放弃吗？",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()

    def _saved(self, detail: OrgDetail) -> None:
        self._set_busy(False)
        self.saved_detail = detail
        self.saved.emit(detail)
        self.accept()

    def _save_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, ValidationFailed):
            warnings = self.last_check.warnings if self.last_check else {}
            self.show_check(exc.problems, warnings)
            self._focus_first(exc.problems)
        else:
            QMessageBox.critical(self, "保存失败", describe_error(exc) + "\n表单中填写的内容没有丢失。")

    def _set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setText("正在保存…" if busy else "保存")

