"""The daily maintenance after the first paint: a damaged database is reported with the way back and no
save reaches it; a sound one gets today's backup and then the facts refresh."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app import paths
from app.domain.enums import OrgType
from app.services.core.backups import latest_backup
from app.services.core.database import Database, open_database
from app.services.core.errors import CorruptDatabaseError
from app.services.orgs import organizations
from app.services.orgs.dto import OrgInput
from app.ui import gui
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.operations import maintenance
from app.ui.operations import organizations as org_ops
from app.ui.tasks import ImmediateTaskRunner
from tests.damage import damage_a_middle_page


def _org(name: str) -> OrgInput:
    return OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED, address="中山路" * 30)


@pytest.fixture
def damaged(tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "d.sqlite3"
    database = open_database(path)
    for n in range(40):
        organizations.create_org(database.session_factory, _org(f"测试组织{n}号"), actor="t")
    database.close()
    damage_a_middle_page(path)
    database = open_database(path)
    yield database
    database.close()


def test_damage_is_reported_with_the_way_back_and_the_next_save_is_refused(damaged: Database) -> None:
    runner = ImmediateTaskRunner()
    ctx = UiContext(damaged, runner, ChangeBus(), "test:ui")
    shown: list[str] = []
    followed: list[bool] = []
    maintenance.run_daily_maintenance(ctx=ctx, parent=None, then=lambda: followed.append(True),
                                      report=lambda _parent, text: shown.append(text))
    assert len(shown) == 1 and "损坏" in shown[0] and "停止保存" in shown[0] and str(damaged.path) in shown[0]
    assert followed == []  # the facts refresh (a write) is not attempted
    before = damaged.path.read_bytes()
    errors: list[BaseException] = []
    saved: list[object] = []
    org_ops.create_org(ctx=ctx, data=_org("损坏后保存的组织"), on_done=saved.append, on_error=errors.append)
    assert saved == [] and len(errors) == 1 and isinstance(errors[0], CorruptDatabaseError)
    assert damaged.path.read_bytes() == before


def test_a_sound_database_gets_todays_backup_then_the_follow_up(db: Database) -> None:
    ctx = UiContext(db, ImmediateTaskRunner(), ChangeBus(), "test:ui")
    shown: list[str] = []
    followed: list[bool] = []
    maintenance.run_daily_maintenance(ctx=ctx, parent=None, then=lambda: followed.append(True),
                                      report=lambda _parent, text: shown.append(text))
    assert shown == [] and followed == [True]
    assert latest_backup(db.path) is not None


def test_a_started_app_shows_damage_found_after_the_first_paint(qtbot: QtBot,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = paths.database_path(paths.DEFAULT_USER)
    database = open_database(path)
    for n in range(40):
        organizations.create_org(database.session_factory, _org(f"测试组织{n}号"), actor="t")
    database.close()
    data = damage_a_middle_page(path)
    monkeypatch.setattr(gui, "FACTS_REFRESH_DELAY_MS", 10)
    shown: list[tuple[QWidget | None, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, _title, text: shown.append((parent, text)))

    def drive(app: QApplication) -> int:
        qtbot.waitUntil(lambda: bool(shown), timeout=10000)
        for window in app.topLevelWidgets():
            window.close()
        return 0

    monkeypatch.setattr(gui, "run_event_loop", drive)
    assert gui.run_gui() == 0
    assert len(shown) == 1 and shown[0][0] is not None and "停止保存" in shown[0][1]
    assert path.read_bytes() == bytes(data)
    assert latest_backup(path) is None  # the damaged file was not backed up
