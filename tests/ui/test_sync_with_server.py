"""The 同步 section against a real district server: sign in through the dialog, the window opens the user's
profile, 立即同步 sends a change, the status bar says 已同步, 退出登录 leaves the data."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType
from app.ui.context import UiContext
from app.ui.dialogs.sign_in_dialog import SignInDialog
from app.ui.main_window import SYNC, MainWindow
from app.ui.views.sync_view import SyncView
from tests.sync.harness import ServerProcess
from tests.sync.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.slow  # a server process

PASSWORD = "lisi-password-1"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path_factory.mktemp("server")) as process:
        process.admin("create-user", "--role", "instructor", "--display-name", "李四", "--password-stdin", "lisi",
                      stdin=PASSWORD + "\n")
        yield process


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


def test_sign_in_sync_and_sign_out_from_the_window(qtbot: QtBot, ctx: UiContext, server: ServerProcess,
                                                   memory_keyring: MemoryKeyring,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.sync.start(watch_network=False)
    window.show_section(SYNC)
    view = window.views[SYNC]
    assert isinstance(view, SyncView) and not view.shows_account

    def sign_in(dialog_ctx: UiContext, parent: object) -> object:
        dialog = SignInDialog(dialog_ctx)
        qtbot.addWidget(dialog)
        dialog.server.setText(server.url)
        dialog.user.setText("lisi")
        dialog.password.setText(PASSWORD)
        dialog.submit()
        assert dialog.account is not None, dialog.message.text()
        return dialog.account

    monkeypatch.setattr("app.ui.dialogs.sign_in_dialog.open_sign_in", sign_in)
    view.sign_in_button.click()
    assert window.ctx.profile == "lisi" and memory_keyring.entries
    view = window.views[SYNC]
    assert isinstance(view, SyncView) and view.shows_account
    assert view.user_label.text() == "李四（lisi）" and view.role_label.text() == "党建指导员"

    organizations.create_org(window.ctx.database.session_factory, OrgInput(
        name="鼓楼区窗口同步协会", org_type=OrgType.COMMUNITY_FILED), actor=window.ctx.actor)
    window.sync.refresh()
    assert window.sync_label.text() == "1 条待发送"
    window.menus.sync_now.trigger()  # F9
    assert window.sync_label.text().startswith("已同步 "), window.statusBar().currentMessage()
    assert view.report_label.text().startswith("已发送 1 条修改（1 条生效")

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    view.sign_out_button.click()
    assert not view.shows_account and not memory_keyring.entries and window.sync_label.isHidden()


def test_the_reachability_probe_asks_the_health_endpoint(server: ServerProcess) -> None:
    from app.ui.operations import sync as ops
    from tests.sync.harness import free_port

    assert ops.server_reachable(server.url)
    assert not ops.server_reachable(f"http://127.0.0.1:{free_port()}")
