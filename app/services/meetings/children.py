"""Replacing a meeting's child rows on save, through the outbox: rows matched by a key are updated in place
(only changed columns reach the outbox), the rest of the wanted rows are added, and the existing rows no
longer wanted are tombstoned — never hard deleted, so the server learns of every removal."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SyncColumns
from app.services.core import clock

__all__ = ["live_children", "replace_rows"]

Row = TypeVar("Row", bound=SyncColumns)


def live_children(session: Session, model: type[Row], column: str, parent_ids: Iterable[str]) -> list[Row]:
    """The live rows of ``model`` whose ``column`` is one of ``parent_ids``, oldest first (ids are UUIDv7)."""
    ids = list(parent_ids)
    if not ids:
        return []
    attribute = getattr(model, column)
    return list(session.execute(select(model).where(attribute.in_(ids), model.deleted_at.is_(None))
                                .order_by(model.id)).scalars())


def replace_rows(session: Session, existing: Iterable[tuple[Hashable, Row]],
                 wanted: Iterable[tuple[Hashable, Mapping[str, Any]]], make: Callable[[Mapping[str, Any]], Row]
                 ) -> list[Row]:
    """Make the live rows be ``wanted`` ((key, column values) each), pairing them with ``existing``
    ((key, row) each) by key; rows sharing a key pair in order.  Returns the rows in the order of
    ``wanted``; the caller's flush queues the outbox entries."""
    pool: dict[Hashable, list[Row]] = defaultdict(list)
    for row_key, row in existing:
        pool[row_key].append(row)
    result: list[Row] = []
    for wanted_key, values in wanted:
        spare = pool.get(wanted_key)
        if spare:
            row = spare.pop(0)
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
        else:
            row = make(values)
            session.add(row)
        result.append(row)
    now = clock.now()
    for rows in pool.values():
        for row in rows:
            row.deleted_at = now
    return result
