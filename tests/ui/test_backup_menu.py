"""文件 > 备份数据… / 从备份恢复… in the window: file dialogs and questions are stood in for; the copy, the
restore and its refusals are real."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app import paths
from app.domain import uscc
from app.services.core import backups
from app.services.core.database import open_database
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput, OrgType
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.main_window import MainWindow
from app.ui.tasks import ImmediateTaskRunner
from app.ui.views.ledger_view import LedgerView


class Dialogs:
    """What the stood-in dialogs were asked and answer."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save_to: Path | None = None
        self.open_file: Path | None = None
        self.answer = QMessageBox.StandardButton.Yes
        self.offered: list[str] = []
        self.questions: list[str] = []
        self.errors: list[str] = []
        self.infos: list[str] = []
        monkeypatch.setattr(QFileDialog, "getSaveFileName", self._save)
        monkeypatch.setattr(QFileDialog, "getOpenFileName", self._open)
        monkeypatch.setattr(QMessageBox, "question", self._question)
        monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, message: self.errors.append(message))
        monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, message: self.infos.append(message))

    def _save(self, _parent: Any, _caption: str, offered: str, *_args: Any) -> tuple[str, str]:
        self.offered.append(offered)
        return (str(self.save_to) if self.save_to else "", "")

    def _open(self, *_args: Any) -> tuple[str, str]:
        return (str(self.open_file) if self.open_file else "", "")

    def _question(self, _parent: Any, _title: str, message: str, *_args: Any) -> QMessageBox.StandardButton:
        self.questions.append(message)
        return self.answer


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def window(qtbot: QtBot) -> Iterator[MainWindow]:
    database = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    shown = MainWindow(UiContext(database, ImmediateTaskRunner(), ChangeBus(), "local:test"))
    qtbot.addWidget(shown)
    shown.show()
    yield shown
    shown.ctx.database.close()
    database.close()


def add(window: MainWindow, name: str) -> None:
    code = uscc.make_code("1", "110105", f"MJ{abs(hash(name)) % 10**7:07d}")
    organizations.create_org(window.ctx.database.session_factory,
                             OrgInput(name=name, org_type=OrgType.SOCIAL_GROUP, uscc=code,
                                      registration_authority="北京市朝阳区民政局"), actor="test")


def ledger_names(window: MainWindow) -> list[str]:
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    view.refresh()
    return sorted(str(view.model.data(view.model.index(row, 0))) for row in range(view.model.total))


def test_backup_asks_where_with_a_dated_name_and_says_where_it_went(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path, frozen_clock: object
) -> None:
    add(window, "朝阳区书法家协会")
    dialogs.save_to = tmp_path / "out" / "我的备份"  # no suffix typed: .sqlite3 is added
    window.menus.backup.trigger()
    assert Path(dialogs.offered[0]).name == "党建工作台备份-local-20260331.sqlite3"
    made = tmp_path / "out" / "我的备份.sqlite3"
    assert backups.inspect_archive(made).revision
    assert window.statusBar().currentMessage() == f"已备份并校验：{made}"
    assert len(dialogs.infos) == 1 and str(made) in dialogs.infos[0]  # said in a box, not only 8 s of status
    assert dialogs.errors == []


def test_backup_asks_before_replacing_a_file(window: MainWindow, dialogs: Dialogs, tmp_path: Path) -> None:
    dialogs.save_to = tmp_path / "out" / "old.sqlite3"
    dialogs.save_to.parent.mkdir()
    dialogs.save_to.write_bytes(b"keep me")
    dialogs.answer = QMessageBox.StandardButton.Cancel
    window.menus.backup.trigger()
    assert "已经存在" in dialogs.questions[0]
    assert dialogs.save_to.read_bytes() == b"keep me" and dialogs.infos == []
    dialogs.answer = QMessageBox.StandardButton.Yes
    window.menus.backup.trigger()
    assert backups.inspect_archive(dialogs.save_to).revision  # replaced by a verified backup
    assert list(dialogs.save_to.parent.iterdir()) == [dialogs.save_to]  # no partial copy left beside it
    assert dialogs.errors == []


def test_a_backup_is_always_saved_as_sqlite3(window: MainWindow, dialogs: Dialogs, tmp_path: Path) -> None:
    dialogs.save_to = tmp_path / "台账.xlsx"  # a backup named like a spreadsheet would fool Excel and the user
    window.menus.backup.trigger()
    assert backups.inspect_archive(tmp_path / "台账.sqlite3").revision
    assert not dialogs.save_to.exists()


