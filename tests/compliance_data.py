"""Test data for the 工作台: party organizations, what they cover, meetings, and findings written straight
into ``compliance_finding`` (what the engine keeps there), so the reads and the view are tested apart
from the engine."""

from __future__ import annotations

from datetime import date, datetime

from app.domain.compliance import Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus, PartyOrgFormation, PartyOrgLevel
from app.domain.periods import PeriodKind
from app.models import ComplianceFinding, Meeting, PartyOrg, PartyOrgCoverage, new_id
from app.services.core.database import Database
from app.services.core.outbox import record_upsert

ACTOR = "u:test"


def add_party(db: Database, name: str, *, established: date | None = None, covers: tuple[str, ...] = ()) -> str:
    party_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, PartyOrg(id=party_id, party_org_id=party_id, name=name, level=PartyOrgLevel.BRANCH,
                                        formation=PartyOrgFormation.SINGLE, established_on=established), actor=ACTOR)
        for org_id in covers:
            record_upsert(session, PartyOrgCoverage(party_org_id=party_id, org_id=org_id), actor=ACTOR)
    return party_id


def add_finding(db: Database, rule: RuleId, level: Level, due: date | None, *, party: str | None = None,
                org: str | None = None, message: str = "", subject: str = "", standing: bool = False,
                waived: bool = False) -> None:
    """A finding of ``rule``; ``standing``: no period (a term, a missing 年检), else the month of ``due``."""
    period = None if standing or due is None else due.replace(day=1)
    with db.session_factory.begin() as session:
        session.add(ComplianceFinding(rule_id=rule.value, party_org_id=party, org_id=org, subject=subject,
                                      level=level, message=message or f"{rule.label}（{due}）",
                                      period_kind=None if period is None else PeriodKind.MONTH,
                                      period_first=period, due_on=due, waiver_id="w" if waived else None))


def add_meeting(db: Database, party: str, kind: MeetingKind, at: datetime, *, topic: str = "",
                status: MeetingStatus = MeetingStatus.DONE) -> str:
    meeting = Meeting(party_org_id=party, kind=kind, status=status, started_at=at, topic=topic)
    with db.session_factory.begin() as session:
        record_upsert(session, meeting, actor=ACTOR)
    return meeting.id
