"""What the 新建… dialogs offer: an organization's free items, the planned visits still to announce, the
findings a 提醒函 may be about."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import VisitStatus
from app.services.compliance import ensure_fresh
from app.services.core.database import Database
from app.services.notices import create_rectification_notice, create_visit_notice, void_notice
from app.services.notices.candidates import free_items_of, planned_visits, reminder_findings
from app.services.notices.wording import REMINDER_RULES
from tests.unit.compliance.compliance_builders import branch
from tests.unit.notices.notice_builders import ACTOR, item, org, visit

pytestmark = pytest.mark.usefixtures("frozen_clock")  # today: 2026-03-31


def test_free_items_are_those_on_no_live_notice(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区老年人协会")
    first, second = item(db, org_id, "三会一课记录不全"), item(db, org_id, "党建入章未完成")
    assert [i.id for i in free_items_of(db.session_factory, org_id)] == [first, second]
    notice_id = create_rectification_notice(db.session_factory, org_id=org_id, item_ids=[first], actor=ACTOR)
    assert [i.id for i in free_items_of(db.session_factory, org_id)] == [second]
    void_notice(db.session_factory, notice_id, reason="事项选错", actor=ACTOR)
    assert {i.id for i in free_items_of(db.session_factory, org_id)} == {first, second}
    assert free_items_of(db.session_factory, org(db, "福州市书法家协会")) == ()


def test_planned_visits_leave_out_surprise_done_past_and_announced_ones(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区志愿服务中心")
    due = visit(db, org_id, on=date(2026, 4, 8))
    announced = visit(db, org_id, on=date(2026, 4, 9))
    visit(db, org_id, on=date(2026, 4, 10), surprise=True)
    visit(db, org_id, on=date(2026, 3, 30))  # planned for a day gone by
    visit(db, org_id, on=date(2026, 3, 31), status=VisitStatus.DONE)
    notice_id = create_visit_notice(db.session_factory, visit_id=announced, actor=ACTOR)
    found = planned_visits(db.session_factory)
    assert [v.id for v in found] == [due] and found[0].org_name == "福州市鼓楼区志愿服务中心"
    void_notice(db.session_factory, notice_id, reason="改期", actor=ACTOR)
    assert [v.id for v in planned_visits(db.session_factory)] == [due, announced]


def test_reminder_findings_are_only_terms_and_meetings(db: Database) -> None:
    org_id = org(db, "福州市鼓楼区阳光社工服务中心")
    branch(db, "福州市鼓楼区阳光社工服务中心党支部", org_ids=[org_id], term_started=date(2023, 1, 10))
    ensure_fresh(db.session_factory)
    found = reminder_findings(db.session_factory)
    assert found and {f.rule_id for f in found} <= set(REMINDER_RULES)
    assert any(f.rule_id.value.startswith("term.") for f in found)
