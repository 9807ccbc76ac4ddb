"""社会组织 service: every bad input is refused with a Chinese message saying what to fix, nothing saved."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from app.domain.enums import EvaluationGrade, OrgType
from app.domain.uscc import check_character, make_code
from app.models import AuditLog, OutboxEntry, SocialOrg
from app.services.core.database import Database
from app.services.core.errors import NotFoundError, ServiceError, ValidationFailed
from app.services.orgs.dto import FIELD_LABELS, OrgInput
from app.services.orgs.organizations import archive_org, check_org, create_org, get_org, restore_org, update_org
from app.services.orgs.validation import ADDRESS_MAX, NAME_MAX, REASON_MAX, SHORT_NAME_MAX, TEXT_LIMITS

TODAY = date(2026, 6, 15)
GROUP_CODE = make_code("1", "350102", "MJ0000010")  # 社会团体
SERVICE_CODE = make_code("2", "350102", "MJ0000029")  # 民办非企业单位


def _input(**changes: object) -> OrgInput:
    base: dict[str, object] = {"name": "鼓楼区摄影家协会", "org_type": OrgType.SOCIAL_GROUP, "uscc": GROUP_CODE,
                               "address": "五一北路8号", "registration_authority": "鼓楼区民政局"}
    base.update(changes)
    return OrgInput(**base)  # type: ignore[arg-type]


def _count(db: Database, model: type) -> int:
    with db.session_factory() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def _refused(db: Database, data: OrgInput) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        create_org(db.session_factory, data, actor="t", today=TODAY)
    assert _count(db, SocialOrg) == 0 and _count(db, OutboxEntry) == 0 and _count(db, AuditLog) == 0
    return caught.value.problems


def _bad_checksum(code: str) -> str:
    wrong = "0" if check_character(code[:17]) != "0" else "1"
    return code[:17] + wrong


def test_a_valid_organization_is_saved_with_its_data(db: Database) -> None:
    detail = create_org(db.session_factory, _input(member_count=40, founded_on=date(2015, 3, 1),
                                                   evaluation_grade=EvaluationGrade.A4,
                                                   evaluation_date=date(2024, 1, 1)), actor="t", today=TODAY)
    assert detail.warnings == {}
    stored = get_org(db.session_factory, detail.id, today=TODAY)
    assert stored.data == detail.data
    assert stored.data.name == "鼓楼区摄影家协会" and stored.data.member_count == 40
    assert stored.data.evaluation_grade is EvaluationGrade.A4
    assert not stored.archived and stored.server_version == 0


def test_text_is_trimmed_and_code_upper_cased(db: Database) -> None:
    full_width = "".join(chr(ord(ch) + 0xFEE0) for ch in GROUP_CODE.lower())
    detail = create_org(db.session_factory, _input(name="  鼓楼区摄影家协会 ", uscc=f" {full_width} ",
                                                   address=" 五一北路8号\n"), actor="t", today=TODAY)
    assert detail.data.name == "鼓楼区摄影家协会"
    assert detail.data.uscc == GROUP_CODE
    assert detail.data.address == "五一北路8号"


@pytest.mark.parametrize("name", ["", "   ", "\u3000\t"])
def test_name_is_required(db: Database, name: str) -> None:
    assert _refused(db, _input(name=name)) == {"name": "“组织名称”不能为空"}


def test_over_long_name_names_the_limit(db: Database) -> None:
    problems = _refused(db, _input(name="协" * 200))
    assert set(problems) == {"name"}
    assert "100" in problems["name"] and "200" in problems["name"]


def test_name_at_the_limit_is_accepted(db: Database) -> None:
    detail = create_org(db.session_factory, _input(name="协" * 100), actor="t", today=TODAY)
    assert len(detail.data.name) == 100


def test_every_bounded_text_field_is_checked_against_its_column() -> None:
    checked = {"name": NAME_MAX, "short_name": SHORT_NAME_MAX, "address": ADDRESS_MAX,
               "uscc_override_reason": REASON_MAX, **{k: limit for k, (_, limit) in TEXT_LIMITS.items()}}
    columns = SocialOrg.__table__.c
    for key, limit in checked.items():
        assert columns[key].type.length == limit, key
    text_fields = {f.name for f in dataclasses.fields(OrgInput) if f.type == "str"}
    bounded = {k for k in text_fields if getattr(columns[k].type, "length", None)}
    assert bounded - set(checked) == {"uscc", "community_category"}  # checked by their own rules


@pytest.mark.parametrize(("field", "limit"), [("short_name", 50), ("address", 200), ("legal_representative", 50),
                                              ("contact_phone", 30), ("registration_authority", 100)])
def test_over_long_text_fields_are_problems(db: Database, field: str, limit: int) -> None:
    at_limit = "0591-87654321、0591-87654322转12" if field == "contact_phone" else "长" * limit  # phones are checked
    assert len(at_limit) == limit
    problems = _refused(db, _input(**{field: at_limit + "3"}))
    assert set(problems) == {field}
    assert problems[field] == f"“{FIELD_LABELS[field]}”最多{limit}字（现为{limit + 1}字）"
    assert create_org(db.session_factory, _input(**{field: at_limit}), actor="t", today=TODAY)


@pytest.mark.parametrize("code", [GROUP_CODE[:17], GROUP_CODE + "1", GROUP_CODE[:8] + "I" + GROUP_CODE[9:],
                                  GROUP_CODE[:8] + "O" + GROUP_CODE[9:]])
def test_malformed_uscc_is_a_problem(db: Database, code: str) -> None:
    problems = _refused(db, _input(uscc=code))
    assert set(problems) == {"uscc"}
    assert problems["uscc"].startswith("“统一社会信用代码”有误")


def test_failed_checksum_needs_a_reason(db: Database) -> None:
    code = _bad_checksum(GROUP_CODE)
    problems = _refused(db, _input(uscc=code))
    assert set(problems) == {"uscc"}
    assert "校验位" in problems["uscc"] and "原因" in problems["uscc"]


def test_failed_checksum_is_accepted_with_a_reason_which_is_stored(db: Database) -> None:
    code = _bad_checksum(GROUP_CODE)
    detail = create_org(db.session_factory, _input(uscc=code, uscc_override_reason=" 早期试点代码，经核实无误 "),
                        actor="t", today=TODAY)
    assert "uscc" in detail.warnings and "校验位" in detail.warnings["uscc"]
    stored = get_org(db.session_factory, detail.id)
    assert stored.data.uscc == code
    assert stored.data.uscc_override_reason == "早期试点代码，经核实无误"


def test_type_mismatch_is_only_a_warning(db: Database) -> None:
    detail = create_org(db.session_factory, _input(uscc=SERVICE_CODE), actor="t", today=TODAY)
    assert set(detail.warnings) == {"uscc"}
    assert "社会团体" in detail.warnings["uscc"]
    assert get_org(db.session_factory, detail.id).data.uscc == SERVICE_CODE
    assert check_org(db.session_factory, _input(uscc=SERVICE_CODE, name="另一个")).warnings.keys() == {"uscc"}


def test_duplicate_uscc_names_the_holder_on_create(db: Database) -> None:
    create_org(db.session_factory, _input(), actor="t", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        create_org(db.session_factory, _input(name="另一个协会", uscc=GROUP_CODE.lower()), actor="t", today=TODAY)
    assert "鼓楼区摄影家协会" in caught.value.problems["uscc"]
    assert _count(db, SocialOrg) == 1


def test_duplicate_uscc_names_the_holder_on_update(db: Database) -> None:
    create_org(db.session_factory, _input(), actor="t", today=TODAY)
    other = create_org(db.session_factory, _input(name="台江区书法协会", uscc=make_code("1", "350103", "MJ0000037")),
                       actor="t", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        update_org(db.session_factory, other.id, dataclasses.replace(other.data, uscc=GROUP_CODE),
                   actor="t", today=TODAY)
    assert "鼓楼区摄影家协会" in caught.value.problems["uscc"]
    # saving an organization with its own code is not a duplicate
    same = update_org(db.session_factory, other.id, dataclasses.replace(other.data, notes="备注"),
                      actor="t", today=TODAY)
    assert same.data.notes == "备注"


def test_founding_date_in_the_future_is_a_problem(db: Database) -> None:
    problems = _refused(db, _input(founded_on=TODAY + timedelta(days=1)))
    assert set(problems) == {"founded_on"}
    assert "2026-06-16" in problems["founded_on"]
    assert create_org(db.session_factory, _input(founded_on=TODAY), actor="t", today=TODAY).data.founded_on == TODAY


def test_negative_counts_are_a_problem_per_field(db: Database) -> None:
    problems = _refused(db, _input(staff_count=-1, member_count=-5, party_member_count=-2))
    assert problems == {"staff_count": "“专职工作人员数”不能为负数", "member_count": "“会员数”不能为负数",
                        "party_member_count": "“党员人数”不能为负数"}
    assert _refused(db, _input(member_count=-1)) == {"member_count": "“会员数”不能为负数"}


def test_all_problems_are_reported_at_once(db: Database) -> None:
    problems = _refused(db, _input(name="", uscc="123", founded_on=TODAY + timedelta(days=30), staff_count=-1))
    assert set(problems) == {"name", "uscc", "founded_on", "staff_count"}
    assert all(problems.values())


def test_evaluation_grade_needs_a_date(db: Database) -> None:
    problems = _refused(db, _input(evaluation_grade=EvaluationGrade.A3))
    assert set(problems) == {"evaluation_date"}


def test_failed_update_leaves_the_stored_row_unchanged(db: Database) -> None:
    detail = create_org(db.session_factory, _input(member_count=10), actor="t", today=TODAY)
    bad = dataclasses.replace(detail.data, address="新地址", member_count=-3, name=" ")
    with pytest.raises(ValidationFailed) as caught:
        update_org(db.session_factory, detail.id, bad, actor="t", today=TODAY)
    assert set(caught.value.problems) == {"member_count", "name"}
    stored = get_org(db.session_factory, detail.id, today=TODAY)
    assert stored.data == detail.data and stored.updated_at == detail.updated_at
    assert _count(db, OutboxEntry) == 1


def test_update_saves_changes(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t", today=TODAY)
    updated = update_org(db.session_factory, detail.id, dataclasses.replace(detail.data, address="东街1号"),
                         actor="t", today=TODAY)
    assert updated.data.address == "东街1号"
    assert get_org(db.session_factory, detail.id).data.address == "东街1号"


def test_update_of_an_unknown_organization_is_not_found(db: Database) -> None:
    with pytest.raises(NotFoundError):
        update_org(db.session_factory, "no-such-id", _input(), actor="t", today=TODAY)
    with pytest.raises(NotFoundError):
        get_org(db.session_factory, "no-such-id")


@pytest.mark.parametrize("reason", ["", "   "])
def test_archive_needs_a_reason(db: Database, reason: str) -> None:
    detail = create_org(db.session_factory, _input(), actor="t", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        archive_org(db.session_factory, detail.id, reason=reason, actor="t")
    assert "原因" in caught.value.problems["archive_reason"]
    assert not get_org(db.session_factory, detail.id).archived


def test_over_long_archive_reason_is_refused_not_cut(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t", today=TODAY)
    with pytest.raises(ValidationFailed) as caught:
        archive_org(db.session_factory, detail.id, reason="原" * 201, actor="t")
    assert "200" in caught.value.problems["archive_reason"]
    assert not get_org(db.session_factory, detail.id).archived
    assert archive_org(db.session_factory, detail.id, reason="原" * 200, actor="t").archive_reason == "原" * 200


def test_archive_and_restore_round_trip(db: Database) -> None:
    detail = create_org(db.session_factory, _input(), actor="t", today=TODAY)
    archived = archive_org(db.session_factory, detail.id, reason=" 已注销 ", actor="t")
    assert archived.archived and archived.archive_reason == "已注销"
    assert get_org(db.session_factory, detail.id).archived
    with pytest.raises(ServiceError, match="已经归档"):
        archive_org(db.session_factory, detail.id, reason="again", actor="t")
    restored = restore_org(db.session_factory, detail.id, actor="t")
    assert not restored.archived and restored.archive_reason == ""
    assert restored.data == detail.data
    with pytest.raises(ServiceError, match="无需恢复"):
        restore_org(db.session_factory, detail.id, actor="t")
    with db.session_factory() as session:
        actions = session.execute(select(AuditLog.action).order_by(AuditLog.id)).scalars().all()
    assert actions == ["create", "archive", "restore"]


def test_only_filed_community_organizations_may_lack_a_code(db: Database) -> None:
    filed = create_org(db.session_factory, _input(org_type=OrgType.COMMUNITY_FILED, uscc=""), actor="t", today=TODAY)
    assert filed.data.uscc == ""
    # two filed organizations without a code are not duplicates of each other
    create_org(db.session_factory, _input(name="第二个", org_type=OrgType.COMMUNITY_FILED, uscc=""),
               actor="t", today=TODAY)
    for org_type in (OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE, OrgType.FOUNDATION):
        with pytest.raises(ValidationFailed) as caught:
            create_org(db.session_factory, _input(name="无代码", org_type=org_type, uscc=" "), actor="t", today=TODAY)
        assert "统一社会信用代码" in caught.value.problems["uscc"]
    assert _count(db, SocialOrg) == 2


def test_community_category_alias_is_normalized(db: Database) -> None:
    detail = create_org(db.session_factory, _input(org_type=OrgType.COMMUNITY_FILED, uscc="",
                                                   community_category=" 社区事务类 "), actor="t", today=TODAY)
    assert detail.data.community_category == "专业调处类"
    assert get_org(db.session_factory, detail.id).data.community_category == "专业调处类"


def test_community_category_is_checked(db: Database) -> None:
    problems = _refused(db, _input(org_type=OrgType.COMMUNITY_FILED, uscc="", community_category="娱乐类"))
    assert "生活服务类" in problems["community_category"]
    problems = _refused(db, _input(community_category="生活服务类"))  # only for 社区社会组织
    assert set(problems) == {"community_category"}


def test_a_save_from_a_stale_form_is_refused_and_undoes_nothing(db: Database) -> None:
    """Two forms opened on the same organization: the second save must not silently revert the first."""
    from app.services.core.errors import StaleEditError

    opened = create_org(db.session_factory, _input(), actor="t")  # both forms are filled from this
    first = update_org(db.session_factory, opened.id, dataclasses.replace(opened.data, address="鼓楼区新地址1号"),
                       actor="a", expected_updated_at=opened.updated_at)
    outbox_before = _count(db, OutboxEntry)
    with pytest.raises(StaleEditError) as refused:
        update_org(db.session_factory, opened.id, dataclasses.replace(opened.data, contact_phone="0591-2222222"),
                   actor="b", expected_updated_at=opened.updated_at)
    assert "已被修改" in str(refused.value) and "重新打开" in str(refused.value)
    now = get_org(db.session_factory, opened.id)
    assert now.data.address == "鼓楼区新地址1号" and now.data.contact_phone == ""
    assert _count(db, OutboxEntry) == outbox_before
    # a form reopened on the current record saves normally
    again = update_org(db.session_factory, opened.id, dataclasses.replace(now.data, contact_phone="0591-2222222"),
                       actor="b", expected_updated_at=first.updated_at)
    assert again.data.address == "鼓楼区新地址1号" and again.data.contact_phone == "0591-2222222"


def test_the_archive_day_is_the_district_day_whatever_the_computer_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    from datetime import UTC, datetime

    from app.services.orgs.dto import Coverage as Cov
    from app.services.orgs.dto import OrgDetail

    monkeypatch.setenv("TZ", "UTC")  # the computer's zone must not matter: the district's does
    time.tzset()
    try:
        # archived at 07:30 Beijing time on 21 November = 23:30 UTC on the 20th
        at = datetime(2026, 11, 20, 23, 30, tzinfo=UTC)
        detail = OrgDetail(id="x", data=_input(), server_version=0, updated_at=at, archived_at=at,
                           archive_reason="已注销", coverage=Cov.NONE, credit_listed=False)
        assert detail.archived_on == date(2026, 11, 21)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
