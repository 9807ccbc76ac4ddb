"""What the admin commands share: their failure type and a session factory on a migrated database."""

from __future__ import annotations

import argparse

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


def add_instructor_and_orgs(parser: argparse.ArgumentParser) -> None:
    """``NAME --org CODE_OR_ID...``: the arguments of assign and unassign."""
    parser.add_argument("name", metavar="NAME", help="指导员的用户名")
    parser.add_argument("--org", nargs="+", required=True, metavar="CODE_OR_ID",
                        help="组织的统一社会信用代码或组织编号（list-orgs 可查），可写多个")
