"""三会一课 area: meeting records (save / load / list / delete, what a record lacks), the roster on a date,
meetings, their attendance (voting right snapshots, 应到 / 实到 from the rows), quorum and
votes, and the policy pack the rules read.  Other areas use it
only through the public names below and the public functions of ``policy``.

The names load on first use (PEP 562): importing the area (its package) costs nothing, and the rule
modules are not needed to paint the ledger.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.services.core.lazy import lazy_exports

if TYPE_CHECKING:
    from app.domain.votes import committee_quorum as committee_quorum
    from app.domain.votes import quorum as quorum
    from app.domain.votes import vote_outcome as vote_outcome
    from app.services.meetings.attendance import meeting_counts as meeting_counts
    from app.services.meetings.attendance import meeting_voters as meeting_voters
    from app.services.meetings.attendance import member_records as member_records
    from app.services.meetings.attendance import record_attendance as record_attendance
    from app.services.meetings.attendance import snapshot_attendance as snapshot_attendance
    from app.services.meetings.attendance import voting_rights_on as voting_rights_on
    from app.services.meetings.live import live_check as live_check
    from app.services.meetings.policy import load_policy as load_policy
    from app.services.meetings.records import IncompleteRecord as IncompleteRecord
    from app.services.meetings.records import delete_meeting as delete_meeting
    from app.services.meetings.records import list_meetings as list_meetings
    from app.services.meetings.records import load_meeting as load_meeting
    from app.services.meetings.records import missing_items as missing_items
    from app.services.meetings.records import save_meeting as save_meeting
    from app.services.meetings.roster import meeting_roster as meeting_roster
    from app.services.meetings.roster import party_org_choices as party_org_choices

_PUBLIC = {"committee_quorum": "app.domain.votes", "quorum": "app.domain.votes",
           "vote_outcome": "app.domain.votes", "load_policy": "app.services.meetings.policy",
           **{name: "app.services.meetings.attendance" for name in (
               "meeting_counts", "meeting_voters", "member_records", "record_attendance", "snapshot_attendance",
               "voting_rights_on")},
           **{name: "app.services.meetings.records" for name in (
               "IncompleteRecord", "delete_meeting", "list_meetings", "load_meeting", "missing_items", "save_meeting")},
           "live_check": "app.services.meetings.live", "meeting_roster": "app.services.meetings.roster",
           "party_org_choices": "app.services.meetings.roster"}
__all__ = sorted(_PUBLIC)

__getattr__ = lazy_exports(__name__, _PUBLIC)
