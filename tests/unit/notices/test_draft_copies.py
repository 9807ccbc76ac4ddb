"""A 草稿 previews as a check copy: （签发时编号）, 草稿 on every page, no number ever taken; 签发 afterwards
numbers it as before.  A 作废 notice previews marked 作废.  Neither print is noted as a print of the issued
document.  删除草稿: a tombstone through the outbox, its items free again."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.domain.enums import NoticeStatus
from app.models import Notice, NoticePrint, OutboxEntry, Rectification, Visit
from app.services.core.database import Database
from app.services.core.errors import NotFoundError, ServiceError
from app.services.notices import (
    create_rectification_notice,
    create_visit_notice,
    delete_notice_draft,
    issue_notice,
    load_notice,
    record_print,
    render_record,
    void_notice,
)
from app.services.notices.candidates import free_items_of, planned_visits
from tests.unit.notices.notice_builders import ACTOR, item, org, visit

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31
NAME = "福州市鼓楼区阳光社工服务中心"


def pages_text(data: bytes) -> list[str]:
    return [re.sub(r"[\s\u3000]+", "", page.extract_text()) for page in PdfReader(io.BytesIO(data)).pages]


def numbering_state(db: Database) -> list[tuple[object, ...]]:
    with db.session_factory() as session:
        return [tuple(row) for row in session.execute(select(Notice.id, Notice.provisional_seq, Notice.confirmed_seq,
                                                             Notice.status))]


def test_a_draft_previews_marked_on_every_page_with_no_number(db: Database) -> None:
    org_id = org(db, NAME)
    item(db, org_id, "三会一课记录不全")
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    before = numbering_state(db)
    pdf = render_record(db.session_factory, kind="rectification", record_id=notice_id)
    again = render_record(db.session_factory, kind="rectification", record_id=notice_id)
    assert numbering_state(db) == before, "a preview allocates nothing"
    pages = pages_text(pdf.data)
    assert pdf.pages == len(pages) >= 3  # 存根, 送达联, 整改反馈表
    assert all("草稿：此件仅供核对" in page for page in pages)
    text = "".join(pages)
    assert "（签发时编号）" in text and "三会一课记录不全" in text and "2026年3月31日" in text
    assert "〔" not in text and "临" not in text and "社党整改" not in text  # no number, not even a provisional one
    assert again.sha256 == pdf.sha256  # a check copy of an unchanged draft is the same
    assert record_print(db.session_factory, notice_id, pdf, actor=ACTOR) is None
    assert load_notice(db.session_factory, notice_id).prints == ()

    issued = issue_notice(db.session_factory, notice_id, actor=ACTOR)
    number = issued.number.removesuffix("（临时编号）")
    assert number.startswith("社党整改〔2026〕临") and re.search(r"\D1号$", number), "the first of the series"
    final = "".join(pages_text(render_record(db.session_factory, kind="rectification", record_id=notice_id).data))
    assert number in final and "草稿" not in final and "签发时编号" not in final
    assert record_print(db.session_factory, notice_id, pdf, actor=ACTOR) is not None


def test_previews_of_many_drafts_leave_the_series_as_it_was(db: Database) -> None:
    orgs = [org(db, f"福州市鼓楼区第{n}社工服务中心") for n in range(3)]
    drafts = []
    for org_id in orgs:
        item(db, org_id, "党建入章未完成")
        drafts.append(create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR))
    for notice_id in drafts:
        render_record(db.session_factory, kind="rectification", record_id=notice_id)
    numbers = [issue_notice(db.session_factory, notice_id, actor=ACTOR).number for notice_id in drafts[::-1]]
    assert [re.findall(r"(\d+)号", n)[-1] for n in numbers] == ["1", "2", "3"]


def test_a_void_notice_previews_marked_void_and_its_prints_are_not_noted(db: Database) -> None:
    org_id = org(db, NAME)
    visit_id = visit(db, org_id)
    notice_id = create_visit_notice(db.session_factory, visit_id=visit_id, actor=ACTOR)
    number = issue_notice(db.session_factory, notice_id, actor=ACTOR).number.removesuffix("（临时编号）")
    void_notice(db.session_factory, notice_id, reason="走访改期", actor=ACTOR)
    pdf = render_record(db.session_factory, kind="visit", record_id=notice_id)
    pages = pages_text(pdf.data)
    assert all("作废：此件仅供核对" in page for page in pages) and number in "".join(pages)
    assert record_print(db.session_factory, notice_id, pdf, actor=ACTOR) is None


def test_delete_draft_tombstones_it_and_frees_its_items(db: Database) -> None:
    org_id = org(db, NAME)
    item_id = item(db, org_id, "三会一课记录不全")
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    assert free_items_of(db.session_factory, org_id) == ()
    delete_notice_draft(db.session_factory, notice_id, actor=ACTOR)
    with db.session_factory() as session:
        notice = session.get(Notice, notice_id)
        assert notice is not None and notice.deleted_at is not None
        entry = session.scalars(select(OutboxEntry).where(OutboxEntry.record_id == notice_id)
                                .order_by(OutboxEntry.seq.desc())).first()
        assert entry is not None and entry.op.value.lower() == "delete"
        linked = session.get(Rectification, item_id)
        assert linked is not None and linked.notice_id is None
        assert session.scalars(select(NoticePrint)).all() == []
    assert [i.id for i in free_items_of(db.session_factory, org_id)] == [item_id]
    with pytest.raises(NotFoundError):
        load_notice(db.session_factory, notice_id)
    with pytest.raises(NotFoundError):
        delete_notice_draft(db.session_factory, notice_id, actor=ACTOR)


def test_delete_draft_frees_the_visit_and_refuses_an_issued_notice(db: Database) -> None:
    org_id = org(db, NAME)
    visit_id = visit(db, org_id)
    draft = create_visit_notice(db.session_factory, visit_id=visit_id, actor=ACTOR)
    delete_notice_draft(db.session_factory, draft, actor=ACTOR)
    with db.session_factory() as session:
        found = session.get(Visit, visit_id)
        assert found is not None and found.notice_id is None
    assert visit_id in [v.id for v in planned_visits(db.session_factory)]
    issued = create_visit_notice(db.session_factory, visit_id=visit_id, actor=ACTOR)
    issue_notice(db.session_factory, issued, actor=ACTOR)
    with pytest.raises(ServiceError, match="不能删除；如内容有误，请作废"):
        delete_notice_draft(db.session_factory, issued, actor=ACTOR)
    assert load_notice(db.session_factory, issued).row.status is NoticeStatus.ISSUED


def test_a_visit_notice_draft_previews_marked_with_no_number(db: Database) -> None:
    notice_id = create_visit_notice(db.session_factory, visit_id=visit(db, org(db, NAME)), actor=ACTOR)
    before = numbering_state(db)
    pages = pages_text(render_record(db.session_factory, kind="visit", record_id=notice_id).data)
    assert numbering_state(db) == before
    assert all("草稿：此件仅供核对" in page for page in pages)
    assert "（签发时编号）" in pages[0] and "〔" not in "".join(pages)
