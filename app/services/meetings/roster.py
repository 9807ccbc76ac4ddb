"""The roster a meeting's attendance is picked from: the 党组织's members as they stood on the meeting's
civil date (kind, voting right and why not, 党小组, committee seat), its 党小组 and its committee size.

Built from ``app.services.meetings.attendance`` (the dated records) and the member / party tables, inside
this area.  Read-only; any thread.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.voting_rights import (
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    voting_right,
)
from app.models import (
    CommitteeMember,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    PartyGroup,
    PartyOrg,
    PartyOrgTerm,
)
from app.services.core.errors import NotFoundError
from app.services.meetings.attendance import NO_KIND_DATES
from app.services.meetings.dto import PartyOrgChoice, Roster, RosterMember

__all__ = ["committee_on", "meeting_roster", "party_org_choices", "party_org_named", "roster_in"]


def party_org_named(session: Session, party_org_id: str) -> PartyOrg:
    party = session.get(PartyOrg, party_org_id)
    if party is None or party.deleted_at is not None:
        raise NotFoundError("找不到这个党组织（可能已被删除或尚未同步）")
    return party


def committee_on(session: Session, party_org_id: str, day: date) -> set[str]:
    """The members sitting on the 支部委员会 on ``day`` (a post within its dates, in a term begun by then
    and not yet replaced by the next)."""
    rows = session.execute(
        select(CommitteeMember.member_id, CommitteeMember.first_day, CommitteeMember.last_day,
               PartyOrgTerm.started_on, PartyOrgTerm.renewed_on)
        .join(PartyOrgTerm, PartyOrgTerm.id == CommitteeMember.term_id)
        .where(CommitteeMember.party_org_id == party_org_id, CommitteeMember.deleted_at.is_(None),
               PartyOrgTerm.deleted_at.is_(None)))
    return {member for member, first, last, started, renewed in rows
            if first <= day and (last is None or day <= last) and started <= day
            and (renewed is None or day < renewed)}


def _records(session: Session, party_org_id: str, member_ids: set[str]) -> dict[str, MemberRecord | None]:
    """Each member's dated record (None: no kind change kept), read as plain tuples by the 党组织's scope
    key — four indexed queries, no ORM objects (a meeting's save reads them every time)."""
    kinds: dict[str, list[KindChange]] = defaultdict(list)
    probations: dict[str, list[Probation]] = defaultdict(list)
    relations: dict[str, list[RelationChange]] = defaultdict(list)
    exclusions: dict[str, list[ExpectedExclusion]] = defaultdict(list)
    live = {"party_org_id": party_org_id}
    k, p, r, e = MemberKindChange, MemberProbation, MemberRelationChange, MemberExpectedExclusion
    for member_id, on, kind in session.execute(select(k.member_id, k.changed_on, k.kind).filter_by(**live)
                                               .where(k.deleted_at.is_(None))):
        kinds[member_id].append(KindChange(on, kind))
    for member_id, first, last in session.execute(select(p.member_id, p.first_day, p.last_day).filter_by(**live)
                                                  .where(p.deleted_at.is_(None))):
        probations[member_id].append(Probation(first, last))
    for member_id, on, here in session.execute(select(r.member_id, r.changed_on, r.transferred_in)
                                               .filter_by(**live).where(r.deleted_at.is_(None))):
        relations[member_id].append(RelationChange(on, here))
    for member_id, reason, by, approved, first, last in session.execute(
            select(e.member_id, e.reason, e.approved_by, e.approved_on, e.first_day, e.last_day)
            .filter_by(**live).where(e.deleted_at.is_(None))):
        exclusions[member_id].append(ExpectedExclusion(reason, by, approved, first, last))
    return {member_id: MemberRecord("", tuple(kinds[member_id]), tuple(probations[member_id]),
                                    tuple(exclusions[member_id]), tuple(relations[member_id]))
            if kinds[member_id] else None for member_id in member_ids}


def roster_in(session: Session, party_org_id: str, day: date, *, with_groups: bool = True) -> Roster:
    """The roster of ``party_org_id`` on the civil date ``day`` (see the module doc)."""
    members = {row.id: row for row in session.execute(
        select(Member.id, Member.name, Member.party_group_id, Member.left_on).where(
            Member.party_org_id == party_org_id, Member.deleted_at.is_(None)))}
    records = _records(session, party_org_id, set(members))
    committee = committee_on(session, party_org_id, day)
    listed: list[RosterMember] = []
    others: list[RosterMember] = []
    for member_id, record in records.items():
        member = members[member_id]
        seat = member_id in committee
        if member.left_on is not None and member.left_on < day:
            others.append(RosterMember(member_id, member.name, None, False,
                                       f"已于 {member.left_on.isoformat()} 离开本党组织，不计入应到",
                                       member.party_group_id, seat))
            continue
        if record is None:  # no 入党 day kept: listed, without a vote, with what to fix
            listed.append(RosterMember(member_id, member.name, None, False, NO_KIND_DATES, member.party_group_id, seat))
            continue
        right = voting_right(record, day)
        kind = record.kind_on(day)
        on_roster = kind is not None and record.relation_here_on(day)
        (listed if on_roster else others).append(
            RosterMember(member_id, member.name, kind, right.has_vote, right.reason, member.party_group_id, seat))
    if not with_groups:
        return Roster(party_org_id, day, tuple(sorted(listed, key=lambda m: m.name)), (), len(committee),
                      tuple(sorted(others, key=lambda m: m.name)))
    groups = session.execute(select(PartyGroup.id, PartyGroup.name).where(
        PartyGroup.party_org_id == party_org_id, PartyGroup.deleted_at.is_(None)).order_by(PartyGroup.name))
    return Roster(party_org_id, day, tuple(sorted(listed, key=lambda m: m.name)),
                  tuple((gid, name) for gid, name in groups), len(committee),
                  tuple(sorted(others, key=lambda m: m.name)))


def meeting_roster(factory: sessionmaker[Session], party_org_id: str, day: date) -> Roster:
    """The roster the meeting form picks attendance from (changing the meeting's date re-reads it)."""
    with factory() as session:
        party_org_named(session, party_org_id)
        return roster_in(session, party_org_id, day)


def party_org_choices(factory: sessionmaker[Session]) -> tuple[PartyOrgChoice, ...]:
    """Every live 党组织, by name: the choices of the form and the list's filter."""
    with factory() as session:
        rows = session.execute(select(PartyOrg.id, PartyOrg.name).where(PartyOrg.deleted_at.is_(None))
                               .order_by(PartyOrg.name))
        return tuple(PartyOrgChoice(pid, name) for pid, name in rows)
