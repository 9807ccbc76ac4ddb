"""The open client database as the rest of the app holds it, and the start-up's quick way to open one.

:class:`Database` makes its SQLAlchemy engine and session factory on first use (or when :meth:`warm` asks,
on a thread of its own), so that a start whose file is already at the head revision paints its first
screen without importing SQLAlchemy at all (DESIGN §8: its import is most of a start).  :func:`open_at_head`
is that start's check, with the stdlib ``sqlite3`` only; every other state of the file (missing, 0 bytes,
damaged, older, newer, found damaged before) is left to ``app.services.core.database.open_database``.

No SQLAlchemy import here.  Any thread.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.services.core import integrity_state
from app.services.core.sqlite_file import UnreadableFile, known_revisions, stored_revision

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

__all__ = ["Database", "Health", "open_at_head"]


@dataclass
class Health:
    """What the last integrity check of the open database found: ``damage`` is None while it is sound.
    Once set, every write transaction is refused with the damage message (reads still work, so what can
    be read can be seen and exported)."""

    damage: str | None = None
    closed: bool = False  # close() was called: a deferred read must not reopen it (a profile switched away)


class Database:
    """An open client database: its engine and the one session factory, made once (on first use, or by
    :meth:`warm`), and what opening it did (``backup_path``: the copy made before this start's upgrade;
    ``migrated``: alembic created or upgraded the schema)."""

    def __init__(self, path: Path, *, backup_path: Path | None = None, migrated: bool = False,
                 health: Health | None = None, engine: Engine | None = None,
                 session_factory: sessionmaker[Session] | None = None) -> None:
        self.path = path
        self.backup_path = backup_path
        self.migrated = migrated
        self.health = health if health is not None else Health()
        self._made: tuple[Engine, sessionmaker[Session]] | None = (
            (engine, session_factory) if engine is not None and session_factory is not None else None)
        self._lock = threading.Lock()
        self._warming: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"Database({str(self.path)!r}, made={self._made is not None})"

    @property
    def engine(self) -> Engine:
        return self._make()[0]

    @property
    def session_factory(self) -> sessionmaker[Session]:
        return self._make()[1]

    @property
    def made(self) -> bool:
        """The engine exists (SQLAlchemy is imported)."""
        return self._made is not None

    def _make(self) -> tuple[Engine, sessionmaker[Session]]:
        made = self._made
        if made is None:
            with self._lock:  # one engine, whichever thread asks first (the others wait for it)
                if self._made is None:
                    from app.services.core.database import connect  # SQLAlchemy: imported here

                    self._made = connect(self.path, self.health)
                made = self._made
        return made

    def warm(self) -> None:
        """Make the engine now on a thread of its own (after the first paint), so that the first write or
        read that needs a session does not wait for SQLAlchemy's import."""
        if self._made is None and self._warming is None:
            self._warming = threading.Thread(target=self._make, name="database-warm-up", daemon=True)
            self._warming.start()

    def close(self) -> None:
        self.health.closed = True
        if self._warming is not None:
            self._warming.join()  # a window closed at once: let the import finish rather than die mid-way
        if self._made is not None:
            self._made[0].dispose()


def open_at_head(db_path: Path) -> Database | None:
    """The database at ``db_path`` if it is in the state a start usually finds: a readable SQLite file of
    this app at the head revision, not found damaged by an earlier check.  Its engine is made on first
    use.  None for anything else (missing, 0 bytes, unreadable, older, newer, recorded damage): open it
    with ``open_database``, which creates, upgrades or refuses it and says why."""
    if not db_path.is_file():
        return None
    try:
        stored, has_tables = stored_revision(db_path)
    except (UnreadableFile, OSError):
        return None
    if not has_tables or stored != known_revisions()[1]:
        return None
    if integrity_state.recorded_damage(db_path) is not None:
        return None
    return Database(db_path)
