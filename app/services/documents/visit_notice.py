"""走访通知 (DESIGN §2.2): advance notice of a visit, on the GB/T 9704 grid, with an optional 回执.

The letter: 版头 (optional), 发文字号, the title in 2号, 主送, an opening that names the day (with its
weekday), the time and the mode, then numbered sections — 走访时间, 走访方式, 走访人员, 走访内容,
需准备的材料, 联系方式 — each only when it has content, 署名 and 成文日期.  With ``with_receipt`` a dashed
cutting line (沿此线剪开) and the 回执 follow: a small form the organization fills in and sends back
(接待人员, 职务, 联系电话, whether the time suits, a time that would); it never splits, and moves to the
next page whole when the page is too full.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.services.documents import layout as L
from app.services.documents.bands import Band, RuleOp, TextOp
from app.services.documents.content import DocumentInputError, VisitNoticeDoc
from app.services.documents.fonts import DocumentFonts
from app.services.documents.official import (
    addressee_lines,
    header_bands,
    issuer_problems,
    ordinal,
    paragraph_lines,
    section_lines,
    signature_lines,
    title_lines,
    weekday,
)
from app.services.documents.output import write_pdf
from app.services.documents.tables import Cell, Table, table_bands
from app.services.documents.typeset import Align, GridLine, RenderedPdf, line_band, render_bands

__all__ = ["check_visit_notice", "render_visit_notice", "visit_notice_bands"]

CUT_LABEL = "（沿此线剪开，回执请于走访前反馈）"


def check_visit_notice(doc: VisitNoticeDoc) -> list[str]:
    problems = []
    if not doc.org_name.strip():
        problems.append("请填写被走访的社会组织名称")
    if not doc.addressee.strip():
        problems.append("请填写主送单位")
    if doc.visit_on < doc.dated:
        problems.append(f"走访日期 {L.document_date(doc.visit_on)} 早于成文日期 {L.document_date(doc.dated)}，"
                        "请改为成文日期当天或之后")
    return problems + issuer_problems(doc.issuer)


def visit_notice_bands(doc: VisitNoticeDoc) -> list[Band]:
    problems = check_visit_notice(doc)
    if problems:
        raise DocumentInputError(problems)
    when = _when(doc)
    lines = [*title_lines(doc.title), *addressee_lines(doc.addressee),
             *paragraph_lines(f"为深入了解你单位党的建设和业务开展情况，帮助解决实际困难，定于{when}对你单位"
                              f"进行{doc.mode.strip() or '走访'}。现将有关事项通知如下：")]
    sections = [("走访时间", when), ("走访方式", doc.mode.strip()), ("走访人员", doc.visitors.strip()),
                ("走访内容", _listed(doc.topics)), ("需准备的材料", _listed(doc.preparations)),
                ("联系方式", doc.contact.strip())]
    number = 0
    for heading, text in sections:
        if text:
            number += 1
            lines += section_lines(f"{ordinal(number)}、{heading}", paragraph_lines(text))
    lines += paragraph_lines("请你单位党组织负责人及相关人员届时在场，并做好相关准备。")
    lines += signature_lines(doc.issuer, doc.dated)
    bands = [*header_bands(doc.number, doc.masthead), *(line_band(line) for line in lines)]
    if doc.with_receipt:
        bands += _receipt(doc)
    return bands


def render_visit_notice(doc: VisitNoticeDoc, *, out: Path | None = None,
                        fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The 走访通知's PDF (with its 回执 when asked); with ``out`` also written there.  Raises
    DocumentInputError and MissingGlyphsError.  Any thread."""
    rendered = render_bands(visit_notice_bands(doc), title=f"{doc.title.strip()} {doc.number.text}", fonts=fonts,
                            mark=doc.mark)
    if out is not None:
        write_pdf(rendered, out)
    return rendered


def _when(doc: VisitNoticeDoc) -> str:
    day = f"{L.document_date(doc.visit_on)}（{weekday(doc.visit_on)}）"
    return f"{day}{doc.start_time.strip()}" if doc.start_time.strip() else day


def _listed(parts: tuple[str, ...]) -> str:
    """Items as （一）…（二）… paragraphs (one per line); a single item as it is."""
    parts = tuple(p.strip() for p in parts if p.strip())
    if len(parts) == 1:
        return parts[0]
    return "\n".join(f"（{ordinal(i)}）{part}" for i, part in enumerate(parts, start=1))


def _receipt(doc: VisitNoticeDoc) -> list[Band]:
    """The cutting line with its note, the 回执 title and its form, all kept together; the cutting line is
    left out where the 回执 starts a page of its own (nothing to cut from there)."""
    cut_at = L.LINE_PITCH_MM / 2
    cut = RuleOp(L.LEFT_MARGIN_MM, cut_at, L.LEFT_MARGIN_MM + L.TYPE_WIDTH_MM, cut_at, width_pt=0.6, dashed=True)
    label = line_band(GridLine(CUT_LABEL, Align.CENTRE, size_pt=12.0), pitch_mm=L.LINE_PITCH_MM * 0.7)
    cutting = Band(L.LINE_PITCH_MM * 1.7, (cut, *(replace(op, baseline=op.baseline + L.LINE_PITCH_MM)
                                                   for op in label.ops if isinstance(op, TextOp))),
                   only_between=True)
    form = Table((6.0, 8.0, 6.0, 8.0), (
        (Cell("单位名称", align=Align.CENTRE), Cell(doc.org_name.strip(), span=3)),
        (Cell("接待人员", align=Align.CENTRE), Cell(min_lines=2), Cell("职务", align=Align.CENTRE), Cell()),
        (Cell("联系电话", align=Align.CENTRE), Cell(min_lines=2), Cell("能否按时接待", align=Align.CENTRE),
         Cell("□能　　□不能", align=Align.CENTRE)),
        (Cell("建议时间", align=Align.CENTRE), Cell(min_lines=2, span=3)),
        (Cell("备注", align=Align.CENTRE), Cell(min_lines=2, span=3)),
    ), keep_together=True)
    title = [line_band(line) for line in title_lines("回　执")]
    return [cutting, *(replace(b, keep_with_previous=True) for b in [*title, *table_bands(form)])]
