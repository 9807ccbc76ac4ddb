"""Overdue on civil dates from the deadline in force (DESIGN §2.1): the deadline day is in time, the next
day is overdue; a 延期 moves it back in time until the new deadline passes; a failed re-check is open and
overdue again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationSource
from app.domain.enums import RectificationStatus as Status
from app.services.core.database import Database
from app.services.rectification import append_follow_up, create_item, list_items, load_item
from tests.rectification_data import ACTOR, DEADLINE, add_org, item_input
from tests.unit.rectification.test_rectification_transitions import PATH, advance


def overdue_days(db: Database, item_id: str) -> tuple[int, int]:
    """(days overdue in the detail, in the list) as of the clock's today."""
    detail = load_item(db.session_factory, item_id)
    (row,) = list_items(db.session_factory).rows
    return detail.overdue_days, row.overdue_days


def test_deadline_day_in_time_next_day_overdue(db: Database, make_item: Callable[..., str],
                                               today: Callable[[date], None]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:2])  # 已签收
    today(DEADLINE)
    assert overdue_days(db, item_id) == (0, 0)
    assert list_items(db.session_factory, overdue_only=True).rows == ()
    today(date(2026, 4, 1))
    assert overdue_days(db, item_id) == (1, 1)
    assert [r.id for r in list_items(db.session_factory, overdue_only=True).rows] == [item_id]
    today(date(2026, 4, 10))
    assert overdue_days(db, item_id) == (10, 10)


def test_a_draft_is_never_overdue(db: Database, make_item: Callable[..., str], today: Callable[[date], None]) -> None:
    item_id = make_item()
    today(date(2026, 5, 1))
    assert overdue_days(db, item_id) == (0, 0)


def test_an_extension_brings_it_back_in_time_until_the_new_deadline(
        db: Database, make_item: Callable[..., str], today: Callable[[date], None]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH[:3])  # 整改中
    today(date(2026, 4, 3))
    assert overdue_days(db, item_id) == (3, 3)
    append_follow_up(db.session_factory, item_id, kind=Kind.EXTEND, on_date=date(2026, 4, 3),
                     new_deadline=date(2026, 4, 20), note="组织换届，会议推迟", actor="u:李娟")
    detail = load_item(db.session_factory, item_id)
    assert detail.deadline_in_force == date(2026, 4, 20) and detail.data.deadline == DEADLINE  # the original kept
    (extension,) = detail.extensions
    assert (extension.new_deadline, extension.on_date, extension.actor, extension.note) == (
        date(2026, 4, 20), date(2026, 4, 3), "u:李娟", "组织换届，会议推迟")
    assert detail.status is Status.IN_PROGRESS
    assert overdue_days(db, item_id) == (0, 0)
    assert list_items(db.session_factory).rows[0].extended
    today(date(2026, 4, 20))
    assert overdue_days(db, item_id) == (0, 0)
    today(date(2026, 4, 21))
    assert overdue_days(db, item_id) == (1, 1)


def test_a_failed_recheck_is_open_and_overdue_again(db: Database, make_item: Callable[..., str],
                                                    today: Callable[[date], None]) -> None:
    item_id = make_item()
    advance(db, item_id, PATH)  # 已反馈 on 3月10日
    today(date(2026, 4, 5))
    assert overdue_days(db, item_id) == (0, 0)  # reported: the organization has done its part
    append_follow_up(db.session_factory, item_id, kind=Kind.REVIEW_FAIL, on_date=date(2026, 4, 5),
                     note="会议记录缺少表决情况", actor=ACTOR)
    detail = load_item(db.session_factory, item_id)
    assert detail.status is Status.REVIEW_FAILED and detail.overdue_days == 5
    assert Kind.START in detail.allowed_kinds and Kind.EXTEND in detail.allowed_kinds
    assert [r.id for r in list_items(db.session_factory, overdue_only=True).rows] == [item_id]
    append_follow_up(db.session_factory, item_id, kind=Kind.START, on_date=date(2026, 4, 5), actor=ACTOR)
    assert overdue_days(db, item_id) == (5, 5)  # 整改中 again, still past the deadline


def test_list_filters(db: Database, make_item: Callable[..., str], org: str, today: Callable[[date], None]) -> None:
    late = make_item(title="党建工作经费未列入年度预算")
    advance(db, late, PATH[:1])
    other_org = add_org(db, "东街社区文体协会")
    yearly = create_item(db.session_factory, item_input(other_org, source=RectificationSource.ANNUAL_CHECK,
                                                        title="年检材料未报送"), actor=ACTOR)
    today(date(2026, 4, 2))
    every = list_items(db.session_factory)
    assert [r.id for r in every.rows] == [late, yearly] and every.overdue == 1  # overdue first
    assert [r.id for r in list_items(db.session_factory, org_id=other_org).rows] == [yearly]
    assert [r.id for r in list_items(db.session_factory, source=RectificationSource.ANNUAL_CHECK).rows] == [yearly]
    assert [r.id for r in list_items(db.session_factory, status=Status.ISSUED).rows] == [late]
    assert [r.id for r in list_items(db.session_factory, search="文体").rows] == [yearly]  # the organization
    assert [r.id for r in list_items(db.session_factory, search="经费").rows] == [late]
    assert list_items(db.session_factory, search="经费", org_id=other_org).rows == ()
