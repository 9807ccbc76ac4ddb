"""Checking the database this process has open must not drop its SQLite locks: closing any descriptor of the
file releases every POSIX lock the process holds on it, after which another process (a command, a backup
tool) believes it is the last user, checkpoints and deletes the write-ahead log — and what this process
commits next goes to a deleted file, lost at the next crash.  (Found by a walkthrough: edits vanished after
``integrity-check`` ran beside the open window.)"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OTHER_PROCESS = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
                 "c.execute('SELECT count(*) FROM t').fetchone(); c.close()")
SCRIPT = f"""
import os, sqlite3, subprocess, sys
from pathlib import Path
from app.services.core.sqlite_file import quick_check, stored_revision
path = Path(sys.argv[1])
conn = sqlite3.connect(path, isolation_level=None)
conn.execute("PRAGMA journal_mode=WAL")
conn.execute("PRAGMA synchronous=FULL")
conn.execute("CREATE TABLE t(x)")
conn.execute("INSERT INTO t VALUES ('before')")
assert quick_check(path) == []  # the daily check, in the process that has the database open
stored_revision(path)
subprocess.run([sys.executable, "-c", {OTHER_PROCESS!r}, str(path)], check=True)
conn.execute("INSERT INTO t VALUES ('after')")  # committed
os._exit(0)  # the window is killed (a crash, the power button)
"""


def test_checking_the_open_database_keeps_its_locks_and_nothing_committed_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "dangjian.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", SCRIPT, str(path)], check=True, env=env, cwd=ROOT)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT x FROM t ORDER BY rowid").fetchall() == [("before",), ("after",)]
    finally:
        conn.close()
