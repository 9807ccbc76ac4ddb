"""Child process of bench_startup: start and paint either a bare PySide6 window or the real app.

``bare``: a QMainWindow with a label — the floor any PySide6 app pays.
``app``:  ``app.ui.gui.run_gui()`` itself, on $DANGJIAN_HOME's database, running its real event loop;
          the window is painted the moment the 工作台's first read has arrived (its grid filled), and the
          loop left.
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

    def until_dashboard_painted(app) -> int:  # type: ignore[no-untyped-def]
        """The real event loop (``app.exec()``), left as soon as the 工作台's first read has arrived and
        the window is painted with it (the grid filled).  Nothing here adds paints or wake-ups the user's
        loop would not have."""
        from PySide6.QtCore import QTimer

        from app.ui.main_window import MainWindow

        window = next(w for w in app.topLevelWidgets() if isinstance(w, MainWindow))
        model = window.views["工作台"].model

        def loaded(dashboard) -> None:  # type: ignore[no-untyped-def]
            if not dashboard.rows:
                print("empty", flush=True)
                app.exit(1)
                return
            _paint_and_report(app, window)
            app.exit(0)

        def timed_out() -> None:
            print("timeout", flush=True)
            app.exit(1)

        model.loaded.connect(loaded)
        QTimer.singleShot(30_000, timed_out)
        return real_event_loop(app)

    real_event_loop = gui.run_event_loop  # app.exec()
    gui.run_event_loop = until_dashboard_painted
    return gui.run_gui()


if __name__ == "__main__":
    sys.exit(bare() if sys.argv[1] == "bare" else real_app())
