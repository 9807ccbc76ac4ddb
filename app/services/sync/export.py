"""What a quarantined scope holds, saved before it is dropped (SYNC.md §7 item 10: never silently drop).

``export_unsent`` writes one JSON file: every unsent op (pending, in flight, refused) with its reason, and
the rows of each quarantined organization / 党组织 as they are here — something a district administrator
can read and re-enter.  ``discard_exported`` then removes from this computer the quarantined scopes that
file holds — only when every unsent op of theirs is in it (``discard_quarantined``: one scope, unchecked)."""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app import wire
from app.models import SYNCED_ENTITIES, OutboxEntry, SyncScope
from app.services.core import clock
from app.services.core.attachments import blob_path
from app.services.core.errors import ServiceError
from app.services.sync import state
from app.services.sync.blobs import attachments_folder_of, drop_files
from app.services.sync.codec import encode, raw_table
from app.services.sync.scopes import QUARANTINED, UNSENT_DATA, discard_scope, scope_name, scope_parts

__all__ = ["UnsentExport", "discard_exported", "discard_quarantined", "export_unsent"]


def _ops(session: Session) -> list[dict[str, Any]]:
    entries = session.execute(select(OutboxEntry).where(UNSENT_DATA)
                              .order_by(OutboxEntry.seq)).scalars()
    return [{"op_id": e.op_id, "seq": e.seq, "entity": e.entity, "record_id": e.record_id, "op": str(e.op),
             "scope": wire.scope_for(e.scope_key, e.scope_id), "base_version": e.base_version,
             "fields": e.fields, "state": str(e.state), "error": e.last_error,
             "created_at": e.created_at.isoformat()} for e in entries]


def _scope_rows(session: Session, scope: str) -> dict[str, list[dict[str, Any]]]:
    key, value = scope_parts(scope)
    found: dict[str, list[dict[str, Any]]] = {}
    for entity, model in SYNCED_ENTITIES.items():
        if model.scope_key != key:
            continue
        table = raw_table(entity)
        found_rows = session.execute(select(table).where(table.c[key] == value)).mappings()
        rows = [encode(entity, dict(row)) for row in found_rows]
        if rows:
            found[entity] = rows
    return found


@dataclass(frozen=True)
class UnsentExport:
    """What :func:`export_unsent` wrote: ``ops`` unsent changes in the file, ``files`` attachment files copied
    into ``folder`` (None when there were none)."""

    ops: int
    files: int
    folder: Path | None


def export_unsent(factory: sessionmaker[Session], path: Path) -> UnsentExport:
    """Write the unsent ops and the quarantined scopes' rows to ``path`` (JSON, UTF-8), and the attachment
    files they name into the folder beside it (``<name>-附件``: the only copy of an unsent photo may be here).
    ServiceError when something cannot be written.  File lane."""
    with factory() as session:
        ops = _ops(session)
        scopes = list(session.execute(select(SyncScope.scope).where(SyncScope.state == QUARANTINED)).scalars())
        rows = {scope: _scope_rows(session, scope) for scope in scopes}
        document = {"exported_at": clock.now().isoformat(), "server_url": state.get(session, state.SERVER_URL),
                    "username": state.get(session, state.USERNAME), "unsent_ops": ops, "quarantined": rows}
    temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temp.write_text(json.dumps(document, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
        os.replace(temp, path)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise ServiceError(f"无法写入文件 {path}：{exc.strerror or exc}。请换一个位置保存。") from None
    folder = path.with_name(f"{path.stem}-附件")
    copied = _copy_files(attachments_folder_of(factory), _named_files(ops, rows), folder)
    return UnsentExport(len(ops), copied, folder if copied else None)


def _named_files(ops: list[dict[str, Any]], rows: dict[str, dict[str, list[dict[str, Any]]]]) -> dict[str, str]:
    """sha256 -> file name, of the attachments the unsent ops and the quarantined rows name."""
    found = [op["fields"] for op in ops if op["entity"] in wire.ATTACHMENT_ENTITIES]
    found += [row for by_entity in rows.values() for entity in wire.ATTACHMENT_ENTITIES
              for row in by_entity.get(entity, [])]
    named: dict[str, str] = {}
    for fields in found:
        sha = fields.get("sha256")
        if isinstance(sha, str) and sha:
            named.setdefault(sha, str(fields.get("filename") or sha))
    return named


_UNSAFE = frozenset('\\/:*?"<>|')


def _copy_files(source: Path, named: dict[str, str], folder: Path) -> int:
    """Copy each named attachment file present here into ``folder`` as ``<sha256[:8]>-<name>``."""
    copied = 0
    for sha, name in sorted(named.items()):
        try:
            original = blob_path(source, sha)
        except ValueError:
            continue
        if not original.is_file():
            continue
        safe = "".join("_" if ch in _UNSAFE or ord(ch) < 32 else ch for ch in name).strip() or sha
        try:
            folder.mkdir(exist_ok=True)
            shutil.copyfile(original, folder / f"{sha[:8]}-{safe}")
        except OSError as exc:
            raise ServiceError(f"无法把附件“{name}”复制到 {folder}：{exc.strerror or exc}。"
                               "请换一个位置保存。") from None
        copied += 1
    return copied


def discard_quarantined(factory: sessionmaker[Session], org_id: str) -> None:
    """Drop a quarantined organization's (or ``party:<id>`` 党组织's) rows and unsent ops — after
    :func:`export_unsent`.  ServiceError when it is not quarantined.  Write lane."""
    scope = org_id if ":" in org_id else wire.org_scope(org_id)
    with factory.begin() as session:
        row = session.get(SyncScope, scope)
        if row is None or row.state != QUARANTINED:
            raise ServiceError("这个组织没有处于“只读保留”状态，无需清除。")
        files = discard_scope(session, scope)
    drop_files(factory, files)




def _exported(path: Path) -> tuple[list[str], set[str]]:
    """The quarantined scopes and the op ids a file written by :func:`export_unsent` holds."""
    unreadable = ServiceError(f"读不出导出的文件 {path}：请重新导出未发送的数据，再清除。")
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise unreadable from None
    if not isinstance(document, dict):
        raise unreadable
    scopes, ops = document.get("quarantined"), document.get("unsent_ops")
    if not isinstance(scopes, dict) or not isinstance(ops, list):
        raise unreadable
    return [str(scope) for scope in scopes], {str(op.get("op_id")) for op in ops if isinstance(op, dict)}


def discard_exported(factory: sessionmaker[Session], path: Path) -> tuple[str, ...]:
    """Remove from this computer each quarantined scope that ``path`` (written by :func:`export_unsent`)
    holds; returns their names.  Refused (ServiceError, nothing removed) when an unsent op of one of them is
    not in the file, or the file cannot be read.  Write lane."""
    scopes, exported_ops = _exported(path)
    with factory.begin() as session:
        chosen = [scope for scope in scopes if (row := session.get(SyncScope, scope)) is not None
                  and row.state == QUARANTINED]
        for scope in chosen:
            key, value = scope_parts(scope)
            unsent = set(session.execute(select(OutboxEntry.op_id).where(
                OutboxEntry.scope_key == key, OutboxEntry.scope_id == value,
                UNSENT_DATA)).scalars())
            if not unsent <= exported_ops:
                raise ServiceError(f"“{scope_name(session, scope)}”有修改不在导出的文件 {path} 中："
                                   "请重新导出未发送的数据，再清除。")
        names = tuple(scope_name(session, scope) for scope in chosen)
        files: set[str] = set()
        for scope in chosen:
            files |= discard_scope(session, scope)
    drop_files(factory, files)
    return names
