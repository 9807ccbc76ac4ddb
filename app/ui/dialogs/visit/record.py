"""走访情况: who was met, what was seen (a plan: what the visit is for), 意见建议, 需协调解决的事项, the next
planned visit, and the photos — added into the profile's attachments folder at once (off the UI thread),
opened with the system's viewer, removed with the next save."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.core.attachments import StoredFile
from app.services.core.error_text import describe_error
from app.services.visits.dto import PhotoInput, VisitInput, VisitStatus
from app.ui.context import UiContext
from app.ui.dialogs.fields import DateEntry
from app.ui.operations import attachments as files

PHOTO_FILTER = "照片 (*.jpg *.jpeg *.png *.heic *.bmp *.tif *.tiff);;所有文件 (*)"


def _text(placeholder: str, height: int) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaximumHeight(height)
    edit.setTabChangesFocus(True)  # Tab moves on, as in every other field
    return edit


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


class RecordTab(QWidget):
    edited = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.photos: list[PhotoInput] = []
        self.added: list[str] = []  # files this form copied in (removed again if it closes unsaved)
        self.met_with = QLineEdit()
        self.met_with.setPlaceholderText("姓名和职务，如 理事长 王芳、党支部书记 李明")
        self.met_with.setMaxLength(200)
        self.summary = _text("走访中了解到的情况", 80)
        self.suggestions = _text("对组织党建工作的意见建议", 60)
        self.coordination = _text("需要街道或有关部门协调解决的事项", 60)
        self.next_visit = DateEntry()
        self.plan_next = QCheckBox("同时建立这一天的走访计划")
        self.plan_next.setEnabled(False)
        next_row = QHBoxLayout()
        next_row.addWidget(self.next_visit, 1)
        next_row.addWidget(self.plan_next)
        self.photo_list = QListWidget()
        self.photo_list.setMaximumHeight(70)
        self.photo_list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.add_photo, self.open_photo, self.remove_photo = _button("添加照片…"), _button("打开"), _button("移除")
        self.add_photo.clicked.connect(self.choose_photos)
        self.open_photo.clicked.connect(self.open_selected)
        self.remove_photo.clicked.connect(self.remove_selected)
        self.photo_message = QLabel()
        self.photo_message.setFixedHeight(self.photo_message.fontMetrics().height() + 4)
        photo_buttons = QVBoxLayout()
        for button in (self.add_photo, self.open_photo, self.remove_photo):
            photo_buttons.addWidget(button)
        photo_row = QHBoxLayout()
        photo_row.addWidget(self.photo_list, 1)
        photo_row.addLayout(photo_buttons)
        self.photo_box = QWidget()
        photo_layout = QVBoxLayout(self.photo_box)
        photo_layout.setContentsMargins(0, 0, 0, 0)
        photo_layout.addLayout(photo_row)
        photo_layout.addWidget(self.photo_message)
        self.summary_label, self.met_label = QLabel("情况记录"), QLabel("见到的人")
        outer = QVBoxLayout(self)  # the rows at the top, the space below them (never spread between rows)
        self.form = QFormLayout()
        outer.addLayout(self.form)
        outer.addStretch(1)
        self.form.addRow(self.met_label, self.met_with)
        self.form.addRow(self.summary_label, self.summary)
        self.form.addRow("意见建议", self.suggestions)
        self.form.addRow("需协调解决的事项", self.coordination)
        self.next_label = QLabel("下次计划走访")
        self.form.addRow(self.next_label, next_row)
        self.form.addRow("照片", self.photo_box)
        self.met_with.textChanged.connect(lambda _t: self.edited.emit())
        for edit in (self.summary, self.suggestions, self.coordination):
            edit.textChanged.connect(self.edited.emit)
        self.next_visit.changed.connect(self._next_changed)
        self.plan_next.toggled.connect(lambda _on: self.edited.emit())

    def _next_changed(self) -> None:
        has = self.next_visit.value() is not None
        self.plan_next.setEnabled(has)
        if not has:
            self.plan_next.setChecked(False)
        self.edited.emit()

    def follow_status(self, status: VisitStatus) -> None:
        done = status is VisitStatus.DONE
        self.summary_label.setText("情况记录" if done else "走访目的")
        self.met_label.setText("见到的人" if done else "约见的人")
        self.summary.setPlaceholderText("走访中了解到的情况" if done else "这次走访要了解什么、带什么材料")
        for widget in (self.suggestions, self.coordination, self.photo_box):
            self.form.setRowVisible(widget, done)
        self.form.setRowVisible(self.next_label, done)

    def set_input(self, data: VisitInput) -> None:
        self.met_with.setText(data.met_with)
        self.summary.setPlainText(data.summary)
        self.suggestions.setPlainText(data.suggestions)
        self.coordination.setPlainText(data.coordination)
        self.next_visit.set_value(data.next_visit_on)
        self.plan_next.setEnabled(data.next_visit_on is not None)
        self.plan_next.setChecked(data.plan_next)
        self.photos = list(data.photos)
        self._show_photos()

    def next_visit_on(self) -> date | None:
        return self.next_visit.value()

    # -- photos ----------------------------------------------------------------------------------
    def _show_photos(self) -> None:
        self.photo_list.clear()
        for p in self.photos:
            self.photo_list.addItem(f"{p.filename}（{max(p.size // 1024, 1)} KB）")

    def choose_photos(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "添加走访照片", "", PHOTO_FILTER)
        for name in names:
            self.add_path(Path(name))

    def add_path(self, path: Path) -> None:
        """Copy ``path`` into the attachments folder (off the UI thread), then list it."""
        self.photo_message.setText(f"正在添加 {path.name}…")
        files.store_file(ctx=self._ctx, source=path, on_done=self._stored, on_error=self._store_failed, owner=self)

    def _stored(self, stored: StoredFile) -> None:
        self.added.append(stored.sha256)
        self.photos.append(PhotoInput(stored.sha256, stored.filename, stored.size, stored.mime_type))
        self._show_photos()
        self.photo_message.setText(f"已添加 {stored.filename}，保存走访记录后生效")
        self.edited.emit()

    def _store_failed(self, exc: BaseException) -> None:
        self.photo_message.setText("")
        QMessageBox.warning(self, "无法添加照片", describe_error(exc))

    def open_selected(self) -> None:
        row = self.photo_list.currentRow()
        if 0 <= row < len(self.photos):
            path = files.file_path(ctx=self._ctx, sha256=self.photos[row].sha256)
            if not path.is_file():
                QMessageBox.warning(self, "无法打开", f"照片文件不在附件目录中：{path}")
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        row = self.photo_list.currentRow()
        if 0 <= row < len(self.photos):
            removed = self.photos.pop(row)
            self._show_photos()
            self.photo_message.setText(f"已移除 {removed.filename}，保存走访记录后生效")
            self.edited.emit()
