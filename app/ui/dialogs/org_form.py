"""The 社会组织 form itself: every field in its group, a reserved message line under each, and a banner.

A self-contained widget (the organization window puts it in a tab; ``OrgDialog`` adds the buttons, the
checks and the drafts).  Nothing in it moves while the user types: message lines and the banner keep
their height whether they say something or not, and the 保留原因 row is always there (enabled only when
the code needs a reason).  Labels come from ``FIELD_LABELS``, the names the service's messages use; a
``*`` marks what the chosen organization type requires.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import uscc as uscc_rules
from app.services.orgs.dto import (
    DEFAULT_COMMUNITY_CATEGORIES,
    FIELD_LABELS,
    REGISTERED_TYPES,
    EvaluationGrade,
    OrgInput,
    OrgType,
)
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR, CountEdit, DateEntry, FieldSlot
from app.ui.widgets import ChoiceBox

REASON_HINT = "必填：该代码未通过校验位检查，如确认无误（如早期试点代码），请说明保留原因"
# (group title, fields) in form order; the first problem in this order gets the focus
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("基本信息", ("name", "short_name", "org_type", "community_category", "uscc", "uscc_override_reason",
                  "legal_representative", "founded_on")),
    ("登记与管理", ("registration_authority", "supervisory_unit", "industry_department", "evaluation_grade",
                    "evaluation_date")),
    ("党建", ("party_clause_in_charter", "party_clause_approved_on", "party_member_count")),
    ("联系与规模", ("sub_district", "community", "address", "contact_person", "contact_phone", "staff_count",
                    "member_count", "notes")),
)
FIELD_ORDER = tuple(name for _title, group in GROUPS for name in group)
PLACEHOLDERS = {
    "name": "与登记证书一致的全称",
    "uscc": "18位；备案的社区社会组织可不填",
    "uscc_override_reason": "仅当代码未通过校验位检查时填写",
    "registration_authority": "如：某某区民政局",
    "supervisory_unit": "直接登记的组织不填",
    "sub_district": "如：某某街道",
    "community": "如：某某社区",
    "contact_phone": "如：0591-87654321、13800000000",
}
DATE_FIELDS = ("founded_on", "evaluation_date", "party_clause_approved_on")
COUNT_FIELDS = ("staff_count", "member_count", "party_member_count")


def _make_editor(name: str) -> QWidget:
    if name in DATE_FIELDS:
        return DateEntry()
    if name in COUNT_FIELDS:
        return CountEdit()
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


class OrgForm(QWidget):
    """Every field of an organization; ``edited(name)`` after each change the user (or a restore) makes."""

    edited = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slots: dict[str, FieldSlot] = {}
        self.labels: dict[str, QLabel] = {}
        self._summary = ""
        self._build()
        self.sync_dependent_fields()
        for name in FIELD_ORDER:
            self.slots[name].changed.connect(lambda field=name: self._changed(field))
        QApplication.instance().focusChanged.connect(self._focus_moved)  # type: ignore[union-attr]

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.banner = QLabel(self)
        self.banner.setWordWrap(True)
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setFixedHeight(self.banner.fontMetrics().lineSpacing() * 2 + 6)  # reserved: 2 lines
        self.banner.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.banner)
        layout.addWidget(self.scroll_area, 1)

    def _group(self, title: str, group: tuple[str, ...]) -> QGroupBox:
        box = QGroupBox(title)
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        for name in group:
            slot = FieldSlot(_make_editor(name))
            label = QLabel(FIELD_LABELS[name])
            label.setBuddy(slot.editor)
            form.addRow(label, slot)
            self.slots[name], self.labels[name] = slot, label
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

    def draft_values(self) -> dict[str, Any]:
        """Every field as typed (JSON-able), for the draft."""
        return {name: slot.draft_value() for name, slot in self.slots.items()}

    def restore_draft(self, values: dict[str, Any]) -> None:
        for name in FIELD_ORDER:  # type first: it decides which other fields are enabled
            if name in values:
                self.slots[name].restore_draft(values[name])
                self.sync_dependent_fields()

    def local_problems(self) -> dict[str, str]:
        """What the form can tell without the service (half a date), field -> message."""
        return {name: f"{FIELD_LABELS[name]}{problem}" for name, slot in self.slots.items()
                if (problem := slot.local_problem())}

    def _changed(self, name: str) -> None:
        self.sync_dependent_fields()
        self.edited.emit(name)

    def sync_dependent_fields(self) -> None:
        """Type-specific and conditional fields, decided locally so they follow every keystroke."""
        org_type = self.editor("org_type").value()
        community = org_type is OrgType.COMMUNITY_FILED
        category = self.editor("community_category")
        if not community and category.currentIndex() != 0:
            category.setCurrentIndex(0)
        category.setEnabled(community)
        category.setItemText(0, "（未选择）" if community else "（不适用）")
        category.setToolTip("" if community else "只有社区社会组织(备案)填写类别")
        self.editor("party_clause_approved_on").setEnabled(self.editor("party_clause_in_charter").isChecked())
        required = {"name", "org_type"} | ({"uscc", "registration_authority"} if org_type in REGISTERED_TYPES
                                           else set())
        if self.reason_required():
            required.add("uscc_override_reason")
        self.editor("uscc_override_reason").setEnabled(self.reason_required() or self._reason_given())
        for name, label in self.labels.items():
            label.setText(FIELD_LABELS[name] + ("*" if name in required else ""))

    def _reason_given(self) -> bool:
        return bool(self.editor("uscc_override_reason").text().strip())

    def reason_required(self) -> bool:
        """The code is well formed but fails its check character: keeping it needs a stated reason."""
        code = uscc_rules.normalize(self.editor("uscc").text())
        return bool(code) and uscc_rules.validate(code).checksum_failed

    # -- messages --------------------------------------------------------------------------------
    def show_messages(self, shown: dict[str, str], warnings: dict[str, str], *, summary: bool) -> None:
        """Red ``shown`` problems and orange warnings under their fields; the banner counts the problems."""
        for name, slot in self.slots.items():
            if name in shown:
                slot.show_message(shown[name], "error")
            elif name in warnings:
                slot.show_message(warnings[name], "warning")
            elif name == "uscc_override_reason" and self.reason_required() and not self._reason_given():
                slot.show_message(REASON_HINT, "warning")
            else:
                slot.show_message("", "")
            self.labels[name].setStyleSheet(f"color: {ERROR_COLOR};" if name in shown else "")
        stray = [text for name, text in shown.items() if name not in self.slots]
        self._summary = "\n".join([f"有 {len(shown)} 处需要更正，请按红色提示修改后再保存。", *stray]) \
            if summary and shown else ""
        self._update_banner()

    def _focus_moved(self, _old: QWidget | None, _new: QWidget | None) -> None:
        self._update_banner()

    def focused_field(self) -> str | None:
        focus = QApplication.focusWidget()
        return next((name for name, slot in self.slots.items()
                     if focus is not None and (focus is slot or slot.isAncestorOf(focus))), None)

    def _update_banner(self) -> None:
        """Line 1: how many problems; line 2: the whole message of the field being edited (a message line
        shows one line, cut with …)."""
        lines = [self._summary] if self._summary else []
        name = self.focused_field()
        if name is not None and self.slots[name].text:
            slot = self.slots[name]
            lines.append(f"{FIELD_LABELS[name]}：{slot.text}")
            color = ERROR_COLOR if self._summary or slot.level == "error" else WARNING_COLOR
        else:
            color = ERROR_COLOR
        self.banner.setStyleSheet(f"color: {color}; font-weight: bold;" if lines else "")
        self.banner.setText("\n".join(lines))

    def problems_shown(self) -> dict[str, str]:
        """Field -> red message currently under it."""
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "error"}

    def warnings_shown(self) -> dict[str, str]:
        return {name: slot.text for name, slot in self.slots.items() if slot.level == "warning"}

    def focus_first(self, problems: dict[str, str]) -> None:
        first = next((name for name in FIELD_ORDER if name in problems), None)
        if first is None:
            return
        if first == "uscc" and self.reason_required() and not self._reason_given():
            first = "uscc_override_reason"  # the code is fine as typed; what is missing is the reason
        slot = self.slots[first]
        self.scroll_area.ensureWidgetVisible(slot)
        slot.editor.setFocus(Qt.FocusReason.OtherFocusReason)
        line = slot.editor.line if isinstance(slot.editor, DateEntry) else slot.editor
        if isinstance(line, QLineEdit):
            line.selectAll()
