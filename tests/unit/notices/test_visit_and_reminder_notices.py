"""走访通知 from a planned visit (never for a surprise visit) and 提醒函 from a compliance finding."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from app.domain.compliance import RuleId
from app.domain.date_text import chinese_date
from app.domain.enums import NoticeKind, NoticeStatus, VisitStatus
from app.domain.periods import Period, PeriodKind
from app.models import Visit
from app.services.compliance import ensure_fresh, findings
from app.services.core.database import Database
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.notices import (
    create_reminder_letter,
    create_visit_notice,
    deliver_notice,
    issue_notice,
    load_notice,
    sign_notice,
    void_notice,
)
from tests.unit.compliance.compliance_builders import branch
from tests.unit.notices.notice_builders import ACTOR, org, visit

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31
NAME = "福州市鼓楼区阳光社工服务中心"


def _visit_notice_of(db: Database, visit_id: str) -> str | None:
    with db.session_factory() as session:
        return session.execute(select(Visit.notice_id).where(Visit.id == visit_id)).scalar()


def test_a_planned_visit_gets_a_visit_notice_through_its_steps(db: Database) -> None:
    visit_id = visit(db, org(db, NAME), on=date(2026, 4, 8))
    notice_id = create_visit_notice(db.session_factory, visit_id=visit_id, actor=ACTOR)
    assert _visit_notice_of(db, visit_id) == notice_id
    detail = load_notice(db.session_factory, notice_id)
    assert detail.row.kind is NoticeKind.VISIT_NOTICE and detail.visit_id == visit_id
    assert "2026年4月8日9时30分到你单位实地走访" in detail.body
    issued = issue_notice(db.session_factory, notice_id, actor=ACTOR)
    assert issued.number.startswith("社党走访〔2026〕临")
    deliver_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), actor=ACTOR)
    assert sign_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), signed_by="林晓梅",
                       actor=ACTOR).status is NoticeStatus.SIGNED


def test_a_surprise_visit_gets_no_notice(db: Database) -> None:
    visit_id = visit(db, org(db, NAME), surprise=True)
    with pytest.raises(ServiceError, match="不打招呼的走访（暗访），不发走访通知"):
        create_visit_notice(db.session_factory, visit_id=visit_id, actor=ACTOR)
    assert _visit_notice_of(db, visit_id) is None


def test_a_done_or_announced_visit_gets_no_second_notice_until_the_first_is_void(db: Database) -> None:
    org_id = org(db, NAME)
    done = visit(db, org_id, on=date(2026, 3, 2), status=VisitStatus.DONE)
    with pytest.raises(ServiceError, match="已经完成，不需要走访通知"):
        create_visit_notice(db.session_factory, visit_id=done, actor=ACTOR)
    planned = visit(db, org_id)
    first = create_visit_notice(db.session_factory, visit_id=planned, actor=ACTOR)
    with pytest.raises(ServiceError, match="已有走访通知") as raised:
        create_visit_notice(db.session_factory, visit_id=planned, actor=ACTOR)
    assert "已有走访通知（未签发，无文号），" in str(raised.value)  # the 草稿's number is bracketed once
    void_notice(db.session_factory, first, reason="走访改期", actor=ACTOR)
    second = create_visit_notice(db.session_factory, visit_id=planned, actor=ACTOR)
    assert _visit_notice_of(db, planned) == second


def test_a_visit_notice_is_issued_before_the_visit(db: Database) -> None:
    notice_id = create_visit_notice(db.session_factory, visit_id=visit(db, org(db, NAME), on=date(2026, 3, 30)),
                                    actor=ACTOR)
    with pytest.raises(ValidationFailed, match="走访通知应在走访之前发出"):
        issue_notice(db.session_factory, notice_id, on_date=date(2026, 3, 31), actor=ACTOR)


def test_a_reminder_letter_is_filled_from_a_term_finding(db: Database) -> None:
    org_id = org(db, NAME)
    party = branch(db, "福州市鼓楼区阳光社工服务中心党支部", org_ids=[org_id], term_started=date(2023, 1, 10))
    ensure_fresh(db.session_factory)
    with db.session_factory() as session:
        found = [f for f in findings(session, party_org_ids=[party.id]) if f.rule_id.value.startswith("term.")]
    assert found, "the term ended on 2026-01-10: a 换届 finding"
    notice_id = create_reminder_letter(db.session_factory, finding=found[0], actor=ACTOR)
    detail = load_notice(db.session_factory, notice_id)
    assert detail.row.kind is NoticeKind.REMINDER_LETTER and detail.row.org_id == org_id
    assert detail.addressee == "福州市鼓楼区阳光社工服务中心党支部"
    assert detail.row.title == "关于按期进行换届选举的提醒函"
    assert found[0].due_on is not None and detail.rule_id == found[0].rule_id.value
    first = detail.body.split("\n\n")[0]  # what was found, without the advice meant for the instructor
    assert first.startswith("经查，福州市鼓楼区阳光社工服务中心党支部第1届任期")
    assert chinese_date(found[0].due_on) in first
    assert "请督促" not in detail.body and "特此提醒" in detail.body
    with pytest.raises(ServiceError, match="已有提醒函"):
        create_reminder_letter(db.session_factory, finding=found[0], actor=ACTOR)


def test_a_reminder_letter_only_for_terms_and_meetings(db: Database) -> None:
    org_id = org(db, NAME)
    party = branch(db, "福州市鼓楼区阳光社工服务中心党支部", org_ids=[org_id])
    ensure_fresh(db.session_factory)
    with db.session_factory() as session:
        found = findings(session, party_org_ids=[party.id], org_ids=[org_id])
    meeting = next(f for f in found if f.rule_id.value.startswith("meeting."))
    letter = load_notice(db.session_factory, create_reminder_letter(db.session_factory, finding=meeting, actor=ACTOR))
    assert letter.row.title == "关于按规定开展“三会一课”的提醒函" and letter.period.startswith(("MONTH:", "QUARTER:"))
    with pytest.raises(ServiceError, match="提醒函只用于换届到期和“三会一课”缺项，不用于“党建未入章”"):
        create_reminder_letter(db.session_factory, finding=replace(meeting, rule_id=RuleId.CHARTER_CLAUSE),
                               actor=ACTOR)
    kind = meeting.period.kind if meeting.period else PeriodKind.MONTH
    gone = replace(meeting, period=Period(date(2009, 1, 1), kind))  # before the branch was formed
    with pytest.raises(ServiceError, match="这项问题已不存在"):
        create_reminder_letter(db.session_factory, finding=gone, actor=ACTOR)
