"""The notice lifecycle: create from the records, 签发 (number, the items' 签发), 送达, 签收 (the items' 签收),
作废 (reason; items free again); every refusal with its message."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import NoticeKind, NoticeStatus, RectificationFollowUpKind, RectificationStatus
from app.models import Notice, Rectification, RectificationFollowUp
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.errors import NotFoundError, ServiceError, ValidationFailed
from app.services.notices import (
    NoticeStateError,
    create_rectification_notice,
    deliver_notice,
    edit_notice_draft,
    issue_notice,
    list_notices,
    load_notice,
    sign_notice,
    void_notice,
)
from tests.unit.notices.notice_builders import ACTOR, item, org

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31
NAME = "福州市鼓楼区阳光社工服务中心"


def _status(db: Database, item_id: str) -> RectificationStatus:
    with db.session_factory() as session:
        row = session.get(Rectification, item_id)
        assert row is not None
        return row.status


def _kinds(db: Database, item_id: str) -> list[RectificationFollowUpKind]:
    with db.session_factory() as session:
        return list(session.scalars(select(RectificationFollowUp.kind).where(
            RectificationFollowUp.rectification_id == item_id).order_by(RectificationFollowUp.at)))


def test_a_rectification_notice_through_every_step(db: Database) -> None:
    org_id = org(db, NAME)
    first, second = item(db, org_id, "未按期召开支部党员大会"), item(db, org_id, "党建入章未完成")
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    draft = load_notice(db.session_factory, notice_id)
    assert draft.row.status is NoticeStatus.DRAFT and draft.row.number == "（未签发，无文号）"
    assert [i.id for i in draft.items] == [first, second] and draft.addressee == NAME
    issued = issue_notice(db.session_factory, notice_id, on_date=date(2026, 3, 30), actor=ACTOR)
    assert issued.status is NoticeStatus.ISSUED and issued.provisional and issued.issued_on == date(2026, 3, 30)
    assert issued.number.startswith("社党整改〔2026〕临") and issued.number.endswith("-1号（临时编号）")
    assert _status(db, first) is RectificationStatus.ISSUED and _kinds(db, first)[-1] is RectificationFollowUpKind.ISSUE
    delivered = deliver_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), actor=ACTOR)
    assert delivered.status is NoticeStatus.DELIVERED and delivered.delivered_on == date(2026, 3, 31)
    signed = sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by=" 王 建国 ", actor=ACTOR)
    assert signed.status is NoticeStatus.SIGNED
    assert load_notice(db.session_factory, notice_id).signed_by == "王 建国"
    assert _status(db, second) is RectificationStatus.ACKNOWLEDGED
    assert _kinds(db, second)[-2:] == [RectificationFollowUpKind.ISSUE, RectificationFollowUpKind.ACKNOWLEDGE]
    assert [row.id for row in list_notices(db.session_factory, kind=NoticeKind.RECTIFICATION_NOTICE)] == [notice_id]


def test_a_notice_needs_items(db: Database) -> None:
    org_id = org(db, NAME)
    with pytest.raises(ValidationFailed, match="通知书至少要列一项整改事项"):
        create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    with pytest.raises(ValidationFailed, match="通知书至少要列一项整改事项"):
        create_rectification_notice(db.session_factory, org_id=org_id, item_ids=[], actor=ACTOR)
    with db.session_factory() as session:
        assert session.scalars(select(Notice)).first() is None


def test_items_of_another_organization_are_refused(db: Database) -> None:
    org_id, other = org(db, NAME), org(db, "福州市鼓楼区书香读书会")
    mine, theirs = item(db, org_id, "未按期召开支部党员大会"), item(db, other, "党员名册未更新")
    with pytest.raises(ValidationFailed, match="“党员名册未更新”属于福州市鼓楼区书香读书会，不能列入本组织的通知书"):
        create_rectification_notice(db.session_factory, org_id=org_id, item_ids=[mine, theirs], actor=ACTOR)


def test_an_item_on_a_live_notice_cannot_go_on_another_until_that_one_is_void(db: Database) -> None:
    org_id = org(db, NAME)
    item_id = item(db, org_id, "未按期召开支部党员大会")
    first = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    with pytest.raises(ValidationFailed, match="没有可列入通知书的整改事项"):
        create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    with pytest.raises(ValidationFailed, match="已列入通知"):
        create_rectification_notice(db.session_factory, org_id=org_id, item_ids=[item_id], actor=ACTOR)
    issue_notice(db.session_factory, first, actor=ACTOR)
    with pytest.raises(ValidationFailed, match="作废通知须填写原因"):
        void_notice(db.session_factory, first, reason="  ", actor=ACTOR)
    voided = void_notice(db.session_factory, first, reason="主送单位名称写错", actor=ACTOR)
    assert voided.status is NoticeStatus.VOID
    assert load_notice(db.session_factory, first).void_reason == "主送单位名称写错"
    second = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    assert [i.id for i in load_notice(db.session_factory, second).items] == [item_id]
    issued = issue_notice(db.session_factory, second, actor=ACTOR)  # the item is 已签发 already: no second 签发
    assert issued.number.endswith("-2号（临时编号）")  # the void notice keeps number 1
    assert _kinds(db, item_id).count(RectificationFollowUpKind.ISSUE) == 1


def test_steps_out_of_order_are_refused_saying_what_comes_first(db: Database) -> None:
    org_id = org(db, NAME)
    item(db, org_id, "未按期召开支部党员大会")
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    with pytest.raises(NoticeStateError, match="请先签发，再登记送达"):
        deliver_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), actor=ACTOR)
    with pytest.raises(NoticeStateError, match="请先签发、送达，再登记签收"):
        sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by="王建国", actor=ACTOR)
    issue_notice(db.session_factory, notice_id, on_date=date(2026, 3, 30), actor=ACTOR)
    with pytest.raises(NoticeStateError, match="已经签发过，不能再次签发"):
        issue_notice(db.session_factory, notice_id, actor=ACTOR)
    with pytest.raises(NoticeStateError, match="请先登记送达，再登记签收"):
        sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by="王建国", actor=ACTOR)
    with pytest.raises(ValidationFailed, match="送达日期 2026年3月29日 早于签发日期 2026年3月30日"):
        deliver_notice(db.session_factory, notice_id, on_date=date(2026, 3, 29), actor=ACTOR)
    with pytest.raises(ValidationFailed, match="晚于今天"):
        deliver_notice(db.session_factory, notice_id, on_date=date(2026, 4, 1), actor=ACTOR)
    deliver_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), actor=ACTOR)
    with pytest.raises(ValidationFailed, match="请填写签收人"):
        sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by=" ", actor=ACTOR)
    void_notice(db.session_factory, notice_id, reason="重复发送", actor=ACTOR)
    with pytest.raises(NoticeStateError, match="通知已作废，不能再签收"):
        sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by="王建国", actor=ACTOR)
    with pytest.raises(NoticeStateError, match="通知已作废，不能再作废"):
        void_notice(db.session_factory, notice_id, reason="再次", actor=ACTOR)


def test_a_deadline_before_the_issue_day_is_refused(db: Database) -> None:
    org_id = org(db, NAME)
    item(db, org_id, "未按期召开支部党员大会", deadline=date(2026, 3, 25))
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    with pytest.raises(ValidationFailed, match="期限 2026年3月25日 早于签发日期 2026年3月31日"):
        issue_notice(db.session_factory, notice_id, actor=ACTOR)
    assert load_notice(db.session_factory, notice_id).row.status is NoticeStatus.DRAFT


def test_the_year_of_the_number_is_the_issue_days(db: Database, frozen_clock: clock.FrozenClock) -> None:
    org_id = org(db, NAME)
    item(db, org_id, "未按期召开支部党员大会", deadline=date(2027, 3, 1), raised_on=date(2026, 12, 20))
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    from datetime import UTC, datetime

    frozen_clock.move_to(datetime(2027, 1, 2, 2, 0, tzinfo=UTC))  # entered in January, issued on 31 December
    issued = issue_notice(db.session_factory, notice_id, on_date=date(2026, 12, 31), actor=ACTOR)
    assert "〔2026〕" in issued.number
    assert load_notice(db.session_factory, notice_id).year == 2026


def test_unknown_ids_say_so(db: Database) -> None:
    with pytest.raises(NotFoundError, match="找不到该社会组织"):
        create_rectification_notice(db.session_factory, org_id="nope", actor=ACTOR)
    with pytest.raises(NotFoundError, match="找不到该通知"):
        issue_notice(db.session_factory, "nope", actor=ACTOR)
    with pytest.raises(NotFoundError, match="找不到该通知"):
        load_notice(db.session_factory, "nope")


def test_a_draft_is_edited_as_a_whole_and_an_issued_one_not_at_all(db: Database) -> None:
    org_id = org(db, NAME)
    first, second = item(db, org_id, "未按期召开支部党员大会"), item(db, org_id, "党建入章未完成")
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, item_ids=[first], actor=ACTOR)
    with pytest.raises(ValidationFailed) as raised:
        edit_notice_draft(db.session_factory, notice_id, title=" ", addressee=NAME, body="", with_receipt=False,
                          item_ids=[], actor=ACTOR)
    assert set(raised.value.problems) == {"title", "body", "items"}
    assert [i.id for i in load_notice(db.session_factory, notice_id).items] == [first]  # nothing saved
    edit_notice_draft(db.session_factory, notice_id, title="关于限期整改的通知", addressee=NAME + "党支部",
                      body="第一段。\n\n第二段。", with_receipt=False, item_ids=[second], actor=ACTOR)
    detail = load_notice(db.session_factory, notice_id)
    assert (detail.row.title, detail.addressee, detail.with_receipt) == ("关于限期整改的通知", NAME + "党支部", False)
    assert [i.id for i in detail.items] == [second]
    assert create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)  # the first is free again
    issue_notice(db.session_factory, notice_id, actor=ACTOR)
    with pytest.raises(ServiceError, match="通知当前为「已签发」，不能再修改"):
        edit_notice_draft(db.session_factory, notice_id, title="改", addressee=NAME, body="正文", with_receipt=False,
                          actor=ACTOR)


def _notes(db: Database, item_id: str) -> list[tuple[RectificationFollowUpKind, str]]:
    with db.session_factory() as session:
        return [(row.kind, row.note) for row in session.scalars(select(RectificationFollowUp).where(
            RectificationFollowUp.rectification_id == item_id).order_by(RectificationFollowUp.at,
                                                                         RectificationFollowUp.id))]


def test_void_then_reopen_puts_the_signed_items_on_a_new_notice(db: Database) -> None:
    """作废后重开: the items of a voided 签收 notice go on a new one; its 签发 notes them (a 备注 with the new
    文号), never a second 签发; the history's 签发 / 签收 say the 文号 and who signed."""
    org_id = org(db, NAME)
    first = item(db, org_id, "未按期召开支部党员大会")
    old = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    old_number = issue_notice(db.session_factory, old, on_date=date(2026, 3, 30), actor=ACTOR).number
    deliver_notice(db.session_factory, old, on_date=date(2026, 3, 30), actor=ACTOR)
    sign_notice(db.session_factory, old, on_date=date(2026, 3, 31), signed_by="王建国", actor=ACTOR)
    void_notice(db.session_factory, old, reason="事项描述有误，重开", actor=ACTOR)
    assert _status(db, first) is RectificationStatus.ACKNOWLEDGED
    new = create_rectification_notice(db.session_factory, org_id=org_id, actor=ACTOR)
    assert [i.id for i in load_notice(db.session_factory, new).items] == [first]
    new_number = issue_notice(db.session_factory, new, on_date=date(2026, 3, 31), actor=ACTOR).number
    assert new_number != old_number and _status(db, first) is RectificationStatus.ACKNOWLEDGED
    history = _notes(db, first)
    assert [kind for kind, _ in history].count(RectificationFollowUpKind.ISSUE) == 1
    assert old_number in history[0][1] and "签发" in history[0][1]
    assert history[1][0] is RectificationFollowUpKind.ACKNOWLEDGE and "王建国" in history[1][1]
    assert history[-1][0] is RectificationFollowUpKind.NOTE and new_number in history[-1][1]
