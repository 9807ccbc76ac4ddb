"""文书预览 of a 10-page PDF (a 提醒函 from the real renderer): from opening the preview to its first page
shown, and to every page rasterized, in the real dialog with the real task runner (offscreen, 1093×614,
the logical size of a 1366×768 screen at 125 %).

The first run is cold: it includes importing pypdfium2 (~80 ms, done on the worker, never at start-up).
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from common import report  # type: ignore[import-not-found]

RUNS = 8
PAGES = 10


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.appsetup import configure_application
    from app.ui.dialogs.pdf_output import PdfFile
    from app.ui.dialogs.pdf_preview import PREFETCH, PdfPreviewDialog
    from app.ui.tasks import TaskRunner
    from tests.pdf_samples import sample_pdf

    app = QApplication.instance() or QApplication([])
    configure_application(app)
    rendered = sample_pdf(PAGES)
    pdf = PdfFile(rendered.data, rendered.sha256, rendered.pages)
    runner = TaskRunner()

    def wait(condition, what: str) -> None:  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + 30
        while not condition():
            if time.monotonic() > deadline:
                raise RuntimeError(f"preview did not reach: {what}")
            app.processEvents()
            time.sleep(0.0005)

    first_page, all_pages = [], []
    for _ in range(RUNS):
        dialog = PdfPreviewDialog(runner, pdf, title="提醒函", file_name="提醒函.pdf")
        dialog.resize(1093, 614)
        shown: list[int] = []
        dialog.pageShown.connect(shown.append)
        started = time.perf_counter()
        dialog.show()
        wait(lambda: bool(shown), "first page shown")  # noqa: B023 - used within the iteration
        app.processEvents()  # the page painted
        first_page.append(time.perf_counter() - started)
        wait(lambda: len(dialog._images) == PREFETCH + 1 and not dialog._busy,  # noqa: B023
             "the pages ahead rasterized")
        all_pages.append(time.perf_counter() - started)
        dialog.reject()
        dialog.deleteLater()
        app.processEvents()
    print(f"文书预览 of a {PAGES}-page PDF ({len(pdf.data) / 1024:.0f} KB), pypdfium2, 1093×614 offscreen")
    report("open → first page shown", first_page)
    report(f"open → first {PREFETCH + 1} pages rasterized (prefetch)", all_pages)
    print(f"    first page, each run: {', '.join(f'{t * 1000:.0f}' for t in first_page)} ms (first = cold)")
    runner.shutdown()


if __name__ == "__main__":
    main()
