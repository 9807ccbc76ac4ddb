"""The 同步 section, the status bar's sync state, 立即同步 (F9), the password asked when it must be, and the
automatic sync when the network returns."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.services.core.errors import ServiceError
from app.services.sync import PasswordNeeded, SyncError, SyncReport, WrongPassword
from app.ui.context import UiContext
from app.ui.main_window import SYNC, MainWindow
from app.ui.network_watch import NetworkWatch
from app.ui.views.sync_view import DEMO_TEXT, NOT_SIGNED_IN_TEXT, SyncView
from tests.sync_fakes import ACCOUNT, FAILED, FakeSync, status

NO_KEYRING = replace(ACCOUNT, keyring_ok=False)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    return FakeSync(status=status(pending=2)).install(monkeypatch)


@pytest.fixture
def asked(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """The password dialog replaced: records how it was asked, answers ``pw`` (or None once told to)."""
    calls: list[dict[str, object]] = []

    def ask(_parent: QWidget | None, account_text: str, *, expired: bool, reason: str = "",
            error: str = "") -> str | None:
        calls.append({"account": account_text, "expired": expired, "reason": reason, **({"error": error} if error
                                                                                         else {})})
        return None if calls[0].get("cancel") else "pw"

    monkeypatch.setattr("app.ui.dialogs.password_dialog.ask_password", ask)
    return calls


def window_on_sync(qtbot: QtBot, ctx: UiContext) -> tuple[MainWindow, SyncView]:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    window.sync.start(watch_network=False)
    assert window.show_section(SYNC)
    view = window.views[SYNC]
    assert isinstance(view, SyncView)
    return window, view


def test_not_signed_in_explains_and_offers_sign_in(qtbot: QtBot, ctx: UiContext,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSync().install(monkeypatch)
    window, view = window_on_sync(qtbot, ctx)
    assert not view.shows_account and view.explanation.text() == NOT_SIGNED_IN_TEXT
    assert view.sign_in_button.isVisible() and view.sign_in_button.text() == "登录区服务器…"
    assert window.sync_label.isHidden()


def test_f9_when_not_signed_in_shows_the_sync_section(qtbot: QtBot, ctx: UiContext,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    fake = FakeSync().install(monkeypatch)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.sync.start(watch_network=False)
    window.menus.sync_now.trigger()
    assert window.section_titles()[window.nav.currentRow()] == SYNC and fake.called("run_sync") == []


def test_the_demo_profile_says_it_never_syncs(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    view = SyncView(replace(ctx, profile="demo"))
    qtbot.addWidget(view)
    view.show()
    assert view.explanation.text() == DEMO_TEXT and view.sign_in_button.isHidden()


def test_signed_in_shows_the_account_and_what_waits_failed_or_clashed(qtbot: QtBot, ctx: UiContext,
                                                                      fake: FakeSync) -> None:
    skipped = "服务器发来的 1 条记录本机无法保存（社会组织“第6协会”：字段 short_name 为空），已跳过"
    fake.status = status(pending=2, failed=(FAILED,), conflicts=3, quarantined_orgs=("第7协会", "第8基金会"),
                         skipped=(skipped,))
    window, view = window_on_sync(qtbot, ctx)
    assert view.shows_account
    assert view.skipped_label.isVisible() and view.skipped_label.text() == skipped
    assert (view.server_label.text(), view.user_label.text(), view.role_label.text()) == (
        "https://qu.example.gov.cn", "张三（zhangsan）", "党建指导员")
    assert view.pending_label.text() == "2 条修改" and view.last_synced.text() == "从未同步"
    assert view.failed_table.rowCount() == 1
    assert [view.failed_table.item(0, c).text() for c in range(3)] == ["社会组织“第9协会”",
                                                                       "无权修改：该组织不由您负责", "2"]
    assert view.conflicts_label.text() == "3 条待确认" and view.conflicts_button.isEnabled()
    assert view.quarantine_box.isVisible() and "第7协会、第8基金会" in view.quarantine_label.text()
    assert "只读" in view.assigned_label.text()
    assert window.sync_label.text() == "2 条待发送"


def test_the_status_bar_says_what_waits_for_the_user_after_a_sync(qtbot: QtBot, ctx: UiContext,
                                                                   fake: FakeSync) -> None:
    fake.status = status(conflicts=2, failed=(FAILED,))
    window, _view = window_on_sync(qtbot, ctx)
    assert window.sync_label.text() == "从未同步，2 条冲突待确认，1 条未能发送"


def test_sync_now_syncs_and_reports(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    fake.report = SyncReport(pushed=3, applied=1, merged=1, pulled=7, conflicts=1, rejected=1, open_conflicts=2,
                             confirmed_numbers=(("临时-3", "鼓民社党〔2026〕7号"),), messages=("第9协会：无权修改",))
    window, view = window_on_sync(qtbot, ctx)
    qtbot.mouseClick(view.sync_button, Qt.MouseButton.LeftButton)
    assert fake.called("run_sync") == [None]
    lines = view.report_label.text().splitlines()
    assert lines[0].startswith("已发送 3 条修改（1 条生效、1 条与他人的修改合并") and "接收 7 条" in lines[0]
    assert "临时-3 → 鼓民社党〔2026〕7号" in lines[1] and "第9协会：无权修改" in lines and "查看冲突" in lines[-1]
    assert lines[0].endswith("；待确认的冲突 2 条。")  # pushed or pulled: what waits here, as the section counts
    assert window.sync_label.text().startswith("已同步 ")
    assert window.statusBar().currentMessage() == "同步完成：发送 3 条，接收 7 条，1 条未被接受，2 条冲突待确认。"
    assert view.sync_button.isEnabled()


def test_without_a_keyring_the_first_sync_asks_for_the_password_and_why(
        qtbot: QtBot, ctx: UiContext, fake: FakeSync, asked: list[dict[str, object]]) -> None:
    fake.status = status(NO_KEYRING, pending=1)
    window, view = window_on_sync(qtbot, ctx)
    assert "第一次同步时要输入密码" in view.keyring_label.text()
    window.sync_now()
    assert asked == [{"account": "张三（zhangsan，党建指导员）@ https://qu.example.gov.cn", "expired": False,
                      "reason": "本机没有可用的系统钥匙串，无法保存登录状态：请输入密码后同步。"}]
    assert fake.called("run_sync") == [None, "pw"]
    window.sync_now()  # the service keeps the sign-in for the session
    assert len(asked) == 1 and fake.called("run_sync") == [None, "pw", None]


def test_cancelling_the_password_syncs_nothing_and_is_no_failure(
        qtbot: QtBot, ctx: UiContext, fake: FakeSync, asked: list[dict[str, object]]) -> None:
    fake.status = status(NO_KEYRING, pending=1)
    asked.append({"cancel": True})
    window, _view = window_on_sync(qtbot, ctx)
    window.sync_now()
    assert fake.called("run_sync") == [None]
    assert window.sync_label.text() == "1 条待发送" and "输入密码" in window.statusBar().currentMessage()


def test_an_expired_sign_in_asks_for_the_password_and_syncs_again(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                                  asked: list[dict[str, object]]) -> None:
    fake.errors.append(PasswordNeeded("登录已过期，请重新输入密码。"))
    window, _view = window_on_sync(qtbot, ctx)
    window.sync_now()
    assert asked == [{"account": "张三（zhangsan，党建指导员）@ https://qu.example.gov.cn", "expired": True,
                      "reason": "登录已过期，请重新输入密码。"}]
    assert fake.called("run_sync") == [None, "pw"]


def test_a_refused_password_is_asked_again_saying_so(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                     asked: list[dict[str, object]]) -> None:
    fake.errors += [PasswordNeeded("登录已过期，请重新输入密码。"), WrongPassword("用户名或密码不正确。")]
    window, view = window_on_sync(qtbot, ctx)
    window.sync_now()
    assert [call.get("error", "") for call in asked] == ["", "用户名或密码不正确。"]
    assert fake.called("run_sync") == [None, "pw", "pw"] and view.error_label.isHidden()  # not a failed sync


def test_a_failed_sync_says_why_in_the_view_and_the_status_bar(qtbot: QtBot, ctx: UiContext,
                                                               fake: FakeSync) -> None:
    window, view = window_on_sync(qtbot, ctx)
    window.sync_now()
    assert view.report_label.text().startswith("已发送")
    fake.errors.append(SyncError("连不上区服务器：请检查网络后再试。"))
    window.sync_now()
    assert window.sync_label.text() == "同步失败" and view.report_label.text() == ""  # not the earlier run's
    assert window.statusBar().currentMessage() == "同步失败：连不上区服务器：请检查网络后再试。"
    assert view.error_label.isVisible() and "连不上区服务器" in view.error_label.text()
    window.sync_now()  # the next good sync clears it
    assert window.sync_label.text().startswith("已同步") and view.error_label.isHidden()


def test_sign_out_asks_then_signs_out(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    window, view = window_on_sync(qtbot, ctx)
    view.sign_out_button.click()
    assert fake.called("sign_out") == [ctx.profile]
    assert not view.shows_account and window.sync_label.isHidden()


def test_export_unsent_writes_the_file_and_says_so(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                   tmp_path: Path) -> None:
    fake.status = status(quarantined_orgs=("第7协会",))
    window, view = window_on_sync(qtbot, ctx)
    target = tmp_path / "unsent.json"
    view.export_to(target)
    assert fake.called("export_unsent") == [target] and target.is_file()
    assert window.statusBar().currentMessage() == f"已导出 4 条未发送的数据：{target}"


def test_clearing_comes_after_an_export_and_asks_first(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    fake.status = status(quarantined_orgs=("第7协会",))
    window, view = window_on_sync(qtbot, ctx)
    assert view.quarantine_box.isVisible() and not view.discard_button.isEnabled()  # nothing exported yet
    target = tmp_path / "unsent.json"
    view.export_to(target)
    assert view.discard_button.isEnabled()
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(_parent: object, _title: str, text: str, *_a: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    view.discard_button.click()  # No: nothing removed
    assert fake.called("discard_exported") == [] and str(target) in asked[0] and "“第7协会”" in asked[0]
    view.discard_button.click()
    assert fake.called("discard_exported") == [target]
    assert window.statusBar().currentMessage() == "已从本机清除：第7协会"
    assert view.quarantine_box.isHidden() and not view.discard_button.isEnabled()
    assert view.report_label.text() == ""  # no report left naming it as kept


def test_a_refused_clearing_says_why_and_keeps_the_export(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                          tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    fake.status = status(quarantined_orgs=("第7协会",))
    _window, view = window_on_sync(qtbot, ctx)
    view.export_to(tmp_path / "unsent.json")
    fake.errors.append(ServiceError("“第7协会”有修改不在导出的文件中：请重新导出未发送的数据，再清除。"))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    view.discard_button.click()
    assert warned and "请重新导出" in warned[0]
    assert view.quarantine_box.isVisible() and view.discard_button.isEnabled()


def test_signing_in_opens_the_profile_of_that_user(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    fake.status = status(None)
    window, _view = window_on_sync(qtbot, ctx)
    window.sync.signed_in(ACCOUNT)
    assert window.ctx.profile == "zhangsan" and window.ctx.database.path.parent.name == "zhangsan"
    assert "已登录 张三" in window.statusBar().currentMessage()


# -- the network's return ---------------------------------------------------------------------------------
def test_the_network_returning_syncs_what_waits(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    window, _view = window_on_sync(qtbot, ctx)
    window.sync.network_returned()
    assert fake.called("run_sync") == [None]
    window.sync.network_returned()  # nothing waits any more
    assert fake.called("run_sync") == [None]


def test_the_network_returning_never_asks_for_a_password(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                         asked: list[dict[str, object]]) -> None:
    fake.status = status(NO_KEYRING, pending=2)
    window, _view = window_on_sync(qtbot, ctx)
    window.sync.network_returned()
    assert asked == [] and fake.called("run_sync") == [None]
    assert window.statusBar().currentMessage() == ("有 2 条修改待发送：本机没有系统钥匙串，请在“同步”中点“立即同步”"
                                                   "并输入密码")
    assert window.sync_label.text() == "2 条待发送"


def test_the_network_returning_while_a_sync_runs_starts_no_second(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                                   runner: object) -> None:
    window, _view = window_on_sync(qtbot, ctx)
    runner.paused = True  # type: ignore[attr-defined]
    assert window.sync.sync_now() and window.sync.running and window.sync_label.text() == "正在同步…"
    window.sync.network_returned()
    assert not window.sync.sync_now()
    runner.run_pending()  # type: ignore[attr-defined]
    assert fake.called("run_sync") == [None] and not window.sync.running


def test_the_demo_profile_never_syncs_by_itself(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    window, _view = window_on_sync(qtbot, replace(ctx, profile="demo"))
    window.sync.status = status(pending=3)
    window.sync.network_returned()
    assert not window.sync.sync_now() and fake.called("run_sync") == []
    assert not window.menus.sync_now.isEnabled()


def test_the_watch_says_returned_only_on_the_way_back(qtbot: QtBot) -> None:
    answers: list[bool] = []
    watch = NetworkWatch(lambda answer: answer(answers.pop(0)))
    returned: list[bool] = []
    watch.returned.connect(lambda: returned.append(True))
    answers.extend([True, False, False, True, True])
    for _ in range(5):
        watch.probe_now()
    assert returned == [True]  # online at the start is no return; offline -> online is one


def test_without_a_system_backend_the_watch_probes_every_five_minutes(qtbot: QtBot,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtNetwork import QNetworkInformation

    monkeypatch.setattr(QNetworkInformation, "instance", staticmethod(lambda: None))
    monkeypatch.setattr(QNetworkInformation, "loadDefaultBackend", staticmethod(lambda: False))
    probes: list[bool] = []
    watch = NetworkWatch(lambda answer: probes.append(True))
    watch.start()
    assert watch.probing and watch.timer.interval() == 5 * 60 * 1000 and probes == [True]
    watch.stop()
    assert not watch.probing


def test_the_probe_only_runs_while_signed_in(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from app.ui.operations import sync as ops

    probed: list[str] = []
    monkeypatch.setattr(ops, "server_reachable", lambda url: probed.append(url) or True)
    fake.status = status(None)
    window, _view = window_on_sync(qtbot, ctx)
    watch = window.sync.watch
    assert watch is not None
    watch.probe_now()
    assert probed == []
    fake.status = status()
    window.sync.refresh()
    watch.probe_now()
    assert probed == ["https://qu.example.gov.cn"]


def test_once_signed_in_the_ledger_says_assignments_come_from_the_district(
        qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    import sqlite3

    from app.ui.bus import Change
    from app.ui.views.ledger_places import MINE_TIP, READ_ONLY_TIP
    from app.ui.views.ledger_view import LedgerView

    FakeSync().install(monkeypatch)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    ledger = window.views["组织台账"]
    assert isinstance(ledger, LedgerView) and ledger.mine_actions.button.toolTip() == MINE_TIP

    def server_url(value: str) -> None:  # what sign-in / sign-out write, then announce
        with sqlite3.connect(ctx.database.path) as conn:
            conn.execute("INSERT INTO sync_state (key, value) VALUES ('server_url', ?) "
                         "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (value,))
        ctx.bus.publish(Change("assignment", (), "sync", "sign_in" if value else "sign_out"))

    server_url("https://qu.example.gov.cn")
    assert ledger.mine_actions.button.toolTip() == READ_ONLY_TIP and not ledger.mine_actions.mark.isEnabled()
    server_url("")
    assert ledger.mine_actions.button.toolTip() == MINE_TIP


def test_a_save_updates_the_pending_count_in_the_status_bar(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    from app.ui.bus import Change

    window, _view = window_on_sync(qtbot, ctx)
    assert window.sync_label.text() == "2 条待发送"
    fake.status = status(pending=3)  # the user saved something
    ctx.bus.publish(Change("social_org", ("org1",), "ledger_view"))
    qtbot.waitUntil(lambda: window.sync_label.text() == "3 条待发送")


def test_the_network_returning_reads_what_waits_afresh(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    fake.status = status(pending=0)
    window, _view = window_on_sync(qtbot, ctx)
    fake.status = status(pending=1)  # saved offline; no re-read yet
    window.sync.network_returned()
    assert fake.called("run_sync") == [None]


def test_cancel_stops_the_sync_and_says_what_was_kept(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                      runner: object) -> None:
    window, view = window_on_sync(qtbot, ctx)
    runner.paused = True  # type: ignore[attr-defined]
    window.sync_now()
    handle = window.sync.handle
    assert handle is not None and handle.context is not None
    handle.cancel()  # the progress dialog's 取消
    runner.run_pending()  # type: ignore[attr-defined]
    assert not window.sync.running and view.sync_button.isEnabled()
    assert window.statusBar().currentMessage().startswith("已取消同步")
    assert window.sync_label.text() == "2 条待发送"  # nothing was sent


def test_progress_shows_the_stage_and_its_counts(qtbot: QtBot, ctx: UiContext, fake: FakeSync,
                                                 runner: object) -> None:
    from app.ui.tasks import Progress

    window, _view = window_on_sync(qtbot, ctx)
    runner.paused = True  # type: ignore[attr-defined]
    window.sync_now()
    handle = window.sync.handle
    assert handle is not None and handle.context is not None
    shown: list[Progress] = []
    handle.context._report = shown.append
    runner.run_pending()  # type: ignore[attr-defined]
    assert shown == [Progress("正在同步：发送修改 1/3", 1, 3)]


def test_tab_goes_through_the_buttons_in_reading_order(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    fake.status = status(pending=2, failed=(FAILED,), conflicts=1, quarantined_orgs=("第7协会",))
    _window, view = window_on_sync(qtbot, ctx)
    view.sync_button.setFocus()
    order = [view.focusWidget()]
    for _ in range(4):
        view.focusNextChild()
        order.append(view.focusWidget())
    assert order == [view.sync_button, view.sign_out_button, view.conflicts_button, view.export_button,
                     view.failed_table]


def test_after_a_sync_every_area_is_told_once(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    from app.ui.bus import Change
    from app.ui.operations.sync import SYNCED_AREAS

    window, _view = window_on_sync(qtbot, ctx)
    told: list[Change] = []
    ctx.bus.changed.connect(told.append)
    window.sync_now()
    assert [change.entity for change in told] == list(SYNCED_AREAS)
    assert {(change.origin, change.action) for change in told} == {("sync", "sync")}
    fake.errors.append(SyncError("连不上区服务器。"))
    told.clear()
    window.sync_now()  # a failed sync may have applied pages before it failed
    assert [change.entity for change in told] == list(SYNCED_AREAS)


def test_an_automatic_sync_whose_sign_in_expired_says_so_without_asking(
        qtbot: QtBot, ctx: UiContext, fake: FakeSync, asked: list[dict[str, object]]) -> None:
    fake.errors.append(PasswordNeeded("登录已过期或已在服务器上注销，请输入密码重新登录后同步。"))
    window, _view = window_on_sync(qtbot, ctx)
    window.sync.network_returned()
    assert asked == [] and fake.called("run_sync") == [None]
    assert window.statusBar().currentMessage() == "有 2 条修改待发送：登录已过期，请在“同步”中点“立即同步”并输入密码"
