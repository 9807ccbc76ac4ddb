"""整改通知书 (DESIGN §2.2): a 存根 page, the 送达联 with its 签收栏, and optionally a 整改反馈表.

- 存根 (kept by the issuer): a ruled form — 文号, 被通知单位, 主送, each item with its deadline and
  responsible person, 成文日期, 发文机关, and blank cells for 送达人 / 送达日期 / 签收人 / 签收日期.
- 送达联 (handed over), on the GB/T 9704 grid: the 版头 when given, the 发文字号, the title in 2号 with
  （送达联） under it, 主送, an opening paragraph, one section per item (一、 the problem in the Hei face;
  存在问题, 整改依据, 整改要求, 整改期限, 整改责任人 as paragraphs), the closing, 联系人, 署名 and 成文日期,
  and a 签收栏 (签收人 and 签收日期 to fill in by hand) that never splits from the date above it.
- 整改反馈表 (``with_feedback_form``): a form per notice with, per item, blank space for the measures
  taken and the evidence; the organization's name and the number head every page of it.

Each part starts on a new page, its pages numbered from — 1 —; long items flow onto further pages.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from app.services.documents import layout as L
from app.services.documents.bands import PART_BREAK, Band
from app.services.documents.content import DocumentInputError, NoticeItemDoc, RectificationNoticeDoc
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
)
from app.services.documents.output import write_pdf
from app.services.documents.tables import Cell, Table, table_bands
from app.services.documents.typeset import Align, GridLine, RenderedPdf, line_band, render_bands

__all__ = ["check_rectification_notice", "rectification_notice_bands", "render_rectification_notice"]

DEFAULT_OPENING = "经检查，你单位党建工作中存在以下问题，现通知你单位限期整改。"
DEFAULT_CLOSING = ("请你单位高度重视，对照上述问题逐项整改，于整改期限届满前将整改情况书面反馈{form}。"
                   "逾期未完成整改的，将依照有关规定处理。")
FORM_NOTE = "（可填写所附《整改反馈表》）"
DATE_BLANK = "年　　月　　日"  # set flush right in its cell, room for the year before it
LABEL, VALUE = 6.0, 22.0


def check_rectification_notice(doc: RectificationNoticeDoc) -> list[str]:
    """What is missing or wrong, in Chinese; empty when the notice can be set."""
    problems = []
    if not doc.org_name.strip():
        problems.append("请填写被通知的社会组织名称")
    if not doc.addressee.strip():
        problems.append("请填写主送单位")
    if not doc.items:
        problems.append("整改通知书至少要列出一项整改事项")
    for index, item in enumerate(doc.items, start=1):
        name = f"第{index}项“{_short(item.title)}”" if item.title.strip() else f"第{index}项"
        if not item.title.strip():
            problems.append(f"{name}：请填写存在的问题")
        if not item.requirement.strip():
            problems.append(f"{name}：请填写整改要求")
        if item.deadline < doc.dated:
            problems.append(f"{name}的整改期限 {L.document_date(item.deadline)} 早于成文日期 "
                            f"{L.document_date(doc.dated)}，请改为成文日期当天或之后")
    return problems + issuer_problems(doc.issuer)


def rectification_notice_bands(doc: RectificationNoticeDoc) -> list[Band]:
    problems = check_rectification_notice(doc)
    if problems:
        raise DocumentInputError(problems)
    bands = [*_stub(doc), PART_BREAK, *_delivery(doc)]
    if doc.with_feedback_form:
        bands += [PART_BREAK, *_feedback_form(doc)]
    return bands


def render_rectification_notice(doc: RectificationNoticeDoc, *, out: Path | None = None,
                                fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The notice's PDF (存根, 送达联, optional 整改反馈表); with ``out`` also written there (atomically).
    Raises DocumentInputError (no items, a deadline before the 成文日期 …) and MissingGlyphsError.
    Any thread."""
    rendered = render_bands(rectification_notice_bands(doc), title=f"{doc.title.strip()} {doc.number.text}",
                            fonts=fonts, mark=doc.mark)
    if out is not None:
        write_pdf(rendered, out)
    return rendered


