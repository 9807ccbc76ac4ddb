"""Waivers: a reason is required, they go through the outbox, they mark the findings they match (and only
those), and withdrawing one makes the findings count again."""

from __future__ import annotations

from datetime import date

import pytest
from compliance_builders import ACTOR, branch, rows
from sqlalchemy import select

from app.domain.compliance import RuleId
from app.domain.periods import month_of, quarter_of
from app.models import OutboxEntry
from app.services.compliance import add_waiver, findings, list_waivers, remove_waiver
from app.services.compliance.engine import refresh_all
from app.services.compliance.state import current_policy
from app.services.core.database import Database
from app.services.core.errors import NotFoundError, ValidationFailed

TODAY = date(2026, 8, 15)


def _waived(db: Database, party_org_id: str, rule: RuleId) -> dict[str, bool]:
    return {str(r[3]): r[6] is not None for r in rows(db, party_org_id=party_org_id, rule=rule)}


def test_a_branch_formed_mid_quarter_has_that_quarter_waived(db: Database) -> None:
    party = branch(db, "新支部", established=date(2026, 5, 20))
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    waiver_id = add_waiver(db.session_factory, party_org_id=party.id, rule_id=RuleId.MEETING_GENERAL,
                           period=quarter_of(date(2026, 4, 1)), reason="支部于5月20日成立，本季度不要求召开党员大会",
                           approved_by="街道党工委", actor=ACTOR)
    assert _waived(db, party.id, RuleId.MEETING_GENERAL) == {"2026-04-01": True, "2026-07-01": False}
    with db.session_factory() as session:
        listed = findings(session, party_org_ids=[party.id], rules=[RuleId.MEETING_GENERAL])
        entry = session.execute(select(OutboxEntry).where(OutboxEntry.record_id == waiver_id)).scalar_one()
    assert [f.period.label() for f in listed if f.period] == ["2026年第3季度"]  # the waived one is left out
    assert entry.entity == "compliance_waiver" and entry.fields["reason"].startswith("支部于5月20日成立")
    [shown] = list_waivers(db.session_factory, party_org_id=party.id)
    assert shown.period == quarter_of(date(2026, 4, 1)) and shown.approved_by == "街道党工委"
    remove_waiver(db.session_factory, waiver_id=waiver_id, actor=ACTOR)
    assert _waived(db, party.id, RuleId.MEETING_GENERAL) == {"2026-04-01": False, "2026-07-01": False}
    assert list_waivers(db.session_factory, party_org_id=party.id) == []


def test_a_waiver_without_a_period_waives_every_period_of_its_rule_only(db: Database) -> None:
    party = branch(db, "甲支部", established=date(2026, 1, 1))
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    add_waiver(db.session_factory, party_org_id=party.id, rule_id=RuleId.MEETING_THEME_DAY, reason="并入上级统一开展",
               actor=ACTOR)
    assert all(_waived(db, party.id, RuleId.MEETING_THEME_DAY).values())
    assert not any(_waived(db, party.id, RuleId.MEETING_GENERAL).values())


def test_a_waiver_added_before_the_results_applies_once_they_are_built(db: Database) -> None:
    party = branch(db, "甲支部", established=date(2026, 1, 1))
    add_waiver(db.session_factory, party_org_id=party.id, rule_id=RuleId.MEETING_THEME_DAY,
               period=month_of(date(2026, 7, 1)), reason="防汛抗台，经同意顺延", actor=ACTOR)
    with db.session_factory.begin() as session:
        refresh_all(session, today=TODAY, policy=current_policy())
    waived = _waived(db, party.id, RuleId.MEETING_THEME_DAY)
    assert waived["2026-07-01"] and not waived["2026-06-01"]


@pytest.mark.parametrize(("kwargs", "field", "words"), [
    ({"reason": "  "}, "reason", "请填写豁免的理由"),
    ({"reason": "x", "rule_id": "meeting.NOPE"}, "rule_id", "没有这条规则"),
    ({"reason": "x", "rule_id": RuleId.INSPECTION}, "rule_id", "不能按党组织豁免"),
    ({"reason": "x", "rule_id": RuleId.TERM_OVERDUE, "period": month_of(date(2026, 7, 1))}, "period", "不要指定周期"),
])
def test_bad_waivers_say_what_to_fix(db: Database, kwargs: dict, field: str, words: str) -> None:
    party = branch(db, "甲支部")
    arguments = {"rule_id": RuleId.MEETING_GENERAL, **kwargs}
    with pytest.raises(ValidationFailed) as caught:
        add_waiver(db.session_factory, party_org_id=party.id, actor=ACTOR, **arguments)
    assert words in caught.value.problems[field]


def test_a_waiver_for_a_party_org_that_is_gone(db: Database) -> None:
    with pytest.raises(NotFoundError, match="找不到这个党组织"):
        add_waiver(db.session_factory, party_org_id="nope", rule_id=RuleId.MEETING_GENERAL, reason="x", actor=ACTOR)
