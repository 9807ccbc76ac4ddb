"""Applying a pushed batch of outbox ops (DESIGN §4, SYNC.md §8.4–8.6): one transaction, one savepoint per op.

:func:`push_batch` bumps the district version counter first (its lock serializes pushes, so a retried batch
racing its first copy finds the first copy's ``processed_ops`` and answers ``duplicate``), then runs every op
in its own savepoint: a rejected op rolls back alone and the rest commit with the caller's commit.

Authorization reads the stored row's scope, never the op's: an instructor cannot reach another's record by
naming a scope of their own.  A new record's scope comes from its scope key field; a scope no record names yet
is claimed by its first writer (server.scopes.can_write).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session
from uuid6 import uuid7

from app import wire
from server import clock
from server.deps import Caller
from server.merge import EMPTY, FieldClash, MergeOutcome, Snapshot, merge_op
from server.models import Blob, Conflict, ProcessedOp, Record, RecordVersion, User
from server.notice_numbers import number_notice
from server.scopes import COVERAGE, can_write, granted_scopes
from server.store import next_version, write_record

ATTACHMENT_ENTITIES = frozenset(wire.ATTACHMENT_ENTITIES)
MAX_ID = 36  # a UUID's text: record ids and the scope key values that make scope ids
CODE = re.compile(r"[A-Z0-9][A-Z0-9_]*")  # how enum codes look: an unknown one is likely a newer version's


class Rejection(Exception):
    """An op the server refuses: ``code`` from app.wire, ``message`` one Chinese line saying what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class Batch:
    """One push request: who pushes, the version it writes, and the scopes granted when it began (read
    once, and again after a coverage record changed, since coverage grants party organizations; a scope
    outside them goes through can_write, which may claim a new one inside the op's savepoint)."""

    session: Session
    caller: Caller
    version: int
    granted: frozenset[str] | None

    def may_write(self, scope: str) -> bool:
        if self.granted is None or (scope in self.granted and scope != wire.DISTRICT_SCOPE):
            return True
        return can_write(self.session, self.caller, scope, version=self.version)


@dataclass(frozen=True)
class Target:
    """Where an op writes: the stored row (None for a new record) and the scope it is authorized in."""

    row: Record | None
    scope: str


def push_batch(session: Session, caller: Caller, ops: Sequence[Mapping[str, Any]]) -> wire.PushResponse:
    """Apply ``ops`` in order (the caller commits); one result per op, ``server_version`` = this push's."""
    version = next_version(session)
    batch = Batch(session, caller, version, granted_scopes(session, caller))
    results = [push_op(batch, op) for op in ops]
    return {"results": results, "server_version": version}


def push_op(batch: Batch, op: Mapping[str, Any]) -> wire.OpResult:
    """One op in its savepoint: a stored result again (duplicate), a rejection, or what the merge did."""
    session, caller = batch.session, batch.caller
    op_id = str(op["op_id"])
    stored = _processed(session, op_id)
    if stored is not None:
        return _duplicate(stored)
    try:
        with session.begin_nested():
            result = _apply(batch, op)
            session.add(ProcessedOp(op_id=op_id, user_id=caller.user_id, device_id=caller.device_id,
                                    result=dict(result)))
            session.flush()
        if op["entity"] == COVERAGE:
            batch.granted = granted_scopes(session, caller)
        return result
    except Rejection as rejection:
        return _rejected(op_id, rejection.code, rejection.message)
    except IntegrityError:
        stored = _processed(session, op_id)  # the same op committed by a racing request: the backstop
        if stored is not None:
            return _duplicate(stored)
        return _rejected(op_id, wire.VALIDATION, "记录与服务器已有的数据冲突（重复的编号或关联），未保存")
    except (ValueError, TypeError, KeyError, DataError) as error:
        return _rejected(op_id, wire.VALIDATION, f"数据格式不正确，未保存：{error}")


def _processed(session: Session, op_id: str) -> ProcessedOp | None:
    query = select(ProcessedOp).where(ProcessedOp.op_id == op_id).execution_options(populate_existing=True)
    return session.execute(query).scalar_one_or_none()


def _duplicate(stored: ProcessedOp) -> wire.OpResult:
    result: dict[str, Any] = {**stored.result, "status": wire.DUPLICATE, "original": stored.result.get("status")}
    return result  # type: ignore[return-value]


