"""The sync wire protocol (DESIGN §4): message shapes and entity names, shared by the client and the server.

Imports nothing of the project (the server imports this module and nothing else of ``app``).  Values on the
wire are JSON: dates and instants as ISO-8601 strings (instants in UTC with an offset), enums by value.

Endpoints, all under :data:`PREFIX`:

- ``POST /auth/login`` :class:`LoginRequest` -> :class:`TokenPair`; ``POST /auth/refresh``
  :class:`RefreshRequest` -> :class:`TokenPair` (the refresh token rotates; presenting a used one revokes the
  device); ``POST /auth/logout`` :class:`RefreshRequest` -> ``{}``.
- ``GET /meta`` -> :class:`Meta`: 426 when the client's ``X-Sync-Protocol`` is outside the range.
- ``POST /push`` :class:`PushRequest` -> :class:`PushResponse`: one op result per op, in order.
- ``GET /pull?cursor=&limit=&scope=`` -> :class:`PullPage`: rows with version > cursor in the caller's
  scopes (or only ``scope`` when given: the back-fill of a newly granted scope), in version order.
- ``HEAD|GET /blobs/{sha256}``; ``POST /uploads`` :class:`UploadStart` -> :class:`UploadState`;
  ``PATCH /uploads/{upload_id}`` with header ``Upload-Offset`` and the chunk as the body -> :class:`UploadState`;
  ``HEAD /uploads/{upload_id}`` -> header ``Upload-Offset``.
- ``POST /integrity`` :class:`IntegrityRequest` -> :class:`IntegrityResponse`.

Every request but login/refresh carries ``Authorization: Bearer <access token>``, and every request
``X-Sync-Protocol: 1`` and ``X-Device-Id``.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

PROTOCOL_VERSION = 1
PROTOCOL_MIN = 1
PREFIX = "/api/sync/v1"
PROTOCOL_HEADER = "X-Sync-Protocol"
DEVICE_HEADER = "X-Device-Id"
OFFSET_HEADER = "Upload-Offset"

MAX_PUSH_OPS = 100
MAX_PAGE = 1000
DEFAULT_PAGE = 500
CHUNK_SIZE = 1024 * 1024  # 1 MiB upload chunks

ROLES = ("instructor", "supervisor", "admin")
Role = Literal["instructor", "supervisor", "admin"]

# Op kinds and per-op result statuses.
OP_UPSERT, OP_DELETE = "upsert", "delete"
OPS = (OP_UPSERT, OP_DELETE, "transition", "append")
APPLIED, DUPLICATE, MERGED, CONFLICT, REJECTED = "applied", "duplicate", "merged", "conflict", "rejected"
STATUSES = (APPLIED, DUPLICATE, MERGED, CONFLICT, REJECTED)

# Error codes of a rejected op (``OpResult.error.code``).
FORBIDDEN, VALIDATION, UNSUPPORTED_ENTITY, BLOB_MISSING, READ_ONLY = (
    "forbidden",
    "validation",
    "unsupported_entity",
    "blob_missing",
    "read_only",
)

# Scope ids on the wire: "org:<uuid>" for an organization's own records, "party:<uuid>" for the party
# aggregate, "district" for district-wide records (instructors).  Built and read only by these helpers.
DISTRICT_SCOPE = "district"


def org_scope(org_id: str) -> str:
    return f"org:{org_id}"


def party_scope(party_org_id: str) -> str:
    return f"party:{party_org_id}"


def scope_for(scope_key: str, value: str) -> str:
    """The scope id of a row whose scope key column ``scope_key`` holds ``value``."""
    return org_scope(value) if scope_key == "org_id" else party_scope(value)


# The pseudo-entity a stored conflict travels as in a pull (scope: the record's), and the server-managed
# entities a client may read but never push.
CONFLICT_ENTITY = "sync_conflict"
SERVER_MANAGED = frozenset({"instructor", "assignment"})

# entity (= client table name) -> its scope key column ("instructor" has none: its scope is the district).
# The fields each may carry: ENTITY_FIELDS (a test checks both against the client's models).
# ENTITY_TIME_FIELDS: the columns that are not plain strings/numbers/bools on the wire, by kind:
# "date" (YYYY-MM-DD), "datetime" (a civil date-time, naive ISO), "instant" (aware ISO, UTC).
ENTITY_SCOPE: dict[str, str] = {}
ENTITY_FIELDS: dict[str, tuple[str, ...]] = {}
ENTITY_TIME_FIELDS: dict[str, dict[str, str]] = {}
# ENTITY_REQUIRED: the fields whose client column is NOT NULL (a null, or a new record without one, cannot be
# stored by any client: the server refuses it).  ENTITY_ENUMS: per enum column, the codes this version knows
# (a value outside them is refused too; a test checks both against the models, like the fields).
ENTITY_REQUIRED: dict[str, tuple[str, ...]] = {}
ENTITY_ENUMS: dict[str, dict[str, frozenset[str]]] = {}
ENTITY_SCOPE.update(
    {
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
)
ENTITY_FIELDS.update(
    {
        "social_org": (
            "name",
            "short_name",
            "org_type",
            "community_category",
            "uscc",
            "uscc_override_reason",
            "legal_representative",
            "registration_authority",
            "supervisory_unit",
            "industry_department",
            "founded_on",
            "sub_district",
            "community",
            "address",
            "contact_person",
            "contact_phone",
            "staff_count",
            "member_count",
            "party_member_count",
            "evaluation_grade",
            "evaluation_date",
            "party_clause_in_charter",
            "party_clause_approved_on",
            "archived_at",
            "archive_reason",
            "notes",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "annual_inspection": ("year", "result", "note", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
        "credit_listing": (
            "kind",
            "listed_on",
            "reason",
            "removed_on",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "org_term": (
            "term_no",
            "started_on",
            "ends_on",
            "note",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "org_evaluation": ("grade", "evaluated_on", "note", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
        "party_org": (
            "name",
            "level",
            "formation",
            "established_on",
            "superior_org",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "party_org_coverage": ("org_id", "party_org_id", "id", "deleted_at", "updated_at", "updated_by"),
        "party_org_term": (
            "term_no",
            "started_on",
            "due_on",
            "renewed_on",
            "note",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "committee_member": (
            "term_id",
            "member_id",
            "role",
            "first_day",
            "last_day",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "party_group": (
            "name",
            "leader_member_id",
            "first_day",
            "last_day",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "member": (
            "org_id",
            "name",
            "gender",
            "birth_year",
            "phone",
            "joined_on",
            "party_group_id",
            "left_on",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "member_kind_change": (
            "member_id",
            "kind",
            "changed_on",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "member_probation": (
            "member_id",
            "first_day",
            "last_day",
            "note",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "member_relation_change": (
            "member_id",
            "changed_on",
            "transferred_in",
            "note",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "member_expected_exclusion": (
            "member_id",
            "reason",
            "approved_by",
            "approved_on",
            "first_day",
            "last_day",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "assignment": ("instructor_id", "since", "until", "org_id", "id", "deleted_at", "updated_at", "updated_by"),
        "meeting": (
            "kind",
            "status",
            "topic",
            "started_at",
            "ended_at",
            "location",
            "host_name",
            "recorder_name",
            "party_group_id",
            "lecturer",
            "lecture_hours",
            "activity_form",
            "decisions",
            "minutes",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "meeting_attendance": (
            "meeting_id",
            "member_id",
            "status",
            "absence_reason",
            "had_vote",
            "vote_note",
            "review_grade",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "meeting_guest": (
            "meeting_id",
            "name",
            "role",
            "unit",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "agenda_item": (
            "meeting_id",
            "position",
            "title",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "vote": (
            "meeting_id",
            "agenda_item_id",
            "kind",
            "subject_member_id",
            "motion",
            "yes",
            "no",
            "abstain",
            "written_yes",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "vote_candidate": (
            "vote_id",
            "member_id",
            "name",
            "yes_votes",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "visit": (
            "instructor_id",
            "status",
            "surprise",
            "visited_on",
            "started_at",
            "ended_at",
            "mode",
            "checklist_version",
            "met_with",
            "summary",
            "suggestions",
            "coordination",
            "next_visit_on",
            "notice_id",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "checklist_answer": (
            "visit_id",
            "item_code",
            "item_text",
            "position",
            "answer",
            "note",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "finding": (
            "visit_id",
            "description",
            "item_code",
            "position",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "rectification": (
            "source",
            "source_detail",
            "visit_id",
            "finding_id",
            "notice_id",
            "title",
            "description",
            "basis",
            "requirement",
            "responsible_person",
            "raised_on",
            "deadline",
            "status",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "rectification_follow_up": (
            "rectification_id",
            "kind",
            "at",
            "on_date",
            "from_status",
            "to_status",
            "new_deadline",
            "actor",
            "note",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "notice": (
            "kind",
            "status",
            "series",
            "year",
            "provisional_seq",
            "provisional_device",
            "confirmed_seq",
            "issued_on",
            "delivered_on",
            "signed_on",
            "signed_by",
            "void_reason",
            "title",
            "addressee",
            "issuer",
            "body",
            "rule_id",
            "period",
            "with_receipt",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "notice_print": (
            "notice_id",
            "sha256",
            "printed_at",
            "pages",
            "masked",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "attachment": (
            "sha256",
            "owner_entity",
            "owner_id",
            "filename",
            "mime_type",
            "size",
            "caption",
            "org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "compliance_waiver": (
            "rule_id",
            "period_kind",
            "period_first",
            "subject_id",
            "reason",
            "approved_by",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "party_attachment": (
            "sha256",
            "owner_entity",
            "owner_id",
            "filename",
            "mime_type",
            "size",
            "caption",
            "party_org_id",
            "id",
            "deleted_at",
            "updated_at",
            "updated_by",
        ),
        "instructor": ("id", "deleted_at", "updated_at", "updated_by", "username", "name", "phone", "sub_district"),
    }
)
ENTITY_TIME_FIELDS.update(
    {
        "social_org": {
            "founded_on": "date",
            "evaluation_date": "date",
            "party_clause_approved_on": "date",
            "archived_at": "instant",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "annual_inspection": {"deleted_at": "instant", "updated_at": "instant"},
        "credit_listing": {"listed_on": "date", "removed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "org_term": {"started_on": "date", "ends_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "org_evaluation": {"evaluated_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "party_org": {"established_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "party_org_coverage": {"deleted_at": "instant", "updated_at": "instant"},
        "party_org_term": {
            "started_on": "date",
            "due_on": "date",
            "renewed_on": "date",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "committee_member": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
        "party_group": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
        "member": {"joined_on": "date", "left_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "member_kind_change": {"changed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "member_probation": {"first_day": "date", "last_day": "date", "deleted_at": "instant", "updated_at": "instant"},
        "member_relation_change": {"changed_on": "date", "deleted_at": "instant", "updated_at": "instant"},
        "member_expected_exclusion": {
            "approved_on": "date",
            "first_day": "date",
            "last_day": "date",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "assignment": {"since": "date", "until": "date", "deleted_at": "instant", "updated_at": "instant"},
        "meeting": {"started_at": "datetime", "ended_at": "datetime", "deleted_at": "instant", "updated_at": "instant"},
        "meeting_attendance": {"deleted_at": "instant", "updated_at": "instant"},
        "meeting_guest": {"deleted_at": "instant", "updated_at": "instant"},
        "agenda_item": {"deleted_at": "instant", "updated_at": "instant"},
        "vote": {"deleted_at": "instant", "updated_at": "instant"},
        "vote_candidate": {"deleted_at": "instant", "updated_at": "instant"},
        "visit": {
            "visited_on": "date",
            "started_at": "datetime",
            "ended_at": "datetime",
            "next_visit_on": "date",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "checklist_answer": {"deleted_at": "instant", "updated_at": "instant"},
        "finding": {"deleted_at": "instant", "updated_at": "instant"},
        "rectification": {"raised_on": "date", "deadline": "date", "deleted_at": "instant", "updated_at": "instant"},
        "rectification_follow_up": {
            "at": "instant",
            "on_date": "date",
            "new_deadline": "date",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "notice": {
            "issued_on": "date",
            "delivered_on": "date",
            "signed_on": "date",
            "deleted_at": "instant",
            "updated_at": "instant",
        },
        "notice_print": {"printed_at": "instant", "deleted_at": "instant", "updated_at": "instant"},
        "attachment": {"deleted_at": "instant", "updated_at": "instant"},
        "compliance_waiver": {"period_first": "date", "deleted_at": "instant", "updated_at": "instant"},
        "party_attachment": {"deleted_at": "instant", "updated_at": "instant"},
        "instructor": {"deleted_at": "instant", "updated_at": "instant"},
    }
)

ENTITY_REQUIRED.update(
    {
        "social_org": (
            "name",
            "short_name",
            "org_type",
            "community_category",
            "uscc",
            "uscc_override_reason",
            "legal_representative",
            "registration_authority",
            "supervisory_unit",
            "industry_department",
            "sub_district",
            "community",
            "address",
            "contact_person",
            "contact_phone",
            "party_clause_in_charter",
            "archive_reason",
            "notes",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "annual_inspection": ("year", "result", "note", "org_id", "id", "updated_at", "updated_by"),
        "credit_listing": ("kind", "listed_on", "reason", "org_id", "id", "updated_at", "updated_by"),
        "org_term": ("term_no", "started_on", "ends_on", "note", "org_id", "id", "updated_at", "updated_by"),
        "org_evaluation": ("grade", "evaluated_on", "note", "org_id", "id", "updated_at", "updated_by"),
        "party_org": ("name", "level", "formation", "superior_org", "party_org_id", "id", "updated_at", "updated_by"),
        "party_org_coverage": ("org_id", "party_org_id", "id", "updated_at", "updated_by"),
        "party_org_term": ("term_no", "started_on", "due_on", "note", "party_org_id", "id", "updated_at", "updated_by"),
        "committee_member": (
            "term_id",
            "member_id",
            "role",
            "first_day",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "party_group": ("name", "party_org_id", "id", "updated_at", "updated_by"),
        "member": ("org_id", "name", "gender", "phone", "party_org_id", "id", "updated_at", "updated_by"),
        "member_kind_change": ("member_id", "kind", "changed_on", "party_org_id", "id", "updated_at", "updated_by"),
        "member_probation": ("member_id", "first_day", "note", "party_org_id", "id", "updated_at", "updated_by"),
        "member_relation_change": (
            "member_id",
            "changed_on",
            "transferred_in",
            "note",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "member_expected_exclusion": (
            "member_id",
            "reason",
            "approved_by",
            "approved_on",
            "first_day",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "assignment": ("instructor_id", "since", "org_id", "id", "updated_at", "updated_by"),
        "meeting": (
            "kind",
            "status",
            "topic",
            "started_at",
            "location",
            "host_name",
            "recorder_name",
            "lecturer",
            "activity_form",
            "decisions",
            "minutes",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "meeting_attendance": (
            "meeting_id",
            "member_id",
            "status",
            "absence_reason",
            "had_vote",
            "vote_note",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "meeting_guest": ("meeting_id", "name", "role", "unit", "party_org_id", "id", "updated_at", "updated_by"),
        "agenda_item": ("meeting_id", "position", "title", "party_org_id", "id", "updated_at", "updated_by"),
        "vote": (
            "meeting_id",
            "kind",
            "motion",
            "yes",
            "no",
            "abstain",
            "written_yes",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "vote_candidate": ("vote_id", "name", "yes_votes", "party_org_id", "id", "updated_at", "updated_by"),
        "visit": (
            "instructor_id",
            "status",
            "surprise",
            "visited_on",
            "mode",
            "checklist_version",
            "met_with",
            "summary",
            "suggestions",
            "coordination",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "checklist_answer": (
            "visit_id",
            "item_code",
            "item_text",
            "position",
            "answer",
            "note",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "finding": ("visit_id", "description", "item_code", "position", "org_id", "id", "updated_at", "updated_by"),
        "rectification": (
            "source",
            "source_detail",
            "title",
            "description",
            "basis",
            "requirement",
            "responsible_person",
            "raised_on",
            "deadline",
            "status",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "rectification_follow_up": (
            "rectification_id",
            "kind",
            "at",
            "actor",
            "note",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "notice": (
            "kind",
            "status",
            "series",
            "year",
            "signed_by",
            "void_reason",
            "title",
            "addressee",
            "issuer",
            "body",
            "rule_id",
            "period",
            "with_receipt",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "notice_print": (
            "notice_id",
            "sha256",
            "printed_at",
            "pages",
            "masked",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "attachment": (
            "sha256",
            "owner_entity",
            "owner_id",
            "filename",
            "mime_type",
            "size",
            "caption",
            "org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "compliance_waiver": ("rule_id", "reason", "approved_by", "party_org_id", "id", "updated_at", "updated_by"),
        "party_attachment": (
            "sha256",
            "owner_entity",
            "owner_id",
            "filename",
            "mime_type",
            "size",
            "caption",
            "party_org_id",
            "id",
            "updated_at",
            "updated_by",
        ),
        "instructor": ("id", "updated_at", "updated_by", "username", "name", "phone", "sub_district"),
    }
)
ENTITY_ENUMS.update(
    {
        "social_org": {
            "org_type": frozenset({"SOCIAL_GROUP", "SOCIAL_SERVICE", "FOUNDATION", "COMMUNITY_FILED"}),
            "evaluation_grade": frozenset({"1A", "2A", "3A", "4A", "5A"}),
        },
        "annual_inspection": {
            "result": frozenset({"PASSED", "BASICALLY_PASSED", "FAILED", "NOT_INSPECTED"}),
        },
        "credit_listing": {
            "kind": frozenset({"ABNORMAL", "SERIOUS"}),
        },
        "org_evaluation": {
            "grade": frozenset({"1A", "2A", "3A", "4A", "5A"}),
        },
        "party_org": {
            "level": frozenset({"BRANCH", "GENERAL_BRANCH", "COMMITTEE"}),
            "formation": frozenset({"SINGLE", "JOINT", "INDUSTRY", "REGIONAL", "EMBEDDED"}),
        },
        "committee_member": {
            "role": frozenset({"SECRETARY", "DEPUTY_SECRETARY", "MEMBER"}),
        },
        "member_kind_change": {
            "kind": frozenset({"FULL", "PROBATIONARY"}),
        },
        "meeting": {
            "kind": frozenset(
                {
                    "GENERAL_MEETING",
                    "COMMITTEE_MEETING",
                    "GROUP_MEETING",
                    "PARTY_LECTURE",
                    "THEME_DAY",
                    "LIFE_MEETING",
                    "DEMOCRATIC_REVIEW",
                    "HEART_TO_HEART",
                }
            ),
            "status": frozenset({"DRAFT", "DONE"}),
        },
        "meeting_attendance": {
            "status": frozenset({"PRESENT", "LEAVE", "ABSENT", "OBSERVER"}),
            "review_grade": frozenset({"EXCELLENT", "QUALIFIED", "BASICALLY_QUALIFIED", "UNQUALIFIED"}),
        },
        "meeting_guest": {
            "role": frozenset({"LECTURER", "SUPERIOR", "OBSERVER", "OTHER"}),
        },
        "vote": {
            "kind": frozenset({"RESOLUTION", "ELECTION", "ADMIT", "CONFIRM", "OTHER"}),
        },
        "visit": {
            "status": frozenset({"PLANNED", "DONE"}),
            "mode": frozenset({"ON_SITE", "PHONE", "ONLINE"}),
        },
        "checklist_answer": {
            "answer": frozenset({"YES", "NO", "NOT_APPLICABLE"}),
        },
        "rectification": {
            "source": frozenset({"VISIT", "INSPECTION", "ANNUAL_CHECK", "OTHER"}),
            "status": frozenset(
                {
                    "DRAFT",
                    "ISSUED",
                    "ACKNOWLEDGED",
                    "IN_PROGRESS",
                    "REPORTED",
                    "REVIEW_PASSED",
                    "REVIEW_FAILED",
                    "CLOSED",
                }
            ),
        },
        "rectification_follow_up": {
            "kind": frozenset(
                {
                    "ISSUE",
                    "ACKNOWLEDGE",
                    "START",
                    "REPORT",
                    "REVIEW_PASS",
                    "REVIEW_FAIL",
                    "EXTEND",
                    "CLOSE",
                    "NOTE",
                }
            ),
            "from_status": frozenset(
                {
                    "DRAFT",
                    "ISSUED",
                    "ACKNOWLEDGED",
                    "IN_PROGRESS",
                    "REPORTED",
                    "REVIEW_PASSED",
                    "REVIEW_FAILED",
                    "CLOSED",
                }
            ),
            "to_status": frozenset(
                {
                    "DRAFT",
                    "ISSUED",
                    "ACKNOWLEDGED",
                    "IN_PROGRESS",
                    "REPORTED",
                    "REVIEW_PASSED",
                    "REVIEW_FAILED",
                    "CLOSED",
                }
            ),
        },
        "notice": {
            "kind": frozenset({"VISIT_NOTICE", "RECTIFICATION_NOTICE", "REMINDER_LETTER"}),
            "status": frozenset({"DRAFT", "ISSUED", "DELIVERED", "SIGNED", "VOID"}),
        },
        "compliance_waiver": {
            "period_kind": frozenset({"MONTH", "QUARTER", "YEAR"}),
        },
    }
)

# Fields whose concurrent change is settled by state, not by "later push wins": the live value stays the
# one applied first and the later op is a conflict (a rectification's status carries its expected value).
FIRST_WINS_FIELDS: dict[str, frozenset[str]] = {"rectification": frozenset({"status"})}


class LoginRequest(TypedDict):
    username: str
    password: str
    device_id: str
    device_name: str


class RefreshRequest(TypedDict):
    refresh_token: str
    device_id: str


class TokenPair(TypedDict):
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token lives
    user: dict[str, Any]  # {"id", "username", "display_name", "role"}


class Meta(TypedDict):
    server_instance_id: str
    server_time: str
    protocol_min: int
    protocol_max: int
    max_push_ops: int
    max_page_size: int
    server_version: int
    user: dict[str, Any]
    scopes: list[str]  # every scope id granted to the caller now (supervisor/admin: ["*"])
    assigned_org_ids: list[str]


class Op(TypedDict):
    op_id: str
    entity: str
    id: str
    op: str  # upsert | delete
    scope: str  # the client's scope id of the record (checked against the stored row's, never trusted)
    base_version: int
    fields: dict[str, Any]  # changed fields only (all fields of a new record)


class PushRequest(TypedDict):
    device_id: str
    ops: list[Op]


class FieldConflict(TypedDict):
    field: str
    yours: Any  # the value this op carried
    other: Any  # the concurrent value it met (from another push)
    kept: Any  # the live value now


class OpResult(TypedDict, total=False):
    op_id: str
    status: str
    version: int
    record: dict[str, Any] | None  # the server row after the op: {"entity","id","scope","version","deleted","data"}
    conflicts: list[FieldConflict]
    error: dict[str, str]  # {"code", "message"}
    notice_number: dict[str, Any]  # {"series","year","confirmed_seq"} when the server allocated one


class PushResponse(TypedDict):
    results: list[OpResult]
    server_version: int


class Change(TypedDict):
    entity: str
    id: str
    scope: str
    version: int
    deleted: bool
    data: dict[str, Any]  # every field of ENTITY_FIELDS[entity] (deleted rows too: the tombstone's last state)


class PullPage(TypedDict):
    changes: list[Change]
    next_cursor: str
    has_more: bool
    server_version: int


class UploadStart(TypedDict):
    sha256: str
    size: int
    mime: str


class UploadState(TypedDict):
    upload_id: str
    offset: int
    size: int
    complete: bool


class IntegrityRequest(TypedDict):
    entity: str
    ids: list[str]


class IntegrityResponse(TypedDict):
    present: list[str]  # stored and in the caller's scopes ({id: version} in ``versions``)
    gone: list[str]  # never stored (or purged)
    forbidden: list[str]
    versions: dict[str, int]
