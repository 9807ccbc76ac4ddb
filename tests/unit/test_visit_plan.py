"""本月走访计划 (issue 8 item 2): who of my organizations is due, visited, overdue under the policy pack's
rule — on the period's boundary days, with phone / online visits logged but not counted."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from app.domain.enums import OrgType, VisitMode, VisitStatus
from app.domain.periods import PeriodKind, month_of, quarter_of
from app.domain.policy import Policy
from app.services.core import clock
from app.services.core.database import Database
from app.services.orgs.assignments import mark_mine
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org
from app.services.visits import month_plan, my_orgs, plan_state, save_visit
from app.services.visits.dto import PlanState, VisitInput

ACTOR = "local:t"


@pytest.fixture
def orgs(db: Database, frozen_clock: clock.FrozenClock) -> dict[str, str]:
    ids = {name: create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED),
                            actor=ACTOR).id for name in ("甲队", "乙队", "丙队", "丁队", "戊队")}
    mark_mine(db.session_factory, [ids[n] for n in ("甲队", "乙队", "丙队", "丁队")], True, actor=ACTOR,
              user="local", today=date(2026, 1, 1))
    return ids  # 戊队 is not mine


def visit(db: Database, org_id: str, day: date, mode: VisitMode = VisitMode.ON_SITE,
          status: VisitStatus = VisitStatus.DONE) -> None:
    save_visit(db.session_factory, VisitInput(org_id=org_id, status=status, mode=mode, visited_on=day), actor=ACTOR)


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 2, 28), PlanState.DUE), (date(2026, 3, 1), PlanState.OVERDUE), (date(2026, 1, 31), PlanState.UPCOMING)])
def test_a_period_is_due_through_its_last_day_and_overdue_the_day_after(today: date, state: str) -> None:
    assert plan_state(month_of(date(2026, 2, 1)), required=1, on_site=0, today=today) == state
    assert plan_state(month_of(date(2026, 2, 1)), required=1, on_site=1, today=today) == PlanState.VISITED


def test_the_month_plan_counts_on_site_visits_done_in_the_month(db: Database, orgs: dict[str, str]) -> None:
    visit(db, orgs["甲队"], date(2026, 3, 31))  # the last day of March counts for March
    visit(db, orgs["乙队"], date(2026, 2, 28))  # February's last day: not March
    visit(db, orgs["乙队"], date(2026, 3, 1), VisitMode.PHONE)  # logged, not counted
    visit(db, orgs["丙队"], date(2026, 3, 2), VisitMode.ONLINE)
    visit(db, orgs["戊队"], date(2026, 3, 3))  # not mine
    visit(db, orgs["丁队"], date(2026, 4, 9), status=VisitStatus.PLANNED)
    policy = Policy.national()
    march = {r.org_name: r for r in month_plan(db.session_factory, policy=policy).rows}
    assert set(march) == {"甲队", "乙队", "丙队", "丁队"}
    assert {n: r.state for n, r in march.items()} == {
        "甲队": PlanState.VISITED, "乙队": PlanState.DUE, "丙队": PlanState.DUE, "丁队": PlanState.DUE}
    assert (march["乙队"].on_site, march["乙队"].other_modes, march["乙队"].last_visit) == (0, 1, date(2026, 2, 28))
    february = {r.org_name: r.state for r in month_plan(db.session_factory, policy=policy, month=date(2026, 2, 1)).rows}
    assert february == {"甲队": PlanState.OVERDUE, "乙队": PlanState.VISITED, "丙队": PlanState.OVERDUE,
                        "丁队": PlanState.OVERDUE}
    april = {r.org_name: r for r in month_plan(db.session_factory, policy=policy, month=date(2026, 4, 1)).rows}
    assert april["丁队"].planned == (date(2026, 4, 9),) and april["丁队"].state == PlanState.UPCOMING
    # the rule read from the pack: once a quarter, a February visit satisfies March
    quarterly = dataclasses.replace(policy, visit_period=PeriodKind.QUARTER)
    plan = month_plan(db.session_factory, policy=quarterly)
    assert plan.period == quarter_of(date(2026, 3, 1))
    assert {r.org_name: r.state for r in plan.rows}["乙队"] == PlanState.VISITED
    assert {c.name for c in my_orgs(db.session_factory)} == {"甲队", "乙队", "丙队", "丁队"}
