"""The sync wire protocol (DESIGN §4): message shapes and entity names, shared by the client and the server.

Imports nothing of the project (the server imports this module and nothing else of ``app``).  Values on the
wire are JSON: dates and instants as ISO-8601 strings (instants in UTC with an offset), enums by value.

Endpoints, all under :data:`PREFIX`:

- ``POST /auth/login`` :class:`LoginRequest` -> :class:`TokenPair`; ``POST /auth/refresh``
  :class:`RefreshRequest` -> :class:`TokenPair` (the refresh token rotates; presenting a used one revokes the
  device); ``POST /auth/logout`` :class:`RefreshRequest` -> ``{}``.
- ``GET /meta`` -> :class:`Meta`: 426 when the client's ``X-Sync-Protocol`` is outside the range.
- ``POST /push`` :class:`PushRequest` -> :class:`PushResponse`: one op result per op, in order.
- ``GET /pull?cursor=&limit=&scope=&count=`` -> :class:`PullPage`: rows with version > cursor in the caller's
  scopes (or only ``scope`` when given: the back-fill of a newly granted scope), in version order.
- ``HEAD|GET /blobs/{sha256}``; ``POST /uploads`` :class:`UploadStart` -> :class:`UploadState`;
  ``PATCH /uploads/{upload_id}`` with header ``Upload-Offset`` and the chunk as the body -> :class:`UploadState`;
  ``HEAD /uploads/{upload_id}`` -> header ``Upload-Offset``.
- ``POST /integrity`` :class:`IntegrityRequest` -> :class:`IntegrityResponse`.
- ``POST /checksum`` :class:`ChecksumRequest` -> :class:`ChecksumResponse`: per scope and entity, the count,
  version sum and highest version of the records (tombstones too) — what a client compares with its own.

Every request but login/refresh carries ``Authorization: Bearer <access token>``, and every request
``X-Sync-Protocol: 1`` and ``X-Device-Id``.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, TypedDict

# The schema half (entity -> scope key column, fields, time columns, required fields, enum codes), part of
# this module's namespace: wire.ENTITY_FIELDS and the rest.
from app.wire.entities import ENTITY_ENUMS as ENTITY_ENUMS
from app.wire.entities import ENTITY_FIELDS as ENTITY_FIELDS
from app.wire.entities import ENTITY_REQUIRED as ENTITY_REQUIRED
from app.wire.entities import ENTITY_SCOPE as ENTITY_SCOPE
from app.wire.entities import ENTITY_TIME_FIELDS as ENTITY_TIME_FIELDS

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
# entities a client may read but never push.  A client settles a conflict by pushing op ``delete`` on it
# (no fields; its choice went as an ordinary edit): the server makes it a tombstone whose data adds
# ``resolved_by`` and ``resolved_at``, and every client in the scope marks it settled on pulling that.
CONFLICT_ENTITY = "sync_conflict"
SERVER_MANAGED = frozenset({"instructor", "assignment"})
ATTACHMENT_ENTITIES = ("attachment", "party_attachment")  # their rows name a file by SHA-256 (``/blobs``)

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
    remaining: NotRequired[int]  # with ?count=true: the changes of this page and of all after it


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


MAX_CHECKSUM_SCOPES = 200


class ChecksumRequest(TypedDict):
    scopes: list[str]  # organization / party scopes (``org:<id>``, ``party:<id>``), at most MAX_CHECKSUM_SCOPES


class ChecksumResponse(TypedDict):
    sums: dict[str, dict[str, list[int]]]  # scope -> entity -> [count, sum of versions, highest version]
    forbidden: list[str]  # asked for, but not the caller's to read (or not an organization / party scope)


class IntegrityResponse(TypedDict):
    present: list[str]  # stored and in the caller's scopes ({id: version} in ``versions``)
    gone: list[str]  # never stored (or purged)
    forbidden: list[str]
    versions: dict[str, int]
