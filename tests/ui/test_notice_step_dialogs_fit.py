"""The 作废 / 送达 / 签收 dialogs and the batch dialog size to their wrapped intro: nothing clipped."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from app.domain.enums import NoticeKind, NoticeStatus
from app.services.notices.dto import NoticeRow
from app.ui.context import UiContext
from app.ui.dialogs.batch_dialog import MonthBatchDialog
from app.ui.dialogs.notice_steps import NoticeStepDialog, Step

ROW = NoticeRow("n1", NoticeKind.RECTIFICATION_NOTICE, NoticeStatus.DELIVERED,
                "社党整改〔2026〕临A1B2C3-7号（临时编号）",
                True, "o1", "福州市鼓楼区" * 12 + "社会工作服务中心", "整改通知书", date(2026, 3, 30),
                date(2026, 3, 31), None, 2)


def _labels_fit(dialog: QDialog) -> None:
    for label in dialog.findChildren(QLabel):
        if label.isVisible() and label.wordWrap() and label.text().strip():
            assert label.height() >= label.heightForWidth(label.width()), label.text()


@pytest.mark.parametrize("step", list(Step))
def test_the_step_dialogs_show_their_whole_intro(qtbot: QtBot, ctx: UiContext, step: Step) -> None:
    dialog = NoticeStepDialog(ctx, ROW, step)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _labels_fit(dialog)
    dialog.grab().save(f"/tmp/fixa-step-{step.name.lower()}.png")


def test_the_batch_dialog_shows_its_whole_intro(qtbot: QtBot, ctx: UiContext) -> None:
    dialog = MonthBatchDialog(ctx, on_message=lambda _m: None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    _labels_fit(dialog)
    dialog.grab().save("/tmp/fixa-batch.png")
