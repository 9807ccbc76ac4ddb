"""机关代字 per series: defaults, saved as a whole after validation, kept on this device."""

from __future__ import annotations

import pytest

from app.domain.doc_numbers import series_problem
from app.domain.enums import NoticeKind
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.notices.settings import (
    DEFAULT_ISSUER,
    DEFAULT_SERIES,
    SeriesSettings,
    load_series_settings,
    save_series_settings,
)


def test_defaults_until_saved_then_what_was_saved(db: Database) -> None:
    loaded = load_series_settings(db.session_factory)
    assert loaded.series == DEFAULT_SERIES and loaded.issuer == DEFAULT_ISSUER
    wanted = SeriesSettings({**DEFAULT_SERIES, NoticeKind.RECTIFICATION_NOTICE: " 鼓民社党 "}, "鼓楼区社会组织党委",
                            " 王建国 ", "0591 8765 4321")
    save_series_settings(db.session_factory, wanted)
    again = load_series_settings(db.session_factory)
    assert again.of(NoticeKind.RECTIFICATION_NOTICE) == "鼓民社党"
    assert again.of(NoticeKind.VISIT_NOTICE) == DEFAULT_SERIES[NoticeKind.VISIT_NOTICE]
    assert again.issuer == "鼓楼区社会组织党委"
    assert (again.instructor_name, again.instructor_phone) == ("王建国", "0591 8765 4321")


@pytest.mark.parametrize(("prefix", "says"), [
    ("", "不能为空"), ("鼓民〔社党", "不能有括号"), ("鼓民[社党]", "不能有括号"), ("社党2", "不能以数字结尾"),
    ("社党２", "不能以数字结尾"), ("社党三", "不能以数字结尾"), ("社 党", "不能有空格"),
    ("一二三四五六七八九十甲", "最多 10 个字"),
])
def test_a_bad_prefix_is_refused_saying_why(prefix: str, says: str) -> None:
    problem = series_problem(prefix)
    assert problem is not None and says in problem


def test_good_prefixes_pass() -> None:
    assert series_problem("鼓民社党") is None
    assert series_problem("社党2号楼函") is None  # a digit inside is fine, only not at the end
    assert series_problem("一二三四五六七八九函") is None  # ten characters


def test_nothing_is_saved_when_one_field_is_wrong(db: Database) -> None:
    bad = SeriesSettings({**DEFAULT_SERIES, NoticeKind.VISIT_NOTICE: "走访1"}, "")
    with pytest.raises(ValidationFailed) as raised:
        save_series_settings(db.session_factory, SeriesSettings({NoticeKind.RECTIFICATION_NOTICE: "鼓民社党",
                                                                **bad.series}, "", "", "电话"))
    assert set(raised.value.problems) == {NoticeKind.VISIT_NOTICE.value, "issuer", "instructor_name",
                                          "instructor_phone"}
    assert "走访通知" in raised.value.problems[NoticeKind.VISIT_NOTICE.value]
    assert load_series_settings(db.session_factory).series == DEFAULT_SERIES


@pytest.mark.usefixtures("frozen_clock")
def test_documents_never_print_the_local_placeholder(db: Database) -> None:
    """签发 and printing are refused, saying where to fill the name in, until the instructor is named."""
    import app.services.notices as notices
    from app.services.notices.notice_docs import notice_doc
    from app.services.notices.settings import INSTRUCTOR_NOT_SET, InstructorNotSet, store_instructor_in
    from app.services.orgs.assignments import LOCAL_INSTRUCTOR_NAME
    from tests.unit.notices.notice_builders import ACTOR, item, org

    elders = org(db, "福州市鼓楼区温泉街道老年人协会")
    item(db, elders, "三会一课记录不全")
    notice_id = notices.create_rectification_notice(db.session_factory, org_id=elders, actor=ACTOR)
    with db.session_factory.begin() as session:
        store_instructor_in(session, "")
    with pytest.raises(InstructorNotSet) as raised:
        notices.issue_notice(db.session_factory, notice_id, actor=ACTOR)
    assert "文书设置" in str(raised.value) and str(raised.value) == INSTRUCTOR_NOT_SET
    with db.session_factory.begin() as session:
        store_instructor_in(session, "王建国", "13912345678")
    notices.issue_notice(db.session_factory, notice_id, actor=ACTOR)
    with db.session_factory() as session:
        doc = notice_doc(session, notice_id)
        assert doc.contact.startswith("王建国 139") and "5678" in doc.contact and "12345678" not in doc.contact
        assert LOCAL_INSTRUCTOR_NAME not in repr(doc)
    with db.session_factory.begin() as session:
        store_instructor_in(session, "")
    with db.session_factory() as session, pytest.raises(InstructorNotSet):
        notice_doc(session, notice_id)
