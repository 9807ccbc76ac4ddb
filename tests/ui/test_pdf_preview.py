"""文书预览 with real widgets: pages shown and turned, 另存为 writes the previewed bytes, printing without a
printer says so and offers 另存为, printing paints every page onto an A4 sheet."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.ui.dialogs import pdf_output
from app.ui.dialogs.pdf_output import PdfFile, PrintRun
from app.ui.dialogs.pdf_pages import PdfPages
from app.ui.dialogs.pdf_preview import PdfPreviewDialog, Zoom
from app.ui.tasks import ImmediateTaskRunner, TaskContext
from tests.pdf_samples import sample_pdf


@pytest.fixture(scope="module")
def ten_pages() -> PdfFile:
    rendered = sample_pdf(10)
    return PdfFile(rendered.data, rendered.sha256, rendered.pages)


def open_preview(qtbot: QtBot, pdf: PdfFile, outputs: list[tuple[str, str]] | None = None) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog(ImmediateTaskRunner(), pdf, title="关于按期开展三会一课的提醒函", file_name="提醒函.pdf",
                              on_output=(lambda kind, where: outputs.append((kind, where))) if outputs is not None
                              else None)
    qtbot.addWidget(dialog)
    dialog.resize(1093, 614)
    with qtbot.waitActive(dialog):  # shortcuts (PgDn, Ctrl+P …) reach the active window only
        dialog.show()
        dialog.activateWindow()
    return dialog


def dark_share(dialog: PdfPreviewDialog) -> float:
    """How much of the shown page is ink (text is dark on white: an empty or failed page has none)."""
    image = dialog.page_view.pixmap().toImage()
    step = 7
    dark = sum(1 for y in range(0, image.height(), step) for x in range(0, image.width(), step)
               if image.pixelColor(x, y).lightness() < 128)
    return dark / ((image.width() // step + 1) * (image.height() // step + 1))


def test_preview_shows_page_one_then_navigates(qtbot: QtBot, ten_pages: PdfFile) -> None:
    dialog = open_preview(qtbot, ten_pages)
    assert dialog.page_label.text() == "第 1 / 10 页"
    assert not dialog.page_view.pixmap().isNull()
    assert dark_share(dialog) > 0.005  # the page is drawn, not blank
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    first = dialog.page_view.pixmap().toImage()

    qtbot.keyClick(dialog.page_area, Qt.Key.Key_PageDown)
    assert dialog.page_label.text() == "第 2 / 10 页"
    assert dialog.page_view.pixmap().toImage() != first
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_End)
    assert dialog.page_label.text() == "第 10 / 10 页"
    assert not dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_PageDown)  # past the last page: stays
    assert dialog.page_label.text() == "第 10 / 10 页"
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_PageUp)
    assert dialog.page_label.text() == "第 9 / 10 页"
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_Home)
    assert dialog.page_label.text() == "第 1 / 10 页"
    assert dialog.page_view.pixmap().toImage() == first


def test_zoom_100_shows_a4_at_screen_size_and_fit_width_fills_the_view(qtbot: QtBot, ten_pages: PdfFile) -> None:
    dialog = open_preview(qtbot, ten_pages)
    fit_width = dialog.page_view.pixmap().deviceIndependentSize().width()
    assert fit_width == pytest.approx(dialog.page_area.viewport().width() - 48, abs=2)
    qtbot.keyClick(dialog, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert dialog.zoom is Zoom.ACTUAL and dialog.actual_button.isChecked()
    assert dialog.page_view.pixmap().deviceIndependentSize().width() == pytest.approx(
        210 / 25.4 * dialog.logicalDpiX(), abs=2)
    dialog.set_zoom(Zoom.FIT_WIDTH)
    assert dialog.page_view.pixmap().deviceIndependentSize().width() == pytest.approx(fit_width, abs=2)


def test_only_a_window_of_pages_is_kept(qtbot: QtBot) -> None:
    rendered = sample_pdf(16)
    dialog = open_preview(qtbot, PdfFile(rendered.data, rendered.sha256, rendered.pages))
    for _ in range(15):
        dialog.go_to(dialog.current + 1)
    assert dialog.page_label.text() == "第 16 / 16 页"
    assert 15 in dialog._images and 0 not in dialog._images
    assert len(dialog._images) <= 12


def test_a_pdf_that_cannot_be_read_says_so(qtbot: QtBot) -> None:
    dialog = open_preview(qtbot, PdfFile(b"%PDF-1.4 broken", "0" * 64, 1))
    assert dialog.error is not None
    assert "无法读取该 PDF" in dialog.page_view.text()


def test_save_as_writes_the_same_bytes(qtbot: QtBot, ten_pages: PdfFile, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    asked: list[str] = []
    target = tmp_path / "存档" / "提醒函副本"  # no .pdf typed: it is added
    target.parent.mkdir()

    def choose(_parent: Any, _caption: str, proposed: str, _filter: str) -> tuple[str, str]:
        asked.append(proposed)
        return str(target), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    saved = target.with_name("提醒函副本.pdf")
    assert asked and asked[0].endswith("提醒函.pdf")
    assert hashlib.sha256(saved.read_bytes()).hexdigest() == ten_pages.sha256
    assert outputs == [("save", str(saved))]
    assert dialog.status.text() == f"已保存：{saved}"
    assert not list(saved.parent.glob("*.partial"))


def test_save_as_cancelled_writes_nothing(qtbot: QtBot, ten_pages: PdfFile, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: ("", ""))
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    dialog.save_button.click()
    assert outputs == [] and dialog.status.text() == ""


def test_save_into_a_folder_that_cannot_be_written_says_what_to_do(qtbot: QtBot, ten_pages: PdfFile, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    missing = tmp_path / "没有这个文件夹" / "x.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(missing), ""))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warnings.append(text))
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    dialog.save_as()
    assert outputs == []
    assert len(warnings) == 1 and "无法保存到" in warnings[0] and "请换一个文件夹" in warnings[0]


class MessageBoxes:
    """QMessageBox.exec replaced: records the box's text and buttons and clicks the one named ``answer``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
        self.shown: list[tuple[str, list[str]]] = []
        self.answer = answer

        def exec_box(box: QMessageBox) -> int:
            self.shown.append((box.text(), [button.text() for button in box.buttons()]))
            next(button for button in box.buttons() if button.text() == self.answer).click()
            return 0

        monkeypatch.setattr(QMessageBox, "exec", exec_box)


