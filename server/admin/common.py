"""What the admin commands share: their failure type and a session factory on a migrated database."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade


class AdminError(Exception):
    """A command that cannot do what was asked; ``str()`` is one Chinese line naming what to fix."""


def open_factory(settings: Settings) -> sessionmaker[Session]:
    """Migrate the database to the newest schema, then a session factory on it."""
    engine = make_engine(settings)
    upgrade(settings, engine)
    return make_sessionmaker(engine)
