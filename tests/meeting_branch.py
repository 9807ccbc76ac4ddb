"""A small 党支部 for meeting tests: nine 正式党员, 李明 预备 until 1 April 2026 (正式 after the meeting of 31
March), a committee of three in the current term, and one 党小组.  Written through the outbox like a user's
edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.domain.enums import CommitteeRole, MemberKind, PartyOrgFormation, PartyOrgLevel
from app.models import CommitteeMember, Member, MemberKindChange, PartyGroup, PartyOrg, PartyOrgTerm, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_upsert

ACTOR = "u:test"
FULL_MEMBERS = ("王芳", "赵强", "孙丽", "钱亮", "周新", "吴敏", "郑伟", "冯静", "陈刚")
PROBATIONARY = "李明"
COMMITTEE = ("王芳", "赵强", "孙丽")


@dataclass(frozen=True)
class Branch:
    party_org_id: str
    members: dict[str, str]  # name -> id
    group_id: str


def make_branch(db: Database, name: str = "中共甲协会支部委员会") -> Branch:
    party_id, group_id = new_id(), new_id()
    members: dict[str, str] = {}
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name=name, level=PartyOrgLevel.BRANCH,
                                        formation=PartyOrgFormation.SINGLE), actor=ACTOR)
        record_upsert(session, PartyGroup(id=group_id, party_org_id=party_id, name="第一党小组"), actor=ACTOR)
        term_id = new_id()
        record_upsert(session, PartyOrgTerm(id=term_id, party_org_id=party_id, term_no=1,
                                            started_on=date(2024, 1, 1), due_on=date(2027, 1, 1)), actor=ACTOR)
        for member_name in (*FULL_MEMBERS, PROBATIONARY):
            member_id = members[member_name] = new_id()
            record_upsert(session, Member(id=member_id, party_org_id=party_id, org_id="org-1", name=member_name,
                                          party_group_id=group_id), actor=ACTOR)
            if member_name == PROBATIONARY:
                changes = ((MemberKind.PROBATIONARY, date(2025, 4, 1)), (MemberKind.FULL, date(2026, 4, 1)))
            else:
                changes = ((MemberKind.FULL, date(2010, 1, 1)),)
            for kind, on in changes:
                record_upsert(session, MemberKindChange(party_org_id=party_id, member_id=member_id, kind=kind,
                                                        changed_on=on), actor=ACTOR)
        for i, member_name in enumerate(COMMITTEE):
            role = CommitteeRole.SECRETARY if i == 0 else CommitteeRole.MEMBER
            seat = CommitteeMember(party_org_id=party_id, term_id=term_id, member_id=members[member_name], role=role,
                                   first_day=date(2024, 1, 1))
            record_upsert(session, seat, actor=ACTOR)
    return Branch(party_id, members, group_id)
