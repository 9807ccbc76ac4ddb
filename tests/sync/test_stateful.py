"""Random offline work and syncs of three instructors and a supervisor, through a fault-injecting proxy, against
one real server process (SYNC.md §8.12): a hypothesis RuleBasedStateMachine.

Each example is a fresh district corner: a new organization the supervisor creates and every instructor is
assigned, and fresh client profiles (each its own database, signed in through the real client engine); the
server process and its database live for the whole run.  Rules: edit a field of the shared organization,
create / delete a visit, attach a small file, move a 整改事项 along (a transition and a note), sync one
client, sync one client while the proxy drops the push after the server committed it or answers 503 with
Retry-After.  Throughout: no saved op vanishes from an outbox and no cursor goes backwards.  After
quiescence (every client syncs twice, no faults): every op acked or visibly rejected / in conflict, one
server record per client record and one blob per content, every client equal to the server on the shared
organization, every conflict with both values kept (server and clients), and every value any client saved
found in the server's history or in a conflict.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import paths, wire
from app.domain.enums import OutboxState, RectificationSource, VisitMode, VisitStatus
from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status
from app.domain.rectification_flow import TRANSITIONS
from app.models import Attachment, OutboxEntry, Rectification, SocialOrg, SyncConflict, Visit
from app.services.core import clock
from app.services.core.attachments import store_bytes
from app.services.core.database import Database, open_database
from app.services.core.errors import ServiceError
from app.services.core.outbox import record_upsert
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org
from app.services.rectification.dto import RectificationInput
from app.services.rectification.follow_ups import append_follow_up
from app.services.rectification.items import create_item
from app.services.sync import SyncError, credentials, run_sync, sign_in, state
from app.services.sync.blobs import attachments_folder_of
from app.services.sync.codec import decode, encode, wire_keys
from app.services.sync.transport import Transport
from app.services.visits.records import delete_visit
from server.models import Blob, Conflict, Record, RecordVersion
from tests.sync.harness import FaultProxy, ServerProcess
from tests.sync.wire_district import PASSWORD, add_user, assign_org, open_home

INSTRUCTORS = ("ins0", "ins1", "ins2")
SUPERVISOR = "sup"
CLIENTS = (*INSTRUCTORS, SUPERVISOR)
ORG_FIELDS = ("contact_person", "notes")
VALUES = ("张三", "李四", "王五")
CONTENTS = (b"photo one", b"photo two", b"\x89PNG three")
BOOKKEEPING = frozenset({"updated_at", "updated_by"})
# Entities of an organization's scope the rules touch (the others stay empty).
ORG_ENTITIES = ("social_org", "visit", "attachment", "rectification", "rectification_follow_up")


@dataclass
class Client:
    name: str
    database: Database
    device_id: str
    cursors: list[int] = field(default_factory=list)
    op_ids: set[str] = field(default_factory=set)

    @property
    def factory(self) -> sessionmaker[Session]:
        return self.database.session_factory


def _cursor_version(cursor: str) -> int:
    if not cursor:
        return 0
    raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
    return int(json.loads(raw)["v"])


class SyncMachine(RuleBasedStateMachine):
    server: ClassVar[ServerProcess]
    proxy: ClassVar[FaultProxy]
    server_factory: ClassVar[sessionmaker[Session]]
    template: ClassVar[Path]
    scratch: ClassVar[Path]
    examples: ClassVar[int] = 0

    def __init__(self) -> None:
        super().__init__()
        SyncMachine.examples += 1
        self.home = self.scratch / f"example-{SyncMachine.examples}"
        self.home.mkdir()
        self._home_before = os.environ.get(paths.HOME_ENV)
        os.environ[paths.HOME_ENV] = str(self.home)
        credentials._memory.clear()
        self.proxy.clear()
        self.waits: list[float] = []
        self.clients: dict[str, Client] = {}
        for name in CLIENTS:
            self.clients[name] = self._sign_in(name)
        sup = self.clients[SUPERVISOR]
        self.org_id = create_org(sup.factory, OrgInput(name=f"共享协会{SyncMachine.examples}",
                                                        org_type=_org_type()), actor=SUPERVISOR).id
        self._sync(sup)
        for name in INSTRUCTORS:
            assign_org(self.server_factory, name, self.org_id)
        for name in INSTRUCTORS:
            self._sync(self.clients[name])

    def _sign_in(self, name: str) -> Client:
        target = paths.database_path(name)
        shutil.copyfile(self.template, target)  # a migrated empty profile: opening it costs no migration
        sign_in(self.proxy.url, name, PASSWORD, device_name=f"{name}-laptop")
        database = open_database(target)
        with database.session_factory() as session:
            device_id = state.get(session, state.DEVICE_ID)
        return Client(name, database, device_id)

    # -- syncing -------------------------------------------------------------------------------------------

    def _sync(self, client: Client, *, must_succeed: bool = True) -> None:
        with Transport(self.proxy.url, client.device_id, sleep=self.waits.append) as transport:
            try:
                run_sync(client.factory, transport=transport)
            except SyncError:
                if must_succeed:
                    raise
        with client.factory() as session:
            client.cursors.append(_cursor_version(state.get(session, state.CURSOR)))

    @rule(name=st.sampled_from(CLIENTS))
    def sync(self, name: str) -> None:
        self._sync(self.clients[name])

    @rule(name=st.sampled_from(CLIENTS), fault=st.sampled_from(["drop push", "503 pull", "503 push"]))
    def sync_with_a_fault(self, name: str, fault: str) -> None:
        if fault == "drop push":
            self.proxy.drop("/push", method="POST")
        elif fault == "503 pull":
            self.proxy.respond(503, "/pull", method="GET", retry_after=3)
        else:
            self.proxy.respond(503, "/push", method="POST", retry_after=2, times=2)
        self._sync(self.clients[name], must_succeed=False)
        self.proxy.clear()

    # -- offline work ----------------------------------------------------------------------------------------

    @rule(name=st.sampled_from(CLIENTS), column=st.sampled_from(ORG_FIELDS), value=st.sampled_from(VALUES))
    def edit_org(self, name: str, column: str, value: str) -> None:
        with self.clients[name].factory.begin() as session:
            row = session.get(SocialOrg, self.org_id)
            assert row is not None
            setattr(row, column, value)
            record_upsert(session, row, actor=name)

    @rule(names=st.lists(st.sampled_from(CLIENTS), min_size=2, max_size=2, unique=True),
          column=st.sampled_from(ORG_FIELDS), values=st.lists(st.sampled_from(VALUES), min_size=2, max_size=2,
                                                              unique=True))
    def edit_org_on_two_clients(self, names: list[str], column: str, values: list[str]) -> None:
        """The same field changed differently on two clients before either syncs: a conflict to come."""
        for name, value in zip(names, values, strict=True):
            self.edit_org(name, column, value)

    @rule(name=st.sampled_from(CLIENTS), summary=st.sampled_from(VALUES), pick=st.integers(0, 5))
    def edit_a_visit(self, name: str, summary: str, pick: int) -> None:
        client = self.clients[name]
        visits = self._live(client, Visit)
        if visits:
            with client.factory.begin() as session:
                visit = session.get(Visit, visits[pick % len(visits)])
                assert visit is not None
                visit.summary = summary
                record_upsert(session, visit, actor=name)

    @rule(name=st.sampled_from(CLIENTS), summary=st.sampled_from(VALUES))
    def create_visit(self, name: str, summary: str) -> None:
        self._new_visit(self.clients[name], summary)

    def _new_visit(self, client: Client, summary: str) -> str:
        with client.factory.begin() as session:
            visit = Visit(org_id=self.org_id, instructor_id=state.get(session, state.USER_ID),
                          status=VisitStatus.PLANNED, mode=VisitMode.ON_SITE,
                          visited_on=clock.today() + timedelta(days=7), summary=summary)
            record_upsert(session, visit, actor=client.name)
            return visit.id

    def _live(self, client: Client, model: Any) -> list[str]:
        with client.factory() as session:
            return list(session.execute(select(model.id).where(model.org_id == self.org_id,
                                                               model.deleted_at.is_(None))
                                        .order_by(model.id)).scalars())

    @rule(name=st.sampled_from(CLIENTS), pick=st.integers(0, 5))
    def delete_a_visit(self, name: str, pick: int) -> None:
        client = self.clients[name]
        visits = self._live(client, Visit)
        if visits:
            delete_visit(client.factory, visits[pick % len(visits)], actor=name)

    @rule(name=st.sampled_from(CLIENTS), content=st.sampled_from(CONTENTS), pick=st.integers(0, 5))
    def attach_a_file(self, name: str, content: bytes, pick: int) -> None:
        client = self.clients[name]
        visits = self._live(client, Visit) or [self._new_visit(client, "附件走访")]
        stored = store_bytes(attachments_folder_of(client.factory), content, "photo.png")
        with client.factory.begin() as session:
            row = Attachment(org_id=self.org_id, owner_entity="visit", owner_id=visits[pick % len(visits)],
                             sha256=stored.sha256, filename=stored.filename, size=stored.size,
                             mime_type="image/png")
            record_upsert(session, row, actor=name)

    @rule(name=st.sampled_from(CLIENTS), pick=st.integers(0, 5))
    def move_a_rectification(self, name: str, pick: int) -> None:
        """A 整改事项 made (草稿), else one moved one step along its flow, with a note after it."""
        client = self.clients[name]
        items = self._live(client, Rectification)
        today = clock.today()
        if not items:
            create_item(client.factory, RectificationInput(
                org_id=self.org_id, source=RectificationSource.INSPECTION, source_detail="督查",
                title="台账不全", description="台账不全", basis="制度", requirement="补齐台账",
                deadline=today + timedelta(days=30), responsible_person="张三", raised_on=today), actor=name)
            return
        item_id = items[pick % len(items)]
        with client.factory() as session:
            item = session.get(Rectification, item_id)
            assert item is not None
            status = Status(item.status)
        moves = [kind for kind, steps in TRANSITIONS.items() if status in steps and kind is not Kind.REVIEW_FAIL]
        try:
            if moves:
                append_follow_up(client.factory, item_id, kind=moves[0], on_date=today, actor=name,
                                 note="已处理")
            append_follow_up(client.factory, item_id, kind=Kind.NOTE, on_date=today, note=f"{name}的备注",
                             actor=name)
        except ServiceError:
            pass  # the flow refused this step here (e.g. a status a pull just moved on): nothing saved

    # -- throughout --------------------------------------------------------------------------------------------

    @invariant()
    def no_saved_op_vanishes(self) -> None:
        for client in self.clients.values():
            with client.factory() as session:
                now = set(session.execute(select(OutboxEntry.op_id)).scalars())
            assert client.op_ids <= now, f"{client.name}: ops vanished from the outbox: {client.op_ids - now}"
            client.op_ids = now

    @invariant()
    def cursors_never_go_backwards(self) -> None:
        for client in self.clients.values():
            assert client.cursors == sorted(client.cursors), f"{client.name}: cursor went back: {client.cursors}"

    # -- after quiescence ------------------------------------------------------------------------------------------

    def teardown(self) -> None:
        try:
            self.proxy.clear()
            for _round in range(2):
                for client in self.clients.values():
                    self._sync(client)
            self.no_saved_op_vanishes()
            self.cursors_never_go_backwards()
            self._every_op_settled_visibly()
            self._one_server_record_per_client_record_and_one_blob_per_content()
            self._every_client_equals_the_server()
            self._every_conflict_keeps_both_values()
            self._no_saved_value_is_lost()
            assert all(wait <= 3 for wait in self.waits), f"waited as told by Retry-After: {self.waits}"
        finally:
            for client in self.clients.values():
                client.database.close()
            if self._home_before is None:
                os.environ.pop(paths.HOME_ENV, None)
            else:
                os.environ[paths.HOME_ENV] = self._home_before

    def _entries(self, client: Client) -> list[OutboxEntry]:
        with client.factory() as session:
            return list(session.execute(select(OutboxEntry).order_by(OutboxEntry.seq)).scalars())

    def _every_op_settled_visibly(self) -> None:
        for client in self.clients.values():
            for entry in self._entries(client):
                assert entry.state in (OutboxState.ACKED, OutboxState.REJECTED, OutboxState.CONFLICT), (
                    f"{client.name}: {entry.entity} {entry.record_id} still {entry.state} ({entry.last_error})")
                if entry.state is OutboxState.REJECTED:
                    assert entry.last_error, f"{client.name}: a rejection says why"

    def _server_records(self) -> dict[tuple[str, str], Record]:
        with self.server_factory() as session:
            rows = session.execute(select(Record).where(Record.scope == wire.org_scope(self.org_id))).scalars()
            return {(row.entity, row.id): row for row in rows}

    def _one_server_record_per_client_record_and_one_blob_per_content(self) -> None:
        server = self._server_records()
        shas: set[str] = set()
        for client in self.clients.values():
            for entry in self._entries(client):
                if entry.state is not OutboxState.REJECTED:
                    assert (entry.entity, entry.record_id) in server, f"{client.name}: {entry.entity} not on server"
            with client.factory() as session:
                shas |= set(session.execute(select(Attachment.sha256)).scalars())
        with self.server_factory() as session:
            blobs = set(session.execute(select(Blob.sha256)).scalars())
        files = sorted(p.name for p in (self.server.home / "blobs").rglob("*") if p.is_file())
        assert len(files) == len(set(files)) and set(files) == blobs, "one stored file per blob row"
        assert shas <= blobs, "every attached content reached the server"

    def _client_rows(self, client: Client) -> dict[tuple[str, str], dict[str, Any]]:
        rows: dict[tuple[str, str], dict[str, Any]] = {}
        with client.factory() as session:
            for entity in ORG_ENTITIES:
                table = _table(entity)
                for row in session.execute(select(table).where(table.c.org_id == self.org_id)).mappings():
                    rows[(entity, row["id"])] = encode(entity, row)
        return rows

    def _every_client_equals_the_server(self) -> None:
        server = {key: encode(key[0], decode(key[0], row.data).values)
                  for key, row in self._server_records().items() if key[0] in ORG_ENTITIES}
        for client in self.clients.values():
            local = self._client_rows(client)
            assert set(local) == set(server), f"{client.name}: records differ from the server's"
            for key, data in server.items():
                diff = {k: (local[key].get(k), v) for k, v in data.items()
                        if k in wire_keys(key[0]) and local[key].get(k) != v}
                assert not diff, f"{client.name}: {key} differs from the server (local, server): {diff}"

    def _every_conflict_keeps_both_values(self) -> None:
        with self.server_factory() as session:
            conflicts = list(session.execute(select(Conflict).where(
                Conflict.scope == wire.org_scope(self.org_id))).scalars())
        event(f"conflicts on the server: {min(len(conflicts), 3)}{'+' if len(conflicts) >= 3 else ''}")
        for conflict in conflicts:
            assert conflict.kept in (conflict.yours, conflict.other), conflict.__dict__
            assert conflict.yours != conflict.other, "a conflict is two different values"
            for client in self.clients.values():
                with client.factory() as session:
                    local = session.get(SyncConflict, conflict.id)
                assert local is not None, f"{client.name} never received conflict {conflict.id}"
                assert (local.yours, local.other, local.kept) == (conflict.yours, conflict.other, conflict.kept)

    def _no_saved_value_is_lost(self) -> None:
        """Every field value an acked or conflicting op carried is in the record's server history or in a
        conflict's ``yours``: the later push may hold the live value, the earlier one is never dropped.  (A
        delete of a record another client deleted first leaves the first delete's time: deleted is enough.)"""
        with self.server_factory() as session:
            history: dict[tuple[str, str], list[dict[str, Any]]] = {}
            for version in session.execute(select(RecordVersion)).scalars():
                history.setdefault((version.entity, version.id), []).append(version.data)
            kept = {(c.entity, c.record_id, c.field, json.dumps(c.yours, sort_keys=True))
                    for c in session.execute(select(Conflict)).scalars()}
        for client in self.clients.values():
            for entry in self._entries(client):
                if entry.state is OutboxState.REJECTED:
                    continue
                seen = history.get((entry.entity, entry.record_id), [])
                for name, value in entry.fields.items():
                    if name in BOOKKEEPING:
                        continue
                    if name == "deleted_at" and value is not None:  # deleting a record deleted elsewhere
                        in_history = any(data.get(name) for data in seen)  # keeps the first delete's time
                    else:
                        in_history = any(_same(data.get(name), value, entry.entity, name) for data in seen)
                    in_conflict = (entry.entity, entry.record_id, name, json.dumps(value, sort_keys=True)) in kept
                    assert in_history or in_conflict, (
                        f"{client.name}: {entry.entity}.{name} = {value!r} is nowhere on the server")


