"""查看冲突…: the list, the three values side by side for the one selected, and settling it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.dialogs.conflict_dialog import EMPTY_TEXT, ConflictDialog
from tests.sync_fakes import FakeSync, conflict


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeSync:
    return FakeSync(conflicts=[conflict(1), conflict(2, field_label="联系电话", yours="111", other="222",
                                                     kept="222")]).install(monkeypatch)


def dialog(qtbot: QtBot, ctx: UiContext) -> ConflictDialog:
    widget = ConflictDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_selected_conflict_shows_the_three_values_side_by_side(qtbot: QtBot, ctx: UiContext,
                                                                   fake: FakeSync) -> None:
    widget = dialog(qtbot, ctx)
    assert widget.table.rowCount() == 2
    assert [widget.table.item(0, c).text() for c in range(2)] == ["社会组织“第1协会”", "住所"]
    assert {k: box.toPlainText() for k, box in widget.values.items()} == {
        "yours": "鼓楼区东街 1 号", "other": "鼓楼区西街 2 号", "kept": "鼓楼区东街 1 号"}
    widget.table.selectRow(1)
    assert {k: box.toPlainText() for k, box in widget.values.items()} == {"yours": "111", "other": "222",
                                                                          "kept": "222"}
    assert widget.where.text() == "社会组织“第2协会”的联系电话"
    boxes = [widget.values[k] for k in ("yours", "other", "kept")]
    assert [box.x() for box in boxes] == sorted(box.x() for box in boxes) and boxes[0].y() == boxes[2].y()


@pytest.mark.parametrize(("button", "keep"), [("采用这个值", "yours"), ("采用这个值", "other"), ("保留当前", "kept")])
def test_each_button_settles_the_selected_conflict(qtbot: QtBot, ctx: UiContext, fake: FakeSync, button: str,
                                                   keep: str) -> None:
    widget = dialog(qtbot, ctx)
    changes: list[Change] = []
    ctx.bus.changed.connect(changes.append)
    widget.table.selectRow(1)
    chosen = widget.choose[keep]  # type: ignore[index]
    assert chosen.text() == button
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    assert fake.called("resolve_conflict") == [("c2", keep)]
    assert widget.table.rowCount() == 1 and widget.values["other"].toPlainText() == "鼓楼区西街 2 号"
    assert {(c.entity, c.ids) for c in changes} == {("social_org", ("org2",)), ("sync_conflict", ("c2",))}


@pytest.mark.parametrize(("mine", "titles"), [
    ("yours", ["张三的值（本机）", "李四的值", "当前值"]),  # pushed from here: the op is in this outbox
    ("other", ["李四的值", "张三的值（本机）", "当前值"]),  # written here, met by 李四's later push
    ("", ["李四的值", "张三的值", "当前值"]),  # a supervisor's laptop wrote neither
])
def test_each_value_is_titled_by_who_wrote_it_and_which_is_this_laptops(
        qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch, mine: str, titles: list[str]) -> None:
    by, other_by = ("张三", "李四") if mine == "yours" else ("李四", "张三")
    FakeSync(conflicts=[conflict(1, by=by, other_by=other_by, mine=mine)]).install(monkeypatch)
    widget = dialog(qtbot, ctx)
    assert [widget.titles[k].text() for k in ("yours", "other", "kept")] == [f"<b>{t}</b>" for t in titles]
    assert widget.table.item(0, 3).text() == f"{by}、{other_by}"


def test_with_every_conflict_settled_the_dialog_says_so(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    widget = dialog(qtbot, ctx)
    widget.resolve("kept")
    widget.resolve("kept")
    assert widget.table.isHidden() and widget.empty.isVisible() and widget.empty.text() == EMPTY_TEXT
    assert not any(button.isEnabled() for button in widget.choose.values())


def test_an_empty_value_is_shown_as_empty(qtbot: QtBot, ctx: UiContext, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeSync(conflicts=[conflict(1, yours="")]).install(monkeypatch)
    assert dialog(qtbot, ctx).values["yours"].toPlainText() == "（空）"


def test_keyboard_list_values_buttons_and_escape(qtbot: QtBot, ctx: UiContext, fake: FakeSync) -> None:
    widget = dialog(qtbot, ctx)
    assert widget.focusWidget() is widget.table
    qtbot.keyClick(widget.table, Qt.Key.Key_Down)
    assert widget.values["yours"].toPlainText() == "111"
    reached = set()
    for _ in range(12):
        widget.focusNextChild()
        reached.add(widget.focusWidget())
    assert set(widget.choose.values()) <= reached
    qtbot.keyClick(widget, Qt.Key.Key_Escape)
    assert widget.result() == QDialog.DialogCode.Rejected
