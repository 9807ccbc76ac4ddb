"""Child process of bench_startup: start and paint either a bare PySide6 window or the real app.

``bare``: a QMainWindow with a label — the floor any PySide6 app pays.
``app``:  ``app.ui.gui.run_gui()`` itself, on $DANGJIAN_HOME's database, with the event loop replaced by
          one that returns as soon as the 组织台账 shows its first page of rows, painted.
Prints "painted" when done; the parent measures wall time from spawn to that line.
"""

from __future__ import annotations

import sys
import time


def _paint_and_report(app, window) -> None:  # type: ignore[no-untyped-def]
    window.grab()  # forces a full paint of the window as it stands
    print("painted", flush=True)


def bare() -> int:
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("党建指导员工作台"))
    window.resize(1280, 800)
    window.show()
    app.processEvents()
    _paint_and_report(app, window)
    return 0


def real_app() -> int:
    from app.ui import gui

    def until_ledger_painted(app) -> int:  # type: ignore[no-untyped-def]
        from app.ui.main_window import MainWindow

        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        view = window.views["组织台账"]
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            app.processEvents()
            model = view.model
            if model.loaded and model.total and model.page_ready(0):
                _paint_and_report(app, window)
                return 0
            view.table.viewport().repaint()  # a paint is what asks the model for its first page
            time.sleep(0.001)
        print("timeout", flush=True)
        return 1

    gui.run_event_loop = until_ledger_painted
    return gui.run_gui()


if __name__ == "__main__":
    sys.exit(bare() if sys.argv[1] == "bare" else real_app())
