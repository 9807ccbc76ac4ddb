"""文书预览: a generated PDF shown page by page, with 打印… (Ctrl+P) and 另存为… (Ctrl+S).

The pages are rasterized by pypdfium2 on the task runner's parallel lane, one page per task: the page
shown first, then the pages after it as they come (the page count is known as soon as the PDF is open).
Only a window of pages around the one shown is kept in memory, so a batch of a hundred notices costs no
more than a short letter.  PgUp / PgDn (and Home / End) turn pages, 适合宽度 / 100% zoom, Esc closes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeySequence, QPixmap, QResizeEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.services.core.error_text import describe_error
from app.ui.dialogs import pdf_output
from app.ui.dialogs.pdf_output import PdfFile, PrintRun
from app.ui.tasks import Lane, Runner
from app.ui.widgets import fit_to_screen

if TYPE_CHECKING:
    from app.ui.dialogs.pdf_pages import PdfPages

KEEP_PAGES = 12  # pages kept rasterized around the one shown
PREFETCH = 6  # pages rendered ahead of the one shown
PAGE_MARGIN = 24  # around the page in the scroll area (the grey desk the sheet lies on)
RESIZE_DELAY_MS = 150

# what the preview tells its opener: "print" with the printer's name, or "save" with the file written
OnOutput = Callable[[str, str], None]


class Zoom(Enum):
    FIT_WIDTH = "适合宽度"
    ACTUAL = "100%"


def a4_width_px(dpi: float) -> int:
    """How many pixels A4's 210 mm take at ``dpi`` (the preview's 100 %)."""
    return math.ceil(210 / 25.4 * dpi)


def _open_pages(data: bytes) -> PdfPages:
    from app.ui.dialogs.pdf_pages import PdfPages  # pypdfium2 loads on a worker, not with the dialog

    return PdfPages(data)


def _opened(dialog: PdfPreviewDialog, pages: PdfPages) -> None:
    if shiboken6.isValid(dialog) and not dialog.closed:
        dialog._opened(pages)
    else:
        pages.close()


class PdfPreviewDialog(QDialog):
    pageShown = Signal(int)  # 0-based index of the page now on screen (with its image)
    statusMessage = Signal(str)

    def __init__(self, runner: Runner, pdf: PdfFile, *, title: str, file_name: str,
                 on_output: OnOutput | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._runner, self.pdf, self._title, self._file_name = runner, pdf, title, file_name
        self._on_output = on_output
        self.setWindowTitle(f"预览 — {title}")
        self.setModal(True)
        self._pages: PdfPages | None = None
        self.page_count = pdf.pages
        self.current = 0
        self.zoom = Zoom.FIT_WIDTH
        self._images: dict[int, QImage] = {}
        self._render_width = 0  # pixels wide the cached images are; 0 until the first render
        self._generation = 0  # a zoom or size change starts a new one: older renders are dropped
        self._busy = False  # one page is being rendered
        self._started = False
        self.closed = False
        self.error: str | None = None
        self._resize_timer = QTimer(self, singleShot=True, interval=RESIZE_DELAY_MS)
        self._resize_timer.timeout.connect(self._size_changed)
        self._build()
        fit_to_screen(self, (900, 1000))

    # -- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        self.previous_button, self.next_button = QPushButton("上一页"), QPushButton("下一页")
        self.previous_button.setToolTip("上一页（PgUp）")
        self.next_button.setToolTip("下一页（PgDn）")
        self.previous_button.clicked.connect(lambda: self.go_to(self.current - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current + 1))
        self.page_label = QLabel()
        self.page_label.setMinimumWidth(110)
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.fit_button, self.actual_button = QPushButton(Zoom.FIT_WIDTH.value), QPushButton(Zoom.ACTUAL.value)
        self.fit_button.setToolTip("适合宽度（Ctrl+0）")
        self.actual_button.setToolTip("实际大小（Ctrl+1）")
        zoom_group = QButtonGroup(self)
        for button, zoom in ((self.fit_button, Zoom.FIT_WIDTH), (self.actual_button, Zoom.ACTUAL)):
            button.setCheckable(True)
            zoom_group.addButton(button)
            button.clicked.connect(lambda _c=False, z=zoom: self.set_zoom(z))
        self.fit_button.setChecked(True)
        self.print_button, self.save_button = QPushButton("打印…"), QPushButton("另存为…")
        self.print_button.setToolTip("打印（Ctrl+P）")
        self.save_button.setToolTip("另存为 PDF（Ctrl+S）")
        self.close_button = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as)
        self.close_button.clicked.connect(self.reject)
        bar = QHBoxLayout()
        for widget in (self.previous_button, self.page_label, self.next_button):
            bar.addWidget(widget)
        bar.addSpacing(16)
        bar.addWidget(self.fit_button)
        bar.addWidget(self.actual_button)
        bar.addStretch(1)
        for button in (self.print_button, self.save_button, self.close_button):
            bar.addWidget(button)
        self.page_view = QLabel()
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_view.setObjectName("previewPage")
        self.page_area = QScrollArea()
        self.page_area.setWidget(self.page_view)
        self.page_area.setWidgetResizable(True)
        self.page_area.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        # always there, so the viewport's width (适合宽度's measure) does not change when a page is shown
        self.page_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.page_area.setStyleSheet("QScrollArea { background: #7a7a7a; } QLabel#previewPage { background: #7a7a7a;"
                                  " color: white; font-size: 15px; }")
        self.page_area.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.status = QLabel()
        self.status.setMinimumHeight(self.status.sizeHint().height())  # reserved: nothing jumps
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.page_area, 1)
        layout.addWidget(self.status)
        for keys, slot in (("Ctrl+P", self.print_document), ("Ctrl+S", self.save_as),
                           ("Ctrl+0", lambda: self.set_zoom(Zoom.FIT_WIDTH)),
                           ("Ctrl+1", lambda: self.set_zoom(Zoom.ACTUAL)),
                           # shortcuts, not key presses: the scroll area would take PgUp / PgDn for itself
                           ("PgDown", lambda: self.go_to(self.current + 1)),
                           ("PgUp", lambda: self.go_to(self.current - 1)),
                           ("Home", lambda: self.go_to(0)), ("End", lambda: self.go_to(self.page_count - 1))):
            QShortcut(QKeySequence(keys), self, slot)
        self._update_bar()

    # -- rendering -------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._started:
            self._started = True
            self.page_area.setFocus()
            self.page_view.setText("正在生成预览…")
            self._render_width = self._wanted_width()
            data = self.pdf.data
            # no owner: if the dialog is gone when the PDF is open, the PDF must still be closed
            self._runner.submit(lambda: _open_pages(data), lane=Lane.READ,
                                on_done=lambda pages: _opened(self, pages),
                                on_error=lambda exc: self._failed(exc) if shiboken6.isValid(self) else None)

    def _opened(self, pages: PdfPages) -> None:
        self._pages = pages
        self.page_count = len(pages)
        self._update_bar()
        self._render_next()

    def _wanted_width(self) -> int:
        """Pixels wide a page must be rasterized for the zoom (and the screen's pixel ratio)."""
        ratio = self.devicePixelRatioF()
        return max(200, math.ceil(self._display_width() * ratio))

    def _display_width(self) -> int:
        if self.zoom is Zoom.ACTUAL:
            return a4_width_px(self.logicalDpiX())
        return max(200, self.page_area.viewport().width() - 2 * PAGE_MARGIN)

    def _next_page_to_render(self) -> int | None:
        """The page shown first, then the ones after it, then the one before it."""
        ahead = range(self.current, min(self.page_count, self.current + PREFETCH + 1))
        candidates: list[int] = [*ahead, self.current - 1]
        for index in candidates:
            if 0 <= index < self.page_count and index not in self._images:
                return index
        return None

    def _render_next(self) -> None:
        if self._busy or self._pages is None:
            return
        index = self._next_page_to_render()
        if index is None:
            return
        self._busy = True
        pages, width, generation = self._pages, self._render_width, self._generation
        self._runner.submit(lambda: pages.render_width(index, width), lane=Lane.READ,
                            on_done=lambda image: self._rendered(generation, index, image),
                            on_error=self._failed, owner=self)

    def _rendered(self, generation: int, index: int, image: QImage) -> None:
        self._busy = False
        if generation == self._generation:
            self._images[index] = image
            self._forget_far_pages()
            if index == self.current:
                self._show_current()
        self._render_next()

    def _forget_far_pages(self) -> None:
        while len(self._images) > KEEP_PAGES:
            farthest = max(self._images, key=lambda i: abs(i - self.current))
            del self._images[farthest]

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.error = describe_error(exc)
        self.page_view.setText(f"无法显示预览：{self.error}")

    # -- showing ---------------------------------------------------------------------------------
    def _show_current(self) -> None:
        image = self._images.get(self.current)
        if image is None:
            self.page_view.setPixmap(QPixmap())
            self.page_view.setText(f"正在生成第 {self.current + 1} 页…")
            return
        ratio = self.devicePixelRatioF()
        width = self._display_width()
        pixmap = QPixmap.fromImage(image)
        target = round(width * ratio)
        if abs(pixmap.width() - target) > 1:
            pixmap = pixmap.scaledToWidth(target, Qt.TransformationMode.SmoothTransformation)
        pixmap.setDevicePixelRatio(ratio)
        self.page_view.setPixmap(pixmap)
        self.page_area.verticalScrollBar().setValue(0)
        self.pageShown.emit(self.current)

    def go_to(self, index: int) -> None:
        if not 0 <= index < self.page_count or index == self.current:
            return
        self.current = index
        self._update_bar()
        self._show_current()
        self._render_next()

    def set_zoom(self, zoom: Zoom) -> None:
        self.zoom = zoom
        (self.fit_button if zoom is Zoom.FIT_WIDTH else self.actual_button).setChecked(True)
        self._size_changed()

    def _size_changed(self) -> None:
        """A new zoom or window size: sharper pages are rendered when the shown ones would be blown up."""
        if not self._started:
            return
        wanted = self._wanted_width()
        if wanted > self._render_width * 1.05 or wanted < self._render_width * 0.5:
            self._render_width = wanted
            self._generation += 1
            self._images.clear()
            # a render still running belongs to the old generation: its page is dropped when it comes back,
            # and the chain goes on from there at the new width (one render at a time)
            self._render_next()
        self._show_current()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._resize_timer.start()

    def _update_bar(self) -> None:
        self.page_label.setText(f"第 {self.current + 1} / {self.page_count} 页")
        self.previous_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < self.page_count - 1)

    # -- print and save --------------------------------------------------------------------------
    def print_document(self) -> None:
        pdf_output.print_pdf(runner=self._runner, parent=self, pdf=self.pdf, title=self._title,
                             on_printed=self._printed, on_error=self._output_failed, on_save_instead=self.save_as,
                             on_cancelled=self._print_cancelled)

    def save_as(self) -> None:
        pdf_output.save_pdf_as(runner=self._runner, parent=self, pdf=self.pdf, file_name=self._file_name,
                               on_saved=self._saved, on_error=self._output_failed)

    def _printed(self, run: PrintRun) -> None:
        if self._on_output is not None:
            self._on_output("print", run.printer)
        self._tell(f"已送往打印机 {run.printer}：{run.pages_sent} 页")

    def _print_cancelled(self, run: PrintRun) -> None:
        self._tell(f"已取消打印：已送出 {run.pages_sent} 页，其余未打印" if run.pages_sent
                   else "已取消打印，没有送出任何页")

    def _saved(self, path: Path) -> None:
        if self._on_output is not None:
            self._on_output("save", str(path))
        self._tell(f"已保存：{path}")

    def _tell(self, text: str) -> None:
        self.statusMessage.emit(text)
        if shiboken6.isValid(self):
            self.status.setText(text)

    def _output_failed(self, exc: BaseException) -> None:
        if shiboken6.isValid(self):
            QMessageBox.warning(self, "未完成", describe_error(exc))

    def done(self, result: int) -> None:
        """Closing (Esc, 关闭) lets the PDF go on the worker lane (PDFium may be busy with a page)."""
        pages, self._pages = self._pages, None
        self._generation += 1
        self.closed = True
        if pages is not None:
            self._runner.submit(pages.close, lane=Lane.READ)
        super().done(result)
