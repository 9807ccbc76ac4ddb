"""党员: add and edit a member, and the dated events that decide their voting right — 转正 (a kind change
row), 留党察看 (a probation row), 组织关系转出, 经批准不计入应到 — never a flag overwritten in place.

Editing a member's kind or 组织关系 on the form: the same kind (or direction) with another day corrects
the latest row's day; a different one adds a row from that day.  Every call owns its transaction,
validates the whole input (ValidationFailed: field -> Chinese message, nothing saved) and writes through
the outbox.  Write lane (``load_member``: read lane).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import MemberKind
from app.models import (
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    PartyGroup,
    PartyOrgCoverage,
    SocialOrg,
)
from app.services.core import clock
from app.services.core.errors import StaleEditError, ValidationFailed
from app.services.core.outbox import record_upsert
from app.services.party.common import audit, live_member, live_party_org
from app.services.party.dto import ExclusionInput, MemberInput, ProbationInput
from app.services.party.member_checks import check_exclusion, check_member, check_probation

__all__ = ["add_exclusion", "add_member", "add_probation", "confirm_full", "load_member", "transfer_out",
           "update_member"]


def _latest(session: Session, model: type[MemberKindChange] | type[MemberRelationChange],
            member_id: str) -> MemberKindChange | MemberRelationChange | None:
    row = session.execute(select(model).where(model.member_id == member_id, model.deleted_at.is_(None))
                          .order_by(model.changed_on.desc()).limit(1)).scalar_one_or_none()
    return row  # type: ignore[return-value]


def _check(session: Session, party_org_id: str, data: MemberInput, today: date) -> None:
    covered = dict(session.execute(select(SocialOrg.id, SocialOrg.name)
                                   .join(PartyOrgCoverage, PartyOrgCoverage.org_id == SocialOrg.id)
                                   .where(PartyOrgCoverage.party_org_id == party_org_id,
                                          PartyOrgCoverage.deleted_at.is_(None))).all())
    groups = set(session.execute(select(PartyGroup.id).where(
        PartyGroup.party_org_id == party_org_id, PartyGroup.deleted_at.is_(None),
        PartyGroup.last_day.is_(None))).scalars())
    problems = check_member(data, today=today, covered=covered, groups=groups)
    if problems:
        raise ValidationFailed(problems)


def _cleaned(data: MemberInput) -> MemberInput:
    return dataclasses.replace(data, name=data.name.strip(), phone=data.phone.strip(),
                               party_group_id=data.party_group_id or None)


def _apply_personal(member: Member, data: MemberInput) -> None:
    for name in ("name", "gender", "birth_year", "phone", "org_id", "joined_on", "party_group_id"):
        if getattr(member, name) != getattr(data, name):
            setattr(member, name, getattr(data, name))


def add_member(factory: sessionmaker[Session], party_org_id: str, data: MemberInput, *, actor: str,
               today: date | None = None) -> str:
    """Add a member of ``data.kind`` from ``data.kind_since``; a member whose 组织关系 is not here gets a
    row saying so.  Returns the member's id.  Raises ValidationFailed, NotFoundError."""
    data, today = _cleaned(data), today or clock.today()
    with factory.begin() as session:
        party = live_party_org(session, party_org_id)
        _check(session, party_org_id, data, today)
        member = Member(party_org_id=party_org_id, org_id=data.org_id, name=data.name)
        _apply_personal(member, data)
        record_upsert(session, member, actor=actor)
        scope = {"party_org_id": party_org_id, "member_id": member.id}
        record_upsert(session, MemberKindChange(**scope, kind=data.kind, changed_on=data.kind_since), actor=actor)
        if not data.relation_in or data.relation_on is not None:
            on = data.relation_on or data.kind_since
            note = "组织关系转入本支部" if data.relation_in else "组织关系尚未转入"
            record_upsert(session, MemberRelationChange(**scope, changed_on=on, transferred_in=data.relation_in,
                                                        note=note), actor=actor)
        audit(session, actor, "create", member, f"{party.name}：新增党员{member.name}")
        return member.id


