"""The client sync engine against a real district server (python -m server serve in a subprocess):
sign in, push, pull into a second client, a conflict keeping both values, a confirmed notice number,
attachment bytes up and down, a 401 mid-push answered by a refresh, the back-fill of a new assignment,
and the quarantine of an unassigned organization with unsent edits."""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import NoticeKind, NoticeStatus, OrgType, OutboxState
from app.models import Attachment, Notice, OutboxEntry, SocialOrg, SyncConflict, new_id
from app.services.core.attachments import blob_path, store_bytes
from app.services.core.outbox import QuarantinedScopeError, bulk_load, record_upsert
from app.services.orgs.assignments import can_edit_assignments, my_org_ids
from app.services.sync import (
    PasswordNeeded,
    SyncError,
    SyncProgress,
    account_of,
    list_conflicts,
    resolve_conflict,
    sign_in,
    sign_out,
    sync_status,
)
from app.services.sync.blobs import attachments_folder_of
from app.services.sync.checkpoints import add_hook, clear_hooks
from app.services.sync.credentials import service_name
from tests.unit.sync.conftest import MemoryKeyring
from tests.unit.sync.e2e_clients import PASSWORD, Admin, Client, World, running_server


def _states(client: Client) -> list[OutboxState]:
    with client.factory() as session:
        return list(session.execute(select(OutboxEntry.state).order_by(OutboxEntry.seq)).scalars())


