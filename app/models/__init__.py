"""SQLAlchemy 2.x ORM of the client database.  No Qt here (import-linter enforces it).

Each model module is imported when one of its names is first used (PEP 562 ``__getattr__``), so
``from app.models import SocialOrg`` declares only the organization tables: declaring a mapped class
costs ~2–3 ms, and the GUI's first screen does not need the meeting, visit, rectification, notice and
attachment tables (~25 ms of start-up, bench/bench_startup.py).  ``Base``, ``SYNCED_ENTITIES`` and
``load_all()`` bring in every model first, so ``Base.metadata`` is complete wherever it is used
(alembic, tests).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from app.models.base import OrgScoped, PartyScoped, SyncColumns, new_id

if TYPE_CHECKING:
    from app.models.attachment import Attachment, PartyAttachment
    from app.models.base import Base
    from app.models.compliance import ComplianceFinding, ComplianceMeeting, ComplianceWaiver
    from app.models.instructor import Assignment, Instructor
    from app.models.meeting import AgendaItem, Meeting, MeetingAttendance, MeetingGuest, Vote, VoteCandidate
    from app.models.member import (
        Member,
        MemberExpectedExclusion,
        MemberKindChange,
        MemberProbation,
        MemberRelationChange,
    )
    from app.models.notice import Notice, NoticePrint
    from app.models.org import AnnualInspection, CreditListing, OrgEvaluation, OrgTerm, SocialOrg
    from app.models.party import CommitteeMember, PartyGroup, PartyOrg, PartyOrgCoverage, PartyOrgTerm
    from app.models.rectification import Rectification, RectificationFollowUp
    from app.models.setting import LocalSetting
    from app.models.sync import AuditLog, OutboxEntry, SyncConflict, SyncPurge, SyncScope, SyncState
    from app.models.visit import ChecklistAnswer, Finding, Visit

    # entity name on the wire -> ORM class, for every table the client writes through the outbox
    SYNCED_ENTITIES: dict[str, type[SyncColumns]]

_MODULES: dict[str, tuple[str, ...]] = {
    "attachment": ("Attachment", "PartyAttachment"),
    "compliance": ("ComplianceFinding", "ComplianceMeeting", "ComplianceWaiver"),
    "instructor": ("Assignment", "Instructor"),
    "meeting": ("AgendaItem", "Meeting", "MeetingAttendance", "MeetingGuest", "Vote", "VoteCandidate"),
    "member": ("Member", "MemberExpectedExclusion", "MemberKindChange", "MemberProbation", "MemberRelationChange"),
    "notice": ("Notice", "NoticePrint"),
    "org": ("AnnualInspection", "CreditListing", "OrgEvaluation", "OrgTerm", "SocialOrg"),
    "party": ("CommitteeMember", "PartyGroup", "PartyOrg", "PartyOrgCoverage", "PartyOrgTerm"),
    "rectification": ("Rectification", "RectificationFollowUp"),
    "setting": ("LocalSetting",),
    "sync": ("AuditLog", "OutboxEntry", "SyncConflict", "SyncPurge", "SyncScope", "SyncState"),
    "visit": ("ChecklistAnswer", "Finding", "Visit"),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}
# Every table the client writes through the outbox -> its class (a test checks that every model mixing
# in SyncColumns is here).  Table names are spelled out so the outbox guard knows the synced tables
# without declaring every model at start-up.
_SYNCED_CLASSES = {
    "social_org": "SocialOrg", "annual_inspection": "AnnualInspection", "credit_listing": "CreditListing",
    "org_term": "OrgTerm", "org_evaluation": "OrgEvaluation",
    "party_org": "PartyOrg", "party_org_coverage": "PartyOrgCoverage", "party_org_term": "PartyOrgTerm",
    "committee_member": "CommitteeMember", "party_group": "PartyGroup", "member": "Member",
    "member_kind_change": "MemberKindChange", "member_probation": "MemberProbation",
    "member_relation_change": "MemberRelationChange", "member_expected_exclusion": "MemberExpectedExclusion",
    "assignment": "Assignment", "meeting": "Meeting", "meeting_attendance": "MeetingAttendance",
    "meeting_guest": "MeetingGuest", "agenda_item": "AgendaItem", "vote": "Vote", "vote_candidate": "VoteCandidate",
    "visit": "Visit", "checklist_answer": "ChecklistAnswer",
    "finding": "Finding", "rectification": "Rectification", "rectification_follow_up": "RectificationFollowUp",
    "notice": "Notice", "notice_print": "NoticePrint", "attachment": "Attachment",
    "compliance_waiver": "ComplianceWaiver", "party_attachment": "PartyAttachment",
}
SYNCED_TABLES = frozenset(_SYNCED_CLASSES)
# Derived, local-only columns of social_org: never pushed (the outbox skips them), kept current on every write path by
# the keepers in app.services.orgs.facts and .search (app.services.core.derived); the facts are also
# re-derived once a day, since an assignment or a listing can start or end with the date alone.
# name_pinyin / name_initials are the local sort and search keys of the name (any client computes them).
DERIVED_COLUMNS = ("derived_coverage", "derived_credit_listed", "search_doc", "name_pinyin", "name_initials")


def load_all() -> None:
    """Declare every model (``Base.metadata`` then holds every table)."""
    for module in _MODULES:
        importlib.import_module(f"{__name__}.{module}")


def __getattr__(name: str) -> Any:
    if name == "Base":
        load_all()
        value: Any = importlib.import_module(f"{__name__}.base").Base
    elif name == "SYNCED_ENTITIES":
        value = {table: __getattr__(name) for table, name in _SYNCED_CLASSES.items()}
    elif name in _MODULE_OF:
        value = getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


__all__ = [
    "SYNCED_ENTITIES",
    "SYNCED_TABLES",
    "AgendaItem",
    "AnnualInspection",
    "Assignment",
    "Attachment",
    "AuditLog",
    "Base",
    "ChecklistAnswer",
    "CommitteeMember",
    "ComplianceFinding",
    "ComplianceMeeting",
    "ComplianceWaiver",
    "CreditListing",
    "Finding",
    "Instructor",
    "LocalSetting",
    "Meeting",
    "MeetingAttendance",
    "MeetingGuest",
    "Member",
    "MemberExpectedExclusion",
    "MemberKindChange",
    "MemberProbation",
    "MemberRelationChange",
    "Notice",
    "NoticePrint",
    "OrgEvaluation",
    "OrgScoped",
    "OrgTerm",
    "OutboxEntry",
    "PartyAttachment",
    "PartyGroup",
    "PartyOrg",
    "PartyOrgCoverage",
    "PartyOrgTerm",
    "PartyScoped",
    "Rectification",
    "RectificationFollowUp",
    "SocialOrg",
    "SyncColumns",
    "SyncConflict",
    "SyncPurge",
    "SyncScope",
    "SyncState",
    "Visit",
    "Vote",
    "VoteCandidate",
    "load_all",
    "new_id",
]
