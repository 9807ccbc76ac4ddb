"""Child process of bench_startup: start and paint either a bare PySide6 window or the real app.

``bare``: a QMainWindow with a label — the floor any PySide6 app pays.
``app``:  ``app.ui.gui.run_gui()`` itself, on $DANGJIAN_HOME's database, running its real event loop;
          the window is painted the moment the 组织台账's first page of rows arrives, and the loop left.
Prints "painted" when done; the parent measures wall time from spawn to that line.
"""

from __future__ import annotations

import sys


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
        """The real event loop (``app.exec()``), left as soon as the first page of rows has arrived and
        the window is painted with it.  Qt paints the shown window by itself, and that paint is what asks
        the model for its first page; nothing here adds paints or wake-ups the user's loop would not."""
        from PySide6.QtCore import QTimer

        from app.ui.main_window import MainWindow

        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        model = window.views["组织台账"].model

        def page_loaded(page: int) -> None:
            if page == 0 and model.total:
                _paint_and_report(app, window)
                app.exit(0)

        def result_arrived(total: int) -> None:  # the first page usually comes with the ids
            if total and model.page_ready(0):
                page_loaded(0)

        def timed_out() -> None:
            print("timeout", flush=True)
            app.exit(1)

        model.pageLoaded.connect(page_loaded)
        model.totalChanged.connect(result_arrived)
        QTimer.singleShot(30_000, timed_out)
        return real_event_loop(app)

    real_event_loop = gui.run_event_loop  # app.exec()
    gui.run_event_loop = until_ledger_painted
    return gui.run_gui()


if __name__ == "__main__":
    sys.exit(bare() if sys.argv[1] == "bare" else real_app())
