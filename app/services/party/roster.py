"""党员名册 as it stood on a day: kind, voting right and why not, 组织关系, 党小组 (DESIGN §2.0).

A member's kind, 留党察看, 组织关系 and approved exclusions from 应到 are dated rows; they map onto the
domain's :class:`~app.domain.voting_rights.MemberRecord`, and :func:`app.domain.voting_rights.voting_right`
says who had a vote on the day.  The meeting form picks attendance from :func:`roster_on` on the
meeting's civil date, so a member who became 正式 after that day shows as 预备 with no vote.

Who is on the roster of a day: members who had joined by then (a kind recorded on or before it, or no
入党 day recorded at all — shown so it can be filled in), who had not left (``left_on`` after the day),
and who were not yet to arrive (a member whose first 组织关系 row is a transfer in after the day was in
another party organization then).  Read-only; the caller owns the session.  No Qt.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.voting_rights import (
    ExpectedExclusion,
    KindChange,
    MemberRecord,
    Probation,
    RelationChange,
    voting_right,
)
from app.models import (
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    PartyGroup,
    SocialOrg,
)
from app.services.party.dto import RosterEntry

__all__ = ["NO_JOIN_DAY", "MemberHistory", "histories", "roster_on"]

NO_JOIN_DAY = "缺少入党（或转为正式党员）日期，无法判断表决权：请在党员信息中补录"
CHUNK = 500  # ids per IN (...), under SQLite's bound-parameter limit


@dataclass(frozen=True)
class MemberHistory:
    """A member row's values and their dated record (None: no kind recorded, no 入党 day)."""

    member: Member
    record: MemberRecord | None


_Dated = TypeVar("_Dated", MemberKindChange, MemberProbation, MemberRelationChange, MemberExpectedExclusion)


def _live_of(session: Session, model: type[_Dated], member_ids: list[str]) -> list[_Dated]:
    rows: list[_Dated] = []
    for start in range(0, len(member_ids), CHUNK):
        chunk = member_ids[start:start + CHUNK]
        rows += session.execute(select(model).where(model.member_id.in_(chunk), model.deleted_at.is_(None))).scalars()
    return rows


def histories(session: Session, party_org_id: str, member_ids: Iterable[str] | None = None) -> list[MemberHistory]:
    """Every live member of the party organization (or just ``member_ids``) with their dated record."""
    query = select(Member).where(Member.party_org_id == party_org_id, Member.deleted_at.is_(None))
    if member_ids is not None:
        query = query.where(Member.id.in_(list(member_ids)))
    members = list(session.execute(query.order_by(Member.name, Member.id)).scalars())
    ids = [m.id for m in members]
    kinds: dict[str, list[KindChange]] = defaultdict(list)
    probations: dict[str, list[Probation]] = defaultdict(list)
    relations: dict[str, list[RelationChange]] = defaultdict(list)
    exclusions: dict[str, list[ExpectedExclusion]] = defaultdict(list)
    for k in _live_of(session, MemberKindChange, ids):
        kinds[k.member_id].append(KindChange(k.changed_on, k.kind))
    for p in _live_of(session, MemberProbation, ids):
        probations[p.member_id].append(Probation(p.first_day, p.last_day))
    for r in _live_of(session, MemberRelationChange, ids):
        relations[r.member_id].append(RelationChange(r.changed_on, r.transferred_in))
    for e in _live_of(session, MemberExpectedExclusion, ids):
        exclusions[e.member_id].append(ExpectedExclusion(e.reason, e.approved_by, e.approved_on, e.first_day,
                                                         e.last_day))
    return [MemberHistory(m, MemberRecord(m.name, tuple(sorted(kinds[m.id], key=lambda c: c.on)),
                                          tuple(probations[m.id]), tuple(exclusions[m.id]),
                                          tuple(sorted(relations[m.id], key=lambda c: c.on)))
                          if kinds[m.id] else None)
            for m in members]


def on_roster(history: MemberHistory, day: date) -> bool:
    """Whether the member was in the party organization on ``day`` (see the module's docstring)."""
    member, record = history.member, history.record
    if member.left_on is not None and member.left_on <= day:
        return False
    if record is None:
        return True
    if record.kind_on(day) is None:
        return False
    first_relation = record.relations[0] if record.relations else None
    return not (first_relation is not None and first_relation.transferred_in and first_relation.on > day)


def relation_text(record: MemberRecord | None, day: date) -> tuple[bool, str]:
    """(组织关系 here on ``day``, how the roster says it)."""
    if record is None or not record.relations:
        return True, "已转入"
    latest = max((c for c in record.relations if c.on <= day), key=lambda c: c.on, default=None)
    if latest is None or not latest.transferred_in:
        ever_here = any(c.transferred_in for c in record.relations if c.on <= day)
        shown = latest.on.isoformat() if latest else ""
        return False, f"已转出（{shown}）" if ever_here else "未转入"
    return True, f"已转入（{latest.on.isoformat()}）"


def _kind_since(record: MemberRecord, day: date) -> date | None:
    past = [c for c in record.kinds if c.on <= day]
    return max(past, key=lambda c: c.on).on if past else None


def roster_on(session: Session, party_org_id: str, day: date) -> tuple[RosterEntry, ...]:
    """The members of ``party_org_id`` as they stood on the civil date ``day`` (name order): kind on that
    day, the voting right on that day and why not, 组织关系 then, 党小组.  Read-only; the caller's session."""
    rows = [h for h in histories(session, party_org_id) if on_roster(h, day)]
    org_ids = sorted({h.member.org_id for h in rows})
    org_names: dict[str, str] = {}
    for start in range(0, len(org_ids), CHUNK):
        org_names.update(session.execute(select(SocialOrg.id, SocialOrg.name).where(
            SocialOrg.id.in_(org_ids[start:start + CHUNK]))).all())
    groups = dict(session.execute(select(PartyGroup.id, PartyGroup.name).where(
        PartyGroup.party_org_id == party_org_id, PartyGroup.deleted_at.is_(None))).all())
    return tuple(_entry(h, day, org_names, groups) for h in rows)


def _entry(history: MemberHistory, day: date, org_names: dict[str, str], groups: dict[str, str]) -> RosterEntry:
    member, record = history.member, history.record
    if record is None:
        kind, since, has_vote, reason, probation = None, None, False, NO_JOIN_DAY, False
    else:
        right = voting_right(record, day)
        kind, since, has_vote, reason = record.kind_on(day), _kind_since(record, day), right.has_vote, right.reason
        probation = any(p.covers(day) for p in record.probations)
    here, relation = relation_text(record, day)
    group_id = member.party_group_id if member.party_group_id in groups else None
    return RosterEntry(
        member_id=member.id, name=member.name, gender=member.gender, birth_year=member.birth_year,
        phone=member.phone, org_id=member.org_id, org_name=org_names.get(member.org_id, ""),
        joined_on=member.joined_on, kind=kind, kind_since=since, has_vote=has_vote, vote_reason=reason,
        relation_here=here, relation_text=relation, on_probation=probation, group_id=group_id,
        group_name=groups.get(group_id, "") if group_id else "", day=day)
