"""走访记录表 (DESIGN §2.2): a visit as a ruled form with the GB/T 9704 margins and fonts.

The title in 2号, then three tables: the basics (organization, day and time, mode — 不打招呼 when it was a
surprise —, the instructor, the people met, what was seen); the checklist as answered (序号, the item's
text as it was asked, 结果, 说明; the checklist version in the caption; its header repeated on every
page); what follows from it (发现的问题 numbered, 意见建议, 需协调解决的事项, 下次计划走访), and the two
signatures under it.  Long text in any cell flows onto further pages.
"""

from __future__ import annotations

from pathlib import Path

from app.services.documents import layout as L
from app.services.documents.bands import Band
from app.services.documents.content import DocumentInputError, VisitRecordDoc
from app.services.documents.fonts import DocumentFonts
from app.services.documents.official import title_lines
from app.services.documents.output import write_pdf
from app.services.documents.tables import Cell, Table, answer_cell, table_bands
from app.services.documents.typeset import Align, GridLine, RenderedPdf, line_band, render_bands

__all__ = ["render_visit_record", "visit_record_bands"]

CAPTION_PT = 14.0  # 4号


def visit_record_bands(doc: VisitRecordDoc) -> list[Band]:
    problems = []
    if not doc.org_name.strip():
        problems.append("请填写被走访的社会组织名称")
    if not doc.instructor.strip():
        problems.append("请填写党建指导员")
    if problems:
        raise DocumentInputError(problems)
    bands = [line_band(line) for line in title_lines(doc.title)]
    if doc.number is not None:
        bands.insert(-1, line_band(GridLine(f"走访通知：{doc.number.text}", Align.CENTRE, size_pt=12.0)))
    bands += table_bands(_basics(doc))
    if doc.checklist:
        bands.append(_caption("检查清单" + (f"（版本 {doc.checklist_version}）" if doc.checklist_version else "")))
        bands += table_bands(_checklist(doc))
    bands.append(_caption("问题与建议"))
    bands += table_bands(_outcome(doc))
    bands.append(line_band(GridLine(keep_with_previous=True)))
    bands.append(line_band(GridLine("党建指导员（签字）：　　　　　　　社会组织负责人（签字）：", size_pt=CAPTION_PT,
                                    keep_with_previous=True)))
    return bands


def render_visit_record(doc: VisitRecordDoc, *, out: Path | None = None,
                        fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The 走访记录表's PDF; with ``out`` also written there.  Raises DocumentInputError and
    MissingGlyphsError.  Any thread."""
    rendered = render_bands(visit_record_bands(doc), title=f"{doc.title.strip()} {doc.org_name.strip()}", fonts=fonts)
    if out is not None:
        write_pdf(rendered, out)
    return rendered


def _basics(doc: VisitRecordDoc) -> Table:
    times = "—".join(t for t in (doc.start_time.strip(), doc.end_time.strip()) if t)
    mode = doc.mode.strip() + ("（不打招呼）" if doc.surprise else "")
    return Table((6.0, 8.0, 6.0, 8.0), (
        (_label("社会组织"), Cell(doc.org_name.strip(), span=3)),
        (_label("走访日期"), Cell(L.document_date(doc.visited_on)), _label("走访时间"), Cell(times)),
        (_label("走访方式"), Cell(mode), _label("党建指导员"), Cell(doc.instructor.strip())),
        (_label("接待人员"), Cell(doc.met_with.strip(), span=3)),
        (_label("走访情况"), answer_cell(doc.summary.strip(), 3, span=3)),
    ))


def _checklist(doc: VisitRecordDoc) -> Table:
    header = (_label("序号"), _label("检查事项"), _label("结果"), _label("说明"))
    rows = [(Cell(str(i), align=Align.CENTRE), Cell(row.item_text.strip()), Cell(row.answer, align=Align.CENTRE),
             Cell(row.note.strip())) for i, row in enumerate(doc.checklist, start=1)]
    return Table((2.6, 15.0, 3.0, 7.4), (header, *rows), header_rows=1, keep_with_previous=True)


def _outcome(doc: VisitRecordDoc) -> Table:
    findings = "\n".join(f"{i}. {text.strip()}" for i, text in enumerate(doc.findings, start=1) if text.strip())
    next_visit = L.document_date(doc.next_visit_on) if doc.next_visit_on else ""
    return Table((6.0, 22.0), (
        (_label("发现的问题"), Cell(findings or "无", min_lines=2)),
        (_label("意见建议"), answer_cell(doc.suggestions.strip(), 2)),
        (_label("需协调事项"), answer_cell(doc.coordination.strip(), 2)),
        (_label("下次计划走访"), Cell(next_visit)),
    ), keep_with_previous=True)


def _label(text: str) -> Cell:
    return Cell(text, align=Align.CENTRE, heading=True)


def _caption(text: str) -> Band:
    """A table's caption: one line above it, kept with its first row."""
    return line_band(GridLine(text, size_pt=CAPTION_PT, heading=True))
