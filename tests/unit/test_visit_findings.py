"""A finding becomes a 整改事项 in one action (issue 8 item 2), carrying its text, linked to the visit and the
finding, source 走访 — and only once: a second try names the item already raised."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain.enums import (
    ChecklistAnswerValue,
    OrgType,
    RectificationSource,
    RectificationStatus,
    VisitMode,
    VisitStatus,
)
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org
from app.services.rectification import load_item
from app.services.visits import AlreadyRaised, delete_visit, finding_to_rectification, list_visits, save_visit
from app.services.visits.dto import AnswerInput, FindingInput, VisitInput

ACTOR = "local:t"
LONG = "党费收缴台账不完整，2026年1月至3月的党费没有收缴记录，也没有公示" + "，补充说明" * 10


@pytest.fixture
def visit(db: Database, frozen_clock: clock.FrozenClock) -> tuple[str, str]:
    org = create_org(db.session_factory, OrgInput(name="温泉社区志愿服务队", org_type=OrgType.COMMUNITY_FILED),
                     actor=ACTOR).id
    saved = save_visit(db.session_factory, VisitInput(
        org_id=org, status=VisitStatus.DONE, mode=VisitMode.ON_SITE, visited_on=date(2026, 3, 30),
        answers=(AnswerInput("C04", ChecklistAnswerValue.NO, "党费台账缺三个月"),),
        findings=(FindingInput(LONG, "C04"), FindingInput("宣传栏内容陈旧"))), actor=ACTOR)
    return saved.id, saved.findings[0].id


def test_a_finding_becomes_an_item_carrying_its_text_once(db: Database, visit: tuple[str, str]) -> None:
    visit_id, finding_id = visit
    item_id = finding_to_rectification(db.session_factory, finding_id, deadline=date(2026, 4, 30),
                                       responsible_person="理事长 王芳", actor=ACTOR)
    item = load_item(db.session_factory, item_id)
    assert item.status is RectificationStatus.DRAFT
    data = item.data
    assert data.source is RectificationSource.VISIT
    assert (data.visit_id, data.finding_id) == (visit_id, finding_id)
    assert data.description == LONG and data.title.startswith("党费收缴台账不完整") and len(data.title) <= 60
    assert "党员管理" in data.basis and data.raised_on == date(2026, 3, 30)
    assert "2026年4月30日" in data.requirement and data.responsible_person == "理事长 王芳"
    with pytest.raises(AlreadyRaised) as again:
        finding_to_rectification(db.session_factory, finding_id, deadline=date(2026, 4, 30), actor=ACTOR)
    assert again.value.rectification_id == item_id and data.title in str(again.value)
    assert list_visits(db.session_factory).rows[0].open_findings == 1
    with pytest.raises(ValidationFailed, match="已转为整改事项"):  # the visit cannot go while its item lives
        delete_visit(db.session_factory, visit_id, actor=ACTOR)


def test_a_deadline_before_the_visit_is_refused(db: Database, visit: tuple[str, str]) -> None:
    with pytest.raises(ValidationFailed, match="整改期限"):
        finding_to_rectification(db.session_factory, visit[1], deadline=date(2026, 3, 1), actor=ACTOR)
