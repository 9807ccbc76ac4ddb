"""The roster a meeting's attendance is picked from: the 党组织's members as they stood on the meeting's
civil date (kind, voting right and why not, 党小组, committee seat), its 党小组 and its committee size.

Built from ``app.services.meetings.attendance`` (the dated records) and the member / party tables, inside
this area.  Read-only; any thread.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.voting_rights import voting_right
from app.models import CommitteeMember, Member, PartyGroup, PartyOrg, PartyOrgTerm
from app.services.core.errors import NotFoundError
from app.services.meetings.attendance import NO_KIND_DATES, records_by_member
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


def roster_in(session: Session, party_org_id: str, day: date) -> Roster:
    """The roster of ``party_org_id`` on the civil date ``day`` (see the module doc)."""
    members = {m.id: m for m in session.execute(select(Member).where(
        Member.party_org_id == party_org_id, Member.deleted_at.is_(None))).scalars()}
    records = records_by_member(session, party_org_id)
    committee = committee_on(session, party_org_id, day)
    listed: list[RosterMember] = []
    for member_id, record in records.items():
        member = members[member_id]
        if member.left_on is not None and member.left_on < day:
            continue
        if record is None:  # no 入党 day kept: listed, without a vote, with what to fix
            listed.append(RosterMember(member_id, member.name, None, False, NO_KIND_DATES, member.party_group_id,
                                       member_id in committee))
            continue
        kind = record.kind_on(day)
        if kind is None or not record.relation_here_on(day):
            continue  # not yet a member, or 组织关系 elsewhere on that day
        right = voting_right(record, day)
        listed.append(RosterMember(member_id, member.name, kind, right.has_vote, right.reason,
                                   member.party_group_id, member_id in committee))
    groups = session.execute(select(PartyGroup.id, PartyGroup.name).where(
        PartyGroup.party_org_id == party_org_id, PartyGroup.deleted_at.is_(None)).order_by(PartyGroup.name))
    return Roster(party_org_id, day, tuple(sorted(listed, key=lambda m: m.name)),
                  tuple((gid, name) for gid, name in groups), len(committee))


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
