"""三会一课会议记录 + 签到表 (DESIGN §2.2): a meeting as ruled forms with the GB/T 9704 margins and fonts.

The record (pages numbered from — 1 —): the title in 2号 (（草稿） for a draft), the basics — 党组织,
the organizations it covers, 会议类型, 主题, 时间, 地点, 主持人, 记录人, 应到 / 实到, 讲课人 and 课时 for a
党课, 活动形式 for a 主题党日, 列席 guests —, the attendance (序号, 姓名, 出席情况, 表决权 as it was at the
meeting, 原因/说明; its header repeated on every page), 议题, 表决情况 (each vote's tally and outcome,
an election's candidates), 决议 and 会议记录, which flows over as many pages as it needs.

The 签到表 (a new part, pages from — 1 — again): the meeting in one caption, then 序号, 姓名, 身份, a blank
签名 cell tall enough for a pen, 备注; its header on every page.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from app.services.documents import layout as L
from app.services.documents.bands import PART_BREAK, Band
from app.services.documents.content import DocumentInputError, MeetingRecordDoc, VoteDoc
from app.services.documents.fonts import DocumentFonts
from app.services.documents.official import title_lines
from app.services.documents.output import write_pdf
from app.services.documents.tables import Cell, Table, answer_cell, table_bands
from app.services.documents.typeset import Align, GridLine, RenderedPdf, line_band, render_bands

__all__ = ["meeting_record_bands", "render_meeting_record"]

CAPTION_PT = 14.0  # 4号
WIDE = (6.0, 8.0, 6.0, 8.0)


def meeting_record_bands(doc: MeetingRecordDoc) -> list[Band]:
    problems = []
    if not doc.party_org_name.strip():
        problems.append("请填写党组织名称")
    if doc.present > doc.expected:
        problems.append(f"实到人数（{doc.present}）多于应到人数（{doc.expected}）")
    if problems:
        raise DocumentInputError(problems)
    title = doc.title.strip() + ("（草稿）" if doc.draft else "")
    bands = [line_band(line) for line in title_lines(title)]
    bands += table_bands(Table(WIDE, tuple(_basics(doc))))
    if doc.attendance:
        bands.append(_caption("参会情况"))
        bands += table_bands(_attendance(doc))
    bands.append(_caption("会议内容"))
    bands += table_bands(Table((6.0, 22.0), tuple(_content(doc)), keep_with_previous=True))
    return [*bands, PART_BREAK, *_sign_in(doc)]


def render_meeting_record(doc: MeetingRecordDoc, *, out: Path | None = None,
                          fonts: DocumentFonts | None = None) -> RenderedPdf:
    """The meeting record and its 签到表 in one PDF; with ``out`` also written there.  Raises
    DocumentInputError and MissingGlyphsError.  Any thread."""
    rendered = render_bands(meeting_record_bands(doc), title=f"{doc.title.strip()} {doc.party_org_name.strip()}",
                            fonts=fonts)
    if out is not None:
        write_pdf(rendered, out)
    return rendered


def _basics(doc: MeetingRecordDoc) -> list[tuple[Cell, ...]]:
    rows: list[tuple[Cell, ...]] = [(_label("党组织"), Cell(doc.party_org_name.strip(), span=3))]
    if doc.org_names:
        rows.append((_label("所在社会组织"), Cell("、".join(n.strip() for n in doc.org_names), span=3)))
    rows += [(_label("会议类型"), Cell(doc.kind), _label("会议主题"), Cell(doc.topic.strip())),
             (_label("时间"), Cell(_time_span(doc.started_at, doc.ended_at), span=3)),
             (_label("地点"), Cell(doc.location.strip(), span=3)),
             (_label("主持人"), Cell(doc.host.strip()), _label("记录人"), Cell(doc.recorder.strip())),
             (_label("应到人数"), Cell(f"{doc.expected}人"), _label("实到人数"), Cell(f"{doc.present}人"))]
    if doc.lecturer.strip() or doc.lecture_hours is not None:
        hours = f"{doc.lecture_hours:g}课时" if doc.lecture_hours is not None else ""
        rows.append((_label("讲课人"), Cell(doc.lecturer.strip()), _label("课时"), Cell(hours)))
    if doc.activity_form.strip():
        rows.append((_label("活动形式"), Cell(doc.activity_form.strip(), span=3)))
    if doc.guests:
        guests = "；".join(f"{g.name.strip()}（{g.role}{'，' + g.unit.strip() if g.unit.strip() else ''}）"
                          for g in doc.guests)
        rows.append((_label("列席人员"), Cell(guests, span=3)))
    return rows


def _attendance(doc: MeetingRecordDoc) -> Table:
    header = (_label("序号"), _label("姓名"), _label("出席情况"), _label("表决权"), _label("原因/说明"))
    rows = [(Cell(str(i), align=Align.CENTRE), Cell(row.name.strip()), Cell(row.status, align=Align.CENTRE),
             Cell("有" if row.had_vote else "无", align=Align.CENTRE),
             Cell("；".join(t for t in (row.reason.strip(), row.vote_note.strip()) if t)))
            for i, row in enumerate(doc.attendance, start=1)]
    return Table((2.6, 6.0, 4.0, 3.4, 12.0), (header, *rows), header_rows=1, keep_with_previous=True)


def _content(doc: MeetingRecordDoc) -> list[tuple[Cell, ...]]:
    agenda = "\n".join(f"{i}. {t.strip()}" for i, t in enumerate(doc.agenda, start=1) if t.strip())
    votes = "\n".join(_vote_text(i, vote) for i, vote in enumerate(doc.votes, start=1))
    rows: list[tuple[Cell, ...]] = [(_label("议题"), answer_cell(agenda, 2))]
    if votes:
        rows.append((_label("表决情况"), Cell(votes)))
    rows += [(_label("决议"), answer_cell(doc.decisions.strip(), 2)),
             (_label("会议记录"), answer_cell(doc.minutes.strip(), 6))]
    return rows


def _vote_text(index: int, vote: VoteDoc) -> str:
    tally = "" if vote.candidates else f"赞成{vote.yes}票，反对{vote.no}票，弃权{vote.abstain}票"
    if vote.written_yes:
        tally += f"，书面意见赞成{vote.written_yes}票"
    outcome = f"结果：{vote.outcome}" if vote.outcome else ""
    said = "。".join(part for part in (vote.motion.strip(), tally, outcome) if part)
    lines = [f"{index}. {vote.kind}：{said}。"]
    lines += [f"　候选人{c.name.strip()}：得票{c.yes_votes}票" + (f"，{c.outcome}" if c.outcome else "")
              for c in vote.candidates]
    return "\n".join(lines)


def _sign_in(doc: MeetingRecordDoc) -> list[Band]:
    bands = [line_band(line) for line in title_lines("签到表")]
    captions = (f"党组织：{doc.party_org_name.strip()}",
                f"会议：{doc.kind}　时间：{_time_span(doc.started_at, doc.ended_at)}", f"地点：{doc.location.strip()}")
    width = L.TYPE_WIDTH_MM / (12.0 * L.MM_PER_PT)
    bands += [line_band(GridLine(part, size_pt=12.0), pitch_mm=7.0)
              for caption in captions for part in L.break_lines(caption, width=width, indent=0)]
    bands.append(line_band(GridLine(), pitch_mm=3.0))
    header = (_label("序号"), _label("姓名"), _label("身份"), _label("签名"), _label("备注"))
    rows = [(Cell(str(i), align=Align.CENTRE), Cell(row.name.strip(), align=Align.CENTRE),
             Cell(row.category.strip(), align=Align.CENTRE), Cell(min_lines=2),
             Cell(row.note.strip(), align=Align.CENTRE))
            for i, row in enumerate(doc.sign_in, start=1)]
    return [*bands, *table_bands(Table((2.6, 5.4, 5.0, 8.0, 7.0), (header, *rows), header_rows=1))]


def _time_span(start: datetime, end: datetime | None) -> str:
    text = f"{L.document_date(start.date())} {start.hour}:{start.minute:02d}"
    if end is None:
        return text
    if end.date() != start.date():
        return f"{text}—{L.document_date(end.date())} {end.hour}:{end.minute:02d}"
    return f"{text}—{end.hour}:{end.minute:02d}"


def _label(text: str) -> Cell:
    return Cell(text, align=Align.CENTRE, heading=True)


def _caption(text: str) -> Band:
    return line_band(GridLine(text, size_pt=CAPTION_PT, heading=True))
