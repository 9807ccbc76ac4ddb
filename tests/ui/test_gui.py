"""Start-up: no display, an unreadable database, and painting the main window for the self-check."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import paths
from app.services.database import Database
from app.ui import gui
from app.ui.main_window import MainWindow
from app.ui.self_check import paint_main_window
from app.ui.views.ledger_view import LedgerView


def test_no_display_exits_2_with_a_clear_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert gui.run_gui() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "QT_QPA_PLATFORM=offscreen" in err and "显示" in err


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 4000])
def test_corrupt_database_is_reported_and_left_alone(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    db_path = paths.database_path(paths.DEFAULT_USER)
    db_path.write_bytes(content)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    assert gui.run_gui() == 1
    assert len(shown) == 1 and str(db_path) in shown[0] and "未被改动" in shown[0]
    assert db_path.read_bytes() == content


def test_gui_starts_and_closes(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    windows: list[MainWindow] = []

    def drive(app: QApplication) -> int:  # stands in for app.exec(): quitting the test's app is not an option
        found = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        windows.extend(found)
        view = found[0].views["组织台账"]
        assert isinstance(view, LedgerView)
        qtbot.waitUntil(lambda: view.model.loaded, timeout=5000)
        found[0].close()
        return 0

    monkeypatch.setattr(gui, "run_event_loop", drive)
    assert gui.run_gui() == 0
    assert len(windows) == 1 and windows[0].section_titles() == ["组织台账"]
    assert QApplication.font().family() == "WenQuanYi Micro Hei"
    assert paths.database_path(paths.DEFAULT_USER).exists()


def test_self_check_paints_the_ledger(db: Database, tmp_path: Path, add_org: object) -> None:
    add_org("朝阳区书法家协会")  # type: ignore[operator]
    out = tmp_path / "shots" / "main.png"
    paint_main_window(db, out)
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600


def test_self_check_on_an_empty_database(db: Database) -> None:
    paint_main_window(db)  # nothing to show is still a successful paint
