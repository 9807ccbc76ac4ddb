"""The password asked for at sync time, saying why it is asked: no system keyring on this computer (the
sign-in is never stored in plain text), or the stored sign-in expired or was revoked by the district."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from app.ui.widgets import fit_wrapped_text

NO_KEYRING_WHY = ("本机没有可用的系统钥匙串（keyring），为安全起见登录凭据没有保存在本机（从不以明文保存），"
                  "只在工作台打开期间记在内存中：所以每次打开工作台后第一次同步时要输入密码。")
EXPIRED_WHY = "保存的登录已过期或已被区里作废，请重新输入密码。"


class PasswordDialog(QDialog):
    def __init__(self, account_text: str, *, expired: bool, reason: str = "", error: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("输入密码以同步")
        why = (reason or EXPIRED_WHY) if expired else NO_KEYRING_WHY
        self.why = QLabel(f"同步需要区服务器的登录密码：\n{account_text}\n\n{why}")
        self.why.setWordWrap(True)
        self.error = QLabel(f"{error.rstrip('。')}，请重新输入。" if error else "")
        self.error.setStyleSheet("color: #b3261e")
        self.error.setWordWrap(True)
        self.error.setVisible(bool(error))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("区服务器的登录密码")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("同步")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self._accept_if_given)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.why)
        layout.addWidget(self.error)
        layout.addWidget(self.password)
        layout.addWidget(self.buttons)
        fit_wrapped_text(self, 520)

    def _accept_if_given(self) -> None:
        if self.password.text():
            self.accept()
        else:
            self.password.setFocus()


def ask_password(parent: QWidget | None, account_text: str, *, expired: bool, reason: str = "",
                 error: str = "") -> str | None:
    """The password typed, or None when the user cancelled; ``error``: why the last one was refused."""
    dialog = PasswordDialog(account_text, expired=expired, reason=reason, error=error, parent=parent)
    return dialog.password.text() if dialog.exec() == QDialog.DialogCode.Accepted else None
