"""Documents from records on a demo database: every kind renders, the extracted text holds what the record
says (organization, number, items, deadlines), personal data masked by default, reprints identical (same
SHA-256, noted with each print), a month's batch with progress and cancel."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app import paths
from app.demo.data import seed_demo
from app.domain.date_text import chinese_date
from app.domain.enums import NoticeKind, NoticeStatus
from app.models import Meeting, Notice, NoticePrint, PartyOrg, Rectification, SocialOrg, Visit
from app.services.core.database import Database, open_database
from app.services.core.errors import NotFoundError, ServiceError
from app.services.notices import (
    latest_record_id,
    list_notices,
    load_notice,
    record_print,
    render_month_batch,
    render_record,
)
from app.services.notices.render import RECORD_KINDS, resolve_record_id
from app.services.notices.subjects import deadlines_in_force

TODAY = date(2026, 11, 21)


def pdf_text(data: bytes) -> str:
    """The PDF's text with every space and line break removed (lines wrap anywhere in Chinese)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"[\s\u3000]+", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"[\s\u3000]+", "", text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    home = tmp_path_factory.mktemp("notices-demo")
    with paths.temporary_home(home):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        seed_demo(database.session_factory, orgs=80, years=1, seed=11, today=TODAY, me="local")
    yield database
    database.close()


def test_every_kind_has_a_latest_record_and_renders(demo: Database) -> None:
    for kind in RECORD_KINDS:
        record_id = latest_record_id(demo.session_factory, kind)
        assert record_id is not None, kind
        pdf = render_record(demo.session_factory, kind=kind, record_id=record_id)
        assert pdf.data.startswith(b"%PDF") and pdf.pages >= 1, kind


def test_a_rectification_notice_says_who_what_and_by_when(demo: Database) -> None:
    notice_id = latest_record_id(demo.session_factory, "rectification")
    assert notice_id is not None
    detail = load_notice(demo.session_factory, notice_id)
    text = pdf_text(render_record(demo.session_factory, kind="rectification", record_id=notice_id).data)
    assert squeeze(detail.row.org_name) in text and squeeze(detail.row.number) in text
    assert detail.items
    with demo.session_factory() as session:  # the deadlines as they stood at 签发 (later 延期 are not on it)
        items = session.scalars(select(Rectification).where(Rectification.notice_id == notice_id)).all()
        as_issued = deadlines_in_force(session, items, as_issued=True)
    for item in detail.items:
        assert squeeze(item.title) in text and chinese_date(as_issued[item.id]) in text


@pytest.mark.parametrize("kind", ["visit", "reminder"])
def test_a_visit_notice_and_a_reminder_letter_carry_their_number_and_addressee(demo: Database, kind: str) -> None:
    notice_id = latest_record_id(demo.session_factory, kind)
    assert notice_id is not None
    detail = load_notice(demo.session_factory, notice_id)
    text = pdf_text(render_record(demo.session_factory, kind=kind, record_id=notice_id).data)
    assert squeeze(detail.row.number) in text and squeeze(detail.addressee) in text
    if detail.row.provisional:
        assert "临时编号" in text


def test_a_visit_record_and_a_meeting_record_name_their_subject(demo: Database) -> None:
    visit_id = latest_record_id(demo.session_factory, "visit-record")
    meeting_id = latest_record_id(demo.session_factory, "meeting")
    with demo.session_factory() as session:
        visit = session.get(Visit, visit_id)
        meeting = session.get(Meeting, meeting_id)
        assert visit is not None and meeting is not None
        org_name = session.execute(select(SocialOrg.name).where(SocialOrg.id == visit.org_id)).scalar_one()
        party_name = session.execute(select(PartyOrg.name).where(PartyOrg.id == meeting.party_org_id)).scalar_one()
    text = pdf_text(render_record(demo.session_factory, kind="visit-record", record_id=str(visit_id)).data)
    assert squeeze(org_name) in text and chinese_date(visit.visited_on) in text
    text = pdf_text(render_record(demo.session_factory, kind="meeting", record_id=str(meeting_id)).data)
    assert squeeze(party_name) in text and "签到" in text


def test_phones_are_masked_unless_asked(demo: Database) -> None:
    notice_id = latest_record_id(demo.session_factory, "visit")
    assert notice_id is not None
    masked = pdf_text(render_record(demo.session_factory, kind="visit", record_id=notice_id).data)
    plain = pdf_text(render_record(demo.session_factory, kind="visit", record_id=notice_id, masked=False).data)
    phones = re.findall(r"1[3-9]\d{9}", plain)
    assert phones, "the instructor's phone is the notice's contact"
    assert not re.findall(r"1[3-9]\d{9}", masked) and re.search(r"1[3-9]\d\*{4}\d{4}", masked)


def test_a_reprint_is_byte_identical_and_each_print_is_noted(demo: Database) -> None:
    notice_id = latest_record_id(demo.session_factory, "rectification")
    assert notice_id is not None
    first = render_record(demo.session_factory, kind="rectification", record_id=notice_id)
    again = render_record(demo.session_factory, kind="rectification", record_id=notice_id)
    assert first.data == again.data and first.sha256 == again.sha256
    before = len(load_notice(demo.session_factory, notice_id).prints)
    noted = record_print(demo.session_factory, notice_id, first, actor="u:test")
    record_print(demo.session_factory, notice_id, again, actor="u:test")
    prints = load_notice(demo.session_factory, notice_id).prints
    assert len(prints) == before + 2 and {p.sha256 for p in prints[-2:]} == {first.sha256}
    assert noted.pages == first.pages and noted.masked
    with demo.session_factory() as session:
        assert session.scalars(select(NoticePrint.sha256).where(NoticePrint.notice_id == notice_id)).all()