def test_printing_with_no_printer_says_so_and_offers_save_as(qtbot: QtBot, ten_pages: PdfFile, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_output, "available_printers", lambda: [])  # as on this machine (checked below)
    boxes = MessageBoxes(monkeypatch, pdf_output.SAVE_INSTEAD_TEXT)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: (str(tmp_path / "代打印.pdf"), ""))
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    qtbot.keyClick(dialog, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert boxes.shown == [(pdf_output.NO_PRINTER_MESSAGE, ["另存为 PDF…", "关闭"])]
    assert "未找到可用的打印机" in boxes.shown[0][0]
    assert outputs == [("save", str(tmp_path / "代打印.pdf"))]  # the offer taken: saved, nothing printed
    assert hashlib.sha256((tmp_path / "代打印.pdf").read_bytes()).hexdigest() == ten_pages.sha256


def test_no_printer_message_closed_does_nothing(qtbot: QtBot, ten_pages: PdfFile,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_output, "available_printers", lambda: [])
    boxes = MessageBoxes(monkeypatch, "关闭")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a: pytest.fail("no save asked for"))
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    dialog.print_button.click()
    assert len(boxes.shown) == 1 and outputs == []


def test_this_machine_has_no_printer() -> None:
    """The real query (what the two tests above stand in for) finds none here."""
    assert pdf_output.available_printers() == []


def printer_to_pdf(path: Path) -> QPrinter:
    printer = pdf_output.a4_printer("测试")
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(100)
    return printer


def test_printing_paints_every_page_on_a_full_a4_sheet(ten_pages: PdfFile, tmp_path: Path) -> None:
    out = tmp_path / "printed.pdf"
    run = pdf_output.paint_pages(printer_to_pdf(out), ten_pages.data, tuple(range(10)), None, PrintRun("pdf"))
    assert run.pages_sent == 10
    with PdfPages(out.read_bytes()) as printed:
        assert len(printed) == 10
        assert printed.sizes[0].width == pytest.approx(595.3, abs=1)  # A4, portrait
        assert printed.sizes[0].height == pytest.approx(841.9, abs=1)


def test_printing_a_page_range(ten_pages: PdfFile, tmp_path: Path) -> None:
    printer = printer_to_pdf(tmp_path / "range.pdf")
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(3, 5)
    assert pdf_output.chosen_pages(printer, 10) == (2, 3, 4)
    printer.setPrintRange(QPrinter.PrintRange.AllPages)
    assert pdf_output.chosen_pages(printer, 10) == tuple(range(10))


def test_a_cancelled_print_stops_between_pages_and_says_how_far_it_got(ten_pages: PdfFile, tmp_path: Path) -> None:
    task = TaskContext("打印")
    reported: list[int] = []

    def report(value: int, maximum: int = 0, label: str | None = None) -> None:
        reported.append(value)
        if value == 3:
            task.cancel()

    task.report = report  # type: ignore[method-assign]
    run = pdf_output.paint_pages(printer_to_pdf(tmp_path / "cancelled.pdf"), ten_pages.data, tuple(range(10)), task,
                                 PrintRun("pdf"))
    assert run.pages_sent == 3 and reported == [1, 2, 3]


def test_print_reports_the_job_to_the_opener(qtbot: QtBot, ten_pages: PdfFile, tmp_path: Path) -> None:
    outputs: list[tuple[str, str]] = []
    dialog = open_preview(qtbot, ten_pages, outputs)
    out = tmp_path / "job.pdf"
    pdf_output.submit_print(runner=ImmediateTaskRunner(), parent=dialog, printer=printer_to_pdf(out),
                            data=ten_pages.data, indexes=(0, 1), on_printed=dialog._printed,
                            on_error=dialog._output_failed, on_cancelled=dialog._print_cancelled)
    assert outputs == [("print", str(out))]
    assert dialog.status.text() == f"已送往打印机 {out}：2 页"