def _same(stored: Any, sent: Any, entity: str, name: str) -> bool:
    if stored == sent:
        return True
    normalized = decode(entity, {name: stored}).values.get(name), decode(entity, {name: sent}).values.get(name)
    return normalized[0] == normalized[1]


def _table(entity: str) -> Any:
    from app.services.sync.codec import entity_table

    return entity_table(entity)


def _org_type() -> Any:
    from app.domain.enums import OrgType

    return OrgType.COMMUNITY_FILED


@pytest.fixture(scope="module")
def district(tmp_path_factory: pytest.TempPathFactory) -> Iterator[type[SyncMachine]]:
    root = tmp_path_factory.mktemp("stateful")
    home = root / "server"
    factory = open_home(home)
    for name in INSTRUCTORS:
        add_user(factory, name)
    add_user(factory, SUPERVISOR, "supervisor")
    template = root / "template.db"
    open_database(template).close()
    with ServerProcess(home) as server, FaultProxy(server.port) as proxy:
        SyncMachine.server, SyncMachine.proxy, SyncMachine.server_factory = server, proxy, factory
        SyncMachine.template, SyncMachine.scratch = template, root
        yield SyncMachine
    factory.kw["bind"].dispose()


@pytest.mark.timeout(900)  # ten examples of up to fifteen steps with real syncs: minutes on a loaded CI machine
def test_clients_converge_and_nothing_is_lost(district: type[SyncMachine]) -> None:
    run_state_machine_as_test(district, settings=settings(
        max_examples=int(os.environ.get("STATEFUL_EXAMPLES", "10")), stateful_step_count=15, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))
