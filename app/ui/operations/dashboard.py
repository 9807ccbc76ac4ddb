"""工作台 operations: read the dashboard, the tooltips of its grid and what is behind a cell (parallel lane),
and bring the compliance results up to date (serialized lane).  One keyword-only function per action."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QObject

from app.domain.compliance import MEETING_RULES
from app.services.compliance import dashboard
from app.services.compliance.dashboard import Dashboard, GridTips
from app.services.compliance.dto import CellDetail, FindingRow, Period
from app.ui import first_read
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskHandle


def _read(ctx: UiContext, work: Callable[[], Any], on_done: Callable[[Any], None], on_error: OnError | None,
          owner: QObject | None) -> TaskHandle:
    return ctx.runner.submit(work, lane=Lane.READ, on_done=on_done, on_error=on_error, owner=owner)


def load_dashboard(*, ctx: UiContext, on_done: Callable[[Dashboard], None], on_error: OnError | None = None,
                   owner: QObject | None = None, first: bool = False) -> TaskHandle:
    """The 工作台 of the open profile's user, today.  ``first``: the view's first read, which start-up may
    have begun already (``app.ui.first_read``): its result is delivered instead of reading again."""
    database = ctx.database  # its session factory is asked for on the worker (made there if not yet)
    started = first_read.take((first_read.DASHBOARD, str(database.path))) if first else None
    work = started.result if started is not None else (lambda: dashboard.load_dashboard(database.session_factory))
    return _read(ctx, work, on_done, on_error, owner)


def load_grid_tips(*, ctx: UiContext, party_org_ids: Sequence[str], today: date,
                   on_done: Callable[[GridTips], None], on_error: OnError | None = None,
                   owner: QObject | None = None) -> TaskHandle:
    """The findings behind each cell of the grid, for its tooltips."""
    database, ids = ctx.database, tuple(party_org_ids)
    return _read(ctx, lambda: dashboard.grid_tips(database.session_factory, party_org_ids=ids, today=today),
                 on_done, on_error, owner)


def load_cell_detail(*, ctx: UiContext, party_org_id: str, month: Period, on_done: Callable[[CellDetail], None],
                     on_error: OnError | None = None, owner: QObject | None = None) -> TaskHandle:
    """The meetings and findings behind one cell of the grid."""
    database = ctx.database
    return _read(ctx, lambda: dashboard.load_cell_detail(database.session_factory, party_org_id=party_org_id,
                                                         month=month),
                 on_done, on_error, owner)


def ensure_compliance_fresh(*, ctx: UiContext, on_done: Callable[[bool], None], on_error: OnError | None = None,
                            owner: QObject | None = None) -> TaskHandle:
    """Re-evaluate the party rules if their results are stale (first run, a new day, a changed policy pack),
    on the write lane; ``on_done(True)`` when anything was re-evaluated."""
    database = ctx.database

    def work() -> bool:
        # Imported on first use: painting the 工作台 from stored results does not need the engine.
        from app.services.compliance.engine import ensure_fresh
        from app.services.core import clock

        return ensure_fresh(database.session_factory, today=clock.today())

    return ctx.runner.submit(work, lane=Lane.WRITE, on_done=on_done, on_error=on_error, owner=owner)


WAIVER_ENTITY = "compliance_waiver"


def add_waivers(*, ctx: UiContext, party_org_id: str, findings: Sequence[FindingRow], reason: str, approved_by: str,
                on_done: Callable[[list[str]], None], on_error: OnError | None = None,
                owner: QObject | None = None) -> TaskHandle:
    """豁免: waive each of ``findings`` (rules of one 党组织) with the one reason, on the write lane; the 工作台
    re-reads on the change.  ValidationFailed (e.g. no reason) before anything is written."""
    factory, actor = ctx.database.session_factory, ctx.actor
    chosen = tuple(findings)

    def work() -> list[str]:
        from app.services.compliance import add_waiver  # the engine's modules are imported when first used

        return [add_waiver(factory, party_org_id=party_org_id, rule_id=f.rule_id, reason=reason,
                           period=f.period if f.rule_id in MEETING_RULES else None, subject_id=f.subject_id,
                           approved_by=approved_by, actor=actor) for f in chosen]

    def done(ids: list[str]) -> None:
        on_done(ids)
        ctx.bus.publish(Change(WAIVER_ENTITY, tuple(ids), "dashboard", "create"))

    return ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=on_error, owner=owner)
