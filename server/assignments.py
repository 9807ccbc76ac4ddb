"""Assigning organizations to instructors, and the records clients pull about it.

An assignment is two things kept together: the OrgAssignment row the server authorizes by, and the
``assignment`` record (entity "assignment", scope ``org:<id>``, audience = the instructor) the clients
pull — the audience makes the ending of an assignment reach its instructor after the scope is gone.  The
dates are district civil dates (Asia/Shanghai).  ``ensure_instructor`` keeps the ``instructor`` record
(scope ``district``) of a user in step with the account.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from uuid6 import uuid7

from app import wire
from server import clock
from server.models import OrgAssignment, Record, User
from server.store import write_record

DISTRICT_ZONE = clock.DISTRICT_ZONE
ASSIGNMENT = "assignment"
INSTRUCTOR = "instructor"
ADMIN_WRITER = "admin"  # updated_by of records written by the admin CLI / the server itself


district_today = clock.district_today
_now_text = clock.now_text


def _complete(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    """Every wire field of ``entity`` (missing ones as None), nothing else."""
    return {name: data.get(name) for name in wire.ENTITY_FIELDS[entity]}


def assign(session: Session, user: User, org_id: str, version: int, *, actor: str = ADMIN_WRITER) -> bool:
    """Assign ``org_id`` to ``user`` from today; False when it already was."""
    if session.get(OrgAssignment, (user.id, org_id)) is not None:
        return False
    session.add(OrgAssignment(user_id=user.id, org_id=org_id))
    record_id = str(uuid7())
    data = _complete(ASSIGNMENT, {"id": record_id, "org_id": org_id, "instructor_id": user.id,
                                  "since": district_today().isoformat(), "until": None,
                                  "updated_at": _now_text(), "updated_by": actor})
    write_record(session, entity=ASSIGNMENT, record_id=record_id, scope=wire.org_scope(org_id), data=data,
                 version=version, user_id="", audience=user.id)
    return True


def _open_assignments(session: Session, user: User, org_id: str) -> list[Record]:
    rows = session.execute(select(Record).where(Record.entity == ASSIGNMENT, Record.scope == wire.org_scope(org_id),
                                                Record.audience == user.id, Record.deleted.is_(False)))
    return [row for row in rows.scalars() if row.data.get("until") is None]


def unassign(session: Session, user: User, org_id: str, version: int, *, actor: str = ADMIN_WRITER) -> bool:
    """End the assignment of ``org_id`` to ``user`` (until = yesterday; one made today is withdrawn as a
    tombstone); False when it was not assigned."""
    link = session.get(OrgAssignment, (user.id, org_id))
    if link is None:
        return False
    session.delete(link)
    today = district_today()
    for row in _open_assignments(session, user, org_id):
        data = dict(row.data, updated_at=_now_text(), updated_by=actor)
        deleted = data.get("since") == today.isoformat()
        if deleted:
            data["deleted_at"] = data["updated_at"]
        else:
            data["until"] = (today - timedelta(days=1)).isoformat()
        write_record(session, entity=ASSIGNMENT, record_id=row.id, scope=row.scope, data=data, version=version,
                     user_id="", deleted=deleted, audience=user.id)
    session.flush()
    return True


def instructor_data(user: User, previous: dict[str, Any] | None = None) -> dict[str, Any]:
    base = dict(previous or {})
    base.update(id=user.id, username=user.username, name=user.display_name or user.username, deleted_at=None)
    base.setdefault("phone", "")
    base.setdefault("sub_district", "")
    return _complete(INSTRUCTOR, base)


def ensure_instructor(session: Session, user: User, version: int, *, actor: str = ADMIN_WRITER) -> bool:
    """Write the user's ``instructor`` record when it is missing or differs from the account; True if written."""
    row = session.get(Record, (INSTRUCTOR, user.id))
    previous = None if row is None else {k: v for k, v in row.data.items() if k not in ("updated_at", "updated_by")}
    wanted = instructor_data(user, row.data if row is not None else None)
    unchanged = {k: v for k, v in wanted.items() if k not in ("updated_at", "updated_by")}
    if row is not None and not row.deleted and previous == unchanged:
        return False
    wanted.update(updated_at=_now_text(), updated_by=actor)
    write_record(session, entity=INSTRUCTOR, record_id=user.id, scope=wire.DISTRICT_SCOPE, data=wanted,
                 version=version, user_id="")
    return True
