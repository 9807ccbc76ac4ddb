"""Start-up: no display, an unreadable database, and painting the main window for the self-check."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import paths
from app.services.core import clock
from app.services.core.database import Database, open_database
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


@pytest.mark.parametrize("content", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\x07" * 4000,
                                     b""])
def test_corrupt_database_is_reported_and_left_alone(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    db_path = paths.database_path(paths.DEFAULT_USER)
    db_path.write_bytes(content)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    assert gui.run_gui() == 1
    assert gc.isenabled(), "the collector paused for start-up is on again"
    assert len(shown) == 1 and str(db_path) in shown[0] and "未被改动" in shown[0]
    assert db_path.read_bytes() == content


def test_gui_starts_and_closes(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    windows: list[MainWindow] = []

    def drive(app: QApplication) -> int:  # stands in for app.exec(): quitting the test's app is not an option
        found = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        windows.extend(found)
        assert gc.isenabled(), "the collector paused for start-up is on again once the window shows"
        view = found[0].views["组织台账"]
        assert isinstance(view, LedgerView)
        qtbot.waitUntil(lambda: view.model.loaded, timeout=5000)
        found[0].close()
        return 0

    monkeypatch.setattr(gui, "run_event_loop", drive)
    assert gui.run_gui() == 0
    assert len(windows) == 1 and windows[0].section_titles()[:2] == ["工作台", "组织台账"]
    assert QApplication.font().family() == "WenQuanYi Micro Hei"
    assert paths.database_path(paths.DEFAULT_USER).exists()


# What the first paint (the 工作台) does without: alembic (no upgrade is due), pinyin (only when a name is
# saved), the demo data generator and every form (on first use), the other sections (the ledger is built
# when first shown), the local socket of the single-instance guard (it listens after the first paint), the
# compliance engine (the 工作台 paints the stored results first), SQLAlchemy itself and the ORM classes (a
# file at the head revision is checked and the 工作台 read with the stdlib sqlite3; the engine is made after
# the first paint), the integrity check and the backups (after
# the first paint), and what other menus and areas load on first use: Excel reading, PDF rendering, the
# party rules (app.services.core.lazy).
NOT_AT_START_UP = {"sqlalchemy", "alembic", "pypinyin", "app.demo.data", "app.ui.dialogs.org_dialog",
                   "app.models.meeting", "app.models.visit", "app.services.core.integrity",
                   "app.services.core.backups", "openpyxl", "xlrd", "reportlab", "tomllib",
                   "app.domain.votes", "app.services.ledger_io.reading", "app.ui.dialogs.import_dialog",
                   "PySide6.QtNetwork", "app.ui.views.ledger_view", "app.ui.itemmodels.ledger_model",
                   "app.ui.operations.organizations", "app.services.orgs.ledger", "app.services.orgs.organizations",
                   "app.services.compliance.engine", "app.models.org", "app.models.party", "app.models.instructor",
                   "app.services.orgs.assignments"}
NOT_AT_START_UP_PACKAGES = ("app.ui.dialogs.", "app.services.compliance.engine", "app.services.compliance.rules")


def test_start_up_imports_only_what_the_first_screen_needs() -> None:
    open_database(paths.database_path(paths.DEFAULT_USER)).close()  # at the current revision
    script = ("import sys\n"
              "from app.ui import gui\n"
              "gui.run_event_loop = lambda app: 0\n"
              "assert gui.run_gui() == 0\n"
              "print(' '.join(sorted(sys.modules)))\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=dict(os.environ),
                          timeout=60, check=True)
    loaded = set(done.stdout.split())
    assert loaded & NOT_AT_START_UP == set()
    assert [name for name in loaded if name.startswith(NOT_AT_START_UP_PACKAGES)] == []
    assert "app.ui.views.dashboard_view" in loaded  # the first view is there (the list above is not vacuous)


def test_a_start_at_head_paints_from_stdlib_sqlite_then_makes_the_engine(qtbot: QtBot,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The 工作台's first read arrives with no engine made (the quick open); right after it, the engine is
    made on a thread of its own, without anything asking for a session; saving then works as before."""
    from app.services.orgs.dto import OrgInput, OrgType
    from app.services.orgs.organizations import create_org
    from app.ui.views.dashboard_view import DashboardView

    open_database(paths.database_path(paths.DEFAULT_USER)).close()  # at the head revision
    seen: list[bool] = []

    from app.ui.itemmodels.dashboard_model import DashboardModel

    delivered = DashboardModel._loaded

    def loaded(model: DashboardModel, generation: int, dashboard: Any) -> None:
        # recorded as the read is delivered, however early (it may arrive before the loop is entered)
        seen.append(model._ctx.database.made)
        delivered(model, generation, dashboard)

    monkeypatch.setattr(DashboardModel, "_loaded", loaded)

    def drive(app: QApplication) -> int:
        # this start's window: one an earlier test closed may still be a (hidden) top-level widget
        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        database, view = window.ctx.database, window.views["工作台"]
        assert isinstance(view, DashboardView)
        qtbot.waitUntil(lambda: view.model.loaded_once and database.made, timeout=10000)
        create_org(database.session_factory, OrgInput(name="甲协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
        window.close()
        return 0

    monkeypatch.setattr(gui, "run_event_loop", drive)
    from app.ui.itemmodels import dashboard_model

    for module, name in ((gui, "FACTS_REFRESH_DELAY_MS"), (dashboard_model, "TIPS_DELAY_MS"),
                         (dashboard_model, "FRESHEN_DELAY_MS")):  # later reads would make it too
        monkeypatch.setattr(module, name, 60_000)
    assert gui.run_gui() == 0
    assert seen[:1] == [False]  # the first read came without the engine


def test_self_check_paints_the_ledger(db: Database, tmp_path: Path, add_org: object) -> None:
    add_org("朝阳区书法家协会")  # type: ignore[operator]
    out = tmp_path / "shots" / "main.png"
    paint_main_window(db, out)
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600


def test_self_check_on_an_empty_database(db: Database, tmp_path: Path) -> None:
    """Nothing to show is still a successful paint: the window with the empty ledger's invitation."""
    out = tmp_path / "empty.png"
    paint_main_window(db, out)
    image = QImage(str(out))
    assert not image.isNull() and image.width() >= 1000 and image.height() >= 600
    colours = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colours) > 5  # text, buttons and the navigation were drawn, not a blank surface


def test_a_started_app_rederives_stale_org_facts(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import timedelta

    from sqlalchemy import text

    from app.services.core.database import open_database
    from app.services.orgs.facts import FACTS_DAY_KEY, facts_fresh

    path = paths.database_path(paths.DEFAULT_USER)
    prepared = open_database(path)
    with prepared.session_factory.begin() as session:  # as if last derived yesterday
        session.execute(text("UPDATE sync_state SET value = :v WHERE key = :k"),
                        {"v": (clock.today() - timedelta(days=1)).isoformat(), "k": FACTS_DAY_KEY})
    monkeypatch.setattr(gui, "FACTS_REFRESH_DELAY_MS", 10)

    def drive(app: QApplication) -> int:
        def fresh() -> bool:
            with prepared.session_factory() as session:
                return facts_fresh(session, clock.today())

        qtbot.waitUntil(fresh, timeout=5000)
        for window in app.topLevelWidgets():
            window.close()
        return 0

    monkeypatch.setattr(gui, "run_event_loop", drive)
    try:
        assert gui.run_gui() == 0
    finally:
        prepared.close()


def test_a_failed_backup_before_an_upgrade_is_reported(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    """Disk full, no permission …: the app says what went wrong in Chinese instead of vanishing."""
    from alembic import command
    from alembic.config import Config
    from sqlalchemy import text

    from app.services.core.database import make_engine

    db_path = paths.database_path(paths.DEFAULT_USER)
    engine = make_engine(db_path)
    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    with engine.begin() as conn:  # an older database, so opening it means backup + upgrade
        config.attributes["connection"] = conn
        command.upgrade(config, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
    engine.dispose()
    (db_path.parent / "backups").write_text("not a folder")  # the backup cannot be written
    before = db_path.read_bytes()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    assert gui.run_gui() == 1
    assert len(shown) == 1 and str(db_path) in shown[0] and "无法读写文件" in shown[0]
    assert db_path.read_bytes() == before
