"""党组织 aggregate: the party organization, the 社会组织 it covers, its terms, committee and 党小组.

Every row is scoped by ``party_org_id`` (DESIGN §3): the server grants a party organization to every
instructor assigned to any organization it covers (app.services.core.scope).  Members and their dated
changes are in :mod:`app.models.member`.

The term, its due day and the secretary are not columns of ``PartyOrg``: they are read from the terms
(``PartyOrgTerm``, history kept, never overwritten) and the committee of the current term.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import CommitteeRole, PartyOrgFormation, PartyOrgLevel
from app.models.base import Base, CivilDate, PartyScoped, enum_type


class PartyOrg(PartyScoped, Base):
    """党组织.  ``party_org_id`` equals ``id``: a party organization is its own scope.  The 社会组织 it
    covers are in ``party_org_coverage``."""

    __tablename__ = "party_org"

    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[PartyOrgLevel] = mapped_column(enum_type(PartyOrgLevel))
    formation: Mapped[PartyOrgFormation] = mapped_column(enum_type(PartyOrgFormation))
    established_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    superior_org: Mapped[str] = mapped_column(String(100), default="")  # 上级党组织


class PartyOrgCoverage(PartyScoped, Base):
    """One 社会组织 covered by one 党组织 (联合支部 cover several).  ``org_id`` is the covered one (data,
    not the scope)."""

    __tablename__ = "party_org_coverage"

    org_id: Mapped[str] = mapped_column(String(36), index=True)


class PartyOrgTerm(PartyScoped, Base):
    """One term (届) of a 党组织: started, due (届满), and the day its 换届 was done (None: not yet).  A
    new term is a new row; earlier terms stay as they were (history, never overwritten)."""

    __tablename__ = "party_org_term"

    term_no: Mapped[int] = mapped_column(Integer)  # 第几届
    started_on: Mapped[date] = mapped_column(CivilDate)
    due_on: Mapped[date] = mapped_column(CivilDate)  # 届满
    renewed_on: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 换届完成
    note: Mapped[str] = mapped_column(String(200), default="")


class CommitteeMember(PartyScoped, Base):
    """A member's post on the 支部委员会 of one term, from ``first_day`` to ``last_day`` (None: to the
    end of the term)."""

    __tablename__ = "committee_member"

    term_id: Mapped[str] = mapped_column(String(36), index=True)
    member_id: Mapped[str] = mapped_column(String(36), index=True)
    role: Mapped[CommitteeRole] = mapped_column(enum_type(CommitteeRole))
    first_day: Mapped[date] = mapped_column(CivilDate)
    last_day: Mapped[date | None] = mapped_column(CivilDate, default=None)


class PartyGroup(PartyScoped, Base):
    """党小组 of a 党组织; members point to it by ``Member.party_group_id``."""

    __tablename__ = "party_group"

    name: Mapped[str] = mapped_column(String(50))
    leader_member_id: Mapped[str | None] = mapped_column(String(36), default=None)  # 党小组长
    first_day: Mapped[date | None] = mapped_column(CivilDate, default=None)
    last_day: Mapped[date | None] = mapped_column(CivilDate, default=None)  # 撤销
