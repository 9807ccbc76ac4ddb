"""文书设置…: the 机关代字 of each notice series (走访通知, 整改通知书, 提醒函), the 落款 printed on them and the
instructor's own name and phone (联系人 / 走访人员 / 党建指导员 on the documents).

The form is checked as a whole before anything is saved; each field says what to fix under it.  A changed
代字 renumbers nothing already issued.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.domain.enums import NoticeKind
from app.services.core.error_text import describe_error
from app.services.core.errors import ValidationFailed
from app.services.notices.settings import SeriesSettings, check_series_settings
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR
from app.ui.operations import documents as ops

EXAMPLE = "文号示例：{prefix}〔{year}〕7号"


class SeriesSettingsDialog(QDialog):
    saved = Signal(object)  # the SeriesSettings stored

    def __init__(self, ctx: UiContext, *, origin: str = "", focus_instructor: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx, self._origin, self._focus_instructor = ctx, origin, focus_instructor
        self.setWindowTitle("文书设置")
        intro = QLabel("每类通知一个发文代字（机关代字），文号按代字和年份各自从 1 编号，格式如 鼓民社党〔2026〕7号。"
                       "修改代字不影响已签发的通知。您的姓名和电话印在通知书的联系人、走访人员处，签发前须填写。")
        intro.setWordWrap(True)
        self.series: dict[NoticeKind, QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}
        form = QFormLayout()
        for kind in NoticeKind:
            edit = QLineEdit()
            edit.setMaxLength(20)
            edit.textChanged.connect(self._recheck)
            self.series[kind] = edit
            form.addRow(kind.label, edit)
            form.addRow("", self._message_line(kind.value))
        self.issuer = QLineEdit()
        self.issuer.setMaxLength(40)
        self.issuer.setPlaceholderText("如 某某街道社会组织综合党委")
        self.issuer.textChanged.connect(self._recheck)
        form.addRow("落款（发文机关）", self.issuer)
        form.addRow("", self._message_line("issuer"))
        self.instructor_name = QLineEdit()
        self.instructor_name.setMaxLength(20)
        self.instructor_name.setPlaceholderText("印在文书的联系人、走访人员处")
        self.instructor_name.textChanged.connect(self._recheck)
        form.addRow("您的姓名（指导员）", self.instructor_name)
        form.addRow("", self._message_line("instructor_name"))
        self.instructor_phone = QLineEdit()
        self.instructor_phone.setMaxLength(20)
        self.instructor_phone.setPlaceholderText("如 0591-87654321（文书上默认打码）")
        self.instructor_phone.textChanged.connect(self._recheck)
        form.addRow("联系电话", self.instructor_phone)
        form.addRow("", self._message_line("instructor_phone"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("保存")
        self.save_button.setEnabled(False)  # until the settings are read
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.message = QLabel(" ")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR}")
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(520, 0)
        self._loading = True
        ops.load_series_settings(ctx=ctx, on_done=self._loaded, on_error=self._failed, owner=self)

    def _message_line(self, key: str) -> QLabel:
        line = QLabel(" ")  # reserved
        line.setStyleSheet(f"color: {ERROR_COLOR}")
        self.messages[key] = line
        return line

    def _recheck(self) -> None:
        """Each field says what is wrong with it as it is typed (not while the stored settings are filled in)."""
        if not self._loading:
            self._show_problems(check_series_settings(self.settings()), False)

    def _loaded(self, settings: SeriesSettings) -> None:
        for kind, edit in self.series.items():
            edit.setText(settings.of(kind))
        self.issuer.setText(settings.issuer)
        self.instructor_name.setText(settings.instructor_name)
        self.instructor_phone.setText(settings.instructor_phone)
        self._loading = False
        self._recheck()
        self.save_button.setEnabled(True)
        if self._focus_instructor or not settings.instructor_name:
            self.instructor_name.setFocus()
        else:
            self.series[NoticeKind.RECTIFICATION_NOTICE].setFocus()

    def settings(self) -> SeriesSettings:
        return SeriesSettings({kind: edit.text() for kind, edit in self.series.items()}, self.issuer.text(),
                              self.instructor_name.text(), self.instructor_phone.text())

    def _show_problems(self, problems: dict[str, str], focus: bool) -> None:
        for key, line in self.messages.items():
            line.setText(problems.get(key, " "))
            line.setToolTip(problems.get(key, ""))
        if focus and problems:
            first = next(iter(problems))
            fields = {"issuer": self.issuer, "instructor_name": self.instructor_name,
                      "instructor_phone": self.instructor_phone}
            target = fields[first] if first in fields else self.series[NoticeKind(first)]
            target.setFocus()

    def save(self) -> None:
        problems = check_series_settings(self.settings())
        self._show_problems(problems, True)
        if problems:
            self.message.setText("请先改正上面标出的内容，设置没有保存。")
            return
        self.save_button.setEnabled(False)
        ops.save_series_settings(ctx=self._ctx, settings=self.settings(), on_done=self._saved,
                                 on_error=self._failed, origin=self._origin, owner=self)

    def _saved(self, settings: SeriesSettings) -> None:
        self.saved.emit(settings)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.save_button.setEnabled(True)
        if isinstance(exc, ValidationFailed):
            self._show_problems(exc.problems, True)
        self.message.setText(describe_error(exc))
