"""SQLAlchemy 2.x ORM of the client database.  No Qt here (import-linter enforces it)."""

from app.models.attachment import Attachment
from app.models.base import Base, SyncColumns, new_id, utcnow
from app.models.instructor import Assignment, Instructor
from app.models.meeting import AgendaItem, Meeting, MeetingAttendance, Vote
from app.models.notice import Notice
from app.models.org import AnnualInspection, CreditListing, OrgTerm, SocialOrg
from app.models.party import Member, PartyOrg, PartyOrgCoverage
from app.models.rectification import Rectification, RectificationFollowUp
from app.models.sync import AuditLog, OutboxEntry, SyncState
from app.models.visit import ChecklistAnswer, Finding, Visit

# entity name on the wire -> ORM class, for every table the client writes through the outbox
SYNCED_ENTITIES: dict[str, type[SyncColumns]] = {
    cls.__tablename__: cls
    for cls in (
        SocialOrg, AnnualInspection, CreditListing, OrgTerm, PartyOrg, PartyOrgCoverage, Member,
        Assignment, Meeting, MeetingAttendance, AgendaItem, Vote, Visit, ChecklistAnswer, Finding,
        Rectification, RectificationFollowUp, Notice, Attachment,
    )
}

__all__ = [
    "SYNCED_ENTITIES", "AgendaItem", "AnnualInspection", "Assignment", "Attachment", "AuditLog", "Base",
    "ChecklistAnswer", "CreditListing", "Finding", "Instructor", "Meeting", "MeetingAttendance", "Member",
    "Notice", "OrgTerm", "OutboxEntry", "PartyOrg", "PartyOrgCoverage", "Rectification",
    "RectificationFollowUp", "SocialOrg", "SyncColumns", "SyncState", "Visit", "Vote", "new_id", "utcnow",
]