def _stub(doc: RectificationNoticeDoc) -> list[Band]:
    items = "\n".join(f"{i}. {item.title.strip()}（整改期限：{L.document_date(item.deadline)}"
                      + (f"；责任人：{item.responsible_person.strip()}）" if item.responsible_person.strip() else "）")
                      for i, item in enumerate(doc.items, start=1))
    rows = [("文号", doc.number.text), ("被通知单位", doc.org_name.strip()), ("主送", doc.addressee.strip()),
            ("整改事项", items), ("成文日期", L.document_date(doc.dated)), ("发文机关", doc.issuer.strip())]
    form = [_row(label, value) for label, value in rows]
    form += [_row("送达人", "", 2), _row("送达日期", DATE_BLANK), _row("签收人", "", 2), _row("签收日期", DATE_BLANK),
             _row("备注", "", 2)]
    title = [line_band(line) for line in title_lines(f"{doc.title.strip()}（存根）")]
    return [*title, *table_bands(Table((LABEL, VALUE), tuple(form)))]


def _delivery(doc: RectificationNoticeDoc) -> list[Band]:
    title = title_lines(doc.title)
    lines = [*title[:-1], GridLine("（送达联）", Align.CENTRE), title[-1], *addressee_lines(doc.addressee),
             *paragraph_lines(doc.opening.strip() or DEFAULT_OPENING)]
    for index, item in enumerate(doc.items, start=1):
        lines += _item_lines(index, item)
    closing = DEFAULT_CLOSING.format(form=FORM_NOTE if doc.with_feedback_form else "")
    lines += paragraph_lines(doc.closing.strip() or closing)
    if doc.contact.strip():
        lines += paragraph_lines(f"联系人及电话：{doc.contact.strip()}")
    lines += signature_lines(doc.issuer, doc.dated)
    receipt = Table((LABEL, 8.0, 5.0, 9.0), (
        (Cell("签收栏", span=4, align=Align.CENTRE, heading=True),),
        (Cell("签收人（签字）", align=Align.CENTRE), Cell(min_lines=2), Cell("签收日期", align=Align.CENTRE),
         Cell(DATE_BLANK, align=Align.RIGHT)),
    ), keep_together=True)
    spacer = line_band(GridLine(keep_with_previous=True))
    return [*header_bands(doc.number, doc.masthead), *(line_band(line) for line in lines), spacer,
            *_kept(table_bands(receipt))]


def _item_lines(index: int, item: NoticeItemDoc) -> list[GridLine]:
    parts = [("存在问题", item.description), ("整改依据", item.basis), ("整改要求", item.requirement),
             ("整改期限", f"{L.document_date(item.deadline)}前"), ("整改责任人", item.responsible_person)]
    body = [line for label, text in parts if text.strip() for line in paragraph_lines(f"{label}：{text.strip()}")]
    return section_lines(f"{ordinal(index)}、{item.title.strip()}", body)


def _feedback_form(doc: RectificationNoticeDoc) -> list[Band]:
    rows: list[tuple[Cell, ...]] = [(Cell("单位名称", align=Align.CENTRE), Cell(doc.org_name.strip(), span=3)),
            (Cell("通知文号", align=Align.CENTRE), Cell(doc.number.text, span=3))]
    for index, item in enumerate(doc.items, start=1):
        heading = Cell(f"整改事项{ordinal(index)}", align=Align.CENTRE, heading=True)
        rows += [(heading, Cell(item.title.strip(), span=3)),
                 (Cell("整改期限", align=Align.CENTRE), Cell(L.document_date(item.deadline)),
                  Cell("整改责任人", align=Align.CENTRE), Cell(item.responsible_person.strip())),
                 (Cell("整改措施及\n完成情况", align=Align.CENTRE), Cell(span=3, min_lines=5)),
                 (Cell("佐证材料", align=Align.CENTRE), Cell(span=3, min_lines=2))]
    rows += [(Cell("单位负责人\n（签字）", align=Align.CENTRE), Cell(), Cell("填报日期", align=Align.CENTRE),
              Cell(DATE_BLANK, align=Align.RIGHT)),
             (Cell("复查意见", align=Align.CENTRE), Cell(span=3, min_lines=3))]
    title = [line_band(line) for line in title_lines("整改反馈表")]
    return [*title, *table_bands(Table((LABEL, 8.0, 5.0, 9.0), tuple(rows), header_rows=2))]


def _row(label: str, value: str, min_lines: int = 1) -> tuple[Cell, ...]:
    align = Align.RIGHT if value == DATE_BLANK else Align.LEFT
    return Cell(label, align=Align.CENTRE), Cell(value, align=align, min_lines=min_lines)


def _kept(bands: list[Band]) -> list[Band]:
    """A table that must stay with what stands above it (the 签收栏 under the date)."""
    return [replace(b, keep_with_previous=True) for b in bands]


def _short(text: str, limit: int = 12) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
