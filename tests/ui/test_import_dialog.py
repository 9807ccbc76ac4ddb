"""文件 → 导入台账… and 导出台账… through the real widgets: pick a file, see 新增 / 更新 / 不变 / 拒绝 with the
reasons, choose to skip the invalid rows, import, and the ledger shows the organizations."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from app.services.core.database import Database
from app.services.ledger_io.apply import NEW_STAGE
from app.services.ledger_io.plan import RowStatus
from app.services.orgs.dto import OrgDetail, OrgType
from app.ui import tasks as tasks_module
from app.ui.bus import Change, ChangeBus
from app.ui.context import UiContext
from app.ui.dialogs import ledger_export
from app.ui.dialogs.import_dialog import ImportDialog, open_import_dialog
from app.ui.dialogs.import_table import NEEDS_ATTENTION
from app.ui.itemmodels.ledger_model import LedgerModel
from app.ui.tasks import TaskRunner
from app.ui.views.ledger_view import LedgerView
from tests.unit.ledger_io.ledger_files import code, write_csv, write_xlsx

AddOrg = Callable[..., OrgDetail]


@pytest.fixture
def view(qtbot: QtBot, ctx: UiContext) -> LedgerView:
    ledger_view = LedgerView(LedgerModel(ctx), ctx)
    qtbot.addWidget(ledger_view)
    ledger_view.resize(1100, 600)
    ledger_view.show()
    return ledger_view


def messy_file(tmp_path: Path) -> Path:
    rows: list[list[Any]] = [
        ["东街街道社会组织台账（2026年）"], ["序号", "单位名称", "类型", "社会信用代码", "成立时间", "街道", "地址"],
        [1, "福州市鼓楼区书法家协会", "社会团体", code("1", 1), "2015.6.1", "东街街道", "东街 8 号"],
        [2, "福州市鼓楼区摄影协会", "社团", code("1", 2), date(2016, 3, 5), "东街街道", None],
        [3, "福州市鼓楼区阳光养老服务中心", "民非", code("2", 3), "2018年3月5日", "东街街道", None],
        [4, "福州市鼓楼区坏代码协会", "社会团体", "91350102MA31234", "2018年13月1日", "东街街道", None],
        ["合计", None, None, None, None, None, None],
    ]
    return write_xlsx(tmp_path / "东街台账.xlsx", rows, merges=["A1:G1"])


def shown(dialog: ImportDialog) -> list[tuple[str, ...]]:
    model = dialog.model
    return [tuple(model.data(model.index(r, c)) for c in range(model.columnCount())) for r in range(model.rowCount())]


def test_preview_skip_invalid_and_import(qtbot: QtBot, view: LedgerView, ctx: UiContext, add_org: AddOrg,
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_org("福州市鼓楼区书法家协会", OrgType.SOCIAL_GROUP, uscc=code("1", 1), sub_district="东街街道",
            founded_on=date(2015, 6, 1), address="东街 1 号")
    add_org("福州市鼓楼区摄影协会", OrgType.SOCIAL_GROUP, uscc=code("1", 2), sub_district="东街街道",
            founded_on=date(2016, 3, 5))
    view.model.refresh()
    qtbot.waitUntil(lambda: view.model.total == 2)
    path = messy_file(tmp_path)
    asked: list[str] = []

    def pick(_parent: object, _caption: str, _folder: str, file_filter: str) -> tuple[str, str]:
        asked.append(file_filter)
        return str(path), file_filter

    monkeypatch.setattr(QFileDialog, "getOpenFileName", pick)
    changes: list[Change] = []
    ctx.bus.changed.connect(changes.append)
    dialog = open_import_dialog(ctx=ctx, parent=view)
    qtbot.waitUntil(lambda: dialog.plan is not None or "出" in dialog.message_label.text())
    assert dialog.plan is not None, dialog.message_label.text()
    assert "*.xlsx *.xls *.csv" in asked[0]
    counts = dialog.counts_label.text()
    for status, n in (("新增", 1), ("更新", 1), ("不变", 1), ("拒绝", 1)):
        assert f"<b>{status}</b> {n}<" in counts
    assert dialog.filter_box.value() == NEEDS_ATTENTION  # 拒绝 first, then 新增 and 更新; 不变 behind the filter
    refused, new, updated = shown(dialog)
    assert [new[:2], updated[:2]] == [("第 5 行", "新增"), ("第 3 行", "更新")]
    assert updated[3] == "更改：地址：东街 1 号 → 东街 8 号"
    assert refused[:3] == ("第 6 行", "拒绝", "福州市鼓楼区坏代码协会")
    assert "E列“成立时间”：“2018年13月1日”不是有效的日期" in refused[3]
    assert "D列“社会信用代码”：“统一社会信用代码”有误" in refused[3]
    assert "第 6 行" in dialog.detail_label.text() and "2018年13月1日" in dialog.detail_label.text()
    assert "第 7 行（合计行）" in dialog.notes_label.text() and "序号" in dialog.notes_label.text()
    assert not dialog.import_button.isEnabled()  # invalid rows, not skipped
    dialog.filter_box.set_value(None)
    rows = shown(dialog)
    assert [r[:2] for r in rows] == [("第 3 行", "更新"), ("第 4 行", "不变"), ("第 5 行", "新增"), ("第 6 行", "拒绝")]
    qtbot.mouseClick(dialog.skip_box, Qt.MouseButton.LeftButton)
    assert dialog.skip_box.isChecked() and dialog.import_button.isEnabled()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "已导入：新增 1 个，更新 1 个，不变 1 个，跳过无效行 1 行" in dialog.message_label.text()
    assert not dialog.import_button.isEnabled()  # imported: the plan is spent
    assert [c.action for c in changes] == ["import"] and len(changes[0].ids) == 2
    qtbot.waitUntil(lambda: view.model.total == 3)
    names = {view.model.row_at(r).name for r in range(3)}  # type: ignore[union-attr]
    assert "福州市鼓楼区阳光养老服务中心" in names


def test_a_mostly_unchanged_file_opens_on_the_rows_to_look_at(qtbot: QtBot, ctx: UiContext, add_org: AddOrg,
                                                              tmp_path: Path) -> None:
    rows: list[list[Any]] = [["组织名称", "组织类型", "所在街道", "联系电话"]]
    for n in range(30):
        add_org(f"东街第{n}志愿服务队", OrgType.COMMUNITY_FILED, sub_district="东街街道")
        rows.append([f"东街第{n}志愿服务队", "社区社会组织", "东街街道", None])
    add_org("东街舞蹈队", OrgType.COMMUNITY_FILED, sub_district="东街街道", contact_phone="0591-8765 4321")
    rows += [["东街舞蹈队", "社区社会组织", "东街街道", "13800000000"],
             ["东街合唱团", "社区社会组织", "东街街道", None]]
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.load(write_xlsx(tmp_path / "旧台账.xlsx", rows))
    qtbot.waitUntil(lambda: dialog.plan is not None)
    assert "<b>不变</b> 30<" in dialog.counts_label.text()  # the counts stay in view
    assert [r[:3] for r in shown(dialog)] == [("第 33 行", "新增", "东街合唱团"), ("第 32 行", "更新", "东街舞蹈队")]
    assert shown(dialog)[1][3] == "更改：联系电话：0591-8765 4321 → 13800000000"
    dialog.table.setCurrentIndex(dialog.model.index(1, 0))
    assert "第 32 行 东街舞蹈队【更新】更改：联系电话：0591-8765 4321 → 13800000000" in dialog.detail_label.text()
    dialog.filter_box.set_value(None)
    assert len(shown(dialog)) == 32
    dialog.filter_box.set_value(RowStatus.UNCHANGED)
    assert len(shown(dialog)) == 30


def test_a_file_that_is_no_ledger_says_so_in_the_dialog(qtbot: QtBot, ctx: UiContext, tmp_path: Path) -> None:
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    picture = tmp_path / "照片.xlsx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    dialog.load(picture)
    assert "是 PNG 图片，不是表格" in dialog.message_label.text()
    assert dialog.plan is None and not dialog.import_button.isEnabled()


def test_export_the_current_filter(qtbot: QtBot, view: LedgerView, ctx: UiContext, add_org: AddOrg,
                                   tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_org("福州市鼓楼区书法家协会", OrgType.SOCIAL_GROUP)
    add_org("东街舞蹈队", OrgType.COMMUNITY_FILED)
    target = tmp_path / "导出"
    offered: list[str] = []

    def save_as(_parent: object, _caption: str, suggested: str, _filter: str) -> tuple[str, str]:
        offered.append(suggested)
        return str(target), _filter

    told: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    view.model.set_search_text("书法")  # the ledger shows one of the two: the export holds that one
    ledger_export.export_current_ledger(ctx=ctx, parent=view, flt=view.model.ledger_filter)
    assert Path(offered[0]).name == ledger_export.default_file_name()
    assert ledger_export.default_file_name().startswith("组织台账-") and offered[0].endswith(".xlsx")
    saved = target.with_suffix(".xlsx")
    sheet = openpyxl.load_workbook(saved).worksheets[0]
    exported = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert told == [f"已导出 {len(exported)} 个组织：{saved}"]
    assert exported == ["福州市鼓楼区书法家协会"]


def test_export_to_a_missing_folder_says_so_in_chinese(qtbot: QtBot, view: LedgerView, ctx: UiContext,
                                                       add_org: AddOrg, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    add_org("福州市鼓楼区书法家协会", OrgType.SOCIAL_GROUP)
    missing = tmp_path / "已删除的文件夹"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(missing / "台账.xlsx"), ""))
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: errors.append(text))
    ledger_export.export_current_ledger(ctx=ctx, parent=view, flt=view.model.ledger_filter)
    qtbot.waitUntil(lambda: bool(errors))
    assert errors == [f"文件夹不存在：{missing}"]


@pytest.fixture
def threads() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.shutdown()


def _progress_dialog(parent: QWidget) -> QProgressDialog | None:
    dialogs = [d for d in parent.findChildren(QProgressDialog) if d.isVisible()]
    return dialogs[0] if dialogs else None


def test_cancel_during_the_import_keeps_nothing(qtbot: QtBot, db: Database, threads: TaskRunner, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """On the real task runner: the progress dialog appears, moves, and 取消 rolls the whole import back."""
    rows: list[list[object]] = [["组织名称", "组织类型", "所在街道"]]
    rows += [[f"第{n}志愿服务队", "社区社会组织", "东街街道"] for n in range(6_000)]
    path = write_csv(tmp_path / "全街道.csv", rows)
    reached, resume = threading.Event(), threading.Event()
    original_report = tasks_module.TaskContext.report

    def pausing_report(self: Any, value: int, maximum: int = 0, label: str | None = None) -> None:
        original_report(self, value, maximum, label)
        if label and NEW_STAGE in label and value >= 2_000 and not reached.is_set():
            reached.set()  # 2,000 organizations are in the (open) transaction
            resume.wait(60)

    monkeypatch.setattr(tasks_module.TaskContext, "report", pausing_report)
    ctx = UiContext(db, threads, ChangeBus(), "test:ui")
    dialog = ImportDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.plan is not None, timeout=60_000)
    assert "<b>新增</b> 6,000<" in dialog.counts_label.text()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=60_000)
    qtbot.waitUntil(lambda: (d := _progress_dialog(dialog)) is not None and d.value() >= 2_000, timeout=60_000)
    progress = _progress_dialog(dialog)
    assert progress is not None and progress.maximum() == 6_000 and NEW_STAGE in progress.labelText()
    cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "取消")
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    resume.set()
    qtbot.waitUntil(lambda: "已取消导入：数据库没有任何改动" in dialog.message_label.text(), timeout=60_000)
    qtbot.waitUntil(lambda: not threads._active, timeout=60_000)
    with db.session_factory() as session:
        assert session.execute(text("SELECT count(*) FROM social_org")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM outbox")).scalar() == 0
