"""A save that has returned survives the process being killed mid-stream (DESIGN §3: WAL, synchronous=FULL,
row and outbox entry in one transaction).

A child process saves organizations in a loop and prints each id only after ``create_org`` returned;
the parent SIGKILLs it while it is busy saving, reopens the database and checks that the file is intact,
that every reported save is there with its outbox entry, and that no half-save (a row without its
entry or search rows) exists.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.core.database import open_database

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")

CHILD = r"""
import sys
from pathlib import Path

from app.domain.enums import OrgType
from app.services.core.database import open_database
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org

database = open_database(Path(sys.argv[1]))
run = sys.argv[2]
print("ready", flush=True)
n = 0
while True:  # until killed
    n += 1
    detail = create_org(
        database.session_factory,
        OrgInput(name=f"崩溃测试{run}号第{n}个组织", org_type=OrgType.COMMUNITY_FILED, address="五一路" * 20),
        actor="crash-test",
    )
    print(detail.id, flush=True)
"""

SAVES_BEFORE_KILL = (40, 25, 60)


def _run_and_kill(db_path: Path, run: int, saves: int) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(run)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    reported: list[str] = []
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline().strip()
        assert first == "ready", f"child failed to start: {first!r} {proc.stderr.read() if proc.stderr else ''}"
        while len(reported) < saves:
            line = proc.stdout.readline()
            assert line, f"child exited early: {proc.stderr.read() if proc.stderr else ''}"
            reported.append(line.strip())
        proc.send_signal(signal.SIGKILL)  # the child is in the middle of its next save
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return reported


def test_reported_saves_survive_sigkill(tmp_path: Path) -> None:
    db_path = tmp_path / "crash.sqlite3"
    open_database(db_path).close()
    reported: list[str] = []
    for run, saves in enumerate(SAVES_BEFORE_KILL):
        reported += _run_and_kill(db_path, run, saves)
        database = open_database(db_path)  # after a crash: no upgrade, no backup, no error
        try:
            assert database.backup_path is None
            with database.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
                stored = set(conn.execute(text("SELECT id FROM social_org")).scalars())
                queued = set(conn.execute(text(
                    "SELECT record_id FROM outbox WHERE entity = 'social_org' AND op = 'upsert'")).scalars())
                indexed = set(conn.execute(text("SELECT org_id FROM org_search_tri")).scalars())
                unigram = set(conn.execute(text("SELECT org_id FROM org_search_uni")).scalars())
                audited = set(conn.execute(text("SELECT record_id FROM audit_log")).scalars())
        finally:
            database.close()
        assert set(reported) <= stored
        assert stored == queued == indexed == unigram == audited  # all or nothing for each save
        assert len(stored) - len(reported) <= run + 1  # at most the one unreported save per kill
