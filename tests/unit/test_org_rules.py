"""The organization rules of issue 6: required per type, phones, same name, 党员人数, labels in messages."""

from __future__ import annotations

import re
from datetime import date

import pytest

from app.domain.enums import OrgType
from app.domain.uscc import make_code
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.core.outbox import record_upsert
from app.services.orgs.dto import FIELD_LABELS, OrgInput
from app.services.orgs.organizations import archive_org, archive_reason_problem, check_org, create_org, update_org

TODAY = date(2026, 6, 15)
CODES = {OrgType.SOCIAL_GROUP: make_code("1", "350102", "MJ0000010"),
         OrgType.SOCIAL_SERVICE: make_code("2", "350102", "MJ0000029"),
         OrgType.FOUNDATION: make_code("3", "350102", "MJ0000037")}


def _input(**changes: object) -> OrgInput:
    base: dict[str, object] = {"name": "鼓楼区摄影家协会", "org_type": OrgType.SOCIAL_GROUP,
                               "uscc": CODES[OrgType.SOCIAL_GROUP], "registration_authority": "鼓楼区民政局"}
    base.update(changes)
    return OrgInput(**base)  # type: ignore[arg-type]


def _check(db: Database, data: OrgInput, org_id: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    check = check_org(db.session_factory, data, org_id=org_id, today=TODAY)
    return check.problems, check.warnings


@pytest.mark.parametrize("org_type", [OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE, OrgType.FOUNDATION])
def test_a_registered_organization_needs_its_registration_authority(db: Database, org_type: OrgType) -> None:
    problems, _ = _check(db, _input(org_type=org_type, uscc=CODES[org_type], registration_authority="  "))
    assert problems == {"registration_authority":
                        f"“登记管理机关”不能为空（{org_type.label}是登记的社会组织，如：某某区民政局）"}
    with pytest.raises(ValidationFailed):
        create_org(db.session_factory, _input(org_type=org_type, uscc=CODES[org_type], registration_authority=""),
                   actor="t", today=TODAY)


def test_a_filed_community_organization_needs_no_code_nor_authority_but_should_say_where(db: Database) -> None:
    bare = _input(org_type=OrgType.COMMUNITY_FILED, uscc="", registration_authority="")
    problems, warnings = _check(db, bare)
    assert problems == {}
    assert warnings == {"community": "社区社会组织请填写“所在社区”或“所在街道”（在哪里备案、开展活动）"}
    assert _check(db, _input(org_type=OrgType.COMMUNITY_FILED, uscc="", community="黄巷社区")) == ({}, {})
    assert _check(db, _input(org_type=OrgType.COMMUNITY_FILED, uscc="", sub_district="东街街道")) == ({}, {})


def test_a_wrong_phone_number_is_a_problem_saying_what_a_number_looks_like(db: Database) -> None:
    problems, _ = _check(db, _input(contact_phone="1234"))
    assert problems == {"contact_phone":
                        "联系电话“1234”不是有效的手机号或带区号的固定电话（如 0591-87654321 或 13800000000）"}


def test_a_landline_without_area_code_is_a_warning_and_saves(db: Database) -> None:
    problems, warnings = _check(db, _input(contact_phone="87654321、13800000000"))
    assert problems == {} and "没有区号" in warnings["contact_phone"]
    detail = create_org(db.session_factory, _input(contact_phone="87654321、13800000000"), actor="t", today=TODAY)
    assert detail.data.contact_phone == "87654321、13800000000" and "contact_phone" in detail.warnings


def test_a_second_organization_with_the_same_name_warns_and_names_the_first(db: Database) -> None:
    first = create_org(db.session_factory, _input(sub_district="鼓东街道"), actor="t", today=TODAY)
    other = _input(uscc=make_code("1", "350102", "MJ0000088"))
    problems, warnings = _check(db, other)
    assert problems == {}
    assert warnings["name"] == ("台账中已有同名组织“鼓楼区摄影家协会”"
                                f"（所在街道：鼓东街道，统一社会信用代码：{first.data.uscc}），请确认不是重复录入")
    assert "name" not in _check(db, first.data, org_id=first.id)[1], "the organization itself is no duplicate"
    assert "name" not in _check(db, _input(name="鼓楼区摄影家协会分会"))[1], "exact names only"
    second = create_org(db.session_factory, other, actor="t", today=TODAY)  # a warning does not block
    assert "name" in second.warnings


def test_the_same_name_warning_says_archived_and_ignores_deleted(db: Database) -> None:
    from app.models import SocialOrg

    first = create_org(db.session_factory, _input(org_type=OrgType.COMMUNITY_FILED, uscc="", community="黄巷社区"),
                       actor="t", today=TODAY)
    archive_org(db.session_factory, first.id, reason="已注销", actor="t")
    _, warnings = _check(db, _input())
    assert warnings["name"] == "台账中已有同名组织“鼓楼区摄影家协会”（所在街道：未填写，已归档），请确认不是重复录入"
    with db.session_factory.begin() as session:
        row = session.get(SocialOrg, first.id)
        assert row is not None
        row.deleted_at = clock.now()
        record_upsert(session, row, actor="t")
    assert "name" not in _check(db, _input())[1]


@pytest.mark.parametrize(("counts", "message"), [
    ({"party_member_count": 12, "member_count": 8, "staff_count": 50}, "“党员人数”（12）多于“会员数”（8），请核对"),
    ({"party_member_count": 12, "staff_count": 5}, "“党员人数”（12）多于“专职工作人员数”（5），请核对"),
])
def test_more_party_members_than_members_or_staff_warns(db: Database, counts: dict[str, int], message: str) -> None:
    problems, warnings = _check(db, _input(**counts))
    assert problems == {} and warnings == {"party_member_count": message}


@pytest.mark.parametrize("counts", [
    {"party_member_count": 8, "member_count": 8}, {"party_member_count": 3, "member_count": 100, "staff_count": 2},
    {"party_member_count": 12}, {"member_count": 3, "staff_count": 1},
])
def test_plausible_or_unknown_counts_do_not_warn(db: Database, counts: dict[str, int]) -> None:
    assert _check(db, _input(**counts)) == ({}, {})


def test_every_message_names_its_field_by_the_form_label(db: Database) -> None:
    """Whatever the rule, a message about a field quotes that field's label exactly (“登记管理机关”…)."""
    bad = _input(name="", short_name="长" * 51, uscc="123", registration_authority="", founded_on=date(2030, 1, 1),
                 evaluation_grade=None, evaluation_date=date(2030, 1, 1), party_clause_approved_on=date(2020, 1, 1),
                 staff_count=-1, member_count=-1, party_member_count=-1, contact_person="长" * 51,
                 community_category="生活服务类", address="长" * 201)
    problems, _ = _check(db, bad)
    assert len(problems) >= 12
    for key, message in problems.items():
        assert f"“{FIELD_LABELS[key]}”" in message or FIELD_LABELS[key] in message, (key, message)
        quoted = set(re.findall(r"“([^”]+)”", message))
        assert quoted <= set(FIELD_LABELS.values()) | {"123"}, (key, message)


def test_archive_reason_problems_are_told_before_the_service_is_asked() -> None:
    assert archive_reason_problem("  ") == "请填写归档原因（如：已注销、已迁出本街道）"
    assert archive_reason_problem("长" * 201) == "归档原因最多200字（现为201字）"
    assert archive_reason_problem("已注销") == ""


def test_an_update_keeps_the_rules(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t", today=TODAY)
    with pytest.raises(ValidationFailed) as refused:
        update_org(db.session_factory, detail.id, _input(registration_authority="", contact_phone="电话"), actor="t",
                   today=TODAY)
    assert set(refused.value.problems) == {"registration_authority", "contact_phone"}
