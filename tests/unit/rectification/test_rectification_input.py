"""Bad input, each a clear Chinese message beside its field, nothing saved; edits only while 草稿."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationSource
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.rectification import (
    append_follow_up,
    check_item,
    create_item,
    delete_item,
    list_items,
    load_item,
    update_item,
)
from tests.rectification_data import ACTOR, counts, item_input
from tests.unit.rectification.test_rectification_transitions import PATH, advance


def refused(db: Database, org: str, **changes: object) -> dict[str, str]:
    data = item_input(org, **changes)
    before = counts(db)
    with pytest.raises(ValidationFailed) as failed:
        create_item(db.session_factory, data, actor=ACTOR)
    assert counts(db) == before and list_items(db.session_factory).total == 0
    assert check_item(db.session_factory, data) == failed.value.problems  # the live check says the same
    return failed.value.problems


def test_deadline_before_the_raised_date(db: Database, org: str, today: Callable[[date], None]) -> None:
    problems = refused(db, org, raised_on=date(2026, 3, 5), deadline=date(2026, 3, 4))
    assert problems == {"deadline": "整改期限 2026年3月4日 早于提出日期 2026年3月5日，请改为提出日期当天或以后"}


def test_empty_problem_and_requirement(db: Database, org: str, today: Callable[[date], None]) -> None:
    problems = refused(db, org, title="  ", requirement="")
    assert problems["title"].startswith("请填写存在的问题")
    assert problems["requirement"] == "请填写整改要求（要求组织做到什么）"


def test_no_organization_and_future_raised_date(db: Database, org: str, today: Callable[[date], None]) -> None:
    problems = refused(db, "", raised_on=date(2026, 3, 11), deadline=date(2026, 4, 1))
    assert problems == {"org_id": "请选择整改事项所属的社会组织",
                        "raised_on": "提出日期 2026年3月11日 晚于今天，请核对"}


def test_a_visit_item_needs_its_visit(db: Database, org: str, today: Callable[[date], None]) -> None:
    problems = refused(db, org, source=RectificationSource.VISIT)
    assert problems["source"].startswith("来源为走访的整改事项应从走访记录的“发现问题”生成")


def test_a_title_too_long_is_said(db: Database, org: str, today: Callable[[date], None]) -> None:
    assert refused(db, org, title="问" * 201)["title"] == (
        "存在问题（标题）最多 200 个字，现在有 201 个字：详细内容请写在下面")


def test_issue_with_the_deadline_before_the_issue_day(db: Database, make_item: Callable[..., str],
                                                      today: Callable[[date], None]) -> None:
    item_id = make_item(deadline=date(2026, 3, 5))
    before = counts(db)
    with pytest.raises(ValidationFailed) as failed:
        append_follow_up(db.session_factory, item_id, kind=Kind.ISSUE, on_date=date(2026, 3, 10), actor=ACTOR)
    assert failed.value.problems == {"deadline": "整改期限 2026年3月5日 早于签发日期 2026年3月10日："
                                                 "请先把草稿的整改期限改到签发日期当天或以后"}
    assert counts(db) == before


def test_extension_needs_a_reason_and_a_later_deadline(db: Database, make_item: Callable[..., str],
                                                       today: Callable[[date], None]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:2])
    before = counts(db)
    with pytest.raises(ValidationFailed) as failed:
        append_follow_up(db.session_factory, item_id, kind=Kind.EXTEND, on_date=date(2026, 3, 10),
                         new_deadline=date(2026, 3, 31), note=" ", actor=ACTOR)
    assert failed.value.problems == {
        "new_deadline": "延期后的期限应晚于现在的整改期限 2026年3月31日，不能是 2026年3月31日",
        "note": "请填写延期理由"}
    with pytest.raises(ValidationFailed) as failed:
        append_follow_up(db.session_factory, item_id, kind=Kind.EXTEND, on_date=date(2026, 3, 10), note="理由",
                         actor=ACTOR)
    assert failed.value.problems == {"new_deadline": "请填写延期后的整改期限"}
    assert counts(db) == before


def test_follow_up_days(db: Database, make_item: Callable[..., str], today: Callable[[date], None]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:1])  # 签发 on 3月10日
    for day, message in ((date(2026, 3, 11), "签收日期 2026年3月11日 晚于今天（2026年3月10日），请核对"),
                         (date(2026, 3, 1), "签收日期 2026年3月1日 早于整改事项的提出日期 2026年3月2日，请核对"),
                         (date(2026, 3, 9), "签收日期 2026年3月9日 早于上一步的日期 2026年3月10日，请核对")):
        with pytest.raises(ValidationFailed) as failed:
            append_follow_up(db.session_factory, item_id, kind=Kind.ACKNOWLEDGE, on_date=day, actor=ACTOR)
        assert failed.value.problems == {"on_date": message}


def test_texts_a_step_needs(db: Database, make_item: Callable[..., str], today: Callable[[date], None]) -> None:
    item_id = make_item()
    with pytest.raises(ValidationFailed) as failed:
        append_follow_up(db.session_factory, item_id, kind=Kind.NOTE, on_date=date(2026, 3, 10), actor=ACTOR)
    assert failed.value.problems == {"note": "请填写备注内容"}
    advance(db, item_id, PATH[:3])
    with pytest.raises(ValidationFailed) as failed:
        append_follow_up(db.session_factory, item_id, kind=Kind.REPORT, on_date=date(2026, 3, 10), actor=ACTOR)
    assert failed.value.problems == {"note": "请填写整改情况（组织反馈了什么、做了哪些整改）"}


def test_edit_and_delete_only_while_draft(db: Database, make_item: Callable[..., str], org: str,
                                          today: Callable[[date], None]) -> None:
    item_id = make_item()
    detail = load_item(db.session_factory, item_id)
    assert detail.editable
    update_item(db.session_factory, item_id, item_input(org, title="  未按期召开党员大会 "), actor=ACTOR,
                expected_updated_at=detail.updated_at)
    assert load_item(db.session_factory, item_id).data.title == "未按期召开党员大会"
    advance(db, item_id, PATH[:1])
    before = counts(db)
    for attempt in (lambda: update_item(db.session_factory, item_id, item_input(org), actor=ACTOR),
                    lambda: delete_item(db.session_factory, item_id, actor=ACTOR)):
        with pytest.raises(ValidationFailed) as failed:
            attempt()
        assert failed.value.problems["status"].startswith("整改事项已「已签发」，不能")
    assert counts(db) == before
    assert load_item(db.session_factory, item_id).data.title == "未按期召开党员大会"


def test_delete_a_draft(db: Database, make_item: Callable[..., str], today: Callable[[date], None]) -> None:
    item_id = make_item()
    delete_item(db.session_factory, item_id, actor=ACTOR)
    assert list_items(db.session_factory).total == 0
