"""The organization window's records tabs and 我负责的组织, through the real widgets; bulk marking and the
街道 / 社区 / 我负责的 filters of the ledger."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services.core.database import Database
from app.services.orgs import assignments, organizations, records
from app.services.orgs.dto import EvaluationGrade, OrgDetail, OrgType
from app.services.orgs.record_dto import CreditListKind, InspectionResult, RecordKind
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.dialogs.org_dialog import OrgDialog
from app.ui.dialogs.org_records.editor import RecordEditor
from app.ui.dialogs.org_records.records_tab import RecordsTab
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.views.ledger_view import LedgerView

AddOrg = Callable[..., OrgDetail]


@pytest.fixture
def view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    ledger_view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(ledger_view)
    ledger_view.resize(1093, 600)
    ledger_view.show()
    return ledger_view


def _open(qtbot: QtBot, view: LedgerView, org_id: str) -> OrgDialog:
    view.edit_org(org_id)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog) and dialog.isVisible()
    return dialog


def _tab(dialog: OrgDialog, kind: RecordKind) -> RecordsTab:
    tab = dialog.records.tabs[kind]
    assert isinstance(tab, RecordsTab)
    dialog.tabs.setCurrentWidget(tab)
    return tab


def _new_record(qtbot: QtBot, tab: RecordsTab) -> RecordEditor:
    qtbot.mouseClick(tab.add_button, Qt.MouseButton.LeftButton)
    editor = tab.editor_dialog
    assert isinstance(editor, RecordEditor) and editor.isVisible()
    return editor


def _cells(tab: RecordsTab) -> list[list[str]]:
    model = tab.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())] for r in range(model.rowCount())]


def test_add_an_inspection_and_a_listing_through_the_window(
    qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg, type_chinese: Callable[[QWidget, str], None]
) -> None:
    org = add_org("温泉街道志愿者服务队", org_type=OrgType.COMMUNITY_FILED)
    dialog = _open(qtbot, view, org.id)
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "基本信息", "年检年报", "信用记录", "换届", "评估"]

    inspections = _tab(dialog, RecordKind.INSPECTION)
    assert _cells(inspections) == [] and inspections.empty_label.isVisibleTo(inspections)
    editor = _new_record(qtbot, inspections)
    editor.editor("year").set_count(2024)
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)  # no 结论 chosen
    assert editor.isVisible()
    assert editor.problems_shown() == {"result": "请选择年检结论（合格 / 基本合格 / 不合格 / 未参检）"}
    editor.editor("result").set_value(InspectionResult.BASICALLY_PASSED)
    type_chinese(editor.editor("note"), "年报迟交")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert _cells(inspections) == [["2024 年度", "基本合格", "年报迟交"]]

    again = _new_record(qtbot, inspections)
    again.editor("year").set_count(2024)
    again.editor("result").set_value(InspectionResult.PASSED)
    qtbot.mouseClick(again.save_button, Qt.MouseButton.LeftButton)
    assert again.problems_shown() == {"year": "2024 年度的年检结果已经录入，请编辑那一条，不要重复录入"}
    asked: list[bool] = []
    again.confirm_discard = lambda: asked.append(True) or True  # type: ignore[method-assign]
    again.reject()  # typed input: the editor asks first
    assert asked == [True] and not again.isVisible()

    credit = _tab(dialog, RecordKind.CREDIT)
    editor = _new_record(qtbot, credit)
    editor.editor("kind").set_value(CreditListKind.ABNORMAL)
    editor.editor("listed_on").set_value(date(2025, 8, 3))
    type_chinese(editor.editor("reason"), "未按规定参加年检")
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert _cells(credit) == [["异常名录", "2025-08-03", "仍在名录中", "未按规定参加年检"]]
    view.model.ensure_rows(0, 0)
    assert view.model.row_at(0) is not None and view.model.row_at(0).credit_listed  # type: ignore[union-attr]


def test_delete_asks_and_tombstones(qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg) -> None:
    org = add_org("某某协会")
    term = records.add_record(db.session_factory, org.id, records.TermInput(1, date(2016, 1, 1), date(2020, 12, 31)),
                              actor="t")
    dialog = _open(qtbot, view, org.id)
    tab = _tab(dialog, RecordKind.TERM)
    assert len(_cells(tab)) == 1 and not tab.delete_button.isEnabled()
    tab.table.selectRow(0)
    asked: list[str] = []
    tab.confirm_delete = lambda what: asked.append(what) or True  # type: ignore[method-assign]
    qtbot.mouseClick(tab.delete_button, Qt.MouseButton.LeftButton)
    assert asked == ["第 1 届的换届记录"] and _cells(tab) == []
    assert records.list_records(db.session_factory, org.id, RecordKind.TERM) == ()
    assert term.id  # the row stays as a tombstone (tests/unit/test_org_records.py)


def test_an_evaluation_sets_the_grade_shown_on_the_form(qtbot: QtBot, view: LedgerView, db: Database,
                                                        add_org: AddOrg) -> None:
    org = add_org("某某基金会", org_type=OrgType.FOUNDATION, evaluation_grade=EvaluationGrade.A3,
                  evaluation_date=date(2019, 5, 10))
    dialog = _open(qtbot, view, org.id)
    tab = _tab(dialog, RecordKind.EVALUATION)
    assert "3A（2019-05-10）会在新增第一条评估记录时一并转入" in tab.empty_label.text()
    editor = _new_record(qtbot, tab)
    editor.editor("grade").set_value(EvaluationGrade.A4)
    editor.editor("evaluated_on").set_value(date(2024, 9, 1))
    with qtbot.waitSignal(editor.saved):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert dialog.editor("evaluation_grade").value() is EvaluationGrade.A4
    assert dialog.editor("evaluation_date").value() == date(2024, 9, 1)
    assert not dialog.has_unsaved_input()
    assert _cells(tab)[0][:2] == ["4A", "2024-09-01"] and _cells(tab)[1][:2] == ["3A", "2019-05-10"]
    with qtbot.waitSignal(dialog.saved):  # the form saves against the organization as it now is
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert organizations.get_org(db.session_factory, org.id).data.evaluation_grade is EvaluationGrade.A4


def test_a_new_organization_shows_the_tabs_disabled(qtbot: QtBot, view: LedgerView) -> None:
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    dialog = view.dialog
    assert isinstance(dialog, OrgDialog)
    assert [dialog.tabs.isTabEnabled(i) for i in range(dialog.tabs.count())] == [True, False, False, False, False]
    corner = dialog.tabs.cornerWidget()
    assert isinstance(corner, QLabel) and corner.text().startswith("保存后可录入")
    assert not dialog.records.mine_box.isEnabled()


def test_the_mine_box_marks_at_once(qtbot: QtBot, view: LedgerView, db: Database, add_org: AddOrg) -> None:
    org = add_org("某某社工服务中心", org_type=OrgType.SOCIAL_SERVICE)
    dialog = _open(qtbot, view, org.id)
    box = dialog.records.mine_box
    assert box.isEnabled() and not box.isChecked()
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert box.isChecked() and assignments.my_org_ids(db.session_factory) == {org.id}
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton)
    assert assignments.my_org_ids(db.session_factory) == frozenset()


def _select_rows(view: LedgerView, rows: list[int]) -> None:
    selection = view.table.selectionModel()
    selection.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in rows:
        selection.select(view.model.index(row, 0), flags)


def test_bulk_mark_from_the_ledger_and_filter_mine(qtbot: QtBot, view: LedgerView, db: Database,
                                                   add_org: AddOrg) -> None:
    for name in ("甲协会", "乙协会", "丙协会"):
        add_org(name)
    view.model.refresh()
    assert view.model.total == 3 and not view.mine_actions.mark.isEnabled()
    _select_rows(view, [0, 2])
    assert view.mine_actions.mark.isEnabled() and len(view.selected_ids()) == 2
    said: list[str] = []
    view.statusMessage.connect(said.append)
    view.mine_actions.mark.trigger()
    assert said == ["已将 2 个组织标记为我负责的"]
    assert sorted(r.row() for r in view.table.selectionModel().selectedRows()) == [0, 2]  # kept: undo is a click
    assert view.mine_actions.unmark.isEnabled()
    view.model.ensure_rows(0, 2)
    assert [view.model.data(view.model.index(r, 4)) for r in range(3)] == ["工作覆盖", "未覆盖", "工作覆盖"]
    view.places.mine.setChecked(True)
    assert view.model.total == 2
    _select_rows(view, [0, 1])
    view.mine_actions.unmark.trigger()
    assert said[-1] == "已取消了我负责的 2 个组织" and view.model.total == 0


def test_street_and_community_lists_come_from_the_data(qtbot: QtBot, view: LedgerView, ctx: UiContext,
                                                       add_org: AddOrg) -> None:
    add_org("甲协会", sub_district="温泉街道", community="五四社区")
    add_org("乙协会", sub_district="温泉街道", community="温泉社区")
    add_org("丙协会", sub_district="东街街道", community="东街社区")
    assert view.places.street.count() == 1  # read when the ledger opened: 全部街道 only
    ctx.bus.publish(Change(ORG_ENTITY, (), "import", "create"))  # as any operation that adds organizations
    street, community = view.places.street, view.places.community
    assert [street.itemText(i) for i in range(street.count())] == ["全部街道", "东街街道", "温泉街道"]
    street.set_value("温泉街道")
    assert [community.itemText(i) for i in range(community.count())] == ["全部社区", "温泉社区", "五四社区"]
    assert view.model.total == 2
    community.set_value("五四社区")
    assert view.model.total == 1
    view.clear_filters()
    assert view.model.total == 3 and street.currentIndex() == 0 and community.count() == 4


def test_signed_in_assignments_are_read_only_in_the_window_and_the_ledger(
    qtbot: QtBot, ctx: UiContext, db: Database, add_org: AddOrg
) -> None:
    org = add_org("某某协会")
    with db.session_factory.begin() as session:
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, 'https://qu.example')"),
                        {"k": assignments.SERVER_KEY})
    view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(view)
    view.show()
    _select_rows(view, [0])
    assert view.selected_ids() == [org.id] and not view.mine_actions.mark.isEnabled()
    assert "区里分配" in view.mine_actions.button.toolTip()
    dialog = _open(qtbot, view, org.id)
    assert not dialog.records.mine_box.isEnabled() and "区里分配" in dialog.records.mine_box.toolTip()


def test_the_ledger_fits_a_1093_px_window_without_sideways_scrolling(qtbot: QtBot, ctx: UiContext,
                                                                      add_org: AddOrg) -> None:
    """1366×768 at 125 % is a 1093-px logical window: filters, buttons and every column fit beside the
    navigation list, a vertical scrollbar included."""
    from app.ui.main_window import MainWindow

    for n in range(40):
        add_org(f"第{n}社会服务中心", org_type=OrgType.COMMUNITY_FILED, sub_district="温泉街道", community="五四社区")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.resize(1093, 614)
    window.show()
    window.show_section("组织台账")
    view = window.views["组织台账"]
    assert isinstance(view, LedgerView)
    qtbot.waitUntil(lambda: view.model.total == 40)
    table = view.table
    assert table.verticalScrollBar().isVisible()
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert view.minimumSizeHint().width() <= view.width()


def test_the_place_lists_are_read_after_the_first_page_not_with_it(qtbot: QtBot, ctx: UiContext,
                                                                  add_org: AddOrg) -> None:
    """Sorting the lists by pinyin loads pypinyin (~170 ms of the GIL): it waits until the first page is
    painted, and a database closed meanwhile (a profile switch) is never read."""
    add_org("甲协会", sub_district="温泉街道", community="五四社区")
    opened = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(opened)
    assert opened.model.total == 1 and opened.places.street.count() == 1  # not yet: 全部街道 only
    qtbot.waitUntil(lambda: opened.places.street.count() == 2, timeout=5000)

    closing = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(closing)
    reads: list[object] = []
    closing.places.reload = lambda: reads.append("read")  # type: ignore[method-assign]
    ctx.database.health.closed = True
    qtbot.wait(1200)
    assert reads == []
    ctx.database.health.closed = False