def _rejected(op_id: str, code: str, message: str) -> wire.OpResult:
    return {"op_id": op_id, "status": wire.REJECTED, "error": {"code": code, "message": message}}


def _apply(batch: Batch, op: Mapping[str, Any]) -> wire.OpResult:
    session, caller, version = batch.session, batch.caller, batch.version
    entity, record_id, fields = str(op["entity"]), str(op["id"]), dict(op.get("fields") or {})
    if entity == wire.CONFLICT_ENTITY:
        return _settle(batch, op, record_id)
    _check_entity(caller, entity, record_id, fields)
    target = _target(batch, entity, record_id, fields, str(op.get("scope") or ""))
    row = target.row
    if row is None:  # a new record's data names itself and its scope, whatever the op left out
        fields.setdefault("id", record_id)
        key = wire.ENTITY_SCOPE.get(entity)
        if key is not None:
            fields.setdefault(key, target.scope.partition(":")[2])
    current = None if row is None else Snapshot(row.data, row.deleted, row.deleted_by_supervisor)
    base = _base(session, entity, record_id, int(op.get("base_version") or 0), caller.device_id)
    outcome = merge_op(entity, op=str(op.get("op") or wire.OP_UPSERT), fields=fields, base=base, current=current,
                       by_supervisor=caller.sees_everything, now_iso=clock.now_text())
    if not outcome.deleted and (row is None or row.deleted):
        _check_complete(entity, outcome.data)
    if entity in ATTACHMENT_ENTITIES and not outcome.deleted:
        _check_blob(session, outcome.data.get("sha256"))
    met = _field_writers(session, entity, record_id, [clash.field for clash in outcome.clashes])
    number = None if outcome.deleted else number_notice(session, entity, outcome.data)
    scope = _live_scope(entity, outcome.data, target.scope)
    if outcome.changed or number is not None or row is None:
        row = write_record(session, entity=entity, record_id=record_id, scope=scope, data=outcome.data,
                           version=version, user_id=caller.user_id, deleted=outcome.deleted,
                           deleted_by_supervisor=outcome.deleted_by_supervisor, op_id=str(op["op_id"]))
    assert row is not None
    result: wire.OpResult = {"op_id": str(op["op_id"]), "status": _status(outcome, number), "version": row.version,
                             "record": record_json(row)}
    if outcome.clashes:
        result["conflicts"] = [_store_clash(session, caller, row, clash, op, version, met[clash.field])
                               for clash in outcome.clashes]
    if number is not None:
        result["notice_number"] = number
    return result


def _settle(batch: Batch, op: Mapping[str, Any], conflict_id: str) -> wire.OpResult:
    """A conflict settled on a laptop (its choice went as an ordinary edit): the conflict's record becomes a
    tombstone carrying who settled it, so every laptop in the scope marks it settled too.  Again: unchanged."""
    if str(op.get("op")) != wire.OP_DELETE or op.get("fields"):
        raise Rejection(wire.VALIDATION, "同步冲突只能标记为已处理（delete，不带字段），未保存；请升级工作台")
    row = batch.session.get(Record, (wire.CONFLICT_ENTITY, conflict_id))
    if row is None:  # nothing to settle (a server restored from before it): nothing to undo either
        return {"op_id": str(op["op_id"]), "status": wire.APPLIED, "record": None}
    _authorize(batch, row.scope)
    if not row.deleted:
        caller = batch.caller
        data = {**row.data, "resolved_by": caller.username, "resolved_at": clock.now_text()}
        row = write_record(batch.session, entity=wire.CONFLICT_ENTITY, record_id=conflict_id, scope=row.scope,
                           data=data, version=batch.version, user_id=caller.user_id, deleted=True,
                           op_id=str(op["op_id"]))
        stored = batch.session.get(Conflict, conflict_id)
        if stored is not None:
            stored.resolved_at = clock.now()
    return {"op_id": str(op["op_id"]), "status": wire.APPLIED, "version": row.version, "record": record_json(row)}


def _status(outcome: MergeOutcome, number: dict[str, Any] | None) -> str:
    if outcome.clashes:
        return wire.CONFLICT
    return wire.MERGED if outcome.merged or number is not None else wire.APPLIED


