"""An organization's own records (年检, 信用记录, 换届, 评估): validation messages, tombstones, the outbox,
the ledger's credit column kept in step, and the 评估 history setting the organization's grade."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import OrgType
from app.models import AnnualInspection, OrgEvaluation, OutboxEntry
from app.services.core.database import Database
from app.services.core.errors import NotFoundError, StaleEditError, ValidationFailed
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgInput
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.ledger import ledger_rows, query_ledger
from app.services.orgs.organizations import create_org, get_org
from app.services.orgs.record_dto import (
    CreditInput,
    CreditListKind,
    EvaluationGrade,
    EvaluationInput,
    InspectionInput,
    InspectionResult,
    RecordKind,
    TermInput,
)
from app.services.orgs.records import (
    FIRST_HISTORY_NOTE,
    add_record,
    check_record,
    delete_record,
    list_records,
    update_record,
)

TODAY = date(2026, 6, 15)
FOUNDED = date(2015, 3, 1)


@pytest.fixture
def org(db: Database) -> str:
    refresh_derived_facts(db.session_factory, today=TODAY)
    data = OrgInput(name="温泉街道志愿者服务队", org_type=OrgType.COMMUNITY_FILED, founded_on=FOUNDED)
    return create_org(db.session_factory, data, actor="t", today=TODAY).id


def _add(db: Database, org: str, data: object) -> str:
    return add_record(db.session_factory, org, data, actor="t", today=TODAY).id  # type: ignore[arg-type]


def _problems(db: Database, org: str, data: object, record_id: str | None = None) -> dict[str, str]:
    problems = check_record(db.session_factory, org, data, record_id=record_id, today=TODAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationFailed) as failed:
        if record_id is None:
            _add(db, org, data)
        else:
            update_record(db.session_factory, record_id, data, actor="t", today=TODAY)  # type: ignore[arg-type]
    assert failed.value.problems == problems  # the live check and the save say the same
    return problems


# -- 年检 ---------------------------------------------------------------------------------------------

def test_inspection_messages(db: Database, org: str) -> None:
    assert _problems(db, org, InspectionInput(None, None)) == {
        "year": "请填写年度（如 2025，即 2025 年度的年检/年报）",
        "result": "请选择年检结论（合格 / 基本合格 / 不合格 / 未参检）"}
    assert _problems(db, org, InspectionInput(2027, InspectionResult.PASSED))["year"] == (
        "年度应在 1949–2026 之间（现为 2027）")
    assert _problems(db, org, InspectionInput(2014, InspectionResult.PASSED))["year"] == (
        "该组织成立于 2015 年，不能有 2014 年度的年检")
    assert _problems(db, org, InspectionInput(2025, InspectionResult.PASSED, "注" * 201))["note"] == (
        "备注最多200字（现为201字）")


def test_one_inspection_per_year_named_in_the_message(db: Database, org: str) -> None:
    first = _add(db, org, InspectionInput(2024, InspectionResult.PASSED))
    assert _problems(db, org, InspectionInput(2024, InspectionResult.FAILED)) == {
        "year": "2024 年度的年检结果已经录入，请编辑那一条，不要重复录入"}
    edited = update_record(db.session_factory, first, InspectionInput(2024, InspectionResult.BASICALLY_PASSED, " 补 "),
                           actor="t", today=TODAY)  # editing itself is no duplicate
    assert edited.data == InspectionInput(2024, InspectionResult.BASICALLY_PASSED, "补")


def test_a_deleted_year_can_be_entered_again_and_the_server_hears_both(db: Database, org: str) -> None:
    first = _add(db, org, InspectionInput(2024, InspectionResult.PASSED))
    assert delete_record(db.session_factory, RecordKind.INSPECTION, first, actor="t") == org
    assert list_records(db.session_factory, org, RecordKind.INSPECTION) == ()
    again = _add(db, org, InspectionInput(2024, InspectionResult.FAILED))
    assert again == first  # (org, year) is unique among tombstones too: the row is restored
    with db.session_factory() as session:
        row = session.get(AnnualInspection, first)
        assert row is not None and row.deleted_at is None and row.result is InspectionResult.FAILED
        ops = session.execute(select(OutboxEntry.op).where(OutboxEntry.record_id == first)).scalars().all()
    assert [op.value for op in ops] == ["upsert"]  # still pending: coalesced into one entry


def test_records_are_listed_newest_first(db: Database, org: str) -> None:
    for year in (2022, 2024, 2023):
        _add(db, org, InspectionInput(year, InspectionResult.PASSED))
    years = [r.data.year for r in list_records(db.session_factory, org, RecordKind.INSPECTION)]  # type: ignore[union-attr]
    assert years == [2024, 2023, 2022]


# -- 信用 ---------------------------------------------------------------------------------------------

def test_credit_messages(db: Database, org: str) -> None:
    assert _problems(db, org, CreditInput(None, None)) == {
        "kind": "请选择名录（异常名录 / 严重违法失信名单）", "listed_on": "请填写列入日期",
        "reason": "请填写列入原因（如：未按规定参加年检）"}
    late = CreditInput(CreditListKind.ABNORMAL, date(2026, 6, 16), "未年检")
    assert _problems(db, org, late)["listed_on"] == "列入日期（2026-06-16）晚于今天，请核对"
    early = CreditInput(CreditListKind.ABNORMAL, date(2014, 1, 1), "未年检")
    assert _problems(db, org, early)["listed_on"] == "列入日期（2014-01-01）早于该组织的成立日期（2015-03-01），请核对"
    backwards = CreditInput(CreditListKind.ABNORMAL, date(2025, 8, 1), "未年检", removed_on=date(2025, 7, 1))
    assert _problems(db, org, backwards) == {"removed_on": "移出日期（2025-07-01）不能早于列入日期（2025-08-01）"}


def test_one_open_listing_per_list(db: Database, org: str) -> None:
    _add(db, org, CreditInput(CreditListKind.ABNORMAL, date(2025, 8, 1), "未年检"))
    assert _problems(db, org, CreditInput(CreditListKind.ABNORMAL, date(2026, 1, 5), "住所无法联系")) == {
        "removed_on": "该组织已有一条未移出的异常名录记录（2025-08-01列入）：请先在那一条填写移出日期"}
    _add(db, org, CreditInput(CreditListKind.SERIOUS, date(2026, 1, 5), "被列入严重违法失信名单"))  # another list


def _listed(db: Database, org: str) -> tuple[bool, bool]:
    """(the ledger row's 信用 flag, whether the 已列入 filter finds it)."""
    row = ledger_rows(db.session_factory, [org], today=TODAY)[0]
    found = org in query_ledger(db.session_factory, LedgerFilter(credit_listed=True), LedgerSort(), today=TODAY).ids
    return row.credit_listed, found


def test_a_listing_shows_in_the_ledger_at_once_and_leaves_when_removed(db: Database, org: str) -> None:
    assert _listed(db, org) == (False, False)
    listing = _add(db, org, CreditInput(CreditListKind.ABNORMAL, date(2025, 8, 1), "未年检"))
    assert _listed(db, org) == (True, True)
    update_record(db.session_factory, listing, CreditInput(CreditListKind.ABNORMAL, date(2025, 8, 1), "未年检",
                                                           removed_on=date(2026, 6, 1)), actor="t", today=TODAY)
    assert _listed(db, org) == (False, False)
    update_record(db.session_factory, listing, CreditInput(CreditListKind.ABNORMAL, date(2025, 8, 1), "未年检"),
                  actor="t", today=TODAY)
    assert _listed(db, org) == (True, True)
    delete_record(db.session_factory, RecordKind.CREDIT, listing, actor="t")
    assert _listed(db, org) == (False, False)


# -- 换届 ---------------------------------------------------------------------------------------------

def test_term_messages(db: Database, org: str) -> None:
    assert _problems(db, org, TermInput(None, None, None)) == {
        "term_no": "请填写届次（第几届）", "started_on": "请填写本届开始日期", "ends_on": "请填写届满日期"}
    same_day = TermInput(1, date(2020, 1, 1), date(2020, 1, 1))
    assert _problems(db, org, same_day) == {"ends_on": "届满日期（2020-01-01）应晚于开始日期（2020-01-01）"}
    assert _problems(db, org, TermInput(0, date(2020, 1, 1), date(2025, 1, 1)))["term_no"] == "届次应在 1–99 之间"
    assert _problems(db, org, TermInput(2, date(2026, 7, 1), date(2031, 6, 30)))["started_on"] == (
        "本届开始日期（2026-07-01）晚于今天，请核对")
    first = _add(db, org, TermInput(1, date(2015, 3, 1), date(2020, 2, 28)))
    assert _problems(db, org, TermInput(1, date(2020, 3, 1), date(2025, 2, 28))) == {
        "term_no": "第1届已经录入，请编辑那一条"}
    _add(db, org, TermInput(2, date(2020, 3, 1), date(2025, 2, 28)))
    assert _problems(db, org, TermInput(2, date(2015, 3, 1), date(2020, 2, 28)), record_id=first) == {
        "term_no": "第2届已经录入，请编辑那一条"}


# -- 评估 ---------------------------------------------------------------------------------------------

def _grade(db: Database, org: str) -> tuple[EvaluationGrade | None, date | None]:
    data = get_org(db.session_factory, org, today=TODAY).data
    return data.evaluation_grade, data.evaluation_date


def test_evaluation_messages(db: Database, org: str) -> None:
    assert _problems(db, org, EvaluationInput(None, None)) == {
        "grade": "请选择评估等级（1A–5A）", "evaluated_on": "请填写评估日期"}
    assert _problems(db, org, EvaluationInput(EvaluationGrade.A3, date(2026, 7, 1)))["evaluated_on"] == (
        "评估日期（2026-07-01）晚于今天，请核对")
    _add(db, org, EvaluationInput(EvaluationGrade.A3, date(2021, 5, 10)))
    assert _problems(db, org, EvaluationInput(EvaluationGrade.A4, date(2021, 5, 10))) == {
        "evaluated_on": "2021-05-10的评估已经录入，请编辑那一条"}


def test_the_latest_evaluation_is_the_organizations_grade(db: Database, org: str) -> None:
    older = _add(db, org, EvaluationInput(EvaluationGrade.A3, date(2019, 5, 10)))
    assert _grade(db, org) == (EvaluationGrade.A3, date(2019, 5, 10))
    newer = _add(db, org, EvaluationInput(EvaluationGrade.A4, date(2024, 9, 1)))
    assert _grade(db, org) == (EvaluationGrade.A4, date(2024, 9, 1))
    _add(db, org, EvaluationInput(EvaluationGrade.A2, date(2016, 1, 1)))  # an older one found in the files
    assert _grade(db, org) == (EvaluationGrade.A4, date(2024, 9, 1))
    delete_record(db.session_factory, RecordKind.EVALUATION, newer, actor="t")
    assert _grade(db, org) == (EvaluationGrade.A3, date(2019, 5, 10))
    assert [r.data.grade for r in list_records(db.session_factory, org, RecordKind.EVALUATION)] == [  # type: ignore[union-attr]
        EvaluationGrade.A3, EvaluationGrade.A2]  # history kept, newest first
    update_record(db.session_factory, older, EvaluationInput(EvaluationGrade.A5, date(2019, 5, 10)), actor="t",
                  today=TODAY)
    assert _grade(db, org) == (EvaluationGrade.A5, date(2019, 5, 10))


def test_the_last_evaluation_deleted_clears_the_grade(db: Database, org: str) -> None:
    only = _add(db, org, EvaluationInput(EvaluationGrade.A3, date(2019, 5, 10)))
    delete_record(db.session_factory, RecordKind.EVALUATION, only, actor="t")
    assert _grade(db, org) == (None, None)
    with db.session_factory() as session:
        row = session.get(OrgEvaluation, only)
        assert row is not None and row.deleted_at is not None  # a tombstone, not a hard delete
        assert session.execute(select(OutboxEntry.op).where(OutboxEntry.record_id == only)).scalar_one().value == (
            "delete")


def test_a_grade_from_the_form_becomes_history_when_the_first_evaluation_is_added(db: Database) -> None:
    data = OrgInput(name="某某社区服务队", org_type=OrgType.COMMUNITY_FILED, founded_on=FOUNDED,
                    evaluation_grade=EvaluationGrade.A3, evaluation_date=date(2020, 4, 1))
    org = create_org(db.session_factory, data, actor="t", today=TODAY).id
    _add(db, org, EvaluationInput(EvaluationGrade.A4, date(2025, 4, 1)))
    history = list_records(db.session_factory, org, RecordKind.EVALUATION)
    assert [(r.data.grade, r.data.evaluated_on, r.data.note) for r in history] == [  # type: ignore[union-attr]
        (EvaluationGrade.A4, date(2025, 4, 1), ""), (EvaluationGrade.A3, date(2020, 4, 1), FIRST_HISTORY_NOTE)]
    assert _grade(db, org) == (EvaluationGrade.A4, date(2025, 4, 1))


def test_an_evaluation_edited_elsewhere_is_not_overwritten(db: Database, org: str) -> None:
    record = add_record(db.session_factory, org, EvaluationInput(EvaluationGrade.A3, date(2019, 5, 10)), actor="t",
                        today=TODAY)
    update_record(db.session_factory, record.id, EvaluationInput(EvaluationGrade.A4, date(2019, 5, 10)), actor="t",
                  today=TODAY)
    with pytest.raises(StaleEditError):
        update_record(db.session_factory, record.id, EvaluationInput(EvaluationGrade.A2, date(2019, 5, 10)),
                      actor="t", expected_updated_at=record.updated_at, today=TODAY)


def test_records_of_a_missing_organization_or_record(db: Database) -> None:
    with pytest.raises(NotFoundError):
        list_records(db.session_factory, "nope", RecordKind.TERM)
    with pytest.raises(NotFoundError, match="换届"):
        delete_record(db.session_factory, RecordKind.TERM, "nope", actor="t")
