"""会议记录与附件: the minutes, the guests (讲课人, 上级党组织代表, 列席人员), and the photos / scanned 签到表 —
add (copied into the profile's attachments folder under its SHA-256 at once, off the UI thread), open
(the system's viewer), remove (the row goes with the next save; the file stays while any row names it)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.services.core.attachments import StoredFile
from app.services.core.error_text import describe_error
from app.services.meetings.dto import AttachmentInput, GuestInput, GuestRole
from app.ui.context import UiContext
from app.ui.operations import attachments as files
from app.ui.widgets import ChoiceBox

FILE_FILTER = "照片或扫描件 (*.jpg *.jpeg *.png *.pdf *.tif *.tiff *.bmp *.heic);;所有文件 (*)"


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAutoDefault(False)
    return button


class RecordTab(QWidget):
    edited = Signal()

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.files: list[AttachmentInput] = []
        self.added: list[str] = []  # files this form copied in (removed again if it closes unsaved)
        self.minutes = QPlainTextEdit()
        self.minutes.setPlaceholderText("会议记录：发言要点、讨论情况等")
        self.guests = QTableWidget(0, 3)
        self.guests.setHorizontalHeaderLabels(("姓名", "身份", "单位/职务"))
        self.guests.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.guests.verticalHeader().setVisible(False)
        self.guests.setMaximumHeight(120)
        add_guest, remove_guest = _button("添加"), _button("删除")
        add_guest.clicked.connect(lambda: self.append_guest(GuestInput("")))
        remove_guest.clicked.connect(self._remove_guest)
        self.file_list = QListWidget()
        self.file_list.setMaximumHeight(110)
        self.file_list.itemDoubleClicked.connect(lambda _item: self.open_selected())
        self.add_file, self.open_file, self.remove_file = _button("添加照片/签到表…"), _button("打开"), _button("移除")
        self.add_file.clicked.connect(self.choose_files)
        self.open_file.clicked.connect(self.open_selected)
        self.remove_file.clicked.connect(self.remove_selected)
        self.file_message = QLabel()
        self.file_message.setFixedHeight(self.file_message.fontMetrics().height() + 4)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("会议记录"))
        layout.addWidget(self.minutes, 1)
        guests_head = QHBoxLayout()
        guests_head.addWidget(QLabel("非本支部的到会人员（讲课人、上级党组织代表、列席人员）"), 1)
        guests_head.addWidget(add_guest)
        guests_head.addWidget(remove_guest)
        layout.addLayout(guests_head)
        layout.addWidget(self.guests)
        files_head = QHBoxLayout()
        files_head.addWidget(QLabel("附件（会议照片、签到表扫描件）"), 1)
        for button in (self.add_file, self.open_file, self.remove_file):
            files_head.addWidget(button)
        layout.addLayout(files_head)
        layout.addWidget(self.file_list)
        layout.addWidget(self.file_message)
        self.minutes.textChanged.connect(self.edited.emit)
        self.guests.itemChanged.connect(lambda _item: self.edited.emit())

    # -- guests ----------------------------------------------------------------------------------
    def append_guest(self, guest: GuestInput) -> None:
        row = self.guests.rowCount()
        self.guests.insertRow(row)
        self.guests.setItem(row, 0, QTableWidgetItem(guest.name))
        role = ChoiceBox([(r.label, r) for r in GuestRole])
        role.set_value(guest.role)
        role.currentIndexChanged.connect(lambda _i: self.edited.emit())
        self.guests.setCellWidget(row, 1, role)
        self.guests.setItem(row, 2, QTableWidgetItem(guest.unit))
        self.edited.emit()

    def _remove_guest(self) -> None:
        row = self.guests.currentRow()
        if row >= 0:
            self.guests.removeRow(row)
            self.edited.emit()

    def guest_values(self) -> tuple[GuestInput, ...]:
        found = []
        for row in range(self.guests.rowCount()):
            name, unit, role = self.guests.item(row, 0), self.guests.item(row, 2), self.guests.cellWidget(row, 1)
            value = role.value() if isinstance(role, ChoiceBox) else GuestRole.OTHER
            if name is not None and name.text().strip():
                found.append(GuestInput(name.text(), value if isinstance(value, GuestRole) else GuestRole.OTHER,
                                        unit.text() if unit else ""))
        return tuple(found)

    # -- files -----------------------------------------------------------------------------------
    def set_files(self, files: tuple[AttachmentInput, ...]) -> None:
        self.files = list(files)
        self._show_files()

    def _show_files(self) -> None:
        self.file_list.clear()
        for f in self.files:
            self.file_list.addItem(f"{f.filename}（{max(f.size // 1024, 1)} KB）")

    def choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "添加会议照片或签到表扫描件", "", FILE_FILTER)
        for name in names:
            self.add_path(Path(name))

    def add_path(self, path: Path) -> None:
        """Copy ``path`` into the attachments folder (off the UI thread), then list it."""
        self.file_message.setText(f"正在添加 {path.name}…")
        files.store_file(ctx=self._ctx, source=path, on_done=self._stored, on_error=self._store_failed, owner=self)

    def _stored(self, stored: StoredFile) -> None:
        self.added.append(stored.sha256)
        self.files.append(AttachmentInput(stored.sha256, stored.filename, stored.size, stored.mime_type))
        self._show_files()
        self.file_message.setText(f"已添加 {stored.filename}，保存会议记录后生效")
        self.edited.emit()

    def _store_failed(self, exc: BaseException) -> None:
        self.file_message.setText("")
        QMessageBox.warning(self, "无法添加附件", describe_error(exc))

    def open_selected(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.files):
            path = files.file_path(ctx=self._ctx, sha256=self.files[row].sha256)
            if not path.is_file():
                QMessageBox.warning(self, "无法打开", f"附件文件不在附件目录中：{path}")
                return
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def remove_selected(self) -> None:
        row = self.file_list.currentRow()
        if 0 <= row < len(self.files):
            removed = self.files.pop(row)
            self._show_files()
            self.file_message.setText(f"已移除 {removed.filename}，保存会议记录后生效")
            self.edited.emit()
