"""Replacing a meeting's child rows on save, through the outbox: rows matched by a key are updated in place
(only changed columns reach the outbox), the rest of the wanted rows are added, and the existing rows no
longer wanted are tombstoned — never hard deleted, so the server learns of every removal.

The save compares against the rows as stored (``stored_children``: one statement for every child table,
plain values), and loads as ORM objects only the rows it changes or tombstones: saving a record whose
attendance, 议题 and votes did not change loads none of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from sqlalchemy import Dialect, Table, select, text
from sqlalchemy.orm import Session

from app.models import (
    AgendaItem,
    MeetingAttendance,
    MeetingGuest,
    PartyAttachment,
    SyncColumns,
    Vote,
    VoteCandidate,
)
from app.services.core import clock

__all__ = ["StoredRow", "live_children", "replace_rows", "stored_children"]

Row = TypeVar("Row", bound=SyncColumns)


def live_children(session: Session, model: type[Row], column: str, parent_ids: Iterable[str]) -> list[Row]:
    """The live rows of ``model`` whose ``column`` is one of ``parent_ids``, oldest first (ids are UUIDv7)."""
    ids = list(parent_ids)
    if not ids:
        return []
    attribute = getattr(model, column)
    return list(session.execute(select(model).where(attribute.in_(ids), model.deleted_at.is_(None))
                                .order_by(model.id)).scalars())


@dataclass(frozen=True)
class StoredRow:
    """A live child row as stored: its id and the values of the columns the save writes (as the ORM would
    load them: enums, booleans)."""

    id: str
    values: Mapping[str, Any]


# Per child table: which rows belong to the meeting ``:m`` and the columns the save writes.  Votes' candidates
# are those of the meeting's live votes; attachments are owned by the meeting's id.
_CHILDREN: tuple[tuple[type[SyncColumns], str, tuple[str, ...]], ...] = (
    (MeetingAttendance, "meeting_id = :m",
     ("member_id", "status", "absence_reason", "had_vote", "vote_note", "review_grade")),
    (MeetingGuest, "meeting_id = :m", ("name", "role", "unit")),
    (AgendaItem, "meeting_id = :m", ("position", "title")),
    (Vote, "meeting_id = :m",
     ("agenda_item_id", "kind", "subject_member_id", "motion", "yes", "no", "abstain", "written_yes")),
    (VoteCandidate, "vote_id IN (SELECT id FROM vote WHERE meeting_id = :m AND deleted_at IS NULL)",
     ("vote_id", "member_id", "name", "yes_votes")),
    (PartyAttachment, "owner_id = :m", ("sha256", "filename", "size", "mime_type", "caption")),
)
_WIDTH = max(len(columns) for _model, _where, columns in _CHILDREN)


def _table(model: type[SyncColumns]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _branch(tag: int, model: type[SyncColumns], where: str, columns: tuple[str, ...]) -> str:
    padded = [f'"{name}"' for name in columns] + ["NULL"] * (_WIDTH - len(columns))
    return (f"SELECT {tag}, id, {', '.join(padded)} FROM {_table(model).name}"
            f" WHERE {where} AND deleted_at IS NULL")


# Oldest first within each table (ids are UUIDv7), as ``live_children`` reads them.
_STORED = text(" UNION ALL ".join(_branch(tag, *child) for tag, child in enumerate(_CHILDREN)) + " ORDER BY 1, 2")
_PROCESSORS: dict[str, list[tuple[Callable[[Any], Any] | None, ...]]] = {}


def _processors(dialect: Dialect) -> list[tuple[Callable[[Any], Any] | None, ...]]:
    """Per child table, per column: the conversion of the stored value the ORM applies on load."""
    found = _PROCESSORS.get(dialect.name)
    if found is None:
        found = _PROCESSORS[dialect.name] = [
            tuple(_table(model).c[name].type.result_processor(dialect, None) for name in columns)
            for model, _where, columns in _CHILDREN]
    return found


def stored_children(session: Session, meeting_id: str) -> dict[type[SyncColumns], list[StoredRow]]:
    """Every live child row of the meeting, per model, oldest first — one statement, no ORM objects."""
    conn = session.connection()
    processors = _processors(conn.dialect)
    found: dict[type[SyncColumns], list[StoredRow]] = {model: [] for model, _where, _columns in _CHILDREN}
    for tag, row_id, *raw in conn.execute(_STORED, {"m": meeting_id}):
        model, _where, columns = _CHILDREN[tag]
        values = {name: process(value) if process else value
                  for name, process, value in zip(columns, processors[tag], raw, strict=False)}
        found[model].append(StoredRow(row_id, values))
    return found


def replace_rows(session: Session, model: type[Row], existing: Iterable[tuple[Hashable, StoredRow]],
                 wanted: Iterable[tuple[Hashable, Mapping[str, Any]]], make: Callable[[Mapping[str, Any]], Row]
                 ) -> list[str]:
    """Make the live rows of ``model`` be ``wanted`` ((key, column values) each), pairing them with
    ``existing`` ((key, stored row) each) by key; rows sharing a key pair in order.  ``make`` builds a new
    row (with its id).  Returns the ids of the rows in the order of ``wanted``; the caller's flush queues
    the outbox entries.  Only the rows changed or tombstoned are loaded."""
    pool: dict[Hashable, list[StoredRow]] = defaultdict(list)
    for row_key, stored_row in existing:
        pool[row_key].append(stored_row)
    ids: list[str] = []
    changes: dict[str, dict[str, Any]] = {}
    for wanted_key, values in wanted:
        spare = pool.get(wanted_key)
        if spare:
            stored = spare.pop(0)
            changed = {name: value for name, value in values.items() if stored.values[name] != value}
            if changed:
                changes[stored.id] = changed
            ids.append(stored.id)
        else:
            new = make(values)
            session.add(new)
            ids.append(new.id)
    gone = [stored.id for rows in pool.values() for stored in rows]
    if changes or gone:
        loaded = {row.id: row for row in session.execute(
            select(model).where(model.id.in_([*changes, *gone]))).scalars()}
        for row_id, changed in changes.items():
            row = loaded[row_id]
            for name, value in changed.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        now = clock.now()
        for row_id in gone:
            loaded[row_id].deleted_at = now
    return ids
