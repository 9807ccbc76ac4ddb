"""The conflicts the server recorded, shown and settled (DESIGN §4: both values are always kept).

Resolving one writes the chosen value to the record through the outbox — an ordinary edit, merged by the
server like any other — when it differs from the live one, marks the conflict resolved locally, and queues
an op settling it on the server (app.wire: ``delete`` on the conflict), so the other laptops in its scope
mark it settled when they next sync instead of each asking their user again."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import Enum as SAEnum
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import OutboxOp, OutboxState
from app.models import SYNCED_ENTITIES, Instructor, OutboxEntry, SyncConflict
from app.services.core import clock
from app.services.core.errors import NotFoundError, ServiceError
from app.services.core.outbox import QuarantinedScopeError, is_quarantined, queues_nothing, set_actor, tombstone
from app.services.sync import state
from app.services.sync.codec import decode, entity_table
from app.services.sync.dto import ConflictItem
from app.services.sync.labels import ENTITY_LABELS, field_label, record_label
from app.services.sync.scopes import scope_parts
from app.wire import CONFLICT_ENTITY

__all__ = ["list_conflicts", "resolve_conflict", "value_text"]

Keep = Literal["kept", "other", "yours"]


def value_text(value: Any, field: str = "") -> str:
    """A wire value as the user reads it."""
    if value is None or value == "":
        return "（空）" if field != "deleted_at" else "未删除"
    if isinstance(value, bool):
        return "是" if value else "否"
    if field == "deleted_at":
        return "已删除"
    return str(value)


def _item(session: Session, row: SyncConflict, me: str) -> ConflictItem:
    return ConflictItem(
        id=row.id, entity=row.entity, entity_label=ENTITY_LABELS.get(row.entity, row.entity),
        record_id=row.record_id, record_label=record_label(session, row.entity, row.record_id)
        if row.entity in ENTITY_LABELS else row.record_id,
        field=row.field, field_label=field_label(row.entity, row.field), yours=value_text(row.yours, row.field),
        other=value_text(row.other, row.field), kept=value_text(row.kept, row.field), at=row.at,
        by=_name(session, row.user), other_by=_name(session, row.other_user), mine=_mine(session, row, me))


def _name(session: Session, username: str) -> str:
    if not username:
        return ""
    name = session.execute(select(Instructor.name).where(Instructor.username == username)).scalar()
    return str(name or username)


def _mine(session: Session, row: SyncConflict, me: str) -> str:
    """Which value this laptop wrote: the pushed one when the op that met the other is in its outbox, the
    met one when this user wrote it (and did not push the other from here); "" for a third party."""
    if row.op_id and session.execute(select(OutboxEntry.seq).where(OutboxEntry.op_id == row.op_id)).first():
        return "yours"
    if me and row.other_user == me:
        return "other"
    if me and row.user == me:
        return "yours"
    return ""


def list_conflicts(factory: sessionmaker[Session], *, include_resolved: bool = False) -> list[ConflictItem]:
    """Unresolved conflicts (all with ``include_resolved``), newest first.  Read-only; any thread."""
    with factory() as session:
        query = select(SyncConflict).order_by(SyncConflict.version.desc())
        if not include_resolved:
            query = query.where(SyncConflict.resolved_at.is_(None))
        me = state.get(session, state.USERNAME)
        return [_item(session, row, me) for row in session.execute(query).scalars()]


def _python_value(entity: str, field: str, value: Any) -> Any:
    decoded = decode(entity, {field: value}).values.get(field)
    column_type = entity_table(entity).c[field].type
    if isinstance(column_type, SAEnum) and decoded is not None and column_type.enum_class is not None:
        try:
            return column_type.enum_class(decoded)
        except ValueError:
            raise ServiceError(f"这个值“{decoded}”来自更新版本的软件，本版本不能写入；请升级软件后再处理。") from None
    return decoded


def resolve_conflict(factory: sessionmaker[Session], conflict_id: str, keep: Keep, *, actor: str) -> None:
    """Settle a conflict with the kept, the other or your value.  NotFoundError for an unknown conflict or
    record; QuarantinedScopeError for a record no longer assigned.  Write lane."""
    if keep not in ("kept", "other", "yours"):
        raise ServiceError(f"未知的选择“{keep}”：应为 kept、other 或 yours。")
    with factory.begin() as session:
        set_actor(session, actor)
        conflict = session.get(SyncConflict, conflict_id)
        if conflict is None:
            raise NotFoundError("找不到这条同步冲突（可能已被处理），请刷新后再看。")
        key, value = scope_parts(conflict.scope)
        if key is not None and is_quarantined(session, key, value):  # read-only, the settle as much as the edit
            raise QuarantinedScopeError
        chosen = {"kept": conflict.kept, "other": conflict.other, "yours": conflict.yours}[keep]
        model = SYNCED_ENTITIES.get(conflict.entity)
        row = session.get(model, conflict.record_id) if model is not None else None
        if model is not None and row is None:
            raise NotFoundError("冲突涉及的记录已不在本机（可能已不再分配给您），无法处理；请同步后再看。")
        if row is not None:
            _write(session, row, conflict, chosen, actor)
        if conflict.resolved_at is None:
            conflict.resolved_at, conflict.resolved_by = _now(), actor
            _queue_settled(session, conflict)


def _queue_settled(session: Session, conflict: SyncConflict) -> None:
    key, value = scope_parts(conflict.scope)
    if key is None or queues_nothing(session):
        return
    session.add(OutboxEntry(entity=CONFLICT_ENTITY, record_id=conflict.id, scope_key=key, scope_id=value,
                            op=OutboxOp.DELETE, base_version=conflict.version, fields={},
                            state=OutboxState.PENDING, attempts=0, last_error=""))


def _now() -> datetime:
    return clock.now()


def _write(session: Session, row: Any, conflict: SyncConflict, chosen: Any, actor: str) -> None:
    if conflict.field == "deleted_at":
        if chosen and row.deleted_at is None:
            tombstone(session, row, actor=actor)
        elif not chosen and row.deleted_at is not None:
            row.deleted_at = None
        return
    if conflict.field not in entity_table(conflict.entity).c:
        return
    value = _python_value(conflict.entity, conflict.field, chosen)
    if getattr(row, conflict.field) != value:
        setattr(row, conflict.field, value)
    session.flush()
