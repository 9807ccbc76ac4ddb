"""The field-level three-way merge of a pushed op against the stored record (DESIGN §4, SYNC.md §8.5).

Pure functions over plain dicts: no session, no clock (the server's "now" is a parameter).  The push pipeline
(server/push.py) loads the base (the record's state at the op's ``base_version``) and the current state, and
writes what :func:`merge_op` returns.

The rule that matters: nothing is lost.  Every value the op changed is either live afterwards or kept in a
:class:`FieldClash` (``yours``); every value another push changed since the base is either live or kept in a
clash (``other``).  A delete never silently drops a concurrent edit: the edit stays in the record's data (live,
or in the tombstone's last state) and the clash on ``deleted_at`` says what happened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.wire import FIRST_WINS_FIELDS, OP_DELETE

DELETED_AT = "deleted_at"
# Written by every op (who saved last, when): the later push takes them; never a clash, never "merged".
BOOKKEEPING_FIELDS = frozenset({"updated_at", "updated_by"})


@dataclass(frozen=True)
class Snapshot:
    """A record's state at one version: its fields and whether it is a tombstone (and whose)."""

    data: Mapping[str, Any]
    deleted: bool = False
    deleted_by_supervisor: bool = False


EMPTY = Snapshot({})


@dataclass(frozen=True)
class FieldClash:
    """A field both sides changed to different values since the base: ``kept`` is the live value after."""

    field: str
    yours: Any
    other: Any
    kept: Any


@dataclass(frozen=True)
class MergeOutcome:
    """What to write.  ``merged``: the record differs from what the pusher would expect (base + its fields),
    because others changed fields it did not touch; ``changed``: anything differs from the current state."""

    data: dict[str, Any]
    deleted: bool
    deleted_by_supervisor: bool
    clashes: tuple[FieldClash, ...]
    merged: bool
    changed: bool


def merge_fields(entity: str, base: Mapping[str, Any], current: Mapping[str, Any],
                 fields: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[FieldClash, ...]]:
    """Three-way merge of ``fields`` (the op's) into ``current`` against ``base``, field by field.

    Unchanged by the op (its value equals the base's) -> the current value stays; unchanged by others since
    the base -> the op's value; both changed to the same value -> nothing to do; both changed differently ->
    a clash whose live value is the op's (the later push wins) except for the entity's FIRST_WINS_FIELDS,
    whose live value stays the current one (a rectification's status moved on by someone else first)."""
    first_wins = FIRST_WINS_FIELDS.get(entity, frozenset())
    data = dict(current)
    clashes: list[FieldClash] = []
    for name, yours in fields.items():
        other, before = current.get(name), base.get(name)
        if yours == other or (yours == before and name in current):
            continue
        if other == before or name in BOOKKEEPING_FIELDS:
            data[name] = yours
            continue
        kept = other if name in first_wins else yours
        data[name] = kept
        clashes.append(FieldClash(name, yours, other, kept))
    return data, tuple(clashes)


def edited_since(base: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Whether any field other than the bookkeeping ones differs between ``base`` and ``current``."""
    names = (set(base) | set(current)) - BOOKKEEPING_FIELDS - {DELETED_AT}
    return any(base.get(name) != current.get(name) for name in names)


def merge_op(entity: str, *, op: str, fields: Mapping[str, Any], base: Snapshot, current: Snapshot | None,
             by_supervisor: bool, now_iso: str) -> MergeOutcome:
    """Merge one op (``op`` "delete" or an upsert-like kind) into the record's ``current`` state (None: the
    server has never stored it).  ``base`` is the state the pusher last saw (EMPTY when ``base_version`` is 0).

    Deletes against concurrent edits: an instructor's delete of a record edited since the base leaves it live
    (clash on ``deleted_at``); a supervisor's wins (the edit stays in the tombstone's data, the clash says so).
    An upsert on a record deleted since the base: restored when an instructor deleted it, left deleted (the
    edit merged into the tombstone's data, a clash) when a supervisor did."""
    deleting = op == OP_DELETE or fields.get(DELETED_AT) is not None
    values = {name: value for name, value in fields.items() if name != DELETED_AT}
    if current is None:
        data = dict(values)
        data[DELETED_AT] = (fields.get(DELETED_AT) or now_iso) if deleting else None
        return MergeOutcome(data, deleting, deleting and by_supervisor, (), False, True)
    data, clashes = merge_fields(entity, base.data, current.data, values)
    if deleting:
        deleted, by_sup, clash = _delete(base, current, fields.get(DELETED_AT) or now_iso, by_supervisor)
    else:
        deleted, by_sup, clash = _upsert(base, current, fields, by_supervisor)
    data[DELETED_AT] = current.data.get(DELETED_AT) if deleted and current.deleted else None
    if deleted and not current.deleted:
        data[DELETED_AT] = fields.get(DELETED_AT) or now_iso
    if clash is not None:
        clashes = (*clashes, FieldClash(DELETED_AT, clash[0], clash[1], data[DELETED_AT]))
    merged = edited_since({**base.data, **values}, data)
    changed = data != dict(current.data) or deleted != current.deleted
    return MergeOutcome(data, deleted, deleted and by_sup, clashes, merged and not clashes, changed)


def _delete(base: Snapshot, current: Snapshot, deleted_at: str,
            by_supervisor: bool) -> tuple[bool, bool, tuple[Any, Any] | None]:
    """(deleted, by a supervisor, clash (yours, other) on deleted_at or None) for a delete op."""
    if current.deleted:
        return True, current.deleted_by_supervisor, None
    if not edited_since(base.data, current.data) and not base.deleted:
        return True, by_supervisor, None
    if by_supervisor:
        return True, True, (deleted_at, None)
    return False, False, (deleted_at, None)


def _upsert(base: Snapshot, current: Snapshot, fields: Mapping[str, Any],
            by_supervisor: bool) -> tuple[bool, bool, tuple[Any, Any] | None]:
    """(deleted, by a supervisor, clash (yours, other) on deleted_at or None) for an upsert op."""
    if not current.deleted:
        return False, False, None
    tombstone = current.data.get(DELETED_AT)
    if current.deleted_by_supervisor and not by_supervisor:
        return True, True, (None, tombstone)
    if not base.deleted:
        return False, False, (None, tombstone)  # deleted since the base by someone whose delete yields
    if DELETED_AT in fields:  # the pusher saw the tombstone and restores it on purpose
        return False, False, None
    return True, current.deleted_by_supervisor, (None, tombstone)
