"""Start the GUI: check for a display, set up Qt, open the user's database, show the main window."""

from __future__ import annotations

import gc
import logging
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Qt is imported after the services (see _start)
    from pathlib import Path

    from PySide6.QtWidgets import QApplication

    from app.services.core.db_handle import Database
    from app.ui.instance import InstanceGuard
    from app.ui.main_window import MainWindow

FACTS_REFRESH_DELAY_MS = 1500  # leave the first paint and first page fetch alone (also the daily check)
LISTEN_DELAY_MS = 400  # later starts are answered from then on (until then the lock refuses them, unanswered)
NO_DISPLAY_MESSAGE = (
    "没有可用的图形显示环境：请在有显示器的桌面中运行，或设置 QT_QPA_PLATFORM=offscreen 后运行。"
    " / No display available: run with a display, or set QT_QPA_PLATFORM=offscreen."
)


def display_available() -> bool:
    """Qt aborts the whole process when it cannot reach a display; find out before it tries."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_event_loop(app: Any) -> int:
    """``app.exec()``; a separate name so tests can drive the started window without a nested loop."""
    return int(app.exec())


class _StartupGc:
    """The cyclic garbage collector paused while the application starts.

    Start-up creates ~120,000 tracked objects (modules, classes, SQLAlchemy's tables and mappers, Qt
    wrappers) that all live as long as the process: the collections their allocation triggers free
    nothing (~500 objects) and cost ~35 ms of start-up.  ``resume`` moves everything made so far
    into the permanent generation (``gc.freeze``: later collections need not walk it again, so the first
    one after start-up is not a long pause either) and switches the collector back on.
    """

    def __init__(self) -> None:
        self._paused = gc.isenabled()
        if self._paused:
            gc.disable()

    def resume(self, *, collect: bool = False) -> None:
        """``collect``: free the garbage made so far first (after a migration: alembic's objects,
        ~6,000 of them, which freezing would keep for the life of the process)."""
        if self._paused:
            self._paused = False
            if collect:
                gc.collect()
            gc.freeze()
            gc.enable()


def run_gui() -> int:
    """Run the application until its window closes; returns the process exit code."""
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    startup_gc = _StartupGc()
    try:
        return _start(startup_gc)
    finally:
        startup_gc.resume()


def _start(startup_gc: _StartupGc) -> int:
    # The first paint imports no SQLAlchemy (DESIGN §8: its import is most of a start): a database already
    # at the head revision is checked with the stdlib sqlite3 (app.services.core.db_handle), the 工作台's
    # first read runs on a stdlib read-only connection, and the engine is made after the first paint.
    # What is imported before PySide6 is imported first: importing Qt first makes every later import
    # slower.  The first screen needs neither the demo data generator nor the organization form.
    from functools import partial

    from app import paths
    from app.services.compliance import dashboard  # the first view's read (raw SQL, no ORM)
    from app.services.core import app_lock
    from app.services.core.app_lock import ProfileInUseError
    from app.services.core.db_handle import open_at_head
    from app.services.core.identity import current_user
    from app.services.core.raw_sql import read_only
    from app.ui import first_read

    profile = current_user()
    try:  # one running app per profile: decided before the database is opened (or upgraded) at all
        lock = app_lock.acquire(profile)
    except ProfileInUseError as exc:
        startup_gc.resume()
        _application()
        from app.ui.instance import refuse_second_start

        return refuse_second_start(exc)
    path = paths.database_path(profile)
    try:
        database = open_at_head(path) or _open_database(path)
    except Exception as exc:
        lock.release()
        startup_gc.resume()
        _application()
        return _cannot_open(exc, path)
    # The 工作台's read runs while Qt is imported and the window built (app.ui.first_read).
    first_read.start((first_read.DASHBOARD, str(database.path)),
                     lambda: dashboard.load_dashboard(partial(read_only, database.path)))

    # isort: split
    from app.ui.instance import InstanceGuard

    app = _application()
    guard = InstanceGuard()
    guard.adopt(profile, lock)  # it answers later starts once the window is painted (start_listening)
    try:
        return _run_window(app, guard, database, startup_gc)
    finally:
        first_read.discard_all()
        guard.release_all()


def _open_database(path: Path) -> Database:
    """Any other state of the file (missing, older, newer, damaged): the full open, which creates,
    upgrades or refuses it (SQLAlchemy and, to upgrade, alembic are imported for it)."""
    from app.services.core.database import open_database

    return open_database(path)


def _application() -> QApplication:
    from PySide6.QtWidgets import QApplication

    from app.ui.appsetup import configure_application

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    return app


def _cannot_open(exc: Exception, path: Path) -> int:
    """The database could not be opened: say why in a message box; exit code 1."""
    from PySide6.QtWidgets import QMessageBox

    from app.services.core.error_text import describe_error
    from app.services.core.errors import CorruptDatabaseError, NewerDatabaseError

    if isinstance(exc, (CorruptDatabaseError, NewerDatabaseError)):
        QMessageBox.critical(None, "无法打开数据库", str(exc))
    else:  # backup or upgrade failed (disk full, no permission …): say so, never vanish
        QMessageBox.critical(None, "无法打开数据库",
                             f"打开或升级数据库 {path} 时出错：{describe_error(exc)}\n"
                             "升级在一个事务中进行，出错时数据库保持原样；处理上述问题后请重新启动。")
    return 1


def _warm_after_first_paint(window: MainWindow, database: Database) -> None:
    """Make the database's engine (importing SQLAlchemy) on a thread of its own once the 工作台 has painted
    its first read, so that the first save or ledger read does not wait for it.  Without a 工作台 (or if
    its read fails) the first session asked for makes it (the daily maintenance after FACTS_REFRESH_DELAY_MS
    at the latest)."""
    from PySide6.QtCore import QTimer

    from app.ui.views.dashboard_view import DashboardView

    view = next((v for v in window.views.built_views() if isinstance(v, DashboardView)), None)
    if view is None or view.model.loaded_once:
        database.warm()
        return
    model = view.model

    def loaded(_dashboard: object) -> None:
        model.loaded.disconnect(loaded)
        QTimer.singleShot(0, database.warm)  # after the paint the read just asked for (posted events first)

    model.loaded.connect(loaded)


def _run_window(app: QApplication, guard: InstanceGuard, database: Database, startup_gc: _StartupGc) -> int:
    """Run the main window over the profile's open database (the profile's lock is held)."""
    from PySide6.QtCore import QTimer

    from app.services.core.identity import current_actor, current_user
    from app.ui.bus import ChangeBus
    from app.ui.context import UiContext
    from app.ui.main_window import MainWindow
    from app.ui.operations import maintenance
    from app.ui.profiles import ProfileSwitcher
    from app.ui.tasks import TaskRunner

    runner = TaskRunner()
    window: MainWindow | None = None
    facts_timer = QTimer(singleShot=True, interval=FACTS_REFRESH_DELAY_MS)
    listen_timer = QTimer(singleShot=True, interval=LISTEN_DELAY_MS)
    listen_timer.timeout.connect(guard.start_listening)
    try:
        ctx = UiContext(database, runner, ChangeBus(), current_actor(), current_user())
        window = MainWindow(ctx, switcher=ProfileSwitcher(ctx, guard=guard))
        guard.activateRequested.connect(window.bring_forward)
        runner.default_error = window.show_error
        window.show()
        listen_timer.start()
        _warm_after_first_paint(window, database)
        startup_gc.resume(collect=database.migrated)
        # after the first paint, on the write lane (so saves queue behind the check): today's quick_check
        # and backup; then, if the database is sound, today's coverage and credit listing for fast ledger
        # sorts and filters.  The same for a profile opened later (the demo, or back to my data).
        def maintain(opened: UiContext) -> None:
            def refresh_if_still_open() -> None:  # the user may have switched profile meanwhile
                if opened is window.ctx:
                    from app.ui.operations import organizations as org_ops  # the ledger's, not the 工作台's

                    org_ops.refresh_derived_facts(ctx=opened)

            maintenance.run_daily_maintenance(ctx=opened, parent=window, then=refresh_if_still_open)

        facts_timer.timeout.connect(lambda: maintain(window.ctx))
        facts_timer.timeout.connect(window.sync.start)  # its status read and the network watch
        window.switcher.switched.connect(maintain)
        facts_timer.start()
        return run_event_loop(app)
    finally:
        facts_timer.stop()
        listen_timer.stop()
        runner.shutdown()
        database.close()
        if window is not None:
            window.ctx.database.close()  # the profile open at exit (closing twice is harmless)
