"""Derived, local-only data kept in step on every write path (DESIGN §3).

An area that derives data from synced rows (the search index, coverage, credit-listing flags, later the
compliance results) registers a *keeper* for the tables it derives from.  Every write path calls
:func:`rows_changed` with what it wrote, in the same transaction: the ORM flush (through the outbox
capture), the one bulk-load function, and the sync pull.  So no path can forget one, and core never
imports an area: areas register themselves when their module is imported.

A keeper runs SQL on the session's connection (never the ORM: it may be called during a flush) and must
cope with ids that no longer exist or are tombstoned.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TypeAlias

from sqlalchemy.orm import Session

Keeper: TypeAlias = Callable[[Session, str, frozenset[str]], None]
"""``keeper(session, table_name, ids_of_changed_rows)``."""

_KEEPERS: dict[str, list[Keeper]] = {}
# (table, keeper) -> the columns of that table whose change the keeper derives from (absent: any change)
_WATCHED: dict[tuple[str, Keeper], frozenset[str]] = {}


def keep_in_step(*tables: str, watching: Mapping[str, Iterable[str]] | None = None) -> Callable[[Keeper], Keeper]:
    """Register the decorated keeper for changes to ``tables`` (each keeper once per table).

    ``watching`` narrows a table to the columns the keeper derives from: an edit that changed none of them
    (e.g. only an organization's notes) does not call it.  New rows, and writes whose columns are not
    known (bulk loads, pulls), always do."""

    def register(keeper: Keeper) -> Keeper:
        for table in tables:
            registered = _KEEPERS.setdefault(table, [])
            if keeper not in registered:
                registered.append(keeper)
            if watching is not None and table in watching:
                _WATCHED[(table, keeper)] = frozenset(watching[table])
        return keeper

    return register


def rows_changed(session: Session, changed: Mapping[str, Iterable[str]],
                 columns: Mapping[str, Collection[str] | None] | None = None) -> None:
    """Tell every keeper what was written: ``{table_name: ids}`` (added, changed or tombstoned rows).

    ``columns`` may say, per table, which columns the write changed (None or absent: not known, e.g. new
    rows); keepers watching other columns only are then skipped."""
    for table, ids in changed.items():
        id_set = frozenset(ids)
        if not id_set:
            continue
        known = columns.get(table) if columns is not None else None
        for keeper in _KEEPERS.get(table, ()):
            watched = _WATCHED.get((table, keeper))
            if known is not None and watched is not None and watched.isdisjoint(known):
                continue
            keeper(session, table, id_set)


def keepers_for(table: str) -> tuple[Keeper, ...]:
    """The keepers registered for ``table`` (tests check every derived table has one)."""
    return tuple(_KEEPERS.get(table, ()))
