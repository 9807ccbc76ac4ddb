"""演示数据: load realistic demo data into the current database, from the empty ledger's button."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app.services.core.identity import current_user
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle

if TYPE_CHECKING:  # the generator and its name lists are imported on first use, not at start-up
    from app.demo import data as demo_data

DEMO_ORGS = 300
DEMO_YEARS = 3


def load_demo_data(*, ctx: UiContext, parent: QWidget | None, on_done: Callable[[demo_data.DemoSummary], None],
                   on_error: OnError | None = None, origin: str = "") -> TaskHandle:
    """Seed DEMO_ORGS organizations with DEMO_YEARS years of history on the write lane, with a progress
    dialog (after ~0.5 s) that can cancel between batches."""
    from app.demo import data as demo_data

    def work(task: TaskContext) -> demo_data.DemoSummary:
        def progress(stage: str, done: int, total: int) -> None:
            if task.cancelled:  # stop between batches; those already written stay
                raise InterruptedError("已取消载入演示数据")
            task.report(done, total, f"正在生成演示数据：{stage}")

        return demo_data.seed_demo(ctx.database.session_factory, orgs=DEMO_ORGS, years=DEMO_YEARS,
                                   progress=progress, actor=ctx.actor, me=current_user())

    def done(summary: demo_data.DemoSummary) -> None:
        on_done(summary)
        ctx.bus.publish(Change(ORG_ENTITY, (), origin, "seed"))

    def failed(exc: BaseException) -> None:
        ctx.bus.publish(Change(ORG_ENTITY, (), origin, "seed"))  # show whatever part was written
        if on_error is not None:
            on_error(exc)

    handle = ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=failed,
                               progress="正在载入演示数据…", parent=parent)
    handle.on_cancelled = lambda: ctx.bus.publish(Change(ORG_ENTITY, (), origin, "seed"))
    return handle