def test_sign_in_push_and_pull_into_a_second_client(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    assert alice.account.role == "instructor" and alice.account.keyring_ok
    assert account_of(alice.factory) == alice.account
    org_id = alice.new_org("阳光志愿者协会")
    report = alice.sync()
    assert (report.pushed, report.applied, report.rejected) == (1, 1, 0)
    assert report.added_scopes == 1  # her organization; the district's own scope is no organization
    assert _states(alice) == [OutboxState.ACKED]
    assert alice.org(org_id).server_version > 0  # type: ignore[union-attr]
    assert sync_status(alice.factory).pending == 0
    # the server's instructor and assignment records came down: the organization is hers, read-only
    assert my_org_ids(alice.factory, user=alice.username) == {org_id}
    assert not can_edit_assignments(alice.factory)

    world.assign("bob", org_id)
    seen: list[SyncProgress] = []
    report = bob.sync(progress=seen.append)
    pulled = bob.org(org_id)
    assert pulled is not None and pulled.name == "阳光志愿者协会" and report.pulled >= 1
    pull_steps = [(step.done, step.total) for step in seen if step.stage == "接收数据"]
    assert pull_steps[-1] == (report.pulled, report.pulled)  # the total was known from the first page
    with bob.factory() as session:  # pulled rows make no outbox entries
        assert session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0
    assert bob.sync().pulled == 0  # a second run has nothing new


def test_a_conflict_keeps_both_values_and_every_client_converges(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("甲协会")
    alice.sync()
    world.assign("bob", org_id)
    bob.sync()
    alice.edit_org(org_id, contact_phone="0591-87651111")
    bob.edit_org(org_id, contact_phone="0591-87652222")
    assert alice.sync().applied == 1
    report = bob.sync()
    assert report.conflicts == 1
    [conflict] = list_conflicts(bob.factory)
    assert (conflict.yours, conflict.other, conflict.kept) == ("0591-87652222", "0591-87651111", "0591-87652222")
    assert conflict.field == "contact_phone" and conflict.entity_label == "社会组织"
    alice.sync()
    assert alice.org(org_id).contact_phone == bob.org(org_id).contact_phone == "0591-87652222"  # type: ignore[union-attr]
    assert [c.other for c in list_conflicts(alice.factory)] == ["0591-87651111"]
    # each laptop knows its own value: bob pushed "yours", alice wrote the "other" it met
    names = ("Bob-" + world.suffix, "Alice-" + world.suffix)  # the instructors' names (Admin.create_user)
    assert [(c.mine, c.by, c.other_by) for c in list_conflicts(bob.factory)] == [("yours", *names)]
    assert [(c.mine, c.by, c.other_by) for c in list_conflicts(alice.factory)] == [("other", *names)]

    resolve_conflict(bob.factory, conflict.id, "other", actor=bob.username)
    bob.sync()
    alice.sync()
    assert alice.org(org_id).contact_phone == "0591-87651111"  # type: ignore[union-attr]
    assert list_conflicts(bob.factory) == []
    assert list_conflicts(alice.factory) == []  # settled on bob's laptop: settled on alice's too
    with alice.factory() as session:
        assert session.get(SyncConflict, conflict.id).resolved_by == bob.username  # type: ignore[union-attr]


def test_an_issued_notice_gets_its_confirmed_number(world: World) -> None:
    [alice] = world.clients("alice")
    org_id = alice.new_org("乙协会")
    notice_id = new_id()
    with alice.factory.begin() as session:
        record_upsert(session, Notice(id=notice_id, org_id=org_id, kind=NoticeKind.RECTIFICATION_NOTICE,
                                      status=NoticeStatus.ISSUED, series="鼓民社党", year=2026, provisional_seq=3,
                                      provisional_device="K7Q", issued_on=date(2026, 4, 1), title="整改通知书"),
                      actor=alice.username)
    report = alice.sync()
    [(provisional, confirmed)] = report.confirmed_numbers
    assert "临K7Q-3" in provisional and confirmed == "鼓民社党〔2026〕1号"
    with alice.factory() as session:
        notice = session.get(Notice, notice_id)
        assert notice is not None and notice.confirmed_seq == 1 and notice.provisional_seq == 3


def test_attachment_bytes_go_up_in_chunks_and_down_to_the_other_client(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("丙协会")
    content = os.urandom(2 * 1024 * 1024 + 12345)  # three chunks
    stored = store_bytes(attachments_folder_of(alice.factory), content, "签到表.jpg")
    with alice.factory.begin() as session:
        record_upsert(session, Attachment(org_id=org_id, sha256=stored.sha256, owner_entity="social_org",
                                          owner_id=org_id, filename=stored.filename, mime_type=stored.mime_type,
                                          size=stored.size), actor=alice.username)
    chunks: list[str] = []
    add_hook(lambda name: chunks.append(name) if name == "between_upload_chunks" else None)
    report = alice.sync()
    assert report.uploaded_blobs == 1 and report.rejected == 0 and len(chunks) == 2

    world.assign("bob", org_id)
    bob.sync()
    copy = blob_path(attachments_folder_of(bob.factory), stored.sha256)
    assert copy.is_file() and hashlib.sha256(copy.read_bytes()).hexdigest() == stored.sha256


def test_an_access_token_expiring_mid_push_is_refreshed_and_the_batch_resent(
        tmp_path: Path, migrated_template: Path, memory_keyring: MemoryKeyring) -> None:
    with running_server(tmp_path / "server", DANGJIAN_ACCESS_TTL="1") as server:
        Admin(server).create_user("alice")
        alice = Client(server, "alice", migrated_template)
        with alice.factory.begin() as session:  # two batches of ops
            ids = [new_id() for _ in range(130)]
            bulk_load(session, SocialOrg, [{"id": i, "org_id": i, "name": f"协会{n:03d}",
                                            "org_type": OrgType.COMMUNITY_FILED} for n, i in enumerate(ids)],
                      actor="alice")
        key = (service_name(server.url), "alice")
        first_token = memory_keyring.store[key]
        waited: list[bool] = []

        def outlive_the_token(name: str) -> None:
            if name == "after_push_recorded" and not waited:
                waited.append(True)
                time.sleep(1.5)  # the access token (1 s) dies between the two batches

        add_hook(outlive_the_token)
        report = alice.sync()
        assert waited
        assert (report.pushed, report.applied, report.duplicates, report.rejected) == (130, 130, 0, 0)
        assert set(_states(alice)) == {OutboxState.ACKED}
        assert memory_keyring.store[key] != first_token  # rotated by the refresh


def test_a_new_assignment_is_back_filled_below_the_cursor(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    old_org = alice.new_org("老组织")
    alice.sync()
    bob.new_org("鲍勃的组织")
    bob.sync()  # bob's cursor is now past the old organization's version
    world.assign("bob", old_org)
    report = bob.sync()
    assert report.added_scopes >= 1
    assert bob.org(old_org) is not None and bob.org(old_org).name == "老组织"  # type: ignore[union-attr]


def test_an_unassigned_org_with_unsent_edits_is_quarantined(world: World, tmp_path: Path) -> None:
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("要收回的协会")
    alice.sync()
    world.assign("bob", org_id)
    bob.sync()
    bob.edit_org(org_id, address="鼓楼区某路 1 号")
    world.unassign("bob", org_id)
    report = bob.sync()
    assert report.rejected == 1 and report.quarantined_orgs == ("要收回的协会",)
    with pytest.raises(QuarantinedScopeError):
        bob.edit_org(org_id, address="再改")
    status = sync_status(bob.factory)
    assert [f.error for f in status.failed] and status.quarantined_orgs == ("要收回的协会",)
    from app.services.sync import discard_quarantined, export_unsent

    assert export_unsent(bob.factory, tmp_path / "unsent.json").ops == 1
    discard_quarantined(bob.factory, org_id)
    assert bob.org(org_id) is None
    assert alice.org(org_id).address == ""  # type: ignore[union-attr]


def test_wrong_password_and_sign_out(world: World) -> None:
    with pytest.raises(SyncError, match="用户名或密码"):
        sign_in(world.server.url, world.user("alice"), "wrong-password")
    [alice] = world.clients("alice")
    sign_out(alice.username)
    assert account_of(alice.factory) is None
    with pytest.raises(SyncError, match="登录"):
        alice.sync()


def test_the_apis_own_address_pasted_whole_signs_in_too(world: World) -> None:
    """What the server's console shows beside the address (…/api/sync/v1) is taken as the server's."""
    account = sign_in(f"{world.server.url}/api/sync/v1/", world.user("bob"), PASSWORD)
    assert account.server_url == world.server.url.rstrip("/")


def test_without_a_keyring_the_password_is_asked_and_works(world: World) -> None:
    import keyring
    from keyring.backends.fail import Keyring as NoKeyring

    keyring.set_keyring(NoKeyring())
    [alice] = world.clients("alice")
    assert not alice.account.keyring_ok
    from app.services.sync import credentials

    credentials._memory.clear()  # a new start of the program
    with pytest.raises(PasswordNeeded):
        alice.sync()
    alice.new_org("钥匙串之外")
    assert alice.sync(password=PASSWORD).applied == 1


class Killed(Exception):
    """A simulated crash at a checkpoint."""


def _kill_at(point: str) -> None:
    def hook(name: str) -> None:
        if name == point:
            raise Killed(point)

    add_hook(hook)


def test_a_crash_after_the_push_answer_is_resent_as_a_duplicate(world: World) -> None:
    [alice] = world.clients("alice")
    alice.new_org("崩溃前的协会")
    _kill_at("after_push_response")
    with pytest.raises(Killed):
        alice.sync()
    assert _states(alice) == [OutboxState.IN_FLIGHT]
    clear_hooks()
    report = alice.sync()
    assert (report.pushed, report.duplicates, report.applied) == (1, 1, 0)
    assert _states(alice) == [OutboxState.ACKED]


def test_a_crash_before_a_pull_page_commits_leaves_the_cursor_and_reapplies(world: World) -> None:
    alice, bob = world.clients("alice", "bob")
    org_id = alice.new_org("页面未提交的协会")
    alice.sync()
    world.assign("bob", org_id)
    _kill_at("before_pull_page_commit")
    with pytest.raises(Killed):
        bob.sync()
    assert bob.org(org_id) is None
    clear_hooks()
    bob.sync()
    assert bob.org(org_id) is not None


def test_a_server_restored_from_an_older_backup_gets_the_lost_changes_again(
        tmp_path: Path, migrated_template: Path) -> None:
    with running_server(tmp_path / "server") as server:
        admin = Admin(server)
        admin.create_user("alice")
        admin.create_user("bob")
        admin.close()
        alice = Client(server, "alice", migrated_template)
        kept = alice.new_org("备份里有的协会")
        alice.sync()
        server.stop()
        backup = tmp_path / "backup.db"
        shutil.copyfile(server.home / "server.db", backup)
        server.start()
        alice.edit_org(kept, address="备份之后改的地址")
        lost = alice.new_org("备份之后建的协会")
        alice.sync()
        server.stop()
        for leftover in ("server.db-wal", "server.db-shm"):
            (server.home / leftover).unlink(missing_ok=True)
        shutil.copyfile(backup, server.home / "server.db")
        server.start()

        report = alice.sync(password=PASSWORD)  # its refresh token was issued after the backup
        assert any("重新核对" in m for m in report.messages)
        assert report.pushed == 2 and report.rejected == 0
        admin = Admin(server)
        admin.assign("bob", kept)
        admin.assign("bob", lost)
        admin.close()
        bob = Client(server, "bob", migrated_template)
        bob.sync()
        assert bob.org(kept).address == "备份之后改的地址"  # type: ignore[union-attr]
        assert bob.org(lost) is not None
