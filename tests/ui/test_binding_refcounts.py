"""The Qt binding must not leak references to None/True on Python < 3.12.

PySide6-Essentials 6.12.0 on Python 3.11 drops one reference to ``None`` per void Qt call and one to
``True`` per ``Signal.emit``; a session then dies with "Fatal Python error: none_dealloc".  pyproject
pins the binding below 6.12; this test fails if an affected release is ever installed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

HAMMER = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QObject, Signal
    from PySide6.QtWidgets import QApplication, QLabel

    class Sender(QObject):
        ping = Signal()

    app = QApplication([])
    label, sender = QLabel(), Sender()
    none_before, true_before = sys.getrefcount(None), sys.getrefcount(True)
    for _ in range(100_000):
        label.setText("党建")  # a void method: returns None
        label.setEnabled(True)
        sender.ping.emit()  # returns True
    app.processEvents()
    print(sys.getrefcount(None) - none_before, sys.getrefcount(True) - true_before)
""")


def test_a_long_session_of_qt_calls_keeps_none_and_true_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", HAMMER], capture_output=True, text=True, env=env, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    none_delta, true_delta = (int(v) for v in done.stdout.split())
    # a leak of one reference per call would show as -100,000 (or the process would have aborted)
    assert abs(none_delta) < 1000 and abs(true_delta) < 1000
