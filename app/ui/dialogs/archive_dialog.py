"""归档组织: asks for the reason, and says in place what is missing (the text typed stays)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.services.orgs.organizations import archive_reason_problem
from app.ui.dialogs.fields import ERROR_COLOR, MessageLine


class ArchiveReasonDialog(QDialog):
    """``exec()`` is accepted only with a usable reason; ``reason()`` is the text typed."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("归档组织")
        intro = QLabel(f"归档“{name}”后，它不再出现在在册台账中，记录不会删除，可随时恢复。")
        intro.setWordWrap(True)
        self.message = MessageLine(self)  # reserved: the dialog does not grow when it speaks
        self.reason_edit = QLineEdit()
        self.reason_edit.setPlaceholderText("如：已注销、已迁出本街道")
        self.reason_edit.textChanged.connect(lambda _text: self.message.set_message("", ERROR_COLOR))
        label = QLabel("归档原因*")
        label.setBuddy(self.reason_edit)
        self.buttons = QDialogButtonBox()
        self.archive_button = self.buttons.addButton("归档", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(label)
        layout.addWidget(self.reason_edit)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(460, self.sizeHint().height())

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def accept(self) -> None:
        problem = archive_reason_problem(self.reason_edit.text())
        if problem:
            self.message.set_message(problem, ERROR_COLOR)
            self.reason_edit.setFocus()
            return
        super().accept()
