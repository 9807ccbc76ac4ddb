"""The empty 组织台账: demo data one click away; an empty filter result offers to clear the filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgDetail, OrgType
from app.services.orgs.ledger import query_ledger
from app.ui.context import UiContext
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.operations import demo
from app.ui.tasks import ImmediateTaskRunner
from app.ui.views.ledger_view import LedgerView


@pytest.fixture
def small_demo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "DEMO_ORGS", 12)
    monkeypatch.setattr(demo, "DEMO_YEARS", 1)


def _view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(view)
    return view


def test_an_empty_ledger_offers_new_and_demo_data(qtbot: QtBot, ctx: UiContext, small_demo: None) -> None:
    view = _view(qtbot, ctx)
    assert view.body.currentWidget() is view.empty_state
    assert "还没有组织" in view.empty_state.message.text()
    assert not view.empty_state.demo_button.isHidden() and view.empty_state.clear_button.isHidden()

    qtbot.mouseClick(view.empty_state.demo_button, Qt.MouseButton.LeftButton)

    stored = query_ledger(ctx.database.session_factory, LedgerFilter(), LedgerSort())
    assert stored.total == 12
    assert view.model.total == 12
    assert view.body.currentWidget() is view.table


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


def test_cancelling_the_demo_load_still_shows_what_was_written(
    qtbot: QtBot, ctx: UiContext, runner: ImmediateTaskRunner, small_demo: None
) -> None:
    view = _view(qtbot, ctx)
    before = view.model.generation
    runner.paused = True
    view.load_demo_data()
    runner.pending[0].handle.cancel()
    runner.run_pending()
    assert view.model.generation > before  # the ledger re-read the database
    assert view.model.total == query_ledger(ctx.database.session_factory, LedgerFilter(), LedgerSort()).total
    assert view.empty_state.demo_button.isEnabled() or view.body.currentWidget() is view.table


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
