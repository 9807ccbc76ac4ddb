"""Scope keys (DESIGN §3): party-aggregate rows are scoped by their 党组织, and one function says which
scopes an instructor sees — a 联合支部 is served to the instructors of every organization it covers."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from app.domain.enums import MeetingKind, MemberKind, OrgType, PartyOrgFormation, PartyOrgLevel
from app.models import (
    SYNCED_ENTITIES,
    AgendaItem,
    Meeting,
    MeetingAttendance,
    Member,
    MemberKindChange,
    OrgScoped,
    OutboxEntry,
    PartyOrg,
    PartyOrgCoverage,
    PartyScoped,
    Vote,
    new_id,
)
from app.models.base import scope_of
from app.services.core.database import Database
from app.services.core.outbox import record_delete, record_upsert
from app.services.core.scope import Scopes, visible_scopes
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org

PARTY_AGGREGATE = {"party_org", "party_org_coverage", "party_org_term", "committee_member", "party_group", "member",
                   "member_kind_change", "member_probation", "member_relation_change", "member_expected_exclusion",
                   "meeting", "meeting_attendance", "meeting_guest", "agenda_item", "vote", "vote_candidate",
                   "compliance_waiver", "party_attachment"}


def _org(db: Database, name: str) -> str:
    return create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED), actor="t").id


def _branch(db: Database, name: str, *covered: str) -> str:
    party_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name=name, level=PartyOrgLevel.BRANCH,
                                        formation=PartyOrgFormation.JOINT if len(covered) > 1
                                        else PartyOrgFormation.SINGLE), actor="t")
        for org_id in covered:
            record_upsert(session, PartyOrgCoverage(party_org_id=party_id, org_id=org_id), actor="t")
    return party_id


def _scopes(db: Database, *org_ids: str) -> Scopes:
    with db.session_factory() as session:
        return visible_scopes(session, org_ids)


def test_every_synced_model_declares_its_scope_key() -> None:
    for table, model in SYNCED_ENTITIES.items():
        expected = "party_org_id" if table in PARTY_AGGREGATE else "org_id"
        assert model.scope_key == expected, table
        assert issubclass(model, PartyScoped if table in PARTY_AGGREGATE else OrgScoped), table
    # no meaningless scope column left on party rows; org_id only where it is data
    assert "org_id" not in PartyOrg.__table__.columns and "org_id" not in Meeting.__table__.columns
    for model in (MeetingAttendance, AgendaItem, Vote, *(SYNCED_ENTITIES[t] for t in PARTY_AGGREGATE - {
            "party_org_coverage", "member"})):
        assert "org_id" not in model.__table__.columns and "party_org_id" in model.__table__.columns


def test_a_joint_branch_is_seen_by_the_instructors_of_all_its_organizations(db: Database) -> None:
    """Regression (issue item 2): scoped by the lead organization's org_id, a 联合支部 reached only the
    lead's instructor.  Three organizations of three instructors share one 联合支部."""
    lead, second, third = _org(db, "鼓楼区书画协会"), _org(db, "鼓楼区摄影协会"), _org(db, "鼓楼区合唱团")
    alone = _org(db, "台江区足球协会")
    joint = _branch(db, "鼓楼区社会组织第一联合支部委员会", lead, second, third)
    single = _branch(db, "中共台江区足球协会支部委员会", alone)
    instructors = {"张老师": [lead], "李老师": [second], "王老师": [third, alone]}
    seen = {name: _scopes(db, *orgs) for name, orgs in instructors.items()}
    assert seen["张老师"] == Scopes(frozenset({lead}), frozenset({joint}))
    assert seen["李老师"] == Scopes(frozenset({second}), frozenset({joint}))
    assert seen["王老师"] == Scopes(frozenset({third, alone}), frozenset({joint, single}))
    with db.session_factory.begin() as session:  # a member and a meeting of the joint branch
        member = Member(id=new_id(), party_org_id=joint, org_id=third, name="陈红")
        kind = MemberKindChange(party_org_id=joint, member_id=member.id, kind=MemberKind.FULL,
                                changed_on=date(2010, 1, 1))
        meeting = Meeting(party_org_id=joint, kind=MeetingKind.GENERAL_MEETING, started_at=datetime(2026, 3, 31, 20, 0))
        for row in (member, kind, meeting):
            record_upsert(session, row, actor="t")
    for rows_scope in (scope_of(member), scope_of(kind), scope_of(meeting)):
        assert all(rows_scope in s for s in seen.values() if joint in s.party_org_ids)
        assert rows_scope not in _scopes(db, alone)
    with db.session_factory() as session:  # what the server is told the rows are scoped by
        scopes = dict(session.execute(select(OutboxEntry.record_id, OutboxEntry.scope_id)).all())
    assert scopes[member.id] == scopes[kind.id] == scopes[meeting.id] == joint


def test_only_live_party_orgs_and_coverage_count(db: Database) -> None:
    org, other = _org(db, "仓山区义工协会"), _org(db, "仓山区棋类协会")
    gone = _branch(db, "已撤销的联合支部", org, other)
    kept = _branch(db, "仓山区义工协会支部", org)
    assert _scopes(db, org).party_org_ids == {gone, kept}
    with db.session_factory.begin() as session:
        party = session.get(PartyOrg, gone)
        assert party is not None
        record_delete(session, party, actor="t")
        coverage = session.execute(select(PartyOrgCoverage).where(PartyOrgCoverage.party_org_id == kept)).scalar_one()
        record_delete(session, coverage, actor="t")
    assert _scopes(db, org) == Scopes(frozenset({org}), frozenset())
    assert _scopes(db) == Scopes(frozenset(), frozenset())
    assert _scopes(db, new_id()).org_ids == frozenset()  # an unknown organization grants nothing
