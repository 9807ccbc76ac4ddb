"""The 走访 section and the visit form at 1366×768 with 125 % scaling (a logical 1093×614 window): the plan
and the list show their columns without sideways scrolling, the form's buttons are on screen, and the
checklist rows keep their answer boxes whole.  With VISIT_SHOTS=<folder> the screens are saved as PNGs."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from app.services.core import clock
from app.services.orgs.assignments import mark_mine
from app.services.orgs.dto import OrgDetail, OrgType
from app.services.visits import current_checklist, finding_to_rectification, load_visit, save_visit
from app.services.visits.dto import AnswerInput, ChecklistAnswerValue, FindingInput, VisitInput, VisitMode, VisitStatus
from app.ui.context import UiContext
from app.ui.dialogs.visit.dialog import VisitDialog
from app.ui.drafts import DISCARD
from app.ui.main_window import MainWindow
from app.ui.views.visits_view import VisitsView

LAPTOP = (1093 - MainWindow.FRAME_ALLOWANCE.width(), 614 - MainWindow.FRAME_ALLOWANCE.height())
NAMES = ("福州市鼓楼区温泉街道社区社会组织联合会老年书画摄影协会", "五四社区志愿服务队", "东街社区文体活动队",
         "鼓楼区青年创业促进会", "华大街道养老服务中心")


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("VISIT_SHOTS")
    if folder:
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"visits-{name}.png"))


@pytest.fixture
def visits(ctx: UiContext, add_org: Callable[..., OrgDetail], frozen_clock: clock.FrozenClock) -> str:
    factory = ctx.database.session_factory
    ids = [add_org(name, OrgType.COMMUNITY_FILED).id for name in NAMES]
    mark_mine(factory, ids, True, actor="t", user="local", today=date(2026, 1, 1))
    items = current_checklist().items
    answers = tuple(AnswerInput(i.code, ChecklistAnswerValue.NO if i.code == "C04" else ChecklistAnswerValue.YES,
                                "党费台账缺1至3月" if i.code == "C04" else "") for i in items)
    first = save_visit(factory, VisitInput(
        ids[0], VisitStatus.DONE, VisitMode.ON_SITE, date(2026, 3, 18), time(9, 30), time(11, 0), surprise=True,
        met_with="理事长 王芳、党支部书记 李明", summary="查看了活动场所和党建台账", answers=answers,
        findings=(FindingInput("党费收缴台账不完整，2026年1月至3月没有收缴记录", "C04"),
                  FindingInput("党建宣传栏内容仍是去年的，未及时更新", "C09")),
        suggestions="建议指定专人负责党建台账", coordination="活动场地不足，需街道协调党群服务中心共享",
        next_visit_on=date(2026, 4, 15), plan_next=True), actor="t")
    finding_to_rectification(factory, first.findings[0].id, deadline=date(2026, 4, 30), actor="t")
    save_visit(factory, VisitInput(ids[1], VisitStatus.DONE, VisitMode.PHONE, date(2026, 3, 5),
                                   met_with="队长 陈华"), actor="t")
    save_visit(factory, VisitInput(ids[2], VisitStatus.DONE, VisitMode.ON_SITE, date(2026, 2, 26),
                                   time(14, 0), time(15, 0), met_with="负责人 林芳", answers=answers[:3]), actor="t")
    return first.id


def test_the_section_fits_a_125_percent_laptop(qtbot: QtBot, ctx: UiContext, visits: str) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(*LAPTOP)
    window.show()
    window.show_section("走访")
    QApplication.processEvents()
    view = window.views["走访"]
    assert isinstance(view, VisitsView)
    assert len(view.plan_model.rows) == len(NAMES) and view.model.rowCount() == 4
    _shot(window, "section")
    assert view.search.width() >= 240, "a long organization name does not squeeze the search box"
    for table in (view.plan_table, view.table):
        assert table.horizontalScrollBar().maximum() == 0, "every column shows without sideways scrolling"
        assert table.viewport().height() > 2 * table.verticalHeader().defaultSectionSize()


def test_the_form_fits_and_keeps_its_buttons_on_screen(qtbot: QtBot, ctx: UiContext, visits: str) -> None:
    dialog = VisitDialog(ctx, load_visit(ctx.database.session_factory, visits))
    dialog.ask_close = lambda: DISCARD  # type: ignore[method-assign]
    qtbot.addWidget(dialog)
    dialog.resize(*LAPTOP)
    dialog.show()
    QApplication.processEvents()
    assert dialog.save_button.geometry().bottom() <= dialog.height()
    _shot(dialog, "form-record")
    dialog.tabs.setCurrentWidget(dialog.checklist)
    QApplication.processEvents()
    row = dialog.checklist.rows[0]
    assert row.answer.width() >= row.answer.sizeHint().width() - 2, "the answer boxes are not squeezed"
    _shot(dialog, "form-checklist")
    dialog.tabs.setCurrentWidget(dialog.findings)
    dialog.findings.table.selectRow(1)
    _shot(dialog, "form-findings")
    dialog.header.planned.click()
    _shot(dialog, "form-plan")
