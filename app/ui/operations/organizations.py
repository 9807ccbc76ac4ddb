"""组织台账 operations: one keyword-only function per user action.

Each runs its service call on the task runner (writes on the serialized lane, reads on the parallel
lane) and hands the DTO back on the UI thread.  A successful mutation is broadcast on the change bus
even if the widget that asked (``owner``) has been closed meanwhile; the widget's own callbacks run
only while it is alive.  Inputs are frozen DTOs or tuples, so nothing a worker reads can change under it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject

from app.services.orgs import facts as org_facts
from app.services.orgs import ledger, organizations
from app.services.orgs.dto import LedgerFilter, LedgerIds, LedgerRow, LedgerSort, OrgDetail, OrgInput
from app.services.orgs.validation import OrgCheck
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskHandle, owner_alive


def _mutate(ctx: UiContext, work: Callable[[], OrgDetail], action: str, origin: str, owner: QObject | None,
            on_done: Callable[[OrgDetail], None], on_error: OnError | None) -> TaskHandle:
    def done(detail: OrgDetail) -> None:
        if owner_alive(owner):
            on_done(detail)
        ctx.bus.publish(Change(ORG_ENTITY, (detail.id,), origin, action))

    def failed(exc: BaseException) -> None:
        if on_error is not None and owner_alive(owner):
            on_error(exc)

    # with no on_error of its own, a failure goes to the runner's default handler
    return ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=failed if on_error else None)


def create_org(*, ctx: UiContext, data: OrgInput, on_done: Callable[[OrgDetail], None],
               on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _mutate(ctx, lambda: organizations.create_org(factory, data, actor=actor),
                   "create", origin, owner, on_done, on_error)


def update_org(*, ctx: UiContext, org_id: str, data: OrgInput, expected_updated_at: datetime | None,
               on_done: Callable[[OrgDetail], None],
               on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _mutate(ctx, lambda: organizations.update_org(factory, org_id, data, actor=actor,
                                                         expected_updated_at=expected_updated_at),
                   "update", origin, owner, on_done, on_error)


def archive_org(*, ctx: UiContext, org_id: str, reason: str, on_done: Callable[[OrgDetail], None],
                on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _mutate(ctx, lambda: organizations.archive_org(factory, org_id, reason=reason, actor=actor),
                   "archive", origin, owner, on_done, on_error)


def restore_org(*, ctx: UiContext, org_id: str, on_done: Callable[[OrgDetail], None],
                on_error: OnError | None = None, origin: str = "", owner: QObject | None = None) -> TaskHandle:
    factory, actor = ctx.database.session_factory, ctx.actor
    return _mutate(ctx, lambda: organizations.restore_org(factory, org_id, actor=actor),
                   "restore", origin, owner, on_done, on_error)


def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def check_org(*, ctx: UiContext, data: OrgInput, org_id: str | None, on_done: Callable[[OrgCheck], None],
              on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """Live validation of a form: every problem and warning, nothing saved."""
    factory = ctx.database.session_factory
    return _read(ctx, lambda: organizations.check_org(factory, data, org_id=org_id), on_done, on_error, owner)


def get_org(*, ctx: UiContext, org_id: str, on_done: Callable[[OrgDetail], None],
            on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory = ctx.database.session_factory
    return _read(ctx, lambda: organizations.get_org(factory, org_id), on_done, on_error, owner)


def query_ledger(*, ctx: UiContext, flt: LedgerFilter, sort: LedgerSort,
                 on_done: Callable[[tuple[LedgerIds, list[LedgerRow]]], None], first_rows: int = 0,
                 on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The ordered ids matching a filter, with the rows of the first ``first_rows`` of them: the first
    screen arrives in one piece (no paint of empty rows, no second round trip); the ledger fetches
    the other rows a page at a time."""
    factory = ctx.database.session_factory

    def work() -> tuple[LedgerIds, list[LedgerRow]]:
        ids = ledger.query_ledger(factory, flt, sort)
        return ids, ledger.ledger_rows(factory, ids.ids[:first_rows]) if first_rows else []

    return _read(ctx, work, on_done, on_error, owner)


def load_ledger_rows(*, ctx: UiContext, ids: Sequence[str], on_done: Callable[[list[LedgerRow]], None],
                     on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    factory, frozen_ids = ctx.database.session_factory, tuple(ids)
    return _read(ctx, lambda: ledger.ledger_rows(factory, frozen_ids), on_done, on_error, owner)


def refresh_derived_facts(*, ctx: UiContext) -> TaskHandle:
    """Re-derive coverage and credit listing for today (once a day: an assignment or listing can start
    or end with the date alone).  Write lane; the ledger stays correct meanwhile, only slower."""
    return ctx.runner.submit(lambda: org_facts.refresh_derived_facts(ctx.database.session_factory),
                             lane=Lane.WRITE)
