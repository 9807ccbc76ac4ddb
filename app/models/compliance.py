"""Compliance results (derived, local-only) and waivers (synced).

``compliance_finding`` is derived data (DESIGN §3): the engine (``app.services.compliance``) writes it
from the synced rows and the policy pack and refreshes it incrementally; it is never synced and may be
rebuilt at any time.  A finding belongs to a 党组织 (``party_org_id``), a 社会组织 (``org_id``) or both;
``period_first`` / ``period_kind`` name the period a meeting rule was evaluated for (None: a standing
fact such as a term or a missing 年检), ``due_on`` the civil day the obligation fell or falls due — the
工作台 shows a finding in the month of its ``due_on``.

``compliance_waiver`` is the user's decision that a rule does not apply to a period (e.g. a branch formed
mid-quarter), with the reason: synced, scoped by its 党组织.

``compliance_meeting`` is the engine's note of each meeting as it last counted it (党组织, kind, 党小组,
civil day, completed or not): derived, local-only.  When a meeting moves to another day or 党组织, the
note says which periods it left, so the incremental refresh re-evaluates the old periods as well as the
new ones on every write path (a save, a bulk load, a pull).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.domain.compliance import Level
from app.domain.periods import PeriodKind
from app.models.base import Base, CivilDate, PartyScoped, enum_type


class ComplianceFinding(Base):
    """One finding of one rule for one subject and period.  Derived; never synced."""

    __tablename__ = "compliance_finding"
    __table_args__ = (
        Index("ix_compliance_finding_party_due", "party_org_id", "due_on"),
        Index("ix_compliance_finding_org", "org_id"),
        Index("ix_compliance_finding_subject", "subject_id"),  # a meeting's record findings (keepers)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    rule_id: Mapped[str] = mapped_column(String(40))  # app.domain.compliance.RuleId
    party_org_id: Mapped[str | None] = mapped_column(String(36), default=None)
    org_id: Mapped[str | None] = mapped_column(String(36), default=None)
    subject_id: Mapped[str | None] = mapped_column(String(36), default=None)  # the group, meeting, term …
    subject: Mapped[str] = mapped_column(String(200), default="")  # its name as shown
    period_kind: Mapped[PeriodKind | None] = mapped_column(enum_type(PeriodKind), default=None)
    period_first: Mapped[date | None] = mapped_column(CivilDate, default=None)
    due_on: Mapped[date | None] = mapped_column(CivilDate, default=None)
    level: Mapped[Level] = mapped_column(enum_type(Level))
    message: Mapped[str] = mapped_column(Text)
    waiver_id: Mapped[str | None] = mapped_column(String(36), default=None)  # waived: the waiver's id


class ComplianceWaiver(PartyScoped, Base):
    """A rule waived for one 党组织 and period (or for one subject, e.g. a 党小组), with the reason and who
    approved it.  ``period_first`` None: every period of the rule from ``period_first`` … (a standing
    waiver); ``subject_id`` None: the whole 党组织."""

    __tablename__ = "compliance_waiver"

    rule_id: Mapped[str] = mapped_column(String(40))
    period_kind: Mapped[PeriodKind | None] = mapped_column(enum_type(PeriodKind), default=None)
    period_first: Mapped[date | None] = mapped_column(CivilDate, default=None)
    subject_id: Mapped[str | None] = mapped_column(String(36), default=None)
    reason: Mapped[str] = mapped_column(String(200))
    approved_by: Mapped[str] = mapped_column(String(100), default="")


class ComplianceMeeting(Base):
    """A meeting as the engine last counted it.  Derived; never synced."""

    __tablename__ = "compliance_meeting"
    __table_args__ = (Index("ix_compliance_meeting_party", "party_org_id", "kind", "held_on"),)

    meeting_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    party_org_id: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(32))  # app.domain.enums.MeetingKind
    party_group_id: Mapped[str | None] = mapped_column(String(36), default=None)
    held_on: Mapped[date] = mapped_column(CivilDate)
    done: Mapped[bool] = mapped_column(Boolean)