def _check_entity(caller: Caller, entity: str, record_id: str, fields: Mapping[str, Any]) -> None:
    if entity not in wire.ENTITY_FIELDS:
        raise Rejection(wire.UNSUPPORTED_ENTITY, f"服务器不认识记录类型“{entity}”：请把工作台和区服务器升级到同一版本")
    if entity in wire.SERVER_MANAGED and caller.role != "admin":
        raise Rejection(wire.FORBIDDEN, f"“{entity}”由区服务器管理，工作台不能修改；请联系区管理员")
    unknown = sorted(set(fields) - set(wire.ENTITY_FIELDS[entity]))
    if unknown:
        raise Rejection(wire.VALIDATION, f"“{entity}”没有这些字段：{'、'.join(unknown)}；请升级工作台")
    if not record_id or ("id" in fields and fields["id"] != record_id):
        raise Rejection(wire.VALIDATION, "记录编号与操作不一致，未保存")
    if _has_nul(fields):
        raise Rejection(wire.VALIDATION, "字段里有空字符（NUL），未保存；请检查导入的数据")
    _check_values(entity, fields)


def _check_values(entity: str, fields: Mapping[str, Any]) -> None:
    """Refuse what no client column can hold: a null in a NOT NULL field, a code its enum does not know.
    Stored, such a value would fail every client of the scope at every pull."""
    required = set(wire.ENTITY_REQUIRED.get(entity, ()))
    nulls = [name for name in fields if name in required and fields[name] is None]
    if nulls:
        raise Rejection(wire.VALIDATION, f"“{entity}”的字段“{'、'.join(nulls)}”不能为空值（null），未保存；"
                                         "请在工作台补填后再同步")
    for name, allowed in wire.ENTITY_ENUMS.get(entity, {}).items():
        value = fields.get(name)
        if value is None or (isinstance(value, str) and value in allowed):
            continue
        what = f"“{entity}”的字段“{name}”的值“{str(value)[:40]}”"
        if isinstance(value, str) and CODE.fullmatch(value):
            raise Rejection(wire.VALIDATION, f"{what}区服务器不认识：工作台可能比区服务器新，"
                                             "请区管理员升级区服务器（或把工作台换回与服务器相同的版本）")
        raise Rejection(wire.VALIDATION, f"{what}无效，应为 {'、'.join(sorted(allowed))} 之一，未保存；请升级工作台")


def _check_complete(entity: str, data: Mapping[str, Any]) -> None:
    """A record becoming live (new, or restored from a bare tombstone) must carry every NOT NULL field."""
    missing = [name for name in wire.ENTITY_REQUIRED.get(entity, ()) if data.get(name) is None]
    if missing:
        raise Rejection(wire.VALIDATION, f"新记录（“{entity}”）缺少必填字段“{'、'.join(missing)}”，未保存；"
                                         "请升级工作台后再同步")


def _has_nul(value: Any) -> bool:
    """A NUL anywhere in the values: PostgreSQL cannot compare or index text holding one."""
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def _target(batch: Batch, entity: str, record_id: str, fields: Mapping[str, Any], op_scope: str) -> Target:
    """The stored row and its scope, authorized; a change of the scope key must be writable too."""
    key = wire.ENTITY_SCOPE.get(entity)
    row = batch.session.get(Record, (entity, record_id))
    if row is not None:
        _authorize(batch, row.scope)
        if key is not None and key in fields and fields[key] != row.data.get(key):
            _authorize(batch, _scope_of(key, fields[key]))
        return Target(row, row.scope)
    if key is None:
        scope = wire.DISTRICT_SCOPE
    elif key in fields:
        scope = _scope_of(key, fields[key])
    elif op_scope.startswith(wire.scope_for(key, "")) and len(op_scope) > len(wire.scope_for(key, "")):
        scope = op_scope  # a delete of a record never pushed may carry no fields but its scope
    else:
        raise Rejection(wire.VALIDATION, f"新记录缺少范围字段“{key}”，未保存")
    _authorize(batch, scope)
    return Target(None, scope)


