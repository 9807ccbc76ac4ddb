"""登录区服务器…: the server's address, the user name and password, and an optional root certificate for a
server with a self-made certificate.

The form is checked as a whole before anything is sent; the one message line (reserved space, so nothing
jumps) says what to fix, and a certificate the computer does not trust is explained with the way out (the
custom CA file).  Signing in opens the profile named after the user (the window switches to it); the data
of the profile open now stays where it is.  The demo profile never signs in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.ui.context import UiContext
from app.ui.dialogs.fields import ERROR_COLOR, WARNING_COLOR
from app.ui.operations import sync as ops
from app.ui.sync_text import server_url_problem, server_url_warning, username_problem
from app.ui.widgets import fit_wrapped_text

DEMO_REFUSAL = "演示数据不参与同步，不能在演示数据中登录区服务器：请先点上方的“回到我的数据”，再登录。"
CERTIFICATE_HELP = ("\n如果区服务器使用单位自建的证书，请向区里的管理员要根证书文件（.pem），"
                    "在“根证书”中选择它后再登录。")
if TYPE_CHECKING:
    from app.services.sync import Account

CA_FILTER = "PEM 证书 (*.pem *.crt *.cer);;所有文件 (*)"


class SignInDialog(QDialog):
    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._busy = False
        self.account: Account | None = None  # the Account signed in, once accepted
        self.setWindowTitle("登录区服务器")
        self.intro = intro = QLabel("用区里分配的用户名和密码登录。登录后打开以用户名命名的数据（没有就新建），"
                                    f"负责的组织由区里分配；现在打开的“{ctx.profile}”中的数据原样保留，不会上传。")
        intro.setWordWrap(True)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://dangjian.example.gov.cn")
        self.user = QLineEdit()
        self.user.setPlaceholderText("区里分配的用户名，如 zhangsan")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.ca_file = QLineEdit()
        self.ca_file.setPlaceholderText("可不填：仅当服务器使用单位自建的证书时")
        self.choose_ca = QPushButton("选择…")
        self.choose_ca.setAutoDefault(False)
        self.choose_ca.clicked.connect(self._choose_ca)
        ca_row = QHBoxLayout()
        ca_row.addWidget(self.ca_file, 1)
        ca_row.addWidget(self.choose_ca)
        self.server_hint = QLabel()
        self.server_hint.setWordWrap(True)
        self.server_hint.setStyleSheet(f"color: {WARNING_COLOR};")
        self.server_hint.setVisible(False)
        self.server.textChanged.connect(self._server_changed)
        form = QFormLayout()
        form.addRow("服务器地址", self.server)
        form.addRow("", self.server_hint)
        form.addRow("用户名", self.user)
        form.addRow("密码", self.password)
        form.addRow("根证书（可选）", ca_row)
        self.message = QLabel(" ")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOR};")
        self.message.setMinimumHeight(self.message.fontMetrics().lineSpacing() * 4)  # reserved: nothing jumps
        self.message.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("登录")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        fit_wrapped_text(self, 560)
        if ctx.is_demo:
            self._refuse_demo()

    def _server_changed(self, text: str) -> None:
        warning = server_url_warning(text)
        self.server_hint.setText(warning)
        if self.server_hint.isVisibleTo(self) != bool(warning):
            self.server_hint.setVisible(bool(warning))
            fit_wrapped_text(self, self.width())  # the line it takes or gives back

    def _refuse_demo(self) -> None:
        self.message.setText(DEMO_REFUSAL)
        for widget in (self.server, self.user, self.password, self.ca_file, self.choose_ca, self.ok):
            widget.setEnabled(False)

    def _choose_ca(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "选择区服务器的根证书", "", CA_FILTER)
        if name:
            self.ca_file.setText(name)

    def problem(self) -> tuple[str, QWidget | None]:
        """What to fix first (and where), or ("", None) when the form can be sent."""
        from pathlib import Path

        if self._ctx.is_demo:
            return DEMO_REFUSAL, None
        checks: list[tuple[str, QWidget]] = [
            ("" if self.server.text().strip() else "请填写区服务器的地址。", self.server),
            (server_url_problem(self.server.text()) if self.server.text().strip() else "", self.server),
            ("" if self.user.text().strip() else "请填写用户名。", self.user),
            (username_problem(self.user.text().strip()) if self.user.text().strip() else "", self.user),
            ("" if self.password.text() else "请填写密码。", self.password),
        ]
        ca = self.ca_file.text().strip()
        if ca and not Path(ca).is_file():
            checks.append((f"找不到根证书文件：{ca}", self.ca_file))
        return next(((text, widget) for text, widget in checks if text), ("", None))

    def submit(self) -> None:
        text, widget = self.problem()
        if text:
            self.message.setText(text)
            if widget is not None:
                widget.setFocus()
            return
        self.message.setText("正在登录…")
        self._set_busy(True)
        ops.sign_in(ctx=self._ctx, server_url=self.server.text().strip().rstrip("/"),
                    username=self.user.text().strip(), password=self.password.text(),
                    ca_file=self.ca_file.text().strip() or None, owner=self,
                    on_done=self._signed_in, on_error=self._failed)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        for widget in (self.server, self.user, self.password, self.ca_file, self.choose_ca, self.ok,
                       self.buttons.button(QDialogButtonBox.StandardButton.Cancel)):
            widget.setEnabled(not busy)

    def reject(self) -> None:
        """Not while signing in: the sign-in may already have made the user's profile the default, and the
        window must then open it (Esc waits for the answer)."""
        if not self._busy:
            super().reject()

    def _signed_in(self, account: Account) -> None:
        self.account = account
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        from app.services.sync import CertificateError, SyncError

        self._set_busy(False)
        if isinstance(exc, CertificateError):
            self.message.setText(str(exc) if "根证书" in str(exc) else f"{exc}{CERTIFICATE_HELP}")
            self.ca_file.setFocus()
        elif isinstance(exc, SyncError):
            self.message.setText(str(exc))
            self.password.setFocus()
            self.password.selectAll()
        else:
            self.message.setText(describe_error(exc))


def open_sign_in(ctx: UiContext, parent: QWidget | None) -> Account | None:
    """Show the dialog; the Account signed in, or None when the user cancelled."""
    dialog = SignInDialog(ctx, parent)
    dialog.exec()
    return dialog.account if dialog.result() == QDialog.DialogCode.Accepted else None

