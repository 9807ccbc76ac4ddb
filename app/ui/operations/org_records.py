"""An organization's records (年检, 信用, 换届, 评估) and 我负责的组织: one keyword-only function per user action.

Writes run on the serialized lane; each success is broadcast twice on the change bus: the record's own
entity (the window's tabs refresh) and the organization (``social_org``: the ledger re-reads its
coverage, credit and grade columns).  Reads run on the parallel lane.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject

from app.services.orgs import assignments, ledger, records
from app.services.orgs.record_dto import MarkResult, OrgRecord, PlaceChoices, RecordInput, RecordKind
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskHandle

ASSIGNMENT_ENTITY = "assignment"


_write = submit_write


def _record_changes(kind: RecordKind, record_id: str, org_id: str, origin: str, action: str) -> list[Change]:
    return [Change(kind.value, (record_id,), origin, action), Change(ORG_ENTITY, (org_id,), origin, "records")]


def list_records(*, ctx: UiContext, org_id: str, kind: RecordKind, on_done: Callable[[tuple[OrgRecord, ...]], None],
                 on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return ctx.runner.submit(lambda: records.list_records(factory, org_id, kind), lane=Lane.READ,
                             on_done=on_done, on_error=on_error, owner=owner)


def save_record(*, ctx: UiContext, org_id: str, data: RecordInput, record_id: str | None,
                expected_updated_at: datetime | None, on_done: Callable[[OrgRecord], None],
                on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """Add (``record_id`` None) or update one record; ValidationFailed carries field -> message."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> OrgRecord:
        if record_id is None:
            return records.add_record(factory, org_id, data, actor=actor)
        return records.update_record(factory, record_id, data, actor=actor, expected_updated_at=expected_updated_at)

    action = "create" if record_id is None else "update"
    return _write(ctx, work, lambda r: _record_changes(r.kind, r.id, r.org_id, origin, action), owner,
                  on_done, on_error)


def delete_record(*, ctx: UiContext, kind: RecordKind, record_id: str, on_done: Callable[[str], None],
                  on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: records.delete_record(factory, kind, record_id, actor=actor),
                  lambda org_id: _record_changes(kind, record_id, org_id, origin, "delete"), owner,
                  on_done, on_error)


def mark_mine(*, ctx: UiContext, org_ids: Sequence[str], mine: bool, on_done: Callable[[MarkResult], None],
              on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """标记为我负责的 (``mine``) / 取消我负责的, in bulk."""
    factory, actor, frozen_ids = ctx.database.session_factory, ctx.actor, tuple(org_ids)

    def changes(result: MarkResult) -> list[Change]:
        if not result.changed:
            return []
        return [Change(ASSIGNMENT_ENTITY, result.changed, origin, "mine" if mine else "not_mine"),
                Change(ORG_ENTITY, result.changed, origin, "records")]

    return _write(ctx, lambda: assignments.mark_mine(factory, frozen_ids, mine, actor=actor), changes, owner,
                  on_done, on_error)


def load_mine_state(*, ctx: UiContext, org_id: str, on_done: Callable[[tuple[bool, bool]], None],
                    on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """(whether the organization is the user's, whether the user may change that here)."""
    factory = ctx.database.session_factory

    def work() -> tuple[bool, bool]:
        return assignments.org_is_mine(factory, org_id), assignments.can_edit_assignments(factory)

    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def can_edit_assignments(*, ctx: UiContext, on_done: Callable[[bool], None],
                         owner: QObject | None = None) -> TaskHandle:
    """Whether 标记为我负责的 is possible here (not once signed in to a district server)."""
    factory = ctx.database.session_factory
    return ctx.runner.submit(lambda: assignments.can_edit_assignments(factory), lane=Lane.READ, on_done=on_done,
                             owner=owner)


def load_place_choices(*, ctx: UiContext, sub_district: str, on_done: Callable[[PlaceChoices], None],
                       on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The 街道 / 社区 present in the ledger, for the filter lists."""
    factory = ctx.database.session_factory
    return ctx.runner.submit(lambda: ledger.place_choices(factory, sub_district=sub_district), lane=Lane.READ,
                             on_done=on_done, on_error=on_error, owner=owner)
