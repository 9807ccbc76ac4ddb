"""The empty 组织台账: demo data one click away; an empty filter result offers to clear the filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app import paths
from app.services.core.database import open_database
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgDetail, OrgType
from app.services.orgs.ledger import query_ledger
from app.ui.bus import ChangeBus
from app.ui.context import UiContext
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.operations import demo
from app.ui.tasks import ImmediateTaskRunner, TaskContext
from app.ui.views.ledger_view import LedgerView


def _view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(view)
    return view


def test_an_empty_ledger_offers_new_and_demo_data(qtbot: QtBot, ctx: UiContext) -> None:
    view = _view(qtbot, ctx)
    assert view.body.currentWidget() is view.empty_state
    assert "还没有组织" in view.empty_state.message.text()
    assert not view.empty_state.demo_button.isHidden() and view.empty_state.clear_button.isHidden()
    assert not view.empty_state.import_button.isHidden()  # most instructors arrive with an Excel 台账
    with qtbot.waitSignal(view.importRequested, timeout=1000):  # the window runs 文件 → 导入台账…
        qtbot.mouseClick(view.empty_state.import_button, Qt.MouseButton.LeftButton)

    with qtbot.waitSignal(view.demoRequested, timeout=1000):  # the window opens the demo profile
        qtbot.mouseClick(view.empty_state.demo_button, Qt.MouseButton.LeftButton)

    assert not view.empty_state.demo_button.isEnabled()
    stored = query_ledger(ctx.database.session_factory, LedgerFilter(), LedgerSort())
    assert stored.total == 0 and view.model.total == 0  # demo data never enters the open (real) database


def test_a_filter_with_no_match_offers_to_clear_it(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., OrgDetail]
) -> None:
    add_org("鼓楼区书法协会")
    view = _view(qtbot, ctx)
    assert view.body.currentWidget() is view.table
    view.type_filter.setCurrentIndex(view.type_filter.findText(OrgType.FOUNDATION.label))
    assert view.model.total == 0
    assert view.body.currentWidget() is view.empty_state
    assert view.empty_state.demo_button.isHidden() and not view.empty_state.clear_button.isHidden()

    qtbot.mouseClick(view.empty_state.clear_button, Qt.MouseButton.LeftButton)

    assert view.model.ledger_filter == LedgerFilter()
    assert view.type_filter.currentIndex() == 0
    assert view.model.total == 1 and view.body.currentWidget() is view.table


def test_cancelling_the_demo_load_stops_it_where_it_was(
    qtbot: QtBot, runner: ImmediateTaskRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reproduction: the load checked the cancel flag about once per stage, so a cancel let it run to the
    end.  Now it stops within 1 % of a stage, says so (``on_cancelled``) and never reports success."""
    monkeypatch.setattr(demo, "DEMO_ORGS", 300)
    monkeypatch.setattr(demo, "DEMO_YEARS", 1)
    database = open_database(paths.database_path(paths.DEMO_PROFILE))
    demo_ctx = UiContext(database, runner, ChangeBus(), "demo:test", paths.DEMO_PROFILE)
    seen: list[int] = []
    original = TaskContext.report

    def report(self: TaskContext, value: int, maximum: int = 0, label: str | None = None) -> None:
        seen.append(value)
        original(self, value, maximum, label)
        if value >= 10:
            self.cancel()  # the user presses 取消 at 10 %

    monkeypatch.setattr(TaskContext, "report", report)
    outcome: list[str] = []
    changes: list[object] = []
    demo_ctx.bus.changed.connect(changes.append)
    runner.paused = True  # as the threaded runner: the task runs after submit has returned
    try:
        demo.load_demo_data(ctx=demo_ctx, parent=None, on_done=lambda _s: outcome.append("done"),
                            on_error=lambda exc: outcome.append(f"error {exc!r}"),
                            on_cancelled=lambda: outcome.append("cancelled"))
        runner.run_pending()
    finally:
        database.close()
    assert outcome == ["cancelled"] and changes == []  # no success, no ledger refresh with partial data
    assert 10 <= max(seen) < 20 and seen[-1] == max(seen)  # stopped at the next step, far from 100 %


def test_all_archived_offers_the_archive_not_demo_data(
    qtbot: QtBot, ctx: UiContext, add_org: Callable[..., OrgDetail]
) -> None:
    from app.services.orgs.organizations import archive_org

    org = add_org("鼓楼区老年书画协会")
    archive_org(ctx.database.session_factory, org.id, reason="已注销", actor="t")
    view = _view(qtbot, ctx)
    assert view.body.currentWidget() is view.empty_state
    assert "另有 1 个已归档组织" in view.empty_state.message.text()
    assert view.empty_state.demo_button.isHidden(), "demo data must not be offered into a real database"
    assert not view.empty_state.archived_button.isHidden()

    qtbot.mouseClick(view.empty_state.archived_button, Qt.MouseButton.LeftButton)

    assert view.model.total == 1 and view.body.currentWidget() is view.table
