"""Scopes granted and lost (DESIGN §4): a new scope is back-filled, a lost one with unsent edits is kept
read-only and exportable, a lost one with nothing unsent is removed — follow-ups included."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.domain.enums import OrgType, RectificationFollowUpKind
from app.models import OutboxEntry, RectificationFollowUp, SocialOrg, SyncScope
from app.services.core.attachments import blob_path, store_bytes
from app.services.core.database import Database
from app.services.core.errors import ServiceError
from app.services.core.outbox import QuarantinedScopeError
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import create_org, update_org
from app.services.sync import discard_exported, discard_quarantined, export_unsent, sync_status
from app.services.sync.apply import apply_changes
from app.services.sync.blobs import attachments_folder_of, drop_files
from app.services.sync.scopes import note_granted
from tests.unit.sync.sync_builders import change, org_row, sample_row, sign_in_locally


def _grant(db: Database, granted: list[str], *, first_sync: bool = False) -> tuple[list[str], list[str], list[str]]:
    with db.session_factory.begin() as session:
        changes = note_granted(session, granted, first_sync=first_sync)
    return changes.added, changes.removed, changes.quarantined


def _scopes(db: Database) -> dict[str, tuple[str, str | None]]:
    with db.session_factory() as session:
        return {r.scope: (r.state, r.backfill_cursor) for r in session.execute(select(SyncScope)).scalars()}


def _count(db: Database, model: type) -> int:
    with db.session_factory() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_scopes_of_the_first_sync_need_no_back_fill_and_later_ones_do(db: Database) -> None:
    assert _grant(db, ["district", "org:a"], first_sync=True)[0] == ["district", "org:a"]
    assert _grant(db, ["district", "org:a", "org:b"])[0] == ["org:b"]
    assert _scopes(db) == {"district": ("granted", None), "org:a": ("granted", None), "org:b": ("granted", "")}


def test_a_supervisor_grant_loses_nothing(db: Database) -> None:
    _grant(db, ["org:a"], first_sync=True)
    assert _grant(db, ["*"]) == ([], [], [])


def test_a_lost_scope_with_nothing_unsent_is_purged_follow_ups_included(db: Database) -> None:
    org = org_row("被收回的协会")
    follow_up = sample_row("rectification_follow_up", scope_value=org["id"])
    follow_up.update(kind=RectificationFollowUpKind.NOTE, from_status=None, to_status=None)
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", org, 2), change("rectification_follow_up", follow_up, 3)])
    scope = f"org:{org['id']}"
    _grant(db, [scope], first_sync=True)
    assert _grant(db, []) == ([], [scope], [])
    assert _count(db, SocialOrg) == 0 and _count(db, RectificationFollowUp) == 0
    assert _scopes(db) == {}


def test_follow_ups_still_refuse_a_delete_outside_a_purge(db: Database) -> None:
    follow_up = sample_row("rectification_follow_up")
    follow_up.update(kind=RectificationFollowUpKind.NOTE, from_status=None, to_status=None)
    with db.session_factory.begin() as session:
        apply_changes(session, [change("rectification_follow_up", follow_up, 3)])
    raw = sqlite3.connect(db.path)  # past the statement guard: the trigger itself refuses
    try:
        with pytest.raises(sqlite3.IntegrityError, match="只能追加"):
            raw.execute("DELETE FROM rectification_follow_up")
    finally:
        raw.close()


def test_a_lost_scope_with_unsent_edits_is_quarantined_read_only_and_exportable(db: Database,
                                                                                 tmp_path: Path) -> None:
    sign_in_locally(db.session_factory)
    org_id = create_org(db.session_factory, OrgInput(name="离开的协会", org_type=OrgType.COMMUNITY_FILED),
                        actor="t").id
    scope = f"org:{org_id}"
    _grant(db, [scope], first_sync=True)
    assert _grant(db, []) == ([], [scope], [scope])
    with pytest.raises(QuarantinedScopeError, match="导出未发送的数据"):
        update_org(db.session_factory, org_id, OrgInput(name="再改", org_type=OrgType.COMMUNITY_FILED), actor="t")
    status = sync_status(db.session_factory)
    assert status.quarantined_orgs == ("离开的协会",) and status.pending == 1

    out = tmp_path / "unsent.json"
    assert export_unsent(db.session_factory, out).ops == 1
    saved = json.loads(out.read_text(encoding="utf-8"))
    assert saved["unsent_ops"][0]["record_id"] == org_id
    assert saved["quarantined"][scope]["social_org"][0]["name"] == "离开的协会"

    discard_quarantined(db.session_factory, org_id)
    assert _count(db, SocialOrg) == 0 and _count(db, OutboxEntry) == 0
    assert sync_status(db.session_factory).quarantined_orgs == ()
    with pytest.raises(ServiceError, match="无需清除"):
        discard_quarantined(db.session_factory, org_id)


def _quarantine(db: Database, name: str) -> str:
    """An organization created here (one unsent op), granted, then lost: quarantined.  Returns its scope."""
    sign_in_locally(db.session_factory)
    scope = f"org:{create_org(db.session_factory, OrgInput(name=name, org_type=OrgType.COMMUNITY_FILED), actor='t').id}"
    _grant(db, [scope], first_sync=True)
    _grant(db, [])
    return scope


def test_discarding_after_an_export_removes_what_the_file_holds(db: Database, tmp_path: Path) -> None:
    _quarantine(db, "离开的协会")
    out = tmp_path / "unsent.json"
    export_unsent(db.session_factory, out)
    assert discard_exported(db.session_factory, out) == ("离开的协会",)
    assert _count(db, SocialOrg) == 0 and _count(db, OutboxEntry) == 0 and _scopes(db) == {}
    assert discard_exported(db.session_factory, out) == ()  # nothing left to remove: nothing happens


def test_discarding_keeps_a_scope_whose_unsent_op_the_file_lacks(db: Database, tmp_path: Path) -> None:
    """Quarantined after the export (a sync in between): its edit is not in the file, so nothing goes."""
    out = tmp_path / "unsent.json"
    export_unsent(db.session_factory, out)  # nothing quarantined yet
    saved = json.loads(out.read_text(encoding="utf-8"))
    scope = _quarantine(db, "后来离开的协会")
    saved["quarantined"][scope] = {}  # even a file naming the scope must carry its ops
    out.write_text(json.dumps(saved, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ServiceError, match=r"后来离开的协会.*请重新导出"):
        discard_exported(db.session_factory, out)
    assert _count(db, SocialOrg) == 1 and _count(db, OutboxEntry) == 1 and _scopes(db)[scope][0] == "quarantined"


@pytest.mark.parametrize("text", ["", "{", "[]", '{"quarantined": [], "unsent_ops": []}'])
def test_discarding_with_an_unreadable_export_removes_nothing(db: Database, tmp_path: Path, text: str) -> None:
    scope = _quarantine(db, "离开的协会")
    out = tmp_path / "unsent.json"
    out.write_text(text, encoding="utf-8")
    with pytest.raises(ServiceError, match="读不出导出的文件"):
        discard_exported(db.session_factory, out)
    with pytest.raises(ServiceError, match="读不出导出的文件"):
        discard_exported(db.session_factory, tmp_path / "missing.json")
    assert _count(db, SocialOrg) == 1 and _scopes(db)[scope][0] == "quarantined"


def test_a_scope_granted_again_is_editable_again(db: Database) -> None:
    org_id = create_org(db.session_factory, OrgInput(name="回来的协会", org_type=OrgType.COMMUNITY_FILED),
                        actor="t").id
    scope = f"org:{org_id}"
    _grant(db, [scope], first_sync=True)
    _grant(db, [])
    assert _grant(db, [scope])[0] == [scope]
    update_org(db.session_factory, org_id, OrgInput(name="回来了", org_type=OrgType.COMMUNITY_FILED), actor="t")
    assert _scopes(db)[scope] == ("granted", "")


def _attachment_of(db: Database, org_id: str, data: bytes, filename: str, version: int) -> str:
    """A pulled attachment of ``org_id`` whose file is here; returns its SHA-256."""
    stored = store_bytes(attachments_folder_of(db.session_factory), data, filename)
    row = sample_row("attachment", scope_value=org_id)
    row.update(sha256=stored.sha256, filename=filename, size=len(data), mime_type="image/jpeg")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("attachment", row, version)])
    return stored.sha256


def test_a_purged_scope_names_its_files_and_only_unshared_ones_are_deleted(db: Database) -> None:
    lost, kept = org_row("被收回的协会"), org_row("留下的协会")
    with db.session_factory.begin() as session:
        apply_changes(session, [change("social_org", lost, 2), change("social_org", kept, 3)])
    _grant(db, [f"org:{lost['id']}", f"org:{kept['id']}"], first_sync=True)
    own = _attachment_of(db, lost["id"], b"photo-1", "现场照片.jpg", 4)
    shared = _attachment_of(db, lost["id"], b"photo-2", "签到表.jpg", 5)
    _attachment_of(db, kept["id"], b"photo-2", "签到表.jpg", 6)  # the same file, named by a row that stays
    with db.session_factory.begin() as session:
        changes = note_granted(session, [f"org:{kept['id']}"], first_sync=False)
    assert changes.files == {own, shared}
    assert drop_files(db.session_factory, changes.files) == 1
    folder = attachments_folder_of(db.session_factory)
    assert not blob_path(folder, own).exists() and blob_path(folder, shared).is_file()


def test_an_export_copies_the_quarantined_attachments_and_clearing_removes_them(db: Database,
                                                                                 tmp_path: Path) -> None:
    scope = _quarantine(db, "离开的协会")
    org_id = scope.removeprefix("org:")
    sha = _attachment_of(db, org_id, b"only-copy", "唯一的照片.jpg", 4)
    out = tmp_path / "unsent.json"
    exported = export_unsent(db.session_factory, out)
    assert (exported.ops, exported.files) == (1, 1) and exported.folder == tmp_path / "unsent-附件"
    assert (exported.folder / f"{sha[:8]}-唯一的照片.jpg").read_bytes() == b"only-copy"
    discard_exported(db.session_factory, out)
    assert not blob_path(attachments_folder_of(db.session_factory), sha).exists()
