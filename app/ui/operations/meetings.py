"""三会一课 operations: one keyword-only function per user action.

Reads run on the parallel lane, saves and deletes on the serialized write lane; file work (copying an
attachment into the profile's folder) on the parallel lane, never on the UI thread.  A successful save or
delete is broadcast as ``Change("meeting", (id,), origin, action)`` even if the form that asked has been
closed meanwhile (the 工作台 and the list listen).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject

from app.services.meetings.dto import (
    MeetingDetail,
    MeetingInput,
    MeetingKind,
    MeetingList,
    MeetingStatus,
    PartyOrgChoice,
    Period,
    Roster,
)
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import attachments as files
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskHandle

if TYPE_CHECKING:
    pass

# The services (and the meeting models behind them) are imported when an operation first runs, not when
# the section is built at start-up.


def _records() -> Any:
    from app.services.meetings import records

    return records


def _roster() -> Any:
    from app.services.meetings import roster

    return roster


MEETING_ENTITY = "meeting"



def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def _write(ctx: UiContext, work: Callable[[], Any], change: Callable[[Any], Change], owner: QObject | None,
           on_done: Callable[[Any], None], on_error: OnError | None) -> TaskHandle:
    return submit_write(ctx, work, lambda result: [change(result)], owner, on_done, on_error)


def list_meetings(*, ctx: UiContext, party_org_id: str | None, kind: MeetingKind | None, period: Period | None,
                  status: MeetingStatus | None, text: str, on_done: Callable[[MeetingList], None],
                  on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _records().list_meetings(factory, party_org_id=party_org_id, kind=kind, period=period,
                                                    status=status, text=text), on_done, on_error, owner)


def load_meeting(*, ctx: UiContext, meeting_id: str, on_done: Callable[[MeetingDetail], None],
                 on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _records().load_meeting(factory, meeting_id), on_done, on_error, owner)


def load_roster(*, ctx: UiContext, party_org_id: str, day: date, on_done: Callable[[Roster], None],
                on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The 党组织's members as they stood on ``day`` (the form re-reads it when the date changes)."""
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _roster().meeting_roster(factory, party_org_id, day), on_done, on_error, owner)


def load_party_orgs(*, ctx: UiContext, on_done: Callable[[tuple[PartyOrgChoice, ...]], None],
                    on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: _roster().party_org_choices(factory), on_done, on_error, owner)


def save_meeting(*, ctx: UiContext, data: MeetingInput, meeting_id: str | None,
                 expected_updated_at: datetime | None, as_draft: bool, on_done: Callable[[MeetingDetail], None],
                 on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    """Save the record (完成, or 草稿 with ``as_draft``); IncompleteRecord lists what it lacks."""
    factory, actor, folder = ctx.database.session_factory, ctx.actor, files.attachments_folder(ctx)
    action = "create" if meeting_id is None else "update"
    return _write(ctx, lambda: _records().save_meeting(factory, data, actor=actor, meeting_id=meeting_id,
                                                    expected_updated_at=expected_updated_at, as_draft=as_draft,
                                                    attachments_folder=folder),
                  lambda detail: Change(MEETING_ENTITY, (detail.id,), origin, action), owner, on_done, on_error)


def delete_meeting(*, ctx: UiContext, meeting_id: str, on_done: Callable[[str], None],
                   on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _write(ctx, lambda: _records().delete_meeting(factory, meeting_id, actor=actor),
                  lambda _party: Change(MEETING_ENTITY, (meeting_id,), origin, "delete"), owner, on_done, on_error)





