"""社会组织 aggregate: the organization, its 年检 results, credit listings, own board terms and evaluations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.enums import CreditListKind, EvaluationGrade, InspectionResult, OrgType
from app.models import DERIVED_COLUMNS as DERIVED_COLUMNS
from app.models.base import Base, CivilDate, Instant, OrgScoped, enum_type

# Every column the 组织台账 sorts or filters on, in one partial index of live rows: a ledger query of
# 100,000 organizations scans this compact index instead of the wide table (the default name order
# needs no sort at all).  Order matters: name_pinyin, id first.
LEDGER_INDEX_COLUMNS = (
    "name_pinyin", "id", "archived_at", "org_type", "community_category", "uscc", "sub_district",
    "community", "evaluation_grade", "party_member_count", "founded_on", "updated_at",
    "derived_coverage", "derived_credit_listed", "search_doc",
)
# DERIVED_COLUMNS (the local-only columns of social_org) are stated in app.models, where the outbox guard reads
# them without declaring these classes.


class SocialOrg(OrgScoped, Base):
    """社会组织.  ``org_id`` equals ``id``: an organization is its own scope."""

    __tablename__ = "social_org"
    __table_args__ = (
        # sqlite_where only: the client database is SQLite (a postgresql_where= would make SQLAlchemy
        # import its whole PostgreSQL dialect at start-up, ~15 ms).
        Index("ix_social_org_ledger", *LEDGER_INDEX_COLUMNS, sqlite_where=text("deleted_at IS NULL")),
        Index("ix_social_org_name", "name"),  # quick find ranks the exact name, then prefixes, by range
    )

    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(50), default="")
    org_type: Mapped[OrgType] = mapped_column(enum_type(OrgType))
    community_category: Mapped[str] = mapped_column(String(20), default="")
    uscc: Mapped[str] = mapped_column(String(18), default="", index=True)
    uscc_override_reason: Mapped[str] = mapped_column(String(200), default="")
    legal_representative: Mapped[str] = mapped_column(String(50), default="")
    registration_authority: Mapped[str] = mapped_column(String(100), default="")
    supervisory_unit: Mapped[str] = mapped_column(String(100), default="")
    industry_department: Mapped[str] = mapped_column(String(100), default="")
    founded_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    sub_district: Mapped[str] = mapped_column(String(50), default="")
    community: Mapped[str] = mapped_column(String(50), default="")
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_person: Mapped[str] = mapped_column(String(50), default="")
    contact_phone: Mapped[str] = mapped_column(String(30), default="")
    staff_count: Mapped[int | None] = mapped_column(Integer, default=None)
    member_count: Mapped[int | None] = mapped_column(Integer, default=None)
    party_member_count: Mapped[int | None] = mapped_column(Integer, default=None)
    evaluation_grade: Mapped[EvaluationGrade | None] = mapped_column(enum_type(EvaluationGrade), default=None)
    evaluation_date: Mapped[date | None] = mapped_column(CivilDate, default=None)
    party_clause_in_charter: Mapped[bool] = mapped_column(Boolean, default=False)
    party_clause_approved_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    archived_at: Mapped[datetime | None] = mapped_column(Instant, default=None)
    archive_reason: Mapped[str] = mapped_column(String(200), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Sort and search keys of the name (app.services.orgs.pinyin), kept in step by the service and by the
    # search keeper when a name arrives by another path.
    name_pinyin: Mapped[str] = mapped_column(String(600), default="")
    name_initials: Mapped[str] = mapped_column(String(100), default="")
    derived_coverage: Mapped[str] = mapped_column(String(16), default="NONE", server_default="NONE")
    derived_credit_listed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The organization's search document id (rowid of its rows in the FTS tables, app.services.orgs.search),
    # local-only and in the ledger index: a text filter is then an integer set probed along that index.
    search_doc: Mapped[int | None] = mapped_column(Integer, default=None)


class AnnualInspection(OrgScoped, Base):
    """年检/年报 result of one organization for one year."""

    __tablename__ = "annual_inspection"
    __table_args__ = (UniqueConstraint("org_id", "year"),)

    year: Mapped[int] = mapped_column(Integer)
    result: Mapped[InspectionResult] = mapped_column(enum_type(InspectionResult))
    note: Mapped[str] = mapped_column(String(200), default="")


class CreditListing(OrgScoped, Base):
    """异常名录 / 严重违法失信名单 entry; removed when ``removed_on`` is set."""

    __tablename__ = "credit_listing"

    kind: Mapped[CreditListKind] = mapped_column(enum_type(CreditListKind))
    listed_on: Mapped[date] = mapped_column(CivilDate)
    reason: Mapped[str] = mapped_column(String(200), default="")
    removed_on: Mapped[date | None] = mapped_column(CivilDate, default=None)


class OrgTerm(OrgScoped, Base):
    """社会组织换届: the organization's own board term (not the party branch's)."""

    __tablename__ = "org_term"

    term_no: Mapped[int] = mapped_column(Integer)
    started_on: Mapped[date] = mapped_column(CivilDate)
    ends_on: Mapped[date] = mapped_column(CivilDate)
    note: Mapped[str] = mapped_column(String(200), default="")



class OrgEvaluation(OrgScoped, Base):
    """社会组织评估: one evaluation of an organization (grade and date), history kept.  The organization's
    ``evaluation_grade`` / ``evaluation_date`` are those of its latest live evaluation, set by the
    service (app.services.orgs.records) whenever the history changes."""

    __tablename__ = "org_evaluation"

    grade: Mapped[EvaluationGrade] = mapped_column(enum_type(EvaluationGrade))
    evaluated_on: Mapped[date] = mapped_column(CivilDate)
    note: Mapped[str] = mapped_column(String(200), default="")