def _scope_of(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value or len(value) > MAX_ID:
        raise Rejection(wire.VALIDATION, f"范围字段“{key}”应为组织编号，现在是“{value}”")
    return wire.scope_for(key, value)


def _authorize(batch: Batch, scope: str) -> None:
    if not batch.may_write(scope):
        raise Rejection(wire.FORBIDDEN, "无权修改此记录：它所属的组织未分配给您（或已收回）；请联系区管理员")


def _live_scope(entity: str, data: Mapping[str, Any], scope: str) -> str:
    key = wire.ENTITY_SCOPE.get(entity)
    value = data.get(key) if key is not None else None
    return wire.scope_for(key, value) if key is not None and isinstance(value, str) and value else scope


def _check_blob(session: Session, sha256: Any) -> None:
    if not isinstance(sha256, str) or not sha256:
        raise Rejection(wire.VALIDATION, "附件缺少内容摘要（sha256），未保存")
    if session.get(Blob, sha256) is None:
        raise Rejection(wire.BLOB_MISSING, "附件文件尚未上传到服务器：上传后会自动重试")


def _base(session: Session, entity: str, record_id: str, base_version: int, device_id: str) -> Snapshot:
    """The state the pusher last saw: the record at ``base_version``, rolled forward through the versions
    its own device wrote since (an edit queued while an earlier op was in flight keeps the older base, and
    must not clash with its own device's earlier op)."""
    base = EMPTY
    if base_version > 0:
        at = session.execute(
            select(RecordVersion).where(RecordVersion.entity == entity, RecordVersion.id == record_id,
                                        RecordVersion.version <= base_version)
            .order_by(RecordVersion.version.desc()).limit(1)
        ).scalar_one_or_none()
        if at is not None:
            base = Snapshot(at.data, at.deleted)
    later = session.execute(
        select(RecordVersion, ProcessedOp.device_id)
        .outerjoin(ProcessedOp, ProcessedOp.op_id == RecordVersion.op_id)
        .where(RecordVersion.entity == entity, RecordVersion.id == record_id, RecordVersion.version > base_version)
        .order_by(RecordVersion.version)
    ).all()
    for version_row, writer_device in later:
        if writer_device != device_id:
            break
        base = Snapshot(version_row.data, version_row.deleted)
    return base


def _field_writers(session: Session, entity: str, record_id: str, fields: Sequence[str]) -> dict[str, str]:
    """For each field, the username of whoever gave it its stored value: the writer of the oldest of the
    latest versions that all hold it (read before this push writes; "" when unknown)."""
    if not fields:
        return {}
    history = session.execute(
        select(RecordVersion.data, RecordVersion.deleted, RecordVersion.user_id)
        .where(RecordVersion.entity == entity, RecordVersion.id == record_id)
        .order_by(RecordVersion.version.desc())).all()

    def value(field: str, data: Mapping[str, Any], deleted: bool) -> Any:
        return deleted if field == "deleted_at" else data.get(field)

    writers: dict[str, str] = {}
    for field in fields:
        writer = ""
        if history:
            current = value(field, history[0].data, history[0].deleted)
            for data, deleted, user_id in history:
                if value(field, data, deleted) != current:
                    break
                writer = user_id
        user = session.get(User, writer) if writer else None
        writers[field] = user.username if user is not None else ""
    return writers


def _store_clash(session: Session, caller: Caller, row: Record, clash: FieldClash, op: Mapping[str, Any],
                 version: int, met: str) -> wire.FieldConflict:
    """Keep both values: a Conflict row, and the ``sync_conflict`` record every client in scope pulls (with
    who pushed ``yours``, who wrote the ``other`` it met, and the op: each laptop tells its own value)."""
    conflict_id = str(uuid7())
    base_version = int(op.get("base_version") or 0)
    session.add(Conflict(id=conflict_id, entity=row.entity, record_id=row.id, scope=row.scope, field=clash.field,
                         yours=clash.yours, other=clash.other, kept=clash.kept, base_version=base_version,
                         version=version, op_id=str(op["op_id"]), user_id=caller.user_id))
    data = {"id": conflict_id, "entity": row.entity, "record_id": row.id, "field": clash.field,
            "yours": clash.yours, "other": clash.other, "kept": clash.kept, "base_version": base_version,
            "version": version, "user": caller.username, "user_id": caller.user_id, "other_user": met,
            "op_id": str(op["op_id"])}
    write_record(session, entity=wire.CONFLICT_ENTITY, record_id=conflict_id, scope=row.scope, data=data,
                 version=version, user_id=caller.user_id, op_id=str(op["op_id"]))
    return {"field": clash.field, "yours": clash.yours, "other": clash.other, "kept": clash.kept}


def record_json(row: Record) -> dict[str, Any]:
    """A stored record on the wire (a push result's ``record``, a pull's change)."""
    return {"entity": row.entity, "id": row.id, "scope": row.scope, "version": row.version,
            "deleted": row.deleted, "data": row.data}
