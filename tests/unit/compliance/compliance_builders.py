"""Small worlds for the compliance engine's tests: a 党组织 with its members, terms, committee and groups, and
meetings, written through the outbox capture like the services write them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import text

from app.domain.compliance import Level, RuleId
from app.domain.enums import (
    AttendanceStatus,
    CommitteeRole,
    MeetingKind,
    MeetingStatus,
    MemberKind,
    OrgType,
    PartyOrgFormation,
    PartyOrgLevel,
)
from app.models import (
    CommitteeMember,
    Meeting,
    MeetingAttendance,
    Member,
    MemberKindChange,
    PartyGroup,
    PartyOrg,
    PartyOrgCoverage,
    PartyOrgTerm,
    SocialOrg,
    new_id,
)
from app.services.core.database import Database
from app.services.core.outbox import record_upsert

ACTOR = "u:test"


def add(db: Database, *rows: object) -> None:
    with db.session_factory.begin() as session:
        for row in rows:
            record_upsert(session, row, actor=ACTOR)  # type: ignore[arg-type]


def org(db: Database, name: str, *, org_type: OrgType = OrgType.SOCIAL_SERVICE, charter: bool = True,
        founded: date | None = date(2010, 1, 1)) -> str:
    org_id = new_id()
    add(db, SocialOrg(id=org_id, org_id=org_id, name=name, org_type=org_type, party_clause_in_charter=charter,
                      founded_on=founded))
    return org_id


@dataclass
class Branch:
    id: str
    org_ids: list[str]
    members: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    term_id: str = ""


def branch(db: Database, name: str, *, org_ids: Iterable[str] = (), established: date = date(2015, 1, 1),
           formation: PartyOrgFormation = PartyOrgFormation.SINGLE, full: int = 3, probationary: int = 0,
           committee: int = 0, term_started: date | None = date(2025, 1, 10), groups: int = 0) -> Branch:
    """A 党组织 with ``full`` 正式党员 (since ``established``), ``committee`` of them on the 支委会 of a term
    started ``term_started`` (due three years later), ``groups`` 党小组."""
    party_id = new_id()
    orgs = list(org_ids)
    rows: list[object] = [PartyOrg(id=party_id, party_org_id=party_id, name=name, level=PartyOrgLevel.BRANCH,
                                   formation=formation, established_on=established)]
    rows += [PartyOrgCoverage(party_org_id=party_id, org_id=org_id) for org_id in orgs]
    made = Branch(party_id, orgs)
    for n in range(full + probationary):
        member_id = new_id()
        made.members.append(member_id)
        rows.append(Member(id=member_id, party_org_id=party_id, org_id=orgs[0] if orgs else new_id(),
                           name=f"党员{n + 1}"))
        kind = MemberKind.FULL if n < full else MemberKind.PROBATIONARY
        rows.append(MemberKindChange(party_org_id=party_id, member_id=member_id, kind=kind, changed_on=established))
    if term_started is not None:
        made.term_id = new_id()
        rows.append(PartyOrgTerm(id=made.term_id, party_org_id=party_id, term_no=1, started_on=term_started,
                                 due_on=term_started.replace(year=term_started.year + 3)))
        for n in range(committee):
            rows.append(CommitteeMember(party_org_id=party_id, term_id=made.term_id, member_id=made.members[n],
                                        role=CommitteeRole.SECRETARY if n == 0 else CommitteeRole.MEMBER,
                                        first_day=term_started))
    for n in range(groups):
        group_id = new_id()
        made.groups.append(group_id)
        rows.append(PartyGroup(id=group_id, party_org_id=party_id, name=f"第{n + 1}党小组", first_day=established))
    add(db, *rows)
    return made


def meeting(db: Database, party: Branch, kind: MeetingKind, at: datetime, *, status: MeetingStatus = MeetingStatus.DONE,
            group: str | None = None, complete: bool = True) -> str:
    """A meeting; ``complete``: with every item a record must show (place, people, attendance, 议题, 决议)."""
    meeting_id = new_id()
    filled = {"location": "会议室", "host_name": "书记", "recorder_name": "委员", "topic": "学习",
              "decisions": "同意", "lecturer": "书记"} if complete else {}
    rows: list[object] = [Meeting(id=meeting_id, party_org_id=party.id, kind=kind, status=status, started_at=at,
                                  party_group_id=group, **filled)]
    if complete and party.members:
        rows.append(MeetingAttendance(party_org_id=party.id, meeting_id=meeting_id, member_id=party.members[0],
                                      status=AttendanceStatus.PRESENT, had_vote=True))
    add(db, *rows)
    return meeting_id


def rows(db: Database, *, party_org_id: str | None = None, org_id: str | None = None,
         rule: RuleId | None = None) -> list[tuple]:
    """The stored findings (id, rule, level, period_first, subject_id, due_on, waiver_id, message), filtered."""
    where, params = ["1 = 1"], {}
    for column, value in (("party_org_id", party_org_id), ("org_id", org_id), ("rule_id", rule)):
        if value is not None:
            where.append(f"{column} = :{column}")
            params[column] = str(value)
    with db.session_factory() as session:
        return [tuple(r) for r in session.execute(text(
            "SELECT id, rule_id, level, period_first, subject_id, due_on, waiver_id, message FROM compliance_finding"
            f" WHERE {' AND '.join(where)} ORDER BY id"), params)]


def periods_of(found: list[tuple], level: Level | None = None) -> list[str]:
    return sorted(str(r[3]) for r in found if level is None or r[2] == level.value)
