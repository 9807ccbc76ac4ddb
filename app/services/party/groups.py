"""党小组: add, rename (and change its 组长), dissolve.

A dissolved group keeps its row (``last_day``: 撤销 day) so its past 党小组会 still name it; its members
are then in no group.  Names are unique among the party organization's groups still running.  Every
call owns its transaction and writes through the outbox.  Write lane.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import Member, PartyGroup
from app.services.core import clock
from app.services.core.errors import ValidationFailed
from app.services.core.outbox import record_upsert
from app.services.party.common import audit, live, live_member, live_party_org
from app.services.party.dto import GroupInput

__all__ = ["add_group", "dissolve_group", "update_group"]


def _problems(session: Session, party_org_id: str, data: GroupInput, leaving_out: str = "") -> dict[str, str]:
    name = data.name.strip()
    if not name:
        return {"name": "请填写党小组名称（如：第一党小组）"}
    if len(name) > 50:
        return {"name": "党小组名称不能超过 50 个字"}
    if session.execute(select(PartyGroup.id).where(
            PartyGroup.party_org_id == party_org_id, PartyGroup.name == name, PartyGroup.deleted_at.is_(None),
            PartyGroup.last_day.is_(None), PartyGroup.id != leaving_out)).first():
        return {"name": f"本党组织已有“{name}”，请换一个名称"}
    if data.first_day is not None and data.first_day > clock.today():
        return {"first_day": "成立日期晚于今天，请核对"}
    if data.leader_member_id:
        live_member(session, data.leader_member_id, party_org_id)
    return {}


def add_group(factory: sessionmaker[Session], party_org_id: str, data: GroupInput, *, actor: str) -> str:
    """Add a 党小组; returns its id.  Raises ValidationFailed, NotFoundError."""
    with factory.begin() as session:
        party = live_party_org(session, party_org_id)
        problems = _problems(session, party_org_id, data)
        if problems:
            raise ValidationFailed(problems)
        group = PartyGroup(party_org_id=party_org_id, name=data.name.strip(),
                           leader_member_id=data.leader_member_id or None, first_day=data.first_day)
        record_upsert(session, group, actor=actor)
        if data.leader_member_id:
            _join(session, data.leader_member_id, group.id, actor)
        audit(session, actor, "create", group, f"{party.name}：新建{group.name}")
        return group.id


def update_group(factory: sessionmaker[Session], group_id: str, data: GroupInput, *, actor: str) -> str:
    """Rename a 党小组 or change its 组长 (who joins the group).  Returns its id."""
    with factory.begin() as session:
        group = live(session, PartyGroup, group_id, "党小组")
        problems = _problems(session, group.party_org_id, data, leaving_out=group_id)
        if problems:
            raise ValidationFailed(problems)
        group.name, group.leader_member_id = data.name.strip(), data.leader_member_id or None
        if data.first_day is not None:
            group.first_day = data.first_day
        record_upsert(session, group, actor=actor)
        if data.leader_member_id:
            _join(session, data.leader_member_id, group.id, actor)
        audit(session, actor, "update", group, f"修改党小组：{group.name}")
        return group.id


def dissolve_group(factory: sessionmaker[Session], group_id: str, last_day: date | None, *, actor: str) -> int:
    """撤销 a 党小组 on ``last_day``; its members are then in no group.  Returns how many members left it."""
    with factory.begin() as session:
        group = live(session, PartyGroup, group_id, "党小组")
        if last_day is None:
            raise ValidationFailed({"last_day": "请填写撤销日期"})
        if group.first_day is not None and last_day < group.first_day:
            raise ValidationFailed({"last_day": f"撤销日期不能早于成立日期 {group.first_day.isoformat()}"})
        group.last_day = last_day
        record_upsert(session, group, actor=actor)
        members = list(session.execute(select(Member).where(
            Member.party_group_id == group_id, Member.deleted_at.is_(None))).scalars())
        for member in members:
            member.party_group_id = None
            record_upsert(session, member, actor=actor)
        audit(session, actor, "update", group, f"撤销党小组：{group.name}（{last_day.isoformat()}）")
        return len(members)


def _join(session: Session, member_id: str, group_id: str, actor: str) -> None:
    member = session.get(Member, member_id)
    if member is not None and member.party_group_id != group_id:
        member.party_group_id = group_id
        record_upsert(session, member, actor=actor)
