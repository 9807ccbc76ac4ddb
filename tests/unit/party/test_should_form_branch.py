"""应建未建 (DESIGN §2.1): ≥ 3 正式党员 whose 组织关系 is here, and no party organization of its own."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.domain.enums import MemberKind, PartyOrgFormation
from app.domain.policy import Policy
from app.services.core.database import Database
from app.services.party import should_form_branch_orgs
from app.services.party.dto import ShouldFormBranch

TODAY = date(2026, 3, 31)  # as in conftest

JOINT = PartyOrgFormation.JOINT


def _found(db: Database, today: date = TODAY, **kwargs: object) -> list[ShouldFormBranch]:
    with db.session_factory() as session:
        return should_form_branch_orgs(session, today=today, **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def joint(make_org: Callable[..., str], make_party: Callable[..., str]) -> tuple[str, str, str]:
    """(party id, org A, org B): a 联合支部 covering A and B."""
    org_a, org_b = make_org("甲协会"), make_org("乙协会")
    return make_party("中共东街街道社会组织第一联合支部委员会", org_a, org_b, formation=JOINT), org_a, org_b


def test_three_full_members_in_a_joint_branch_should_form_their_own(db: Database, joint: tuple[str, str, str],
                                                                    make_member: Callable[..., str]) -> None:
    party, org_a, org_b = joint
    for name in ("张一", "张二", "张三"):
        make_member(party, org_a, name)
    make_member(party, org_b, "李一")
    found = _found(db)
    assert [(f.name, f.full_members, f.covered_by) for f in found] == [
        ("甲协会", 3, ("中共东街街道社会组织第一联合支部委员会",))]


def test_two_full_members_do_not(db: Database, joint: tuple[str, str, str], make_member: Callable[..., str]) -> None:
    party, org_a, _ = joint
    make_member(party, org_a, "张一")
    make_member(party, org_a, "张二")
    assert _found(db) == []


def test_a_probationary_member_does_not_count(db: Database, joint: tuple[str, str, str],
                                              make_member: Callable[..., str]) -> None:
    party, org_a, _ = joint
    make_member(party, org_a, "张一")
    make_member(party, org_a, "张二")
    make_member(party, org_a, "张三", MemberKind.PROBATIONARY, date(2025, 9, 1))
    assert _found(db) == []


def test_relations_not_transferred_do_not_count(db: Database, joint: tuple[str, str, str],
                                                make_member: Callable[..., str]) -> None:
    party, org_a, _ = joint
    make_member(party, org_a, "张一")
    make_member(party, org_a, "张二")
    make_member(party, org_a, "张三", relation_in=False)
    assert _found(db) == []
    make_member(party, org_a, "张四", relation_in=True, relation_on=date(2026, 1, 5))
    assert [f.full_members for f in _found(db)] == [3]


def test_full_only_after_today_does_not_count_yet(db: Database, joint: tuple[str, str, str],
                                                  make_member: Callable[..., str]) -> None:
    party, org_a, _ = joint
    make_member(party, org_a, "张一")
    make_member(party, org_a, "张二")
    make_member(party, org_a, "张三", since=date(2026, 3, 20))
    assert _found(db, today=date(2026, 3, 19)) == []
    assert [f.full_members for f in _found(db, today=date(2026, 3, 20))] == [3]


def test_an_organization_with_its_own_branch_is_not_listed(db: Database, make_org: Callable[..., str],
                                                           make_party: Callable[..., str],
                                                           make_member: Callable[..., str]) -> None:
    org = make_org("丙协会")
    party = make_party("中共丙协会支部委员会", org)
    for name in ("王一", "王二", "王三"):
        make_member(party, org, name)
    assert _found(db) == []


def test_the_threshold_and_the_organizations_come_from_the_caller(db: Database, joint: tuple[str, str, str],
                                                                  make_member: Callable[..., str]) -> None:
    party, org_a, org_b = joint
    make_member(party, org_a, "张一")
    make_member(party, org_a, "张二")
    make_member(party, org_b, "李一")
    make_member(party, org_b, "李二")
    two = Policy(own_branch_min_full_members=2)
    assert {f.name for f in _found(db, policy=two)} == {"甲协会", "乙协会"}
    assert [f.name for f in _found(db, policy=two, org_ids=[org_b])] == ["乙协会"]
