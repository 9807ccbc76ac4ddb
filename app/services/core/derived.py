"""Derived, local-only data kept in step on every write path (DESIGN §3).

An area that derives data from synced rows (the search index, coverage, credit-listing flags, later the
compliance results) registers a *keeper* for the tables it derives from.  Every write path calls
:func:`rows_changed` with what it wrote, in the same transaction: the ORM flush (through the outbox
capture), the one bulk-load function, and the sync pull.  So no path can forget one, and core never
imports an area: areas register themselves when their module is imported, and the ``app.services``
package (which every import of core passes through first) names those modules to core as a *keeper
loader* (:func:`set_keeper_loader`).  :func:`rows_changed` runs the loader before it dispatches for the
first time, so a process that writes has every keeper, whichever modules it imported; a process that
only reads (the start-up's first paint) imports none of them.

A keeper runs SQL on the session's connection (never the ORM: it may be called during a flush) and must
cope with ids that no longer exist or are tombstoned.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Keeper: TypeAlias = "Callable[[Session, str, frozenset[str]], None]"
"""``keeper(session, table_name, ids_of_changed_rows)``."""

_KEEPERS: dict[str, list[Keeper]] = {}
# (table, keeper) -> the columns of that table whose change the keeper derives from (absent: any change)
_WATCHED: dict[tuple[str, Keeper], frozenset[str]] = {}
_loader: Callable[[], None] | None = None
_loaded = False
_loading = threading.RLock()


def set_keeper_loader(loader: Callable[[], None]) -> None:
    """``loader`` imports every module that registers keepers (``app.services`` sets it at import)."""
    global _loader, _loaded
    with _loading:
        _loader, _loaded = loader, False


def load_keepers() -> None:
    """Register every keeper now (once; later calls return at once).  Any thread."""
    global _loaded
    if _loaded:
        return
    with _loading:
        if not _loaded and _loader is not None:
            _loader()
            _loaded = True


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
    load_keepers()
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
    load_keepers()
    return tuple(_KEEPERS.get(table, ()))
