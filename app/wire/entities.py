"""The schema half of the wire (app.wire): every synced entity (the client's table name) with the column its
scope is read from, the fields that travel, the time columns, the required fields and the enum codes.

Hard-coded rather than read from the client's models, so the server needs nothing of the client but this
package; tests/unit/test_wire.py keeps every table equal to the models.  Imports nothing."""

from __future__ import annotations

# entity (= client table name) -> its scope key column ("instructor" has none: its scope is the district).
# The fields each may carry: ENTITY_FIELDS (a test checks both against the client's models).
# ENTITY_TIME_FIELDS: the columns that are not plain strings/numbers/bools on the wire, by kind:
# "date" (YYYY-MM-DD), "datetime" (a civil date-time, naive ISO), "instant" (aware ISO, UTC).
ENTITY_SCOPE: dict[str, str] = {
    "social_org": "org_id",
    "annual_inspection": "org_id",
    "credit_listing": "org_id",
    "org_term": "org_id",
    "org_evaluation": "org_id",
    "party_org": "party_org_id",
    "party_org_coverage": "party_org_id",
    "party_org_term": "party_org_id",
    "committee_member": "party_org_id",
    "party_group": "party_org_id",
    "member": "party_org_id",
    "member_kind_change": "party_org_id",
    "member_probation": "party_org_id",
    "member_relation_change": "party_org_id",
    "member_expected_exclusion": "party_org_id",
    "assignment": "org_id",
    "meeting": "party_org_id",
    "meeting_attendance": "party_org_id",
    "meeting_guest": "party_org_id",
    "agenda_item": "party_org_id",
    "vote": "party_org_id",
    "vote_candidate": "party_org_id",
    "visit": "org_id",
    "checklist_answer": "org_id",
    "finding": "org_id",
    "rectification": "org_id",
    "rectification_follow_up": "org_id",
    "notice": "org_id",
    "notice_print": "org_id",
    "attachment": "org_id",
    "compliance_waiver": "party_org_id",
    "party_attachment": "party_org_id",
}
ENTITY_FIELDS: dict[str, tuple[str, ...]] = {
    "social_org": (
        "name", "short_name", "org_type", "community_category", "uscc", "uscc_override_reason",
        "legal_representative", "registration_authority", "supervisory_unit", "industry_department", "founded_on",
        "sub_district", "community", "address", "contact_person", "contact_phone", "staff_count", "member_count",
        "party_member_count", "evaluation_grade", "evaluation_date", "party_clause_in_charter",
        "party_clause_approved_on", "archived_at", "archive_reason", "notes", "org_id", "id", "deleted_at",
        "updated_at", "updated_by"
    ),
    "annual_inspection": ("year", "result", "note", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
    "credit_listing": (
        "kind", "listed_on", "reason", "removed_on", "org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "org_term": (
        "term_no", "started_on", "ends_on", "note", "org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "org_evaluation": ("grade", "evaluated_on", "note", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
    "party_org": (
        "name", "level", "formation", "established_on", "superior_org", "party_org_id", "id", "deleted_at",
        "updated_at", "updated_by"
    ),
    "party_org_coverage": ("org_id", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"),
    "party_org_term": (
        "term_no", "started_on", "due_on", "renewed_on", "note", "party_org_id", "id", "deleted_at", "updated_at",
        "updated_by"
    ),
    "committee_member": (
        "term_id", "member_id", "role", "first_day", "last_day", "party_org_id", "id", "deleted_at", "updated_at",
        "updated_by"
    ),
    "party_group": (
        "name", "leader_member_id", "first_day", "last_day", "party_org_id", "id", "deleted_at", "updated_at",
        "updated_by"
    ),
    "member": (
        "org_id", "name", "gender", "birth_year", "phone", "joined_on", "party_group_id", "left_on", "party_org_id",
        "id", "deleted_at", "updated_at", "updated_by"
    ),
    "member_kind_change": (
        "member_id", "kind", "changed_on", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "member_probation": (
        "member_id", "first_day", "last_day", "note", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "member_relation_change": (
        "member_id", "changed_on", "transferred_in", "note", "party_org_id", "id", "deleted_at", "updated_at",
        "updated_by"
    ),
    "member_expected_exclusion": (
        "member_id", "reason", "approved_by", "approved_on", "first_day", "last_day", "party_org_id", "id",
        "deleted_at", "updated_at", "updated_by"
    ),
    "assignment": ("instructor_id", "since", "until", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
    "meeting": (
        "kind", "status", "topic", "started_at", "ended_at", "location", "host_name", "recorder_name",
        "party_group_id", "lecturer", "lecture_hours", "activity_form", "decisions", "minutes", "party_org_id",
        "id", "deleted_at", "updated_at", "updated_by"
    ),
    "meeting_attendance": (
        "meeting_id", "member_id", "status", "absence_reason", "had_vote", "vote_note", "review_grade",
        "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "meeting_guest": (
        "meeting_id", "name", "role", "unit", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "agenda_item": (
        "meeting_id", "position", "title", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "vote": (
        "meeting_id", "agenda_item_id", "kind", "subject_member_id", "motion", "yes", "no", "abstain",
        "written_yes", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "vote_candidate": (
        "vote_id", "member_id", "name", "yes_votes", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "visit": (
        "instructor_id", "status", "surprise", "visited_on", "started_at", "ended_at", "mode", "checklist_version",
        "met_with", "summary", "suggestions", "coordination", "next_visit_on", "notice_id", "org_id", "id",
        "deleted_at", "updated_at", "updated_by"
    ),
    "checklist_answer": (
        "visit_id", "item_code", "item_text", "position", "answer", "note", "org_id", "id", "deleted_at",
        "updated_at", "updated_by"
    ),
    "finding": (
        "visit_id", "description", "item_code", "position", "org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "rectification": (
        "source", "source_detail", "visit_id", "finding_id", "notice_id", "title", "description", "basis",
        "requirement", "responsible_person", "raised_on", "deadline", "status", "org_id", "id", "deleted_at",
        "updated_at", "updated_by"
    ),
    "rectification_follow_up": (
        "rectification_id", "kind", "at", "on_date", "from_status", "to_status", "new_deadline", "actor", "note",
        "org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "notice": (
        "kind", "status", "series", "year", "provisional_seq", "provisional_device", "confirmed_seq", "issued_on",
        "delivered_on", "signed_on", "signed_by", "void_reason", "title", "addressee", "issuer", "body", "rule_id",
        "period", "with_receipt", "org_id", "id", "deleted_at", "updated_at", "updated_by"
    ),
    "notice_print": (
        "notice_id", "sha256", "printed_at", "pages", "masked", "org_id", "id", "deleted_at", "updated_at",
        "updated_by"
    ),
    "attachment": (
        "sha256", "owner_entity", "owner_id", "filename", "mime_type", "size", "caption", "org_id", "id",
        "deleted_at", "updated_at", "updated_by"
    ),
    "compliance_waiver": (
        "rule_id", "period_kind", "period_first", "subject_id", "reason", "approved_by", "party_org_id", "id",
        "deleted_at", "updated_at", "updated_by"
    ),
    "party_attachment": (
        "sha256", "owner_entity", "owner_id", "filename", "mime_type", "size", "caption", "party_org_id", "id",
        "deleted_at", "updated_at", "updated_by"
    ),
    "instructor": ("id", "deleted_at", "updated_at", "updated_by", "username", "name", "phone", "sub_district"),
}
ENTITY_TIME_FIELDS: dict[str, dict[str, str]] = {
    "social_org": {
        "founded_on": "date", "evaluation_date": "date", "party_clause_approved_on": "date", "archived_at":
        "instant", "deleted_at": "instant", "updated_at": "instant"
    },
    "annual_inspection": {"deleted_at": "instant", "updated_at": "instant"},
    "credit_listing": {"listed_on": "date", "removed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "org_term": {"started_on": "date", "ends_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "org_evaluation": {"evaluated_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "party_org": {"established_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "party_org_coverage": {"deleted_at": "instant", "updated_at": "instant"},
    "party_org_term": {
        "started_on": "date", "due_on": "date", "renewed_on": "date", "deleted_at": "instant", "updated_at":
        "instant"
    },
    "committee_member": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
    "party_group": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
    "member": {"joined_on": "date", "left_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "member_kind_change": {"changed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "member_probation": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
    "member_relation_change": {"changed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
    "member_expected_exclusion": {
        "approved_on": "date", "first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at":
        "instant"
    },
    "assignment": {"since": "date", "until": "date", "deleted_at": "instant", "updated_at": "instant"},
    "meeting": {"started_at": "datetime", "ended_at": "datetime", "deleted_at": "instant", "updated_at": "instant"},
    "meeting_attendance": {"deleted_at": "instant", "updated_at": "instant"},
    "meeting_guest": {"deleted_at": "instant", "updated_at": "instant"},
    "agenda_item": {"deleted_at": "instant", "updated_at": "instant"},
    "vote": {"deleted_at": "instant", "updated_at": "instant"},
    "vote_candidate": {"deleted_at": "instant", "updated_at": "instant"},
    "visit": {
        "visited_on": "date", "started_at": "datetime", "ended_at": "datetime", "next_visit_on": "date",
        "deleted_at": "instant", "updated_at": "instant"
    },
    "checklist_answer": {"deleted_at": "instant", "updated_at": "instant"},
    "finding": {"deleted_at": "instant", "updated_at": "instant"},
    "rectification": {"raised_on": "date", "deadline": "date", "deleted_at": "instant", "updated_at": "instant"},
    "rectification_follow_up": {
        "at": "instant", "on_date": "date", "new_deadline": "date", "deleted_at": "instant", "updated_at": "instant"
    },
    "notice": {
        "issued_on": "date", "delivered_on": "date", "signed_on": "date", "deleted_at": "instant", "updated_at":
        "instant"
    },
    "notice_print": {"printed_at": "instant", "deleted_at": "instant", "updated_at": "instant"},
    "attachment": {"deleted_at": "instant", "updated_at": "instant"},
    "compliance_waiver": {"period_first": "date", "deleted_at": "instant", "updated_at": "instant"},
    "party_attachment": {"deleted_at": "instant", "updated_at": "instant"},
    "instructor": {"deleted_at": "instant", "updated_at": "instant"},
}
# ENTITY_REQUIRED: the fields whose client column is NOT NULL (a null, or a new record without one, cannot be
# stored by any client: the server refuses it).  ENTITY_ENUMS: per enum column, the codes this version knows
# (a value outside them is refused too; a test checks both against the models, like the fields).
ENTITY_REQUIRED: dict[str, tuple[str, ...]] = {
    "social_org": (
        "name", "short_name", "org_type", "community_category", "uscc", "uscc_override_reason",
        "legal_representative", "registration_authority", "supervisory_unit", "industry_department", "sub_district",
        "community", "address", "contact_person", "contact_phone", "party_clause_in_charter", "archive_reason",
        "notes", "org_id", "id", "updated_at", "updated_by"
    ),
    "annual_inspection": ("year", "result", "note", "org_id", "id", "updated_at", "updated_by"),
    "credit_listing": ("kind", "listed_on", "reason", "org_id", "id", "updated_at", "updated_by"),
    "org_term": ("term_no", "started_on", "ends_on", "note", "org_id", "id", "updated_at", "updated_by"),
    "org_evaluation": ("grade", "evaluated_on", "note", "org_id", "id", "updated_at", "updated_by"),
    "party_org": ("name", "level", "formation", "superior_org", "party_org_id", "id", "updated_at", "updated_by"),
    "party_org_coverage": ("org_id", "party_org_id", "id", "updated_at", "updated_by"),
    "party_org_term": ("term_no", "started_on", "due_on", "note", "party_org_id", "id", "updated_at", "updated_by"),
    "committee_member": (
        "term_id", "member_id", "role", "first_day", "party_org_id", "id", "updated_at", "updated_by"
    ),
    "party_group": ("name", "party_org_id", "id", "updated_at", "updated_by"),
    "member": ("org_id", "name", "gender", "phone", "party_org_id", "id", "updated_at", "updated_by"),
    "member_kind_change": ("member_id", "kind", "changed_on", "party_org_id", "id", "updated_at", "updated_by"),
    "member_probation": ("member_id", "first_day", "note", "party_org_id", "id", "updated_at", "updated_by"),
    "member_relation_change": (
        "member_id", "changed_on", "transferred_in", "note", "party_org_id", "id", "updated_at", "updated_by"
    ),
    "member_expected_exclusion": (
        "member_id", "reason", "approved_by", "approved_on", "first_day", "party_org_id", "id", "updated_at",
        "updated_by"
    ),
    "assignment": ("instructor_id", "since", "org_id", "id", "updated_at", "updated_by"),
    "meeting": (
        "kind", "status", "topic", "started_at", "location", "host_name", "recorder_name", "lecturer",
        "activity_form", "decisions", "minutes", "party_org_id", "id", "updated_at", "updated_by"
    ),
    "meeting_attendance": (
        "meeting_id", "member_id", "status", "absence_reason", "had_vote", "vote_note", "party_org_id", "id",
        "updated_at", "updated_by"
    ),
    "meeting_guest": ("meeting_id", "name", "role", "unit", "party_org_id", "id", "updated_at", "updated_by"),
    "agenda_item": ("meeting_id", "position", "title", "party_org_id", "id", "updated_at", "updated_by"),
    "vote": (
        "meeting_id", "kind", "motion", "yes", "no", "abstain", "written_yes", "party_org_id", "id", "updated_at",
        "updated_by"
    ),
    "vote_candidate": ("vote_id", "name", "yes_votes", "party_org_id", "id", "updated_at", "updated_by"),
    "visit": (
        "instructor_id", "status", "surprise", "visited_on", "mode", "checklist_version", "met_with", "summary",
        "suggestions", "coordination", "org_id", "id", "updated_at", "updated_by"
    ),
    "checklist_answer": (
        "visit_id", "item_code", "item_text", "position", "answer", "note", "org_id", "id", "updated_at",
        "updated_by"
    ),
    "finding": ("visit_id", "description", "item_code", "position", "org_id", "id", "updated_at", "updated_by"),
    "rectification": (
        "source", "source_detail", "title", "description", "basis", "requirement", "responsible_person",
        "raised_on", "deadline", "status", "org_id", "id", "updated_at", "updated_by"
    ),
    "rectification_follow_up": (
        "rectification_id", "kind", "at", "actor", "note", "org_id", "id", "updated_at", "updated_by"
    ),
    "notice": (
        "kind", "status", "series", "year", "signed_by", "void_reason", "title", "addressee", "issuer", "body",
        "rule_id", "period", "with_receipt", "org_id", "id", "updated_at", "updated_by"
    ),
    "notice_print": (
        "notice_id", "sha256", "printed_at", "pages", "masked", "org_id", "id", "updated_at", "updated_by"
    ),
    "attachment": (
        "sha256", "owner_entity", "owner_id", "filename", "mime_type", "size", "caption", "org_id", "id",
        "updated_at", "updated_by"
    ),
    "compliance_waiver": ("rule_id", "reason", "approved_by", "party_org_id", "id", "updated_at", "updated_by"),
    "party_attachment": (
        "sha256", "owner_entity", "owner_id", "filename", "mime_type", "size", "caption", "party_org_id", "id",
        "updated_at", "updated_by"
    ),
    "instructor": ("id", "updated_at", "updated_by", "username", "name", "phone", "sub_district"),
}
ENTITY_ENUMS: dict[str, dict[str, frozenset[str]]] = {
    "social_org": {
        "org_type": frozenset({"COMMUNITY_FILED", "FOUNDATION", "SOCIAL_GROUP", "SOCIAL_SERVICE"}),
        "evaluation_grade": frozenset({"1A", "2A", "3A", "4A", "5A"}),
    },
    "annual_inspection": {
        "result": frozenset({"BASICALLY_PASSED", "FAILED", "NOT_INSPECTED", "PASSED"}),
    },
    "credit_listing": {
        "kind": frozenset({"ABNORMAL", "SERIOUS"}),
    },
    "org_evaluation": {
        "grade": frozenset({"1A", "2A", "3A", "4A", "5A"}),
    },
    "party_org": {
        "level": frozenset({"BRANCH", "COMMITTEE", "GENERAL_BRANCH"}),
        "formation": frozenset({"EMBEDDED", "INDUSTRY", "JOINT", "REGIONAL", "SINGLE"}),
    },
    "committee_member": {
        "role": frozenset({"DEPUTY_SECRETARY", "MEMBER", "SECRETARY"}),
    },
    "member_kind_change": {
        "kind": frozenset({"FULL", "PROBATIONARY"}),
    },
    "meeting": {
        "kind": frozenset({
            "COMMITTEE_MEETING", "DEMOCRATIC_REVIEW", "GENERAL_MEETING", "GROUP_MEETING", "HEART_TO_HEART",
            "LIFE_MEETING", "PARTY_LECTURE", "THEME_DAY"
        }),
        "status": frozenset({"DONE", "DRAFT"}),
    },
    "meeting_attendance": {
        "status": frozenset({"ABSENT", "LEAVE", "OBSERVER", "PRESENT"}),
        "review_grade": frozenset({"BASICALLY_QUALIFIED", "EXCELLENT", "QUALIFIED", "UNQUALIFIED"}),
    },
    "meeting_guest": {
        "role": frozenset({"LECTURER", "OBSERVER", "OTHER", "SUPERIOR"}),
    },
    "vote": {
        "kind": frozenset({"ADMIT", "CONFIRM", "ELECTION", "OTHER", "RESOLUTION"}),
    },
    "visit": {
        "status": frozenset({"DONE", "PLANNED"}),
        "mode": frozenset({"ONLINE", "ON_SITE", "PHONE"}),
    },
    "checklist_answer": {
        "answer": frozenset({"NO", "NOT_APPLICABLE", "YES"}),
    },
    "rectification": {
        "source": frozenset({"ANNUAL_CHECK", "INSPECTION", "OTHER", "VISIT"}),
        "status": frozenset({
            "ACKNOWLEDGED", "CLOSED", "DRAFT", "IN_PROGRESS", "ISSUED", "REPORTED", "REVIEW_FAILED", "REVIEW_PASSED"
        }),
    },
    "rectification_follow_up": {
        "kind": frozenset({
            "ACKNOWLEDGE", "CLOSE", "EXTEND", "ISSUE", "NOTE", "REPORT", "REVIEW_FAIL", "REVIEW_PASS", "START"
        }),
        "from_status": frozenset({
            "ACKNOWLEDGED", "CLOSED", "DRAFT", "IN_PROGRESS", "ISSUED", "REPORTED", "REVIEW_FAILED", "REVIEW_PASSED"
        }),
        "to_status": frozenset({
            "ACKNOWLEDGED", "CLOSED", "DRAFT", "IN_PROGRESS", "ISSUED", "REPORTED", "REVIEW_FAILED", "REVIEW_PASSED"
        }),
    },
    "notice": {
        "kind": frozenset({"RECTIFICATION_NOTICE", "REMINDER_LETTER", "VISIT_NOTICE"}),
        "status": frozenset({"DELIVERED", "DRAFT", "ISSUED", "SIGNED", "VOID"}),
    },
    "compliance_waiver": {
        "period_kind": frozenset({"MONTH", "QUARTER", "YEAR"}),
    },
}
