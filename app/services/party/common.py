"""What every 党组织 read and write shares: loading live rows (NotFoundError otherwise), the audit line,
whether a party organization is a 村/社区 one, and the current term.

村/社区 party organizations have 5-year terms (DESIGN §2.1).  The model has no column for it, so the name
says it, as official names do: a name ending in 村 or 社区 followed by the organization's own word
(委员会, 党委, 总支部委员会, 党总支, 支部委员会, 党支部 …), e.g. "中共幸福社区委员会", "中共东村支部委员会".
A 社区社会组织联合支部 is not one: its name ends in "社会组织…支部委员会", not "社区…".
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.domain.branch_rules import term_due
from app.domain.policy import NATIONAL, Policy
from app.models import AuditLog, Member, PartyOrg, PartyOrgTerm, SyncColumns
from app.services.core.errors import NotFoundError

__all__ = ["audit", "due_for", "is_community_party_org", "live", "live_member", "live_party_org", "terms_of"]

_COMMUNITY_NAME = re.compile(r"(村|社区)(党?(委员会|总支部委员会|支部委员会|委|总支|支部))$")

_Row = TypeVar("_Row", bound=SyncColumns)


def is_community_party_org(name: str) -> bool:
    """Whether ``name`` is that of a 村/社区 party organization (5-year terms)."""
    return _COMMUNITY_NAME.search(name.strip()) is not None


def due_for(name: str, started_on: date, *, policy: Policy = NATIONAL) -> date:
    """The 届满 day of a term of the party organization called ``name`` that began on ``started_on``."""
    return term_due(started_on, community=is_community_party_org(name), policy=policy)


def live(session: Session, model: type[_Row], row_id: str | None, what: str) -> _Row:
    row = session.get(model, row_id) if row_id else None
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"找不到这个{what}，可能已被删除，请刷新后重试")
    return row


def live_party_org(session: Session, party_org_id: str) -> PartyOrg:
    return live(session, PartyOrg, party_org_id, "党组织")


def live_member(session: Session, member_id: str | None, party_org_id: str | None = None) -> Member:
    member = live(session, Member, member_id, "党员")
    if party_org_id is not None and member.party_org_id != party_org_id:
        raise NotFoundError(f"{member.name}不是本党组织的党员，请刷新后重试")
    return member


def terms_of(session: Session, party_org_id: str) -> list[PartyOrgTerm]:
    """The live terms, newest first."""
    return list(session.execute(select(PartyOrgTerm).where(
        PartyOrgTerm.party_org_id == party_org_id, PartyOrgTerm.deleted_at.is_(None))
        .order_by(PartyOrgTerm.term_no.desc(), PartyOrgTerm.started_on.desc())).scalars())


def audit(session: Session, actor: str, action: str, row: Any, summary: str) -> None:
    session.add(AuditLog(actor=actor, action=action, entity=str(type(row).__tablename__), record_id=row.id,
                         summary=summary))
