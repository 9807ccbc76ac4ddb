"""Sync clients for end-to-end tests: one instructor's workbench each, in this process.

A :class:`ClientProfile` is a client home (``DANGJIAN_HOME``) of its own: every call runs with that home
active (``paths.temporary_home``), signs in, edits through the same services the GUI uses, runs the real
sync engine (``app.services.sync.run_sync``) and reads back.  Several profiles in one test are several
laptops.  The subprocess form (the ``python -m app`` CLI) is :func:`app_cli`.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.domain.enums import OrgType
from app.models import Attachment, OutboxEntry, SocialOrg, new_id
from app.services.core import clock
from app.services.core.attachments import store_bytes
from app.services.core.database import Database, open_database
from app.services.orgs import organizations
from app.services.orgs.dto import OrgDetail, OrgInput
from app.services.sync import (
    Account,
    ConflictItem,
    SyncReport,
    Transport,
    checkpoints,
    list_conflicts,
    run_sync,
    sign_in,
    state,
    sync_status,
)
from app.services.sync.blobs import attachments_folder_of
from tests.sync.server_process import REPO

PASSWORD = "correct horse 1"


class ClientProfile:
    """``ClientProfile(folder, "alice")``: Alice's laptop, its home under ``folder``."""

    def __init__(self, folder: Path, username: str, password: str = PASSWORD, *,
                 clock_offset: timedelta = timedelta(0)) -> None:
        self.home = Path(folder) / f"client-{username}"
        self.username, self.password = username, password
        self.clock_offset = clock_offset  # this laptop's clock is that far off (never used to order anything)
        self.database: Database | None = None

    @contextmanager
    def active(self) -> Iterator[None]:
        """This laptop's home and clock for the block."""
        offset = self.clock_offset
        previous = clock.set_source(lambda: datetime.now(UTC) + offset)
        try:
            with paths.temporary_home(self.home):
                yield
        finally:
            clock.set_source(previous)

    def sign_in(self, server_url: str) -> Account:
        with self.active():
            account = sign_in(server_url, self.username, self.password, device_name=f"{self.username}-laptop")
            self.database = open_database(paths.database_path(account.profile))
        return account

    @property
    def factory(self) -> sessionmaker[Session]:
        assert self.database is not None, "sign in first"
        return self.database.session_factory

    def sync(self, *, password: str | None = None, transport: Transport | None = None) -> SyncReport:
        with self.active():
            return run_sync(self.factory, password=password, transport=transport)

    def transport(self, *, sleep: Callable[[float], None] | None = None) -> Transport:
        """The engine's transport for this laptop, its waits given to ``sleep`` (to see them, not wait)."""
        with self.factory() as session:
            values = state.read(session, [state.SERVER_URL, state.DEVICE_ID])
        return Transport(values[state.SERVER_URL], values[state.DEVICE_ID], sleep=sleep)

    def cursor(self) -> str:
        with self.factory() as session:
            return state.get(session, state.CURSOR)

    def close(self) -> None:
        if self.database is not None:
            self.database.close()
            self.database = None

    # -- editing through the services ----------------------------------------------------------------

    def create_org(self, name: str, **fields: Any) -> str:
        data = OrgInput(name=name, org_type=fields.pop("org_type", OrgType.COMMUNITY_FILED), **fields)
        with self.active():
            return organizations.create_org(self.factory, data, actor=self.username).id

    def edit_org(self, org_id: str, **changes: Any) -> OrgDetail:
        with self.active():
            detail = organizations.get_org(self.factory, org_id)
            return organizations.update_org(self.factory, org_id, dataclasses.replace(detail.data, **changes),
                                            actor=self.username)

    def attach(self, org_id: str, data: bytes, filename: str = "scan.pdf") -> str:
        """An attachment of the organization (its bytes stored first, as every form does); its id."""
        with self.active():
            stored = store_bytes(attachments_folder_of(self.factory), data, filename)
            with self.factory.begin() as session:
                row = Attachment(id=new_id(), org_id=org_id, owner_entity="social_org", owner_id=org_id,
                                 sha256=stored.sha256, filename=filename, size=len(data),
                                 mime_type="application/pdf")
                session.add(row)
                return row.id

    # -- reading back ----------------------------------------------------------------------------------

    def org(self, org_id: str) -> OrgDetail:
        with self.active():
            return organizations.get_org(self.factory, org_id)

    def org_row(self, org_id: str) -> dict[str, Any] | None:
        """Every column of the local row (tombstones too), or None when this laptop never had it."""
        with self.factory() as session:
            row = session.get(SocialOrg, org_id)
            return None if row is None else {c.key: getattr(row, c.key) for c in SocialOrg.__table__.columns}

    def org_ids(self) -> set[str]:
        with self.factory() as session:
            return set(session.scalars(select(SocialOrg.id).where(SocialOrg.deleted_at.is_(None))))

    def outbox(self) -> list[tuple[str, str, str, str]]:
        """(entity, record id, state, last error) of every outbox entry, in order."""
        with self.factory() as session:
            rows = session.execute(select(OutboxEntry.entity, OutboxEntry.record_id, OutboxEntry.state,
                                          OutboxEntry.last_error).order_by(OutboxEntry.seq)).all()
        return [(entity, record_id, str(getattr(state, "value", state)), error)
                for entity, record_id, state, error in rows]

    def pending(self) -> int:
        with self.active():
            return sync_status(self.factory).pending

    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictItem]:
        with self.active():
            return list_conflicts(self.factory, include_resolved=include_resolved)


