"""走访 operations: one keyword-only function per user action.

Reads run on the parallel lane, saves, deletes and 转为整改事项 on the serialized write lane; copying a photo
into the profile's folder on the parallel lane, never on the UI thread.  A successful write is broadcast
as ``Change("visit", …)`` (and ``Change("rectification", …)`` for an item made from a finding) even if the
form that asked has been closed meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from app.services.visits.dto import (
    ChecklistItem,
    MonthPlan,
    OrgChoice,
    Period,
    VisitDetail,
    VisitInput,
    VisitList,
    VisitMode,
    VisitStatus,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import attachments as files
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskHandle

if TYPE_CHECKING:
    pass

VISIT_ENTITY = "visit"
RECTIFICATION_ENTITY = "rectification"


def _visits() -> Any:  # the services (and the visit models behind them) load when an operation first runs
    import app.services.visits as visits

    return visits



@dataclass(frozen=True)
class FormChoices:
    """What a new visit form needs: my organizations and the newest checklist's items."""

    orgs: tuple[OrgChoice, ...]
    version: str
    items: tuple[ChecklistItem, ...]


def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def load_month_plan(*, ctx: UiContext, month: date, on_done: Callable[[MonthPlan], None],
                    on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _visits().month_plan(factory, month=month), on_done, on_error, owner)


def list_visits(*, ctx: UiContext, org_id: str | None, status: VisitStatus | None, mode: VisitMode | None,
                period: Period | None, text: str, open_findings_only: bool = False,
                on_done: Callable[[VisitList], None], on_error: OnError | None = None,
                owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _visits().list_visits(factory, org_id=org_id, status=status, mode=mode, period=period,
                                                  text=text, open_findings_only=open_findings_only),
                 on_done, on_error, owner)


def load_visit(*, ctx: UiContext, visit_id: str, on_done: Callable[[VisitDetail], None],
               on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _visits().load_visit(factory, visit_id), on_done, on_error, owner)


def load_form_choices(*, ctx: UiContext, on_done: Callable[[FormChoices], None], on_error: OnError | None = None,
                      owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory

    def work() -> FormChoices:
        checklist = _visits().current_checklist()
        return FormChoices(_visits().my_orgs(factory), checklist.version, checklist.items)

    return _read(ctx, work, on_done, on_error, owner)


def save_visit(*, ctx: UiContext, data: VisitInput, visit_id: str | None, expected_updated_at: datetime | None,
               on_done: Callable[[VisitDetail], None], on_error: OnError | None = None, origin: str = "",
               owner: QObject | None = None) -> TaskHandle:
    """Save the visit (planned or done); ValidationFailed lists what to fix."""
    factory, actor, folder = ctx.database.session_factory, ctx.actor, files.attachments_folder(ctx)
    action = "create" if visit_id is None else "update"

    def changes(detail: VisitDetail) -> list[Change]:
        made = [Change(VISIT_ENTITY, (detail.id,), origin, action)]
        if detail.planned_next_id:
            made.append(Change(VISIT_ENTITY, (detail.planned_next_id,), origin, "create"))
        return made

    return submit_write(ctx, lambda: _visits().save_visit(factory, data, actor=actor, visit_id=visit_id,
                                                         expected_updated_at=expected_updated_at,
                                                         attachments_folder=folder),
                        changes, owner, on_done, on_error)


def delete_visit(*, ctx: UiContext, visit_id: str, on_done: Callable[[str], None], on_error: OnError | None = None,
                 origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return submit_write(ctx, lambda: _visits().delete_visit(factory, visit_id, actor=actor),
                        lambda _org: [Change(VISIT_ENTITY, (visit_id,), origin, "delete")], owner, on_done, on_error)


def finding_to_rectification(*, ctx: UiContext, visit_id: str, finding_id: str, deadline: date,
                             requirement: str, responsible_person: str, on_done: Callable[[str], None],
                             on_error: OnError | None = None, origin: str = "",
                             owner: QObject | None = None) -> TaskHandle:
    """Turn a saved finding into a 草稿 整改事项 (AlreadyRaised names the one it already has)."""
    factory, actor = ctx.database.session_factory, ctx.actor
    return submit_write(ctx, lambda: _visits().finding_to_rectification(
        factory, finding_id, deadline=deadline, requirement=requirement, responsible_person=responsible_person,
        actor=actor), lambda item_id: [Change(RECTIFICATION_ENTITY, (item_id,), origin, "create"),
                                       Change(VISIT_ENTITY, (visit_id,), origin, "update")], owner, on_done, on_error)





