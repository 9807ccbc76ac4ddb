"""Create and edit a 党组织 with the 社会组织 it covers (picked from the ledger).

The coverage rows are the truth of 组织覆盖: ``social_org.derived_coverage`` follows them through the
keepers of ``app.services.orgs.facts`` in the same flush, never typed.  An organization is covered by one
party organization at a time: to move it, remove it from the other first (the message names it).  A
单独组建 party organization covers exactly one organization; a 联合 one covering more than
``joint_max_orgs`` is allowed and warned about in its detail.

Every call owns its transaction, validates the whole input (field -> Chinese message, ValidationFailed,
nothing saved) and writes through the outbox.  Write lane.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import PartyOrgFormation
from app.models import PartyOrg, PartyOrgCoverage, SocialOrg, new_id
from app.services.core import clock
from app.services.core.errors import StaleEditError, ValidationFailed
from app.services.core.outbox import record_upsert, tombstone
from app.services.party.common import audit, live_party_org
from app.services.party.detail import party_org_detail
from app.services.party.dto import PartyOrgDetail, PartyOrgInput

__all__ = ["check_party_org", "create_party_org", "update_party_org"]


def _cleaned(data: PartyOrgInput) -> PartyOrgInput:
    return dataclasses.replace(data, name=data.name.strip(), superior_org=data.superior_org.strip(),
                               org_ids=tuple(dict.fromkeys(data.org_ids)))


def _problems(session: Session, data: PartyOrgInput, today: date, leaving_out: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.name:
        problems["name"] = "请填写党组织名称（如：中共某某协会支部委员会）"
    elif len(data.name) > 100:
        problems["name"] = f"名称不能超过 100 个字（现在 {len(data.name)} 个字）"
    elif session.execute(select(PartyOrg.id).where(PartyOrg.name == data.name, PartyOrg.deleted_at.is_(None),
                                                   PartyOrg.id != (leaving_out or ""))).first():
        problems["name"] = f"已有名为“{data.name}”的党组织，请核对是否重复录入"
    if data.level is None:
        problems["level"] = "请选择层级（党支部、党总支或党委）"
    if data.formation is None:
        problems["formation"] = "请选择组建方式"
    if len(data.superior_org) > 100:
        problems["superior_org"] = "上级党组织名称不能超过 100 个字"
    if data.established_on is not None and data.established_on > today:
        problems["established_on"] = f"成立日期 {data.established_on.isoformat()} 晚于今天，请核对"
    coverage = _coverage_problem(session, data, leaving_out)
    if coverage:
        problems["org_ids"] = coverage
    return problems


def _coverage_problem(session: Session, data: PartyOrgInput, leaving_out: str | None) -> str:
    if not data.org_ids:
        return "请至少选择一个覆盖的社会组织（从组织台账中选择）"
    if data.formation is PartyOrgFormation.SINGLE and len(data.org_ids) > 1:
        return f"单独组建的党组织只覆盖一个社会组织（现在选了 {len(data.org_ids)} 个）；覆盖多个请选“联合组建”"
    orgs = dict(session.execute(select(SocialOrg.id, SocialOrg.name).where(
        SocialOrg.id.in_(data.org_ids), SocialOrg.deleted_at.is_(None))).all())
    if len(orgs) < len(data.org_ids):
        return "所选的社会组织中有已被删除的，请重新选择"
    taken = session.execute(
        select(SocialOrg.name, PartyOrg.name)
        .join(PartyOrgCoverage, PartyOrgCoverage.org_id == SocialOrg.id)
        .join(PartyOrg, PartyOrg.id == PartyOrgCoverage.party_org_id)
        .where(PartyOrgCoverage.org_id.in_(data.org_ids), PartyOrgCoverage.deleted_at.is_(None),
               PartyOrg.deleted_at.is_(None), PartyOrg.id != (leaving_out or ""))).first()
    if taken:
        return f"“{taken[0]}”已由“{taken[1]}”覆盖：请先在那个党组织中移除它，再在这里选择"
    return ""


def check_party_org(factory: sessionmaker[Session], data: PartyOrgInput, *, party_org_id: str | None = None,
                    today: date | None = None) -> dict[str, str]:
    """Every problem of ``data`` (field -> message; empty: it may be saved).  Read-only; any thread."""
    with factory() as session:
        return _problems(session, _cleaned(data), today or clock.today(), party_org_id)


def _apply(session: Session, party: PartyOrg, data: PartyOrgInput, actor: str) -> None:
    for name in ("name", "level", "formation", "superior_org", "established_on"):
        if getattr(party, name) != getattr(data, name):
            setattr(party, name, getattr(data, name))
    record_upsert(session, party, actor=actor)
    current = list(session.execute(select(PartyOrgCoverage).where(
        PartyOrgCoverage.party_org_id == party.id, PartyOrgCoverage.deleted_at.is_(None))).scalars())
    for row in current:
        if row.org_id not in data.org_ids:
            tombstone(session, row, actor=actor)
    kept = {row.org_id for row in current}
    for org_id in data.org_ids:
        if org_id not in kept:
            record_upsert(session, PartyOrgCoverage(party_org_id=party.id, org_id=org_id), actor=actor)


def create_party_org(factory: sessionmaker[Session], data: PartyOrgInput, *, actor: str,
                     today: date | None = None) -> PartyOrgDetail:
    """Add a party organization covering ``data.org_ids``.  Raises ValidationFailed."""
    data, today = _cleaned(data), today or clock.today()
    with factory.begin() as session:
        problems = _problems(session, data, today, None)
        if problems:
            raise ValidationFailed(problems)
        party_id = new_id()
        party = PartyOrg(id=party_id, party_org_id=party_id, name=data.name, level=data.level,
                         formation=data.formation)
        _apply(session, party, data, actor)
        audit(session, actor, "create", party, f"新建党组织：{party.name}")
    return party_org_detail(factory, party_id, today=today)


def update_party_org(factory: sessionmaker[Session], party_org_id: str, data: PartyOrgInput, *, actor: str,
                     expected_updated_at: datetime | None = None, today: date | None = None) -> PartyOrgDetail:
    """Save edits (and the covered organizations).  ``expected_updated_at``: StaleEditError if the party
    organization changed since the form was filled.  Raises ValidationFailed, NotFoundError."""
    data, today = _cleaned(data), today or clock.today()
    with factory.begin() as session:
        party = live_party_org(session, party_org_id)
        if expected_updated_at is not None and party.updated_at != expected_updated_at:
            raise StaleEditError(party.name)
        problems = _problems(session, data, today, party_org_id)
        if problems:
            raise ValidationFailed(problems)
        _apply(session, party, data, actor)
        audit(session, actor, "update", party, f"修改党组织：{party.name}")
    return party_org_detail(factory, party_org_id, today=today)