class Killed(Exception):
    """A simulated crash of the client at a named checkpoint (nothing after it commits)."""


def kill_at(name: str, *, times: int = 1, instead: Callable[[], None] | None = None) -> None:
    """Crash the next ``times`` sync runs reaching checkpoint ``name``; with ``instead``, call it there
    and carry on (e.g. to kill the server at that moment)."""
    left = [times]

    def hook(point: str) -> None:
        if point == name and left[0] > 0:
            left[0] -= 1
            if instead is not None:
                instead()
                return
            raise Killed(point)

    checkpoints.add_hook(hook)


def app_cli(home: Path, *args: str, stdin: str | None = None, env: Mapping[str, str] | None = None,
            check: bool = True) -> subprocess.CompletedProcess[str]:
    """``python -m app <args>`` with ``DANGJIAN_HOME=home`` (a laptop of its own; no system keyring, so a
    sync is given the password on stdin as on a machine without a Secret Service)."""
    environment = {k: v for k, v in os.environ.items() if k not in (paths.PROFILE_ENV,)}
    environment.update({paths.HOME_ENV: str(home), "QT_QPA_PLATFORM": "offscreen",
                        "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring",
                        "PYTHONPATH": os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])})
    environment.update(env or {})
    result = subprocess.run([sys.executable, "-m", "app", *args], cwd=REPO, env=environment, input=stdin,
                            capture_output=True, text=True, check=False, timeout=300)
    if check and result.returncode != 0:
        raise AssertionError(f"python -m app {' '.join(args)} failed ({result.returncode}):\n"
                             f"{result.stdout}\n{result.stderr}")
    return result


def raw_org_fields(org_id: str, name: str) -> dict[str, object]:
    """Every wire field of a new 社会组织 exactly as the client's outbox sends one (for raw pushes)."""
    from app import wire

    fields: dict[str, object] = {field: "" for field in wire.ENTITY_FIELDS["social_org"]}
    fields.update(id=org_id, org_id=org_id, name=name, org_type=OrgType.COMMUNITY_FILED.value, founded_on=None,
                  staff_count=None, member_count=None, party_member_count=None, evaluation_grade=None,
                  evaluation_date=None, party_clause_in_charter=False, party_clause_approved_on=None,
                  archived_at=None, deleted_at=None, updated_at="2026-03-31T12:00:00+00:00", updated_by="race")
    return fields
