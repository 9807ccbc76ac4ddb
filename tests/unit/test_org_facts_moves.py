"""A fact row moved to another organization (its org_id changed) re-derives the organization it left too."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.domain.enums import CreditListKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import Assignment, CreditListing, PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.models.base import OrgScoped, PartyScoped
from app.services.core import derived
from app.services.core.database import Database
from app.services.core.outbox import record_upsert, tombstone
from app.services.orgs.dto import OrgInput
from app.services.orgs.facts import refresh_derived_facts
from app.services.orgs.organizations import create_org

TODAY = date(2026, 6, 15)


@pytest.fixture(autouse=True)
def _facts_derived_for_today(db: Database) -> None:
    refresh_derived_facts(db.session_factory, today=TODAY)


def _org(db: Database, name: str) -> str:
    return create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED), actor="t").id


def _add(db: Database, row: object) -> None:
    with db.session_factory.begin() as session:
        record_upsert(session, row, actor="t")  # type: ignore[arg-type]


def _derived(db: Database, org_id: str) -> tuple[str, bool]:
    with db.session_factory() as session:
        row = session.execute(select(SocialOrg.derived_coverage, SocialOrg.derived_credit_listed)
                              .where(SocialOrg.id == org_id)).one()
    return row[0], bool(row[1])


def _party(db: Database) -> str:
    party_id = new_id()
    _add(db, PartyOrg(id=party_id, party_org_id=party_id, name="联合党支部", level=PartyOrgLevel.BRANCH,
                      formation=PartyOrgFormation.JOINT))
    return party_id


def _move(db: Database, model: type[OrgScoped] | type[PartyScoped], row_id: str, **values: str) -> None:
    with db.session_factory.begin() as session:
        row = session.get(model, row_id)
        assert row is not None
        for key, value in values.items():
            setattr(row, key, value)


def test_moving_a_coverage_row_re_derives_the_organization_it_left(db: Database) -> None:
    """Regression: B became ORGANIZATION and A stayed ORGANIZATION until the next day's refresh."""
    a, b = _org(db, "甲协会"), _org(db, "乙协会")
    coverage = PartyOrgCoverage(id=new_id(), org_id=a, party_org_id=_party(db))
    _add(db, coverage)
    assert (_derived(db, a), _derived(db, b)) == (("ORGANIZATION", False), ("NONE", False))
    _move(db, PartyOrgCoverage, coverage.id, org_id=b)
    assert (_derived(db, a), _derived(db, b)) == (("NONE", False), ("ORGANIZATION", False))


def test_moving_an_assignment_re_derives_the_organization_it_left(db: Database) -> None:
    a, b = _org(db, "甲协会"), _org(db, "乙协会")
    assignment = Assignment(id=new_id(), org_id=a, instructor_id=new_id(), since=TODAY - timedelta(days=3))
    _add(db, assignment)
    assert _derived(db, a) == ("WORK", False)
    _move(db, Assignment, assignment.id, org_id=b)
    assert (_derived(db, a), _derived(db, b)) == (("NONE", False), ("WORK", False))


def test_moving_a_credit_listing_re_derives_the_organization_it_left(db: Database) -> None:
    a, b = _org(db, "甲协会"), _org(db, "乙协会")
    listing = CreditListing(id=new_id(), org_id=a, kind=CreditListKind.ABNORMAL, listed_on=TODAY)
    _add(db, listing)
    assert _derived(db, a) == ("NONE", True)
    _move(db, CreditListing, listing.id, org_id=b)
    assert (_derived(db, a), _derived(db, b)) == (("NONE", False), ("NONE", True))


def test_moving_a_coverage_row_to_a_removed_party_org_uncovers_it(db: Database) -> None:
    a = _org(db, "甲协会")
    coverage = PartyOrgCoverage(id=new_id(), org_id=a, party_org_id=_party(db))
    _add(db, coverage)
    gone = _party(db)
    with db.session_factory.begin() as session:
        tombstone(session, session.get(PartyOrg, gone), actor="t")  # type: ignore[arg-type]
    assert _derived(db, a) == ("ORGANIZATION", False)
    _move(db, PartyOrgCoverage, coverage.id, party_org_id=gone)
    assert _derived(db, a) == ("NONE", False)


def test_the_keepers_hear_the_previous_org_and_party_org(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b = _org(db, "甲协会"), _org(db, "乙协会")
    old_party, new_party = _party(db), _party(db)
    coverage = PartyOrgCoverage(id=new_id(), org_id=a, party_org_id=old_party)
    _add(db, coverage)
    heard: list[tuple[str, frozenset[str]]] = []
    for table in ("social_org", "party_org", "party_org_coverage"):
        monkeypatch.setitem(derived._KEEPERS, table, [lambda _s, t, ids: heard.append((t, ids))])
    _move(db, PartyOrgCoverage, coverage.id, org_id=b, party_org_id=new_party)
    assert sorted(heard) == [("party_org", frozenset({old_party})), ("party_org_coverage", frozenset({coverage.id})),
                             ("social_org", frozenset({a}))]
