"""同步: sign in, sync, sign out, conflicts and the unsent data, as operations on the task runner.

Every call goes through the public API of ``app.services.sync``, imported inside the work on the worker
thread (httpx and the sync engine stay out of start-up and off the UI thread).  Network work runs on the
read lane (the parallel lane for network and files): a sync talks to the server for seconds and must not
hold up the user's saves on the write lane; its own local transactions are short and SQLite's busy
timeout orders them with the saves.  A sync reports progress (stage, done of total) and can be cancelled:
the engine checks the flag between requests and stops with SyncCancelled, keeping what it applied.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations.writes import submit_write
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle

if TYPE_CHECKING:
    from app.services.sync import Account, ConflictItem, SyncProgress, SyncReport, SyncStatus, UnsentExport

# After a sync (done, failed or cancelled: pages applied before the end are kept) each area's views are told
# once, by the entity they watch, that rows may have come in; the sync's own changes carry origin "sync".
SYNCED_AREAS = ("social_org", "assignment", "party_org", "member", "meeting", "visit", "rectification", "notice")
CONFLICT_ENTITY = "sync_conflict"
SYNC_LABEL = "正在同步…"
HEALTH_PATH = "/health"
PROBE_TIMEOUT_S = 10.0
ProbeAnswer = Callable[[bool], None]


def load_status(*, ctx: UiContext, on_done: Callable[[SyncStatus], None], on_error: OnError | None = None,
                owner: QObject | None = None) -> TaskHandle:
    """The profile's account, last sync, pending and failed ops, conflicts and quarantined organizations."""
    factory = ctx.database.session_factory

    def work() -> SyncStatus:
        from app.services import sync

        return sync.sync_status(factory)

    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def sign_in(*, ctx: UiContext, server_url: str, username: str, password: str, ca_file: str | None,
            on_done: Callable[[Account], None], on_error: OnError | None = None,
            owner: QObject | None = None) -> TaskHandle:
    """Sign in (creates the user's profile and makes it the default); the caller then opens that profile."""
    def work() -> Account:
        from app.services import sync

        return sync.sign_in(server_url, username, password, ca_file=ca_file)

    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def sign_out(*, ctx: UiContext, on_done: Callable[[None], None], on_error: OnError | None = None,
             owner: QObject | None = None) -> TaskHandle:
    """Sign the open profile out (its data and unsent changes stay)."""
    profile = ctx.profile

    def work() -> None:
        from app.services import sync

        sync.sign_out(profile)

    return submit_write(ctx, work,
                        lambda _none: [Change("assignment", (), "sync", "sign_out")], owner, on_done, on_error)


def run_sync(*, ctx: UiContext, password: str | None, parent: QWidget | None,
             on_done: Callable[[SyncReport], None], on_error: OnError | None = None,
             on_cancelled: Callable[[], None] | None = None, owner: QObject | None = None) -> TaskHandle:
    """Push then pull, with a progress dialog (after ~0.5 s) showing the stage and counts, and 取消.
    Each area's views are told afterwards (:data:`SYNCED_AREAS`) so they re-read what they show."""
    factory = ctx.database.session_factory

    def work(task: TaskContext) -> SyncReport:
        from app.services import sync

        def progress(step: SyncProgress) -> None:
            counts = f"{step.done}/{step.total}" if step.total else f"{step.done}"
            task.report(step.done, step.total or 0, f"正在同步：{step.stage} {counts}")

        return sync.run_sync(factory, password=password, progress=progress, cancel=task.cancel_event)

    def announce() -> None:
        for entity in SYNCED_AREAS:
            ctx.bus.publish(Change(entity, (), "sync", "sync"))

    def done(report: SyncReport) -> None:
        on_done(report)
        announce()

    def failed(exc: BaseException) -> None:
        if on_error is not None:
            on_error(exc)
        announce()  # a failed sync may have applied pages before it failed

    handle = ctx.runner.submit(work, lane=Lane.READ, on_done=done, on_error=failed, owner=owner,
                               progress=SYNC_LABEL, parent=parent)

    def cancelled() -> None:
        announce()
        if on_cancelled is not None:
            on_cancelled()

    handle.on_cancelled = cancelled
    return handle


def list_conflicts(*, ctx: UiContext, on_done: Callable[[list[ConflictItem]], None],
                   on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory

    def work() -> list[ConflictItem]:
        from app.services import sync

        return sync.list_conflicts(factory)

    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def resolve_conflict(*, ctx: UiContext, item: ConflictItem, keep: Literal["kept", "other", "yours"],
                     on_done: Callable[[None], None], on_error: OnError | None = None,
                     owner: QObject | None = None) -> TaskHandle:
    """Keep one of the conflict's values; the record and the conflict list are broadcast as changed."""
    factory, actor = ctx.database.session_factory, ctx.actor

    def work() -> None:
        from app.services import sync

        sync.resolve_conflict(factory, item.id, keep, actor=actor)

    def changes(_none: Any) -> list[Change]:
        return [Change(item.entity, (item.record_id,), "conflict_dialog"),
                Change(CONFLICT_ENTITY, (item.id,), "conflict_dialog")]

    return submit_write(ctx, work, changes, owner,
                        on_done, on_error)


def export_unsent(*, ctx: UiContext, target: Path, on_done: Callable[[UnsentExport], None],
                  on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """Write the unsent and refused changes (and the quarantined organizations' rows) to ``target``."""
    factory = ctx.database.session_factory

    def work() -> UnsentExport:
        from app.services import sync

        return sync.export_unsent(factory, target)

    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def discard_exported(*, ctx: UiContext, exported: Path, on_done: Callable[[tuple[str, ...]], None],
                     on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """Remove from this computer the quarantined organizations the file ``exported`` holds (names back);
    every area's views are told, as after a sync."""
    factory = ctx.database.session_factory

    def work() -> tuple[str, ...]:
        from app.services import sync

        return sync.discard_exported(factory, exported)

    return submit_write(ctx, work, lambda _names: [Change(entity, (), "sync", "discard") for entity in SYNCED_AREAS],
                        owner, on_done, on_error)


def server_reachable(server_url: str) -> bool:
    """Whether the server answers ``GET <server>/api/sync/v1/health`` (any thread; used by the probe).
    A certificate the system does not trust still means the server is there: the sync that follows says
    what is wrong with it."""
    import ssl

    import httpx

    from app.wire import PREFIX

    try:
        httpx.get(f"{server_url.rstrip('/')}{PREFIX}{HEALTH_PATH}", timeout=PROBE_TIMEOUT_S)
    except httpx.ConnectError as exc:
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, ssl.SSLError):
            cause = cause.__cause__ or cause.__context__
        return cause is not None
    except httpx.HTTPError:
        return False
    return True


def probe_server(*, ctx: UiContext, server_url: str, on_done: ProbeAnswer,
                 owner: QObject | None = None) -> TaskHandle:
    return ctx.runner.submit(lambda: server_reachable(server_url), lane=Lane.READ, on_done=on_done,
                             on_error=lambda _exc: on_done(False), owner=owner)