def load_member(factory: sessionmaker[Session], member_id: str) -> tuple[MemberInput, datetime]:
    """The member's form as it stands (latest kind and 组织关系 rows), and the row's ``updated_at``."""
    with factory() as session:
        member = live_member(session, member_id)
        kind = _latest(session, MemberKindChange, member_id)
        relation = _latest(session, MemberRelationChange, member_id)
        data = MemberInput(
            name=member.name, org_id=member.org_id,
            kind=kind.kind if isinstance(kind, MemberKindChange) else MemberKind.FULL,
            kind_since=kind.changed_on if kind else None, gender=member.gender, birth_year=member.birth_year,
            phone=member.phone, joined_on=member.joined_on, party_group_id=member.party_group_id,
            relation_in=relation.transferred_in if isinstance(relation, MemberRelationChange) else True,
            relation_on=relation.changed_on if relation else None)
        return data, member.updated_at


def update_member(factory: sessionmaker[Session], member_id: str, data: MemberInput, *, actor: str,
                  expected_updated_at: datetime | None = None, today: date | None = None) -> str:
    """Save the member's form.  Returns the member's id.  Raises ValidationFailed, StaleEditError."""
    data, today = _cleaned(data), today or clock.today()
    with factory.begin() as session:
        member = live_member(session, member_id)
        if expected_updated_at is not None and member.updated_at != expected_updated_at:
            raise StaleEditError(member.name)
        _check(session, member.party_org_id, data, today)
        _apply_personal(member, data)
        record_upsert(session, member, actor=actor)
        scope = {"party_org_id": member.party_org_id, "member_id": member.id}
        kind = _latest(session, MemberKindChange, member_id)
        if isinstance(kind, MemberKindChange) and kind.kind is data.kind:
            kind.changed_on = data.kind_since  # type: ignore[assignment]
            record_upsert(session, kind, actor=actor)
        else:
            _after(kind, data.kind_since, "kind_since", "身份")
            record_upsert(session, MemberKindChange(**scope, kind=data.kind, changed_on=data.kind_since), actor=actor)
        relation = _latest(session, MemberRelationChange, member_id)
        if isinstance(relation, MemberRelationChange) and relation.transferred_in is data.relation_in:
            if data.relation_on is not None:
                relation.changed_on = data.relation_on
                record_upsert(session, relation, actor=actor)
        elif relation is not None or not data.relation_in:
            on = data.relation_on or today
            _after(relation, on, "relation_on", "组织关系")
            note = "组织关系转入本支部" if data.relation_in else "组织关系尚未转入"
            record_upsert(session, MemberRelationChange(**scope, changed_on=on, transferred_in=data.relation_in,
                                                        note=note), actor=actor)
        audit(session, actor, "update", member, f"修改党员信息：{member.name}")
        return member.id


def _after(previous: MemberKindChange | MemberRelationChange | None, on: date | None, field: str, what: str) -> None:
    if previous is not None and on is not None and on <= previous.changed_on:
        raise ValidationFailed({field: f"{what}变化的日期须晚于上一次变化（{previous.changed_on.isoformat()}）"})


def confirm_full(factory: sessionmaker[Session], member_id: str, on: date | None, *, actor: str,
                 today: date | None = None) -> str:
    """转正: the member is 正式 from ``on`` (a new kind change row).  Returns the party organization's id."""
    today = today or clock.today()
    with factory.begin() as session:
        member = live_member(session, member_id)
        if on is None:
            raise ValidationFailed({"on": "请填写转正日期（支部党员大会通过、上级党组织批准的转正日期）"})
        if on > today:
            raise ValidationFailed({"on": "转正日期晚于今天：请在批准后再登记"})
        latest = _latest(session, MemberKindChange, member_id)
        if not isinstance(latest, MemberKindChange) or latest.kind is not MemberKind.PROBATIONARY:
            raise ValidationFailed({"on": f"{member.name}目前不是预备党员，无需转正"})
        _after(latest, on, "on", "转正")
        row = MemberKindChange(party_org_id=member.party_org_id, member_id=member_id, kind=MemberKind.FULL,
                               changed_on=on)
        record_upsert(session, row, actor=actor)
        audit(session, actor, "create", row, f"{member.name}转为正式党员（{on.isoformat()}）")
        return member.party_org_id


