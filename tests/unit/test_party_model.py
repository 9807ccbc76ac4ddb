"""The party organization model (DESIGN §2.0): terms kept as history, committee per term, 党小组 rows, and a
member's dated changes mapped onto the domain's records — so the voting right on a past day is known."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from app.domain.enums import CommitteeRole, MemberKind, PartyOrgFormation, PartyOrgLevel
from app.domain.voting_rights import voting_right
from app.models import (
    CommitteeMember,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    OutboxEntry,
    PartyGroup,
    PartyOrg,
    PartyOrgTerm,
    new_id,
)
from app.services.core.database import Database
from app.services.core.outbox import record_upsert, tombstone
from app.services.meetings.attendance import NO_KIND_DATES, member_records, records_by_member, voting_rights_on

ACTOR = "u:test"


def _branch(db: Database) -> str:
    party_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name="中共甲协会支部委员会",
                                        level=PartyOrgLevel.BRANCH, formation=PartyOrgFormation.SINGLE), actor=ACTOR)
    return party_id


def _member(db: Database, party_id: str, name: str, *changes: tuple[MemberKind, date]) -> str:
    member_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, Member(id=member_id, party_org_id=party_id, org_id="org-1", name=name), actor=ACTOR)
        for kind, on in changes:
            record_upsert(session, MemberKindChange(member_id=member_id, party_org_id=party_id, kind=kind,
                                                    changed_on=on), actor=ACTOR)
    return member_id


def test_terms_are_history_a_new_term_is_a_new_row(db: Database) -> None:
    party_id = _branch(db)
    with db.session_factory.begin() as session:
        first = PartyOrgTerm(party_org_id=party_id, term_no=1, started_on=date(2020, 3, 1), due_on=date(2023, 3, 1))
        record_upsert(session, first, actor=ACTOR)
    with db.session_factory.begin() as session:  # 换届: the old term is marked done, a new one begins
        old = session.get(PartyOrgTerm, first.id)
        assert old is not None
        old.renewed_on = date(2023, 2, 20)
        record_upsert(session, old, actor=ACTOR)
        record_upsert(session, PartyOrgTerm(party_org_id=party_id, term_no=2, started_on=date(2023, 2, 20),
                                            due_on=date(2026, 2, 20)), actor=ACTOR)
    with db.session_factory() as session:
        terms = session.execute(select(PartyOrgTerm).order_by(PartyOrgTerm.term_no)).scalars().all()
        assert [(t.term_no, t.started_on, t.renewed_on) for t in terms] == [
            (1, date(2020, 3, 1), date(2023, 2, 20)), (2, date(2023, 2, 20), None)]
        entries = session.execute(select(OutboxEntry).where(OutboxEntry.entity == "party_org_term")).scalars().all()
        assert {e.scope_id for e in entries} == {party_id} and len(entries) == 2


def test_committee_seats_belong_to_a_term_and_groups_are_rows(db: Database) -> None:
    party_id = _branch(db)
    wang = _member(db, party_id, "王芳", (MemberKind.FULL, date(2010, 1, 1)))
    with db.session_factory.begin() as session:
        term = PartyOrgTerm(party_org_id=party_id, term_no=1, started_on=date(2024, 1, 5), due_on=date(2027, 1, 5))
        record_upsert(session, term, actor=ACTOR)
        record_upsert(session, CommitteeMember(party_org_id=party_id, term_id=term.id, member_id=wang,
                                               role=CommitteeRole.SECRETARY, first_day=term.started_on), actor=ACTOR)
        group = PartyGroup(party_org_id=party_id, name="第一党小组", leader_member_id=wang)
        record_upsert(session, group, actor=ACTOR)
        member = session.get(Member, wang)
        assert member is not None
        member.party_group_id = group.id
        record_upsert(session, member, actor=ACTOR)
    with db.session_factory() as session:
        seat = session.execute(select(CommitteeMember)).scalar_one()
        assert (seat.role, seat.role.label, seat.term_id) == (CommitteeRole.SECRETARY, "书记", term.id)
        assert session.get(Member, wang).party_group_id == group.id  # type: ignore[union-attr]
        [entry] = session.execute(select(OutboxEntry).where(OutboxEntry.record_id == wang)).scalars().all()
        assert entry.fields["party_group_id"] == group.id  # the edit was merged into the pending entry


def test_rows_map_onto_the_domain_records(db: Database) -> None:
    party_id = _branch(db)
    li = _member(db, party_id, "李明", (MemberKind.PROBATIONARY, date(2025, 4, 1)), (MemberKind.FULL, date(2026, 4, 1)))
    zhao = _member(db, party_id, "赵强", (MemberKind.FULL, date(2015, 6, 1)))
    sun = _member(db, party_id, "孙丽", (MemberKind.FULL, date(2012, 6, 1)))
    qian = _member(db, party_id, "钱亮", (MemberKind.FULL, date(2018, 6, 1)))
    nodate = _member(db, party_id, "周新")
    with db.session_factory.begin() as session:
        record_upsert(session, MemberProbation(party_org_id=party_id, member_id=zhao, first_day=date(2025, 1, 1),
                                               last_day=date(2025, 12, 31)), actor=ACTOR)
        record_upsert(session, MemberRelationChange(party_org_id=party_id, member_id=qian, changed_on=date(2026, 4, 10),
                                                    transferred_in=True), actor=ACTOR)
        record_upsert(session, MemberExpectedExclusion(
            party_org_id=party_id, member_id=sun, reason="因病长期住院", approved_by="支部党员大会通过",
            approved_on=date(2026, 3, 10), first_day=date(2026, 3, 1), last_day=date(2026, 8, 31)), actor=ACTOR)
    with db.session_factory() as session:
        records = records_by_member(session, party_id)
        assert records[nodate] is None and len(member_records(session, party_id)) == 4
        march = voting_rights_on(session, party_id, date(2026, 3, 31))
        later = voting_rights_on(session, party_id, date(2026, 9, 1))
    assert records[li] is not None and records[li].kind_on(date(2026, 3, 31)) is MemberKind.PROBATIONARY
    assert {k: v.has_vote for k, v in march.items()} == {li: False, zhao: True, sun: False, qian: False, nodate: False}
    assert {k: v.has_vote for k, v in later.items()} == {li: True, zhao: True, sun: True, qian: True, nodate: False}
    assert march[nodate].reason == NO_KIND_DATES
    assert march[sun].reason.startswith("经批准不计入应到：因病长期住院")
    assert not voting_right(records[zhao], date(2025, 6, 1)).has_vote  # type: ignore[arg-type]  # 留党察看 then


def test_a_tombstoned_change_no_longer_counts(db: Database) -> None:
    party_id = _branch(db)
    chen = _member(db, party_id, "陈红", (MemberKind.FULL, date(2010, 1, 1)))
    with db.session_factory.begin() as session:
        probation = MemberProbation(party_org_id=party_id, member_id=chen, first_day=date(2026, 1, 1))
        record_upsert(session, probation, actor=ACTOR)
    with db.session_factory() as session:
        assert not voting_rights_on(session, party_id, date(2026, 3, 31))[chen].has_vote
    with db.session_factory.begin() as session:
        row = session.get(MemberProbation, probation.id)
        assert row is not None
        entry = tombstone(session, row, actor=ACTOR)
        assert entry is not None and entry.fields["deleted_at"]
    with db.session_factory() as session:
        assert voting_rights_on(session, party_id, date(2026, 3, 31))[chen].has_vote


def test_two_kind_changes_on_one_day_are_refused_in_words(db: Database) -> None:
    party_id = _branch(db)
    _member(db, party_id, "吴静", (MemberKind.PROBATIONARY, date(2025, 1, 1)), (MemberKind.FULL, date(2025, 1, 1)))
    with db.session_factory() as session, pytest.raises(ValueError, match="吴静在 2025-01-01 有两条身份变化记录"):
        member_records(session, party_id)
