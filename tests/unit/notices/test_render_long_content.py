"""Long content from the records flows onto further pages (an organization name of 100 characters, an item
of 5,000), and personal data typed into free text is masked on paper unless asked."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from app.services.core.database import Database
from app.services.notices import create_rectification_notice, issue_notice, render_record
from tests.unit.notices.notice_builders import ACTOR, add, org

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31

LONG_NAME = ("福州市鼓楼区" + "社区邻里互助与公益慈善志愿服务" * 7)[:96] + "促进中心"


def _text(data: bytes) -> str:
    return re.sub(r"[\s\u3000]+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_a_long_name_and_a_long_item_flow_over_pages(db: Database) -> None:
    from app.domain.enums import RectificationSource, RectificationStatus
    from app.models import Rectification, new_id

    assert len(LONG_NAME) == 100
    org_id = org(db, LONG_NAME)
    long_text = "党员名册未按规定及时更新，" * 385  # 5,005 characters
    add(db, Rectification(id=new_id(), org_id=org_id, source=RectificationSource.INSPECTION, title="党员名册未更新",
                          description=long_text, requirement="限期更新。", raised_on=date(2026, 3, 20),
                          deadline=date(2026, 4, 30), status=RectificationStatus.DRAFT))
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    issue_notice(db.session_factory, notice_id, actor=ACTOR)
    pdf = render_record(db.session_factory, kind="rectification", record_id=notice_id)
    assert pdf.pages >= 6  # 5,000 characters at 28 × 22 a page: about nine pages of 送达联
    text = _text(pdf.data)
    assert LONG_NAME in text  # whole on the 送达联 (the 存根's table cell interleaves it with its label)
    assert text.count("党员名册未按规定及时更新") >= 385 - pdf.pages  # a page break may cut one phrase
    assert "2026年4月30日" in text


def test_phones_and_id_numbers_in_free_text_are_masked_by_default(db: Database) -> None:
    from app.domain.enums import RectificationSource, RectificationStatus
    from app.models import Rectification, new_id

    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    add(db, Rectification(id=new_id(), org_id=org_id, source=RectificationSource.OTHER, title="联系人信息未更新",
                          description="原联系人王明（身份证号350102199001011234，电话13905912345）已离职。",
                          requirement="限期更新。", raised_on=date(2026, 3, 20), deadline=date(2026, 4, 30),
                          status=RectificationStatus.DRAFT))
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    issue_notice(db.session_factory, notice_id, actor=ACTOR)
    masked = _text(render_record(db.session_factory, kind="rectification", record_id=notice_id).data)
    plain = _text(render_record(db.session_factory, kind="rectification", record_id=notice_id, masked=False).data)
    assert "350102********1234" in masked and "139****2345" in masked
    assert "350102199001011234" not in masked and "13905912345" not in masked
    assert "350102199001011234" in plain and "13905912345" in plain
