"""登录区服务器…: the form checked as a whole before anything is sent, certificate and password failures
explained, the demo profile refused, Enter and Esc."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.services.sync import CertificateError, SyncError
from app.ui.context import UiContext
from app.ui.dialogs.sign_in_dialog import DEMO_REFUSAL, SignInDialog
from tests.sync_fakes import ACCOUNT, FakeSync


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    return FakeSync().install(monkeypatch)


def dialog(qtbot: QtBot, ctx: UiContext) -> SignInDialog:
    widget = SignInDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def fill(widget: SignInDialog, server: str = "https://qu.example.gov.cn/", user: str = "zhangsan",
         password: str = "secret", ca: str = "") -> None:
    widget.server.setText(server)
    widget.user.setText(user)
    widget.password.setText(password)
    widget.ca_file.setText(ca)


def test_signing_in_sends_the_form_and_keeps_the_account(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    widget = dialog(qtbot, ctx)
    fill(widget)
    widget.submit()
    assert fake.called("sign_in") == [("https://qu.example.gov.cn", "zhangsan", "secret", None)]
    assert widget.result() == QDialog.DialogCode.Accepted and widget.account == ACCOUNT


@pytest.mark.parametrize(("server", "user", "password", "ca", "says", "focus"), [
    ("", "zhangsan", "pw", "", "请填写区服务器的地址", "server"),
    ("qu.example.gov.cn", "zhangsan", "pw", "", "应以 https:// 或 http:// 开头", "server"),
    ("https://qu.example.gov.cn", "", "pw", "", "请填写用户名", "user"),
    ("https://qu.example.gov.cn", "Zhang San", "pw", "", "用户名“Zhang San”无效", "user"),
    ("https://qu.example.gov.cn", "demo", "pw", "", "演示数据（demo）不参与同步", "user"),
    ("https://qu.example.gov.cn", "zhangsan", "", "", "请填写密码", "password"),
    ("https://qu.example.gov.cn", "zhangsan", "pw", "/nowhere/ca.pem", "找不到根证书文件", "ca_file"),
])
def test_the_form_says_what_to_fix_before_anything_is_sent(
        qtbot: QtBot, ctx: UiContext, fake: FakeSync, server: str, user: str, password: str, ca: str, says: str,
        focus: str) -> None:
    widget = dialog(qtbot, ctx)
    fill(widget, server, user, password, ca)
    widget.submit()
    assert says in widget.message.text()
    assert widget.focusWidget() is getattr(widget, focus)
    assert fake.called("sign_in") == [] and widget.result() != QDialog.DialogCode.Accepted


def test_a_custom_root_certificate_is_passed_on(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                tmp_path: Path) -> None:
    ca = tmp_path / "district-ca.pem"
    ca.write_text("-----BEGIN CERTIFICATE-----\n", encoding="ascii")
    widget = dialog(qtbot, ctx)
    fill(widget, ca=str(ca))
    widget.submit()
    assert fake.called("sign_in")[0][3] == str(ca)


def test_an_untrusted_certificate_is_explained_with_the_way_out(qtbot: QtBot, ctx: UiContext,
                                                                 fake: FakeSync) -> None:
    fake.errors.append(CertificateError("无法验证区服务器的证书（证书不受本机信任）。"))
    widget = dialog(qtbot, ctx)
    fill(widget)
    widget.submit()
    assert "无法验证区服务器的证书" in widget.message.text() and "根证书" in widget.message.text()
    assert widget.focusWidget() is widget.ca_file
    assert widget.ok.isEnabled() and widget.result() != QDialog.DialogCode.Accepted


def test_a_wrong_password_is_said_and_selected_for_retyping(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    fake.errors.append(SyncError("用户名或密码不正确。"))
    widget = dialog(qtbot, ctx)
    fill(widget)
    widget.submit()
    assert widget.message.text() == "用户名或密码不正确。"
    assert widget.focusWidget() is widget.password and widget.password.selectedText() == "secret"
    widget.submit()  # the second try goes through
    assert widget.result() == QDialog.DialogCode.Accepted


def test_the_demo_profile_refuses_to_sign_in(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    from dataclasses import replace

    widget = dialog(qtbot, replace(ctx, profile="demo"))
    assert widget.message.text() == DEMO_REFUSAL
    assert not widget.ok.isEnabled() and not widget.server.isEnabled()
    widget.submit()
    assert fake.called("sign_in") == []


def test_enter_signs_in_and_escape_cancels(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    widget = dialog(qtbot, ctx)
    fill(widget)
    widget.password.setFocus()
    qtbot.keyClick(widget.password, Qt.Key.Key_Return)
    assert widget.result() == QDialog.DialogCode.Accepted
    other = dialog(qtbot, ctx)
    qtbot.keyClick(other, Qt.Key.Key_Escape)
    assert other.result() == QDialog.DialogCode.Rejected and len(fake.called("sign_in")) == 1


def test_tab_goes_through_the_form_in_reading_order(qtbot: QtBot, ctx: UiContext) -> None:
    widget = dialog(qtbot, ctx)
    widget.server.setFocus()
    order = []
    for _ in range(5):
        order.append(widget.focusWidget())
        widget.focusNextChild()
    assert order == [widget.server, widget.user, widget.password, widget.ca_file, widget.choose_ca]


def test_escape_waits_while_signing_in(qtbot: QtBot, ctx: UiContext, fake: FakeSync, runner: object) -> None:
    widget = dialog(qtbot, ctx)
    fill(widget)
    runner.paused = True  # type: ignore[attr-defined]
    widget.submit()
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert widget.isVisible() and not widget.ok.isEnabled() and widget.message.text() == "正在登录…"
    runner.run_pending()  # type: ignore[attr-defined]
    assert widget.result() == QDialog.DialogCode.Accepted and widget.account == ACCOUNT


@pytest.mark.parametrize(("url", "warned"), [
    ("http://10.2.3.4:8765", True), ("http://dangjian.example.gov.cn", True),
    ("https://dangjian.example.gov.cn", False), ("http://127.0.0.1:8765", False), ("http://localhost:8765", False),
])
def test_plain_http_to_another_computer_is_cautioned_not_refused(qtbot: QtBot, ctx: UiContext, url: str,
                                                                 warned: bool) -> None:
    widget = dialog(qtbot, ctx)
    widget.server.setText(url)
    assert widget.server_hint.isVisible() is warned
    assert ("明文" in widget.server_hint.text()) is warned
    hint = widget.server_hint
    assert not warned or hint.height() >= hint.heightForWidth(hint.width())  # shown whole
    widget.user.setText("zhangsan")
    widget.password.setText("pw")
    assert widget.problem() == ("", None)  # a caution, never a refusal


def test_the_introduction_is_not_cut_off(qtbot: QtBot, ctx: UiContext) -> None:
    widget = dialog(qtbot, ctx)
    qtbot.waitExposed(widget)
    intro = widget.intro
    assert intro.height() >= intro.heightForWidth(intro.width())
