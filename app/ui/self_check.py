"""Paint the main window offscreen over an existing database: the GUI half of ``self-check``."""

from __future__ import annotations

import os
import time
from pathlib import Path

from app import paths
from app.services.core.database import Database
from app.services.core.identity import current_actor

TIMEOUT_S = 20.0


class SelfCheckError(RuntimeError):
    pass


def paint_main_window(database: Database, out_png: Path | None = None, profile: str = paths.DEFAULT_PROFILE) -> None:
    """Build and show the main window, wait until its first view (the 工作台) has read its data and the
    ledger's first page is painted, optionally save a screenshot of the window as it opens to ``out_png``.
    Raises SelfCheckError on any failure.  Must run on the main thread."""
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # only affects a QApplication created below

    from PySide6.QtWidgets import QApplication

    from app.ui.appsetup import configure_application
    from app.ui.bus import ChangeBus
    from app.ui.context import UiContext
    from app.ui.main_window import MainWindow
    from app.ui.tasks import TaskRunner
    from app.ui.views.dashboard_view import DashboardView
    from app.ui.views.ledger_view import LedgerView

    app = QApplication.instance() or QApplication(["self-check"])
    assert isinstance(app, QApplication)
    configure_application(app)
    errors: list[BaseException] = []
    runner = TaskRunner(default_error=errors.append)
    window = MainWindow(UiContext(database, runner, ChangeBus(), current_actor(), profile))
    window.resize(MainWindow.PREFERRED_SIZE)  # the window as designed, whatever size the offscreen screen has
    try:
        dashboard, view = window.views["工作台"], window.views["组织台账"]
        assert isinstance(dashboard, DashboardView) and isinstance(view, LedgerView)
        dashboard.model.failed.connect(lambda text: errors.append(SelfCheckError(text)))
        view.model.failed.connect(lambda text: errors.append(SelfCheckError(text)))
        window.show()
        deadline = time.monotonic() + TIMEOUT_S
        while not (dashboard.model.loaded_once and _first_page_shown(view)):
            if errors:
                raise SelfCheckError(f"工作台或组织台账读取失败 / query failed: {errors[0]}") from errors[0]
            if time.monotonic() > deadline:
                raise SelfCheckError(f"工作台或组织台账 {TIMEOUT_S:.0f} 秒内未显示 / not painted in time")
            app.processEvents()
            time.sleep(0.005)
        app.processEvents()
        pixmap = window.grab()
        if pixmap.isNull() or pixmap.width() < 100:
            raise SelfCheckError("主窗口截图失败 / could not grab the main window")
        if out_png is not None:
            out_png.parent.mkdir(parents=True, exist_ok=True)
            if not pixmap.save(str(out_png), "PNG"):
                raise SelfCheckError(f"无法保存截图 / could not save {out_png}")
    finally:
        window.close()
        window.deleteLater()
        runner.shutdown()
        app.processEvents()


def _first_page_shown(view: object) -> bool:
    from app.ui.views.ledger_view import LedgerView

    assert isinstance(view, LedgerView)
    model = view.model
    if not model.loaded:
        return False
    if model.total == 0:
        return True
    view.table.viewport().grab()  # paints the visible rows, which asks the model for their page
    return model.page_ready(0) and bool(model.data(model.index(0, 0)))
