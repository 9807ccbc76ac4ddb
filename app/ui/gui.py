"""Start the GUI: check for a display, set up Qt, open the user's database, show the main window."""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

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


def run_gui() -> int:
    """Run the application until its window closes; returns the process exit code."""
    if not display_available():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # The services (SQLAlchemy) are imported before PySide6: importing Qt first makes every later
    # import slower (DESIGN §8).
    from app import APP_NAME, paths
    from app.services import ledger, organizations  # noqa: F401  (warm the ORM before Qt)
    from app.services.database import open_database
    from app.services.errors import CorruptDatabaseError, NewerDatabaseError
    from app.services.identity import current_actor, current_user

    # isort: split
    from PySide6.QtWidgets import QApplication, QMessageBox

    from app.ui.appsetup import configure_application
    from app.ui.bus import ChangeBus
    from app.ui.context import UiContext
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    configure_application(app)
    try:
        database = open_database(paths.database_path(current_user()))
    except (CorruptDatabaseError, NewerDatabaseError) as exc:
        QMessageBox.critical(None, f"{APP_NAME} — 无法打开数据库", str(exc))
        return 1
    runner = TaskRunner()
    try:
        window = MainWindow(UiContext(database, runner, ChangeBus(), current_actor()))
        runner.default_error = window.show_error
        window.show()
        return run_event_loop(app)
    finally:
        runner.shutdown()
        database.close()