def add_probation(factory: sessionmaker[Session], member_id: str, data: ProbationInput, *, actor: str,
                  today: date | None = None) -> str:
    """留党察看 from ``first_day`` (to ``last_day``; blank: not yet ended).  Returns the party org's id."""
    problems = check_probation(data, today=today or clock.today())
    if problems:
        raise ValidationFailed(problems)
    with factory.begin() as session:
        member = live_member(session, member_id)
        row = MemberProbation(party_org_id=member.party_org_id, member_id=member_id, first_day=data.first_day,
                              last_day=data.last_day, note=data.note.strip())
        record_upsert(session, row, actor=actor)
        audit(session, actor, "create", row, f"{member.name}留党察看（{row.first_day.isoformat()} 起）")
        return member.party_org_id


def transfer_out(factory: sessionmaker[Session], member_id: str, on: date | None, *, note: str = "", actor: str,
                 today: date | None = None) -> str:
    """组织关系转出 on ``on``: a relation row, and the member leaves the roster from that day.  Returns
    the party organization's id."""
    today = today or clock.today()
    with factory.begin() as session:
        member = live_member(session, member_id)
        if on is None:
            raise ValidationFailed({"on": "请填写组织关系转出的日期"})
        if on > today:
            raise ValidationFailed({"on": "转出日期晚于今天：请在转出后再登记"})
        latest = _latest(session, MemberRelationChange, member_id)
        _after(latest, on, "on", "组织关系")
        if latest is None:  # here from the start: say so, else the domain reads "never here"
            _here_from_start(session, member, on, actor)
        row = MemberRelationChange(party_org_id=member.party_org_id, member_id=member_id, changed_on=on,
                                   transferred_in=False, note=note.strip()[:200] or "组织关系转出")
        record_upsert(session, row, actor=actor)
        member.left_on, member.party_group_id = on, None
        record_upsert(session, member, actor=actor)
        audit(session, actor, "create", row, f"{member.name}组织关系转出（{on.isoformat()}）")
        return member.party_org_id


def _here_from_start(session: Session, member: Member, before: date, actor: str) -> None:
    first = session.execute(select(MemberKindChange.changed_on).where(
        MemberKindChange.member_id == member.id, MemberKindChange.deleted_at.is_(None))
        .order_by(MemberKindChange.changed_on).limit(1)).scalar_one_or_none()
    start = min(first or before, before - timedelta(days=1))
    record_upsert(session, MemberRelationChange(party_org_id=member.party_org_id, member_id=member.id,
                                                changed_on=start, transferred_in=True, note="组织关系在本支部"),
                  actor=actor)


def add_exclusion(factory: sessionmaker[Session], member_id: str, data: ExclusionInput, *, actor: str) -> str:
    """经批准不计入应到 (reason, approver, day of approval, the days it covers).  Returns the party org's id."""
    problems = check_exclusion(data)
    if problems:
        raise ValidationFailed(problems)
    with factory.begin() as session:
        member = live_member(session, member_id)
        row = MemberExpectedExclusion(party_org_id=member.party_org_id, member_id=member_id,
                                      reason=data.reason.strip(), approved_by=data.approved_by.strip(),
                                      approved_on=data.approved_on, first_day=data.first_day, last_day=data.last_day)
        record_upsert(session, row, actor=actor)
        audit(session, actor, "create", row, f"{member.name}经批准不计入应到：{row.reason}")
        return member.party_org_id
