"""A generated PDF out of the app: 另存为… (a file) and 打印… (the system print dialog).

Saving writes the exact bytes that were previewed (the same SHA-256) on the task runner's parallel lane.
Printing asks the system print dialog for a printer and the pages, then rasterizes each page with
pypdfium2 at the printer's resolution (capped at ``PRINT_DPI_CAP``) and paints it onto the full A4
sheet, one page at a time, on a worker thread (Qt allows QPainter on a QPrinter off the UI thread),
with progress after 0.5 s and a cancel that stops the job.  With no printer installed the user is told
so and offered 另存为 instead.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QRectF, QStandardPaths
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from app.ui.tasks import Lane, Runner, TaskContext, TaskHandle

NO_PRINTER_MESSAGE = ("未找到可用的打印机。请先在系统中安装打印机，或用「另存为 PDF」保存后在别处打印。")
SAVE_INSTEAD_TEXT = "另存为 PDF…"
PRINT_DPI_CAP = 300  # office laser printers print 600 dpi, but a 300 dpi raster of text is sharp and 4× smaller
PDF_FILTER = "PDF 文件 (*.pdf)"


@dataclass(frozen=True)
class PdfFile:
    """A generated document ready to leave the app (``RenderedPdf`` has the same fields)."""

    data: bytes
    sha256: str
    pages: int


@dataclass
class PrintRun:
    """What a print job did: pages sent to the printer (also when it was cancelled part-way)."""

    printer: str
    pages_sent: int = 0
    page_indexes: tuple[int, ...] = field(default_factory=tuple)


class PrintError(Exception):
    """The printer could not be opened or refused a page."""


def available_printers() -> list[str]:
    """The names of the printers the system knows (empty before a driver is installed)."""
    return [info.printerName() for info in QPrinterInfo.availablePrinters()]


# -- 另存为 ------------------------------------------------------------------------------------------
def documents_folder() -> Path:
    location = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(location) if location else Path.home()


def ask_save_path(parent: QWidget | None, file_name: str) -> Path | None:
    """The file the user chose (``.pdf`` added when they typed none), or None if they cancelled."""
    chosen, _filter = QFileDialog.getSaveFileName(parent, "另存为 PDF", str(documents_folder() / file_name), PDF_FILTER)
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def write_file(data: bytes, path: Path) -> Path:
    """Write beside ``path`` and move into place, so no half-written PDF is ever left under its name."""
    partial = path.with_name(path.name + ".partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OSError(f"无法保存到 {path}：{exc.strerror or exc}。请换一个文件夹或文件名再试。") from exc
    return path


def save_pdf_as(*, runner: Runner, parent: QWidget | None, pdf: PdfFile, file_name: str,
                on_saved: Callable[[Path], None], on_error: Callable[[BaseException], None]) -> TaskHandle | None:
    """Ask where, then write the bytes there on the parallel lane; None if the user cancelled."""
    path = ask_save_path(parent, file_name)
    if path is None:
        return None
    data = pdf.data
    # no owner: a file that was written is reported (and recorded) even if the preview was closed meanwhile
    return runner.submit(lambda: write_file(data, path), lane=Lane.READ, on_done=on_saved, on_error=on_error)


# -- 打印 --------------------------------------------------------------------------------------------
def ask_save_instead(parent: QWidget | None) -> bool:
    """No printer: say so, and offer 另存为 PDF (True when the user takes it)."""
    box = QMessageBox(QMessageBox.Icon.Warning, "无法打印", NO_PRINTER_MESSAGE, QMessageBox.StandardButton.NoButton,
                      parent)
    save = box.addButton(SAVE_INSTEAD_TEXT, QMessageBox.ButtonRole.AcceptRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.exec()
    return box.clickedButton() is save


def a4_printer(title: str) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)  # the PDF carries its own GB/T 9704 margins: print the whole sheet as it is
    printer.setDocName(title)
    return printer


def ask_printer(parent: QWidget | None, printer: QPrinter, pages: int) -> tuple[int, ...] | None:
    """The system print dialog; the 0-based pages to print, or None if the user cancelled."""
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle("打印")
    dialog.setMinMax(1, pages)
    dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
    if dialog.exec() != QPrintDialog.DialogCode.Accepted:
        return None
    return chosen_pages(printer, pages)


def chosen_pages(printer: QPrinter, pages: int) -> tuple[int, ...]:
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(pages, printer.toPage() or pages)
        return tuple(range(first - 1, last))
    return tuple(range(pages))


def paint_pages(printer: QPrinter, data: bytes, indexes: tuple[int, ...], task: TaskContext | None,
                run: PrintRun) -> PrintRun:
    """Rasterize and paint ``indexes`` onto ``printer`` one page at a time (a worker thread may call it);
    stops between pages when ``task`` is cancelled and aborts the job, ``run`` then says how far it got."""
    from app.ui.dialogs.pdf_pages import PdfPages  # pypdfium2 loads on a worker, never at start-up

    dpi = min(printer.resolution(), PRINT_DPI_CAP)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError("无法开始打印：打印机没有响应。请检查打印机是否开机、联网，或先另存为 PDF。")
    try:
        with PdfPages(data) as pdf:
            for done, index in enumerate(indexes):
                if task is not None and task.cancelled:
                    printer.abort()
                    break
                if done and not printer.newPage():
                    raise PrintError(f"打印第 {index + 1} 页时打印机出错，已送出 {done} 页。")
                image = pdf.render_dpi(index, dpi)
                paper = printer.paperRect(QPrinter.Unit.DevicePixel)
                painter.drawImage(QRectF(0, 0, paper.width(), paper.height()), image)
                run.pages_sent = done + 1
                if task is not None:
                    task.report(done + 1, len(indexes), f"正在打印第 {done + 1} / {len(indexes)} 页…")
    finally:
        painter.end()
    return run


def print_pdf(*, runner: Runner, parent: QWidget | None, pdf: PdfFile, title: str,
              on_printed: Callable[[PrintRun], None], on_error: Callable[[BaseException], None],
              on_save_instead: Callable[[], None], on_cancelled: Callable[[PrintRun], None]) -> TaskHandle | None:
    """打印…: no printer → the message and 另存为; else the print dialog, then the pages on a worker."""
    if not available_printers():
        if ask_save_instead(parent):
            on_save_instead()
        return None
    printer = a4_printer(title)
    indexes = ask_printer(parent, printer, pdf.pages)
    if not indexes:
        return None
    return submit_print(runner=runner, parent=parent, printer=printer, data=pdf.data, indexes=indexes,
                        on_printed=on_printed, on_error=on_error, on_cancelled=on_cancelled)


def submit_print(*, runner: Runner, parent: QWidget | None, printer: QPrinter, data: bytes,
                 indexes: tuple[int, ...], on_printed: Callable[[PrintRun], None],
                 on_error: Callable[[BaseException], None], on_cancelled: Callable[[PrintRun], None]) -> TaskHandle:
    run = PrintRun(printer.printerName() or printer.outputFileName(), page_indexes=indexes)
    handle = runner.submit(lambda task: paint_pages(printer, data, indexes, task, run), lane=Lane.READ,
                           on_done=on_printed, on_error=on_error,  # no owner: a finished job is always reported
                           progress=f"正在打印（共 {len(indexes)} 页）…", parent=parent)
    handle.on_cancelled = lambda: on_cancelled(run)
    return handle
