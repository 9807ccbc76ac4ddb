"""PDF documents (issue 8): one 整改通知书 (存根, 送达联, 整改反馈表), and 100 notices rendered and joined into one
month's batch, each next to bare reportlab drawing the same text at the same places with the same embedded
font (no line breaking, no pagination, no per-character fallback or grid spacing, no rules).  Target: the
ratio ≤ 2× (issue 8)."""

from __future__ import annotations

import io
import time
from dataclasses import replace

from common import report, timed  # type: ignore[import-not-found]
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app.domain.doc_numbers import DocNumber
from app.services.documents import combine_pdfs, document_fonts, render_rectification_notice
from app.services.documents import layout as L
from app.services.documents.bands import TextOp, paginate_bands
from app.services.documents.batch import render_documents
from app.services.documents.rectification_notice import rectification_notice_bands
from tests.document_samples import NOTICE

REPEAT, BATCH = 20, 100


def bare_pages(doc: object) -> list[list[tuple[float, float, float, str]]]:
    """The document's text as (x, y, size, line) per page, laid out once, for the bare baseline."""
    pages = paginate_bands(rectification_notice_bands(doc))  # type: ignore[arg-type]
    return [[(op.x, L.PAGE_HEIGHT_MM - L.TOP_MARGIN_MM - placed.top - op.baseline, op.size_pt, op.text)
             for placed in page.bands for op in placed.band.ops if isinstance(op, TextOp)] for page in pages]


def bare_render(pages: list[list[tuple[float, float, float, str]]]) -> bytes:
    """Bare reportlab: the same strings at the same places in the same embedded body font."""
    font = document_fonts().body
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font)
    for page in pages:
        for x, y, size, text in page:
            canvas.setFont(font, size)
            canvas.drawString(x * mm, y * mm, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _words(seed: int, length: int) -> str:
    """``length`` characters of plausible text, different for each ``seed``."""
    return "".join(_POOL[(seed * 7919 + i * 104729) % len(_POOL)] for i in range(length))


_POOL = ("经查阅会议记录党员名册和党费收缴台账该支部年度第一至第三季度"
         "均未按规定召开大会委员会缺少应到实到人数缺席原因等要素")


def main() -> None:
    notices = [replace(NOTICE, number=DocNumber("鼓民社党", 2026, seq)) for seq in range(1, BATCH + 1)]
    render_rectification_notice(NOTICE)  # fonts registered and parsed once, as in a running app
    layout = bare_pages(NOTICE)
    bare_render(layout)
    pages = render_rectification_notice(NOTICE).pages
    print(f"PDF documents: one 整改通知书 ({pages} pages: 存根, 送达联, 整改反馈表), and a batch of {BATCH}")
    ours = timed(lambda: render_rectification_notice(NOTICE), REPEAT)
    bare = timed(lambda: bare_render(layout), REPEAT)
    report("render_rectification_notice", ours)
    report("bare reportlab, same text and places", bare)
    ratio = sorted(ours)[len(ours) // 2] / sorted(bare)[len(bare) // 2]
    print(f"  ratio (median) {ratio:.2f}×   target ≤ 2×: {'met' if ratio <= 2 else 'MISSED'}")

    started = time.perf_counter()
    batch = render_documents(notices)
    ours_batch = time.perf_counter() - started
    layouts = [page for doc in notices for page in bare_pages(doc)]  # laid out outside the timing: bare
    started = time.perf_counter()
    bare_batch = bare_render(layouts)
    bare_seconds = time.perf_counter() - started
    verdict = "met" if ours_batch <= 2 * bare_seconds else "MISSED"
    print(f"  batch of {BATCH} in one PDF (render_documents): {ours_batch:.2f} s, {batch.pages} pages, "
          f"{len(batch.data) / 1e6:.1f} MB; bare reportlab {bare_seconds:.2f} s, {len(bare_batch) / 1e6:.1f} MB; "
          f"ratio {ours_batch / bare_seconds:.2f}×   target ≤ 2×: {verdict}")
    varied = [replace(doc, org_name=f"{_words(seq, 10)}协会", addressee=f"{_words(seq, 10)}协会党支部",
                      items=tuple(replace(item, title=_words(seq + n, 8), description=_words(seq + n, 120),
                                          requirement=_words(seq + n, 60)) for n, item in enumerate(doc.items)))
              for seq, doc in enumerate(notices)]
    started = time.perf_counter()
    render_documents(varied)  # before anything lays them out: only the template's lines were laid out before
    ours_varied = time.perf_counter() - started
    layouts = [page for doc in varied for page in bare_pages(doc)]
    started = time.perf_counter()
    bare_render(layouts)
    bare_varied = time.perf_counter() - started
    print(f"  batch of {BATCH} different notices (own unit names and items): {ours_varied:.2f} s; "
          f"bare reportlab {bare_varied:.2f} s; ratio {ours_varied / bare_varied:.2f}×")
    started = time.perf_counter()
    joined = combine_pdfs([render_rectification_notice(doc) for doc in notices])
    print(f"  the same {BATCH} rendered one by one and joined (combine_pdfs): {time.perf_counter() - started:.2f} s, "
          f"{len(joined.data) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
