"""End-to-end helpers: a real district server (tests/sync/harness ServerProcess) and client profiles.

Several clients in one test are separate *profiles* (``alice``, ``bob``: one database and one attachments
folder each) under the test's one DANGJIAN_HOME — exactly what two accounts on one laptop would be, and
what sign-in makes of a username.  Their refresh tokens live in the in-memory keyring under their own
usernames."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.domain.enums import OrgType
from app.models import SocialOrg
from app.services.core.database import Database, open_database
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org, update_org
from app.services.sync import SyncReport, run_sync, sign_in
from tests.sync.server_process import ServerProcess

PASSWORD = "correct-horse-9"


@contextmanager
def running_server(home: Path, **env: str) -> Iterator[ServerProcess]:
    server = ServerProcess(home, env=env).start()
    try:
        yield server
    finally:
        server.stop()


class Admin:
    """What ``python -m server admin`` does, in this process on the running server's database (a
    subprocess per command costs seconds on a shared machine; the CLI itself is tested on its branch)."""

    def __init__(self, server: ServerProcess) -> None:
        from server.admin.common import open_factory
        from server.config import Settings

        self.factory = open_factory(Settings(home=server.home, database_url=f"sqlite:///{server.home / 'server.db'}"))

    def create_user(self, name: str, role: str = "instructor") -> None:
        from server.db import claim_write
        from server.users import create_user

        with claim_write(self.factory()) as session:
            create_user(session, name, role=role, password=PASSWORD, display_name=name.title())
            session.commit()

    def assign(self, name: str, org_id: str, *, assigned: bool = True) -> None:
        from server.assignments import assign, unassign
        from server.db import claim_write
        from server.store import next_version
        from server.users import get_user

        with claim_write(self.factory()) as session:
            user = get_user(session, name)
            (assign if assigned else unassign)(session, user, org_id, next_version(session))
            session.commit()

    def unassign(self, name: str, org_id: str) -> None:
        self.assign(name, org_id, assigned=False)

    def close(self) -> None:
        """Let go of the database file (before the server is stopped and its file copied or replaced)."""
        bind = self.factory.kw["bind"]
        bind.dispose()


class Client:
    """A signed-in profile: its database, and the few edits the tests make through the services."""

    def __init__(self, server: ServerProcess, username: str, template: Path | None = None) -> None:
        self.username = username
        if template is not None:  # a migrated empty database: sign-in opens it instead of migrating one
            shutil.copyfile(template, paths.database_path(username))
        self.account = sign_in(server.url, username, PASSWORD)
        self.db: Database = open_database(paths.database_path(username))

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.db.session_factory

    def sync(self, **kwargs: Any) -> SyncReport:
        return run_sync(self.factory, **kwargs)

    def new_org(self, name: str) -> str:
        return create_org(self.factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED),
                          actor=self.username).id

    def edit_org(self, org_id: str, **fields: Any) -> None:
        row = self.org(org_id)
        assert row is not None
        data = OrgInput(name=row.name, org_type=OrgType.COMMUNITY_FILED, contact_phone=row.contact_phone,
                        address=row.address)
        update_org(self.factory, org_id, OrgInput(**{**data.__dict__, **fields}), actor=self.username)

    def org(self, org_id: str) -> SocialOrg | None:
        with self.factory() as session:
            return session.execute(select(SocialOrg).where(SocialOrg.id == org_id)).scalar_one_or_none()

    def close(self) -> None:
        self.db.close()


@dataclass
class World:
    """The running server with this test's instructors ``alice`` and ``bob`` (named ``alice-<n>`` on the
    server, so tests sharing it never meet), and a way to sign clients in."""

    server: ServerProcess
    admin: Admin
    template: Path
    suffix: str

    def user(self, name: str) -> str:
        return f"{name}-{self.suffix}"

    def clients(self, *names: str) -> list[Client]:
        return [Client(self.server, self.user(name), self.template) for name in names]

    def assign(self, name: str, org_id: str) -> None:
        self.admin.assign(self.user(name), org_id)

    def unassign(self, name: str, org_id: str) -> None:
        self.admin.unassign(self.user(name), org_id)