def test_what_cannot_be_printed_says_why(demo: Database) -> None:
    with pytest.raises(NotFoundError, match="找不到该通知"):
        render_record(demo.session_factory, kind="rectification", record_id="nope")
    with pytest.raises(NotFoundError, match="找不到该会议记录"):
        render_record(demo.session_factory, kind="meeting", record_id="nope")
    with pytest.raises(ServiceError, match="不认识的文书种类"):
        render_record(demo.session_factory, kind="letter", record_id="x")
    reminder = latest_record_id(demo.session_factory, "reminder")
    assert reminder is not None
    with pytest.raises(ServiceError, match="该通知是提醒函，不是整改通知书"):
        render_record(demo.session_factory, kind="rectification", record_id=reminder)
    void = list_notices(demo.session_factory, status=NoticeStatus.VOID)
    assert void, "the demo has a 作废 notice"
    kind = {NoticeKind.RECTIFICATION_NOTICE: "rectification", NoticeKind.VISIT_NOTICE: "visit",
            NoticeKind.REMINDER_LETTER: "reminder"}[void[0].kind]
    with pytest.raises(ServiceError, match="已作废，所列整改事项已列入其他通知书"):  # the demo's was reissued
        render_record(demo.session_factory, kind=kind, record_id=void[0].id)


def test_a_month_batch_joins_the_months_notices_with_progress(demo: Database) -> None:
    month = [n for n in list_notices(demo.session_factory, year=2026, month=10) if n.status is not NoticeStatus.VOID]
    assert month, "notices were issued in October 2026"
    seen: list[tuple[str, int, int]] = []
    result = render_month_batch(demo.session_factory, year=2026, month=10,
                                progress=lambda stage, done, total: seen.append((stage, done, total)))
    assert result.pdf is not None and not result.cancelled and result.total == len(month)
    assert set(result.notice_ids) == {n.id for n in month} and len(result.notice_ids) == len(month)
    singles = [render_record(demo.session_factory, kind=_KIND[n.kind], record_id=n.id) for n in month]
    assert result.pdf.pages == sum(pdf.pages for pdf in singles)  # each from a new page
    assert seen[0] == ("读取通知", 0, len(month)) and seen[-1] == ("完成", 1, 1)
    assert any(stage == "生成 PDF" for stage, _done, _total in seen)
    text = pdf_text(result.pdf.data)
    assert all(squeeze(n.number) in text for n in month)
    again = render_month_batch(demo.session_factory, year=2026, month=10)
    assert again.pdf is not None and again.pdf.sha256 == result.pdf.sha256


def test_a_cancelled_batch_stops_and_says_what_was_done(demo: Database) -> None:
    calls = iter(range(1000))
    result = render_month_batch(demo.session_factory, year=2026, month=10, is_cancelled=lambda: next(calls) >= 2)
    assert result.cancelled and result.pdf is None and result.done == 2 and not result.notice_ids
    assert "已取消" in result.message and "已读取 2 份" in result.message and "没有生成文件" in result.message
    pages = iter(range(1000))
    late = render_month_batch(demo.session_factory, year=2026, month=10,
                              is_cancelled=lambda: next(pages) > result.total + 1)  # while setting pages
    assert late.cancelled and late.pdf is None and late.done == late.total
    with pytest.raises(ServiceError, match="2024年2月没有签发的通知"):  # before the demo's history
        render_month_batch(demo.session_factory, year=2024, month=2)


_KIND = {NoticeKind.RECTIFICATION_NOTICE: "rectification", NoticeKind.VISIT_NOTICE: "visit",
         NoticeKind.REMINDER_LETTER: "reminder"}


def test_the_demo_has_notices_in_every_shape(demo: Database) -> None:
    with demo.session_factory() as session:
        rows = session.scalars(select(Notice)).all()
    kinds = {n.kind for n in rows}
    assert kinds == set(NoticeKind)
    assert any(n.confirmed_seq is not None for n in rows) and any(n.confirmed_seq is None for n in rows)
    void = [n for n in rows if n.status is NoticeStatus.VOID]
    assert len(void) == 1 and void[0].void_reason
    assert any(n.signed_on and n.signed_by and n.delivered_on for n in rows)



def test_a_notice_is_found_by_its_number_as_typed(demo: Database) -> None:
    rows = [n for n in list_notices(demo.session_factory, kind=NoticeKind.RECTIFICATION_NOTICE)
            if n.status is not NoticeStatus.VOID]
    confirmed = next(n for n in rows if not n.provisional)
    typed = confirmed.number.replace("〔", "[").replace("〕", "]")  # the square brackets people type
    by_number = render_record(demo.session_factory, kind="rectification", record_id=typed)
    assert by_number.sha256 == render_record(demo.session_factory, kind="rectification", record_id=confirmed.id).sha256
    assert resolve_record_id(demo.session_factory, kind="rectification", record_id=typed) == confirmed.id
    provisional = next(n for n in list_notices(demo.session_factory) if n.provisional)
    kind = _KIND[provisional.kind]
    assert resolve_record_id(demo.session_factory, kind=kind,
                             record_id=provisional.number.removesuffix("（临时编号）")) == provisional.id
    with pytest.raises(NotFoundError, match="没有文号为“社党整改〔2026〕999号”的整改通知书"):
        render_record(demo.session_factory, kind="rectification", record_id="社党整改〔2026〕999号")
    with pytest.raises(ServiceError, match="序号前不加“第”"):
        render_record(demo.session_factory, kind="rectification", record_id="社党整改〔2026〕第7号")