def test_restore_replaces_the_data_keeps_the_current_aside_and_reopens(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    add(window, "朝阳区书法家协会")
    dialogs.save_to = tmp_path / "before.sqlite3"
    window.menus.backup.trigger()
    add(window, "朝阳区摄影协会")
    assert ledger_names(window) == ["朝阳区书法家协会", "朝阳区摄影协会"]
    old_database = window.ctx.database
    dialogs.open_file = dialogs.save_to
    window.menus.restore.trigger()
    assert "当前的数据不会删除" in dialogs.questions[0] and "before.sqlite3" in dialogs.questions[0]
    assert window.ctx.database is not old_database and window.ctx.database.path == old_database.path
    assert ledger_names(window) == ["朝阳区书法家协会"]  # the window shows the restored data
    kept = list(old_database.path.parent.glob("*.replaced-*[0-9]"))
    assert len(kept) == 1
    conn = sqlite3.connect(kept[0])
    assert {r[0] for r in conn.execute("SELECT name FROM social_org")} == {"朝阳区书法家协会", "朝阳区摄影协会"}
    conn.close()
    assert "已从 before.sqlite3 恢复数据" in window.statusBar().currentMessage()
    add(window, "朝阳区律师协会")  # the reopened database takes saves
    assert ledger_names(window) == ["朝阳区书法家协会", "朝阳区律师协会"]
    assert dialogs.errors == []


def test_restore_cancelled_at_the_question_changes_nothing(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path
) -> None:
    add(window, "朝阳区书法家协会")
    dialogs.save_to = tmp_path / "b.sqlite3"
    window.menus.backup.trigger()
    database = window.ctx.database
    dialogs.open_file, dialogs.answer = dialogs.save_to, QMessageBox.StandardButton.Cancel
    window.menus.restore.trigger()
    assert window.ctx.database is database and not list(database.path.parent.glob("*.replaced-*"))


def _newer(archive: Path) -> None:
    conn = sqlite3.connect(archive)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(("spoil", "said"), [
    (lambda path: path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000), "不是可用的备份"),
    (_newer, "由更新版本的软件创建"),
])
def test_a_damaged_or_newer_archive_is_refused_in_chinese_and_the_data_stays(
    window: MainWindow, dialogs: Dialogs, tmp_path: Path, spoil: Any, said: str
) -> None:
    add(window, "朝阳区书法家协会")
    dialogs.save_to = tmp_path / "b.sqlite3"
    window.menus.backup.trigger()
    spoil(dialogs.save_to)
    dialogs.open_file = dialogs.save_to
    database = window.ctx.database
    window.menus.restore.trigger()
    assert len(dialogs.errors) == 1 and said in dialogs.errors[0]
    assert window.ctx.database is database and not list(database.path.parent.glob("*.replaced-*"))
    add(window, "朝阳区摄影协会")  # the window goes on with its data
    assert ledger_names(window) == ["朝阳区书法家协会", "朝阳区摄影协会"]
    with database.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM social_org")).scalar_one() == 2


def test_restore_on_the_real_task_runner(qtbot: QtBot, dialogs: Dialogs, tmp_path: Path) -> None:
    """Worker threads: the window's database is closed on the write lane, the restored one installed on the
    UI thread, and the ledger reads it."""
    from app.ui.tasks import TaskRunner

    database = open_database(paths.database_path(paths.DEFAULT_PROFILE))
    runner = TaskRunner()
    window = MainWindow(UiContext(database, runner, ChangeBus(), "local:test"))
    qtbot.addWidget(window)
    window.show()
    try:
        add(window, "朝阳区书法家协会")
        dialogs.save_to = tmp_path / "b.sqlite3"
        window.menus.backup.trigger()
        qtbot.waitUntil(lambda: dialogs.save_to is not None and dialogs.save_to.exists(), timeout=10_000)
        add(window, "朝阳区摄影协会")
        dialogs.open_file = dialogs.save_to
        window.menus.restore.trigger()
        qtbot.waitUntil(lambda: window.ctx.database is not database, timeout=10_000)
        view = window.views["组织台账"]
        assert isinstance(view, LedgerView)
        qtbot.waitUntil(lambda: view.model.loaded and view.model.total == 1, timeout=10_000)
        assert dialogs.errors == []
    finally:
        runner.shutdown()
        window.ctx.database.close()
        database.close()
