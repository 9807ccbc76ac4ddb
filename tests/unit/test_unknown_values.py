"""Enumerations from the wire are checked (DESIGN §3): a code from a newer server is reported and shown,
never a crash."""

from __future__ import annotations

import logging
from datetime import date, timedelta

import pytest
from sqlalchemy import text

from app.domain.enums import EvaluationGrade, OrgType
from app.domain.unknown_values import UnknownValue, parse_enum
from app.services.core.database import Database
from app.services.core.outbox_guard import bulk_writes
from app.services.orgs.dto import LedgerFilter, LedgerSort, OrgInput, SortKey
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.ledger import ledger_rows, query_ledger
from app.services.orgs.organizations import create_org

TODAY = date(2026, 6, 15)


def test_parse_enum_keeps_an_unknown_code() -> None:
    assert parse_enum(OrgType, "FOUNDATION") is OrgType.FOUNDATION
    unknown = parse_enum(OrgType, "PARTY_SCHOOL")
    assert unknown == UnknownValue("OrgType", "PARTY_SCHOOL")
    assert unknown.label == "未知（PARTY_SCHOOL）" and unknown.value == "PARTY_SCHOOL"


@pytest.mark.parametrize("fresh", [True, False], ids=["derived columns", "rules"])
def test_ledger_rows_show_and_report_an_unknown_code(db: Database, fresh: bool,
                                                    caplog: pytest.LogCaptureFixture) -> None:
    """Regression (issue item 6): ``OrgType(r[3])`` raised ValueError and the ledger could not show a page
    holding a row a newer server had sent."""
    known = create_org(db.session_factory, OrgInput(name="甲协会", org_type=OrgType.COMMUNITY_FILED), actor="t").id
    newer = create_org(db.session_factory, OrgInput(name="乙协会", org_type=OrgType.COMMUNITY_FILED), actor="t").id
    refresh_derived_facts(db.session_factory, today=TODAY if fresh else TODAY - timedelta(days=1))
    with db.session_factory.begin() as session, bulk_writes(session):  # as a sync pull would write it
        session.execute(text("UPDATE social_org SET org_type = 'PARTY_SCHOOL', evaluation_grade = '6A',"
                             " evaluation_date = '2025-01-02' WHERE id = :i"), {"i": newer})
    with caplog.at_level(logging.WARNING, logger="app.services.orgs.ledger"):
        rows = ledger_rows(db.session_factory, [known, newer], today=TODAY)
    assert [r.id for r in rows] == [known, newer]
    assert rows[0].org_type is OrgType.COMMUNITY_FILED
    assert rows[1].org_type == UnknownValue("OrgType", "PARTY_SCHOOL")
    assert rows[1].org_type.label == "未知（PARTY_SCHOOL）"
    assert rows[1].evaluation_grade == UnknownValue("EvaluationGrade", "6A")
    reported = [r.getMessage() for r in caplog.records]
    assert any(newer in m and "PARTY_SCHOOL" in m for m in reported)
    assert any(newer in m and "6A" in m for m in reported)
    assert all(known not in m for m in reported)
    # sorting by type still works: the unknown code goes last
    ids = query_ledger(db.session_factory, LedgerFilter(), LedgerSort(SortKey.ORG_TYPE), today=TODAY).ids
    assert ids == (known, newer)
    assert EvaluationGrade.A5 is parse_enum(EvaluationGrade, "5A")


def test_opening_an_organization_with_an_unknown_code_says_so(db: Database) -> None:
    """Regression (review of issue 5): the ledger showed the row, but opening it raised LookupError."""
    from app.services.core.errors import UnknownCodeError
    from app.services.orgs.organizations import get_org, update_org

    newer = create_org(db.session_factory, OrgInput(name="乙协会", org_type=OrgType.COMMUNITY_FILED), actor="t")
    with db.session_factory.begin() as session, bulk_writes(session):  # as a sync pull would write it
        session.execute(text("UPDATE social_org SET org_type = 'PARTY_SCHOOL' WHERE id = :i"), {"i": newer.id})
    with pytest.raises(UnknownCodeError, match="PARTY_SCHOOL"):
        get_org(db.session_factory, newer.id)
    with pytest.raises(UnknownCodeError):
        update_org(db.session_factory, newer.id, newer.data, actor="t")
    with db.session_factory() as session:  # nothing was written over the newer server's code
        assert session.execute(text("SELECT org_type FROM social_org WHERE id = :i"),
                               {"i": newer.id}).scalar() == "PARTY_SCHOOL"
