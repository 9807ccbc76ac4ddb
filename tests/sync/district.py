"""A district for end-to-end tests: the real server process, its admin CLI and a read-only look at what it
stored (to count rows: "exactly one server row" is a statement about the server's database)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from server.assignments import assign, unassign
from server.config import Settings
from server.db import claim_write, make_engine
from server.models import Conflict, ProcessedOp, Record
from server.store import next_version
from server.users import create_user, get_user
from tests.sync.clients import PASSWORD
from tests.sync.server_process import ServerProcess


class District:
    """``District(server)``: users and assignments as the admin commands make them, reads through
    SQLAlchemy on the server's own database.

    The admin commands' own code runs in this process (a subprocess per command costs seconds of imports
    on a loaded CI machine); :meth:`admin_cli` is the real ``python -m server admin`` for the CLI tests."""

    def __init__(self, server: ServerProcess) -> None:
        self.server = server
        self._engine: Engine | None = None

    @property
    def database_url(self) -> str:
        return self.server.database_url or f"sqlite:///{self.server.home / 'server.db'}"

    def add_user(self, name: str, role: str = "instructor", *, display_name: str = "") -> None:
        with claim_write(Session(self.engine)) as session:
            create_user(session, name, role=role, password=PASSWORD, display_name=display_name)
            session.commit()

    def assign(self, name: str, *org_ids: str) -> None:
        self._assignments(assign, name, org_ids)

    def unassign(self, name: str, *org_ids: str) -> None:
        self._assignments(unassign, name, org_ids)

    def _assignments(self, change: Callable[..., bool], name: str, org_ids: tuple[str, ...]) -> None:
        with claim_write(Session(self.engine)) as session:
            user = get_user(session, name)
            version = next_version(session)
            for org_id in org_ids:
                change(session, user, org_id, version)
            session.commit()

    def admin_cli(self, *args: str, stdin: str | None = None) -> str:
        """``python -m server admin <args>`` against this district; its standard output."""
        return self.server.admin(*args, stdin=stdin).stdout

    @property
    def engine(self) -> Engine:
        if self._engine is None:  # the server's own engine setup (SQLite: WAL, busy timeout, BEGIN IMMEDIATE)
            self._engine = make_engine(Settings(home=self.server.home, database_url=self.database_url))
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def records(self, entity: str) -> dict[str, dict[str, Any]]:
        """id -> {"version", "deleted", "scope", "data"} of every stored record of ``entity``."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(Record.id, Record.version, Record.deleted, Record.scope, Record.data)
                                .where(Record.entity == entity)).all()
        return {r.id: {"version": r.version, "deleted": r.deleted, "scope": r.scope, "data": r.data} for r in rows}

    def conflicts(self, record_id: str | None = None) -> list[dict[str, Any]]:
        query = select(Conflict.record_id, Conflict.field, Conflict.yours, Conflict.other, Conflict.kept)
        if record_id is not None:
            query = query.where(Conflict.record_id == record_id)
        with self.engine.connect() as conn:
            return [dict(r._mapping) for r in conn.execute(query)]

    def processed_ops(self) -> int:
        with self.engine.connect() as conn:
            return len(conn.execute(select(ProcessedOp.op_id)).all())


def sqlite_file(server: ServerProcess) -> Path:
    return server.home / "server.db"
