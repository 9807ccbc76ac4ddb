"""Writing records: the one path every server write takes (push, admin import, assignments).

:func:`next_version` bumps the district counter row first in the transaction and holds its lock until
commit, so two writers are serialized and versions become visible in commit order (a pull that has seen
version N has seen every version below N).  :func:`write_record` stamps a record with that version and
appends it to the history the field-level merge reads, and keeps the ``party_coverage`` side table (who an
instructor's party scopes come from) in step with the live ``party_org_coverage`` records.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from server import clock
from server.models import PartyCoverage, Record, RecordVersion, SyncCounter

COUNTER_ID = 1
COVERAGE = "party_org_coverage"


def next_version(session: Session) -> int:
    """Bump the counter row and return its new value: call first in a write transaction (the row lock
    serializes writers until commit; on SQLite the write lock is the database's)."""
    bumped = session.execute(
        update(SyncCounter).where(SyncCounter.id == COUNTER_ID).values(value=SyncCounter.value + 1)
        .returning(SyncCounter.value)
    ).scalar_one_or_none()
    if bumped is None:  # a fresh database: the row is made by the first migration; be safe anyway
        session.add(SyncCounter(id=COUNTER_ID, value=1))
        session.flush()
        return 1
    return int(bumped)


def current_version(session: Session) -> int:
    """The highest committed version (0 for an empty district)."""
    return int(session.execute(select(SyncCounter.value).where(SyncCounter.id == COUNTER_ID)).scalar() or 0)


def write_record(session: Session, *, entity: str, record_id: str, scope: str, data: dict[str, Any],
                 version: int, user_id: str, deleted: bool = False, deleted_by_supervisor: bool = False,
                 op_id: str | None = None, audience: str | None = None) -> Record:
    """Create or replace the live row of ``(entity, record_id)`` at ``version`` and append the version to
    the history.  ``version`` comes from :func:`next_version` in this transaction."""
    row = session.get(Record, (entity, record_id))
    if row is None:
        row = Record(entity=entity, id=record_id)
        session.add(row)
    row.scope, row.version, row.data, row.deleted = scope, version, dict(data), deleted
    row.deleted_by_supervisor = deleted_by_supervisor if deleted else False
    row.updated_by, row.updated_at = user_id, clock.now()
    if audience is not None:
        row.audience = audience
    # One push writes one version; a batch that changes a record twice keeps the last state at that version.
    history = session.get(RecordVersion, (entity, record_id, version))
    if history is None:
        session.add(RecordVersion(entity=entity, id=record_id, version=version, deleted=deleted, data=dict(data),
                                  op_id=op_id, user_id=user_id))
    else:
        history.deleted, history.data, history.op_id, history.user_id = deleted, dict(data), op_id, user_id
    if entity == COVERAGE:
        place_coverage(session, record_id, None if deleted else data)
    session.flush()
    return row


def coverage_pair(data: dict[str, Any] | None) -> tuple[str, str] | None:
    """(party_org_id, org_id) of a live coverage record's data; None when it places nothing (deleted,
    tombstoned in its data, or missing either id)."""
    if not data or data.get("deleted_at"):
        return None
    party_org_id, org_id = data.get("party_org_id"), data.get("org_id")
    if not party_org_id or not org_id:
        return None
    return str(party_org_id), str(org_id)


def place_coverage(session: Session, record_id: str, data: dict[str, Any] | None) -> None:
    """Bring the ``party_coverage`` row of coverage record ``record_id`` in line with its live ``data``
    (None: the record is deleted)."""
    placed = session.get(PartyCoverage, record_id)
    pair = coverage_pair(data)
    if pair is None:
        if placed is not None:
            session.delete(placed)
        return
    if placed is None:
        session.add(PartyCoverage(record_id=record_id, party_org_id=pair[0], org_id=pair[1]))
    else:
        placed.party_org_id, placed.org_id = pair
