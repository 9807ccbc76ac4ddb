"""The password asked at sync time: its explanation is shown whole (a walkthrough found the first and last
lines cut off: a top-level window is sized from the label's unwrapped hint)."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from app.ui.dialogs.password_dialog import EXPIRED_WHY, NO_KEYRING_WHY, PasswordDialog


@pytest.mark.parametrize("expired", [False, True])
def test_the_explanation_is_not_cut_off(qtbot: QtBot, expired: bool) -> None:
    dialog = PasswordDialog("张三（zhangsan） @ https://qu.example.gov.cn", expired=expired)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    why = dialog.why
    assert (EXPIRED_WHY if expired else NO_KEYRING_WHY) in why.text()
    assert why.height() >= why.heightForWidth(why.width())  # every wrapped line fits
    assert dialog.password.geometry().top() >= why.geometry().bottom()  # nothing drawn over it


def test_a_refused_password_is_said_above_the_field(qtbot: QtBot) -> None:
    dialog = PasswordDialog("张三（zhangsan） @ https://qu.example.gov.cn", expired=True, error="用户名或密码不正确。")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.error.isVisible() and dialog.error.text() == "用户名或密码不正确，请重新输入。"
    assert PasswordDialog("张三", expired=True).error.isHidden()
