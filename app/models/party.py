"""党组织 aggregate: the party organization, the 社会组织 it covers, and its members.

Every row is scoped by ``party_org_id`` (DESIGN §3): the server grants a party organization to every
instructor assigned to any organization it covers (app.services.core.scope)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import MemberKind, PartyOrgFormation, PartyOrgLevel
from app.models.base import Base, CivilDate, PartyScoped, enum_type


class PartyOrg(PartyScoped, Base):
    """党组织.  ``party_org_id`` equals ``id``: a party organization is its own scope.  The 社会组织 it
    covers are in ``party_org_coverage``."""

    __tablename__ = "party_org"

    name: Mapped[str] = mapped_column(String(100))
    level: Mapped[PartyOrgLevel] = mapped_column(enum_type(PartyOrgLevel))
    formation: Mapped[PartyOrgFormation] = mapped_column(enum_type(PartyOrgFormation))
    established_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    term_years: Mapped[int] = mapped_column(Integer, default=3)
    term_started_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    secretary_name: Mapped[str] = mapped_column(String(50), default="")
    superior_org: Mapped[str] = mapped_column(String(100), default="")  # 上级党组织


class PartyOrgCoverage(PartyScoped, Base):
    """One 社会组织 covered by one 党组织 (联合支部 cover several).  ``org_id`` is the covered one (data,
    not the scope)."""

    __tablename__ = "party_org_coverage"

    org_id: Mapped[str] = mapped_column(String(36), index=True)


class Member(PartyScoped, Base):
    """党员, with only the personal data the work needs.  ``org_id``: the 社会组织 they work in (data,
    not the scope)."""

    __tablename__ = "member"

    org_id: Mapped[str] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(50))
    gender: Mapped[str] = mapped_column(String(4), default="")
    birth_year: Mapped[int | None] = mapped_column(Integer, default=None)
    phone: Mapped[str] = mapped_column(String(30), default="")
    kind: Mapped[MemberKind] = mapped_column(enum_type(MemberKind))
    joined_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    full_member_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    on_probation_discipline: Mapped[bool] = mapped_column(Boolean, default=False)  # 留党察看: no vote
    relation_transferred: Mapped[bool] = mapped_column(Boolean, default=True)  # 组织关系已转入
    party_group: Mapped[str] = mapped_column(String(50), default="")  # 党小组
    committee_role: Mapped[str] = mapped_column(String(20), default="")  # 书记/副书记/委员, empty if none
    left_on: Mapped[date | None] = mapped_column(CivilDate, default=None)

    @property
    def has_vote(self) -> bool:
        return self.kind is MemberKind.FULL and not self.on_probation_discipline
