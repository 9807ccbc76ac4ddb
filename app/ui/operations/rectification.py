"""整改 operations: one keyword-only function per user action.

Reads run on the parallel lane, writes (new item, edit or delete a 草稿, a follow-up) on the serialized
write lane, copying an evidence file into the attachments folder on the parallel lane — never on the UI
thread.  A successful write is broadcast as ``Change("rectification", (id,), origin, action)`` (and a
follow-up also as ``Change("rectification_follow_up", …)``), even if the dialog that asked has closed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from app.services.rectification.dto import (
    OrgChoice,
    RectificationDetail,
    RectificationFollowUpKind,
    RectificationInput,
    RectificationList,
    RectificationSource,
    RectificationStatus,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import attachments as files
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskHandle

if TYPE_CHECKING:
    from app.services.core.attachments import StoredFile

RECTIFICATION_ENTITY = "rectification"
FOLLOW_UP_ENTITY = "rectification_follow_up"


# The services (and the rectification models behind them) are imported when an operation first runs.
def _area() -> Any:
    from app.services import rectification

    return rectification



def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def list_items(*, ctx: UiContext, status: RectificationStatus | None, overdue_only: bool, org_id: str | None,
               source: RectificationSource | None, search: str, on_done: Callable[[RectificationList], None],
               on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _area().list_items(factory, status=status, overdue_only=overdue_only, org_id=org_id,
                                                 source=source, search=search), on_done, on_error, owner)


def load_item(*, ctx: UiContext, item_id: str, on_done: Callable[[RectificationDetail], None],
              on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _area().load_item(factory, item_id), on_done, on_error, owner)


def load_org_choices(*, ctx: UiContext, on_done: Callable[[tuple[OrgChoice, ...]], None],
                     on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _area().org_choices(factory), on_done, on_error, owner)


def check_item(*, ctx: UiContext, data: RectificationInput, item_id: str | None,
               on_done: Callable[[dict[str, str]], None], owner: QObject | None = None) -> TaskHandle:
    """What is wrong with the form's input (field -> message), as the save would say it."""
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _area().check_item(factory, data, item_id=item_id), on_done, None, owner)


def save_item(*, ctx: UiContext, data: RectificationInput, item_id: str | None,
              expected_updated_at: datetime | None, on_done: Callable[[str], None], on_error: OnError | None = None,
              origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """Create a 草稿 item (``item_id`` None) or change a 草稿; the result is the item's id."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> str:
        if item_id is None:
            return str(_area().create_item(factory, data, actor=actor))
        _area().update_item(factory, item_id, data, actor=actor, expected_updated_at=expected_updated_at)
        return item_id

    action = "create" if item_id is None else "update"
    return submit_write(ctx, work, lambda saved: [Change(RECTIFICATION_ENTITY, (saved,), origin, action)], owner,
                        on_done, on_error)


def delete_item(*, ctx: UiContext, item_id: str, on_done: Callable[[None], None], on_error: OnError | None = None,
                origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return submit_write(ctx, lambda: _area().delete_item(factory, item_id, actor=actor),
                        lambda _none: [Change(RECTIFICATION_ENTITY, (item_id,), origin, "delete")], owner, on_done,
                        on_error)


def append_follow_up(*, ctx: UiContext, item_id: str, kind: RectificationFollowUpKind, on_date: date, note: str,
                     new_deadline: date | None, evidence: Sequence[StoredFile], on_done: Callable[[str], None],
                     on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """Append a follow-up (签收, 反馈, 复查, 延期, 销号, 备注 …) with its evidence files (already stored)."""
    factory, actor, stored = ctx.database.session_factory, ctx.actor, tuple(evidence)
    folder = files.attachments_folder(ctx)
    return submit_write(
        ctx, lambda: _area().append_follow_up(factory, item_id, kind=kind, on_date=on_date, note=note,
                                              new_deadline=new_deadline, evidence=stored, actor=actor,
                                              attachments_folder=folder),
        lambda follow_up_id: [Change(FOLLOW_UP_ENTITY, (follow_up_id,), origin, "create"),
                              Change(RECTIFICATION_ENTITY, (item_id,), origin, "update")],
        owner, on_done, on_error)






