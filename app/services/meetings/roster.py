"""The roster a meeting's attendance is picked from: the 党组织's members as they stood on the meeting's
civil date (kind, voting right and why not, 党小组, committee seat), its 党小组 and its committee size.

Built from ``app.services.meetings.attendance`` (the dated records) and the member / party tables, inside
this area.  Read-only; any thread.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import MemberKind
from app.domain.voting_rights import (
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    voting_right,
)
from app.models import PartyOrg
from app.services.core.errors import NotFoundError
from app.services.meetings.attendance import NO_KIND_DATES
from app.services.meetings.dto import PartyOrgChoice, Roster, RosterMember

__all__ = ["meeting_roster", "party_org_choices", "party_org_name", "roster_in"]


_NAME = text("SELECT name FROM party_org WHERE id = :id AND deleted_at IS NULL")


def party_org_name(session: Session, party_org_id: str) -> str:
    """The name of a live 党组织 (NotFoundError otherwise), without loading it."""
    name = session.connection().execute(_NAME, {"id": party_org_id}).scalar()
    if name is None:
        raise NotFoundError("找不到这个党组织（可能已被删除或尚未同步）")
    return str(name)


# The roster's rows in one statement (a meeting's save reads them every time): the 党组织's live members,
# their dated rows, and the committee posts with their term's dates — tagged, as plain values.
_ROSTER_ROWS = text("""
SELECT 0, id, name, party_group_id, left_on, NULL, NULL FROM member
 WHERE party_org_id = :p AND deleted_at IS NULL
UNION ALL SELECT 1, member_id, changed_on, kind, NULL, NULL, NULL FROM member_kind_change
 WHERE party_org_id = :p AND deleted_at IS NULL
UNION ALL SELECT 2, member_id, first_day, last_day, NULL, NULL, NULL FROM member_probation
 WHERE party_org_id = :p AND deleted_at IS NULL
UNION ALL SELECT 3, member_id, changed_on, transferred_in, NULL, NULL, NULL FROM member_relation_change
 WHERE party_org_id = :p AND deleted_at IS NULL
UNION ALL SELECT 4, member_id, reason, approved_by, approved_on, first_day, last_day FROM member_expected_exclusion
 WHERE party_org_id = :p AND deleted_at IS NULL
UNION ALL SELECT 5, c.member_id, c.first_day, c.last_day, t.started_on, t.renewed_on, NULL FROM committee_member AS c
 JOIN party_org_term AS t ON t.id = c.term_id
 WHERE c.party_org_id = :p AND c.deleted_at IS NULL AND t.deleted_at IS NULL""")
_GROUPS = text("SELECT id, name FROM party_group WHERE party_org_id = :p AND deleted_at IS NULL ORDER BY name")


def _day(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def _when(value: str) -> date:
    return date.fromisoformat(value)


@dataclass
class _Rows:
    """What ``_ROSTER_ROWS`` read, by member."""

    members: dict[str, tuple[str, str | None, date | None]] = field(default_factory=dict)  # name, 党小组, left on
    kinds: dict[str, list[KindChange]] = field(default_factory=lambda: defaultdict(list))
    probations: dict[str, list[Probation]] = field(default_factory=lambda: defaultdict(list))
    relations: dict[str, list[RelationChange]] = field(default_factory=lambda: defaultdict(list))
    exclusions: dict[str, list[ExpectedExclusion]] = field(default_factory=lambda: defaultdict(list))
    committee: list[tuple[str, date, date | None, date, date | None]] = field(default_factory=list)

    def committee_on(self, day: date) -> set[str]:
        """The members sitting on the 支部委员会 on ``day`` (a post within its dates, in a term begun by
        then and not yet replaced by the next)."""
        return {member for member, first, last, started, renewed in self.committee
                if first <= day and (last is None or day <= last) and started <= day
                and (renewed is None or day < renewed)}

    def record(self, member_id: str) -> MemberRecord | None:
        """The member's dated record (None: no kind change kept)."""
        kinds = self.kinds.get(member_id)
        if not kinds:
            return None
        return MemberRecord("", tuple(kinds), tuple(self.probations.get(member_id, ())),
                            tuple(self.exclusions.get(member_id, ())), tuple(self.relations.get(member_id, ())))


def _read_rows(session: Session, party_org_id: str) -> _Rows:
    rows = _Rows()
    for tag, member_id, a, b, c, d, e in session.connection().execute(_ROSTER_ROWS, {"p": party_org_id}):
        if tag == 0:
            rows.members[member_id] = (a, b, _day(c))
        elif tag == 1:
            rows.kinds[member_id].append(KindChange(_when(a), MemberKind(b)))
        elif tag == 2:
            rows.probations[member_id].append(Probation(_when(a), _day(b)))
        elif tag == 3:
            rows.relations[member_id].append(RelationChange(_when(a), bool(b)))
        elif tag == 4:
            rows.exclusions[member_id].append(ExpectedExclusion(a, b, _when(c), _when(d), _day(e)))
        else:
            rows.committee.append((member_id, _when(a), _day(b), _when(c), _day(d)))
    return rows


def roster_in(session: Session, party_org_id: str, day: date, *, with_groups: bool = True) -> Roster:
    """The roster of ``party_org_id`` on the civil date ``day`` (see the module doc).  One statement (two
    with the 党小组), plain values, no ORM objects: a meeting's save reads it every time."""
    rows = _read_rows(session, party_org_id)
    committee = rows.committee_on(day)
    listed: list[RosterMember] = []
    others: list[RosterMember] = []
    for member_id, (name, group_id, left_on) in rows.members.items():
        seat = member_id in committee
        if left_on is not None and left_on < day:
            left = f"已于 {left_on.isoformat()} 离开本党组织，不计入应到"
            others.append(RosterMember(member_id, name, None, False, left, group_id, seat))
            continue
        record = rows.record(member_id)
        if record is None:  # no 入党 day kept: listed, without a vote, with what to fix
            listed.append(RosterMember(member_id, name, None, False, NO_KIND_DATES, group_id, seat))
            continue
        right = voting_right(record, day)
        kind = record.kind_on(day)
        on_roster = kind is not None and record.relation_here_on(day)
        (listed if on_roster else others).append(
            RosterMember(member_id, name, kind, right.has_vote, right.reason, group_id, seat))
    groups: tuple[tuple[str, str], ...] = ()
    if with_groups:
        groups = tuple((gid, name) for gid, name in session.connection().execute(_GROUPS, {"p": party_org_id}))
    return Roster(party_org_id, day, tuple(sorted(listed, key=lambda m: m.name)), groups, len(committee),
                  tuple(sorted(others, key=lambda m: m.name)))


def meeting_roster(factory: sessionmaker[Session], party_org_id: str, day: date) -> Roster:
    """The roster the meeting form picks attendance from (changing the meeting's date re-reads it)."""
    with factory() as session:
        party_org_name(session, party_org_id)
        return roster_in(session, party_org_id, day)


def party_org_choices(factory: sessionmaker[Session]) -> tuple[PartyOrgChoice, ...]:
    """Every live 党组织, by name: the choices of the form and the list's filter."""
    with factory() as session:
        rows = session.execute(select(PartyOrg.id, PartyOrg.name).where(PartyOrg.deleted_at.is_(None))
                               .order_by(PartyOrg.name))
        return tuple(PartyOrgChoice(pid, name) for pid, name in rows)
