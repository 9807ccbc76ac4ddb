"""演示数据: open the demo profile and, when it is empty, load realistic demo data into it.

Demo data lives only in the demo profile (DESIGN §3).  The load runs on the write lane with a progress
dialog (after ~0.5 s) whose bar follows the whole load (``overall_percent`` of each stage).  Cancel stops
the load within 1 % of a stage; a cancelled or failed load deletes the partial demo profile and returns to
the user's data, so nothing appears later and nothing half-made is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from app import paths
from app.ui.bus import ORG_ENTITY, Change
from app.ui.context import UiContext
from app.ui.profiles import ProfileSwitcher
from app.ui.tasks import Lane, OnError, TaskContext, TaskHandle

if TYPE_CHECKING:  # the generator and its name lists are imported on first use, not at start-up
    from app.demo import data as demo_data

DEMO_ORGS = 300
DEMO_YEARS = 3
CANCELLED_MESSAGE = "已取消载入演示数据：载入了一部分的演示数据已全部删除，您的数据没有任何改动。"


class DemoLoadCancelled(Exception):
    """Raised inside the load when the user pressed 取消."""


def load_demo_data(*, ctx: UiContext, parent: QWidget | None, on_done: Callable[[demo_data.DemoSummary], None],
                   on_error: OnError | None = None, on_cancelled: Callable[[], None] | None = None,
                   origin: str = "") -> TaskHandle:
    """Seed DEMO_ORGS organizations with DEMO_YEARS years of history into ``ctx`` (the demo profile) on the
    write lane.  ``on_cancelled`` runs on the UI thread once a cancelled load has really stopped."""
    from app.demo import data as demo_data

    def work(task: TaskContext) -> demo_data.DemoSummary:
        def progress(stage: str, done: int, total: int) -> None:
            if task.cancelled:  # checked at every 1 % of each stage
                raise DemoLoadCancelled
            percent = demo_data.overall_percent(stage, done, total)
            task.report(percent, 100, f"正在生成演示数据：{stage}（{percent}%）")

        return demo_data.seed_demo(ctx.database.session_factory, orgs=DEMO_ORGS, years=DEMO_YEARS,
                                   progress=progress, actor=ctx.actor, me=paths.DEMO_PROFILE)

    def done(summary: demo_data.DemoSummary) -> None:
        on_done(summary)
        ctx.bus.publish(Change(ORG_ENTITY, (), origin, "seed"))

    handle = ctx.runner.submit(work, lane=Lane.WRITE, on_done=done, on_error=on_error,
                               progress="正在载入演示数据…", parent=parent)
    handle.on_cancelled = on_cancelled
    return handle


def open_demo(*, switcher: ProfileSwitcher, parent: QWidget | None, on_message: Callable[[str], None],
              on_error: OnError, origin: str = "") -> None:
    """The empty ledger's 载入演示数据: switch to the demo profile, then load demo data there if it is empty.
    ``on_message`` gets the one line saying what happened (loaded, or cancelled and deleted)."""
    from app.demo import data as demo_data

    def discard(message: str | None, exc: BaseException | None = None) -> None:
        def said() -> None:
            if message is not None:
                on_message(message)
            if exc is not None:
                on_error(exc)

        switcher.delete_demo(then=said, on_error=on_error)

    def loaded(summary: demo_data.DemoSummary) -> None:
        on_message(f"已载入演示数据：{summary.orgs} 个组织、{summary.party_orgs} 个党组织、{summary.meetings} 次会议"
                   "（演示数据单独保存，不会混入您的数据）")

    def fill_if_empty() -> None:
        ctx = switcher.ctx

        def counted(state: tuple[int, bool]) -> None:
            existing, interrupted = state
            if interrupted:  # the app was closed during a load: start again from nothing
                switcher.delete_demo(then=lambda: switcher.open_profile(paths.DEMO_PROFILE, then=fill_if_empty,
                                                                        on_error=on_error), on_error=on_error)
                return
            if existing:
                on_message(f"已打开演示数据（{existing} 个组织）")
                return
            load_demo_data(ctx=ctx, parent=parent, origin=origin, on_done=loaded,
                           on_error=lambda exc: discard(None, exc),
                           on_cancelled=lambda: discard(CANCELLED_MESSAGE))

        def state() -> tuple[int, bool]:
            factory = ctx.database.session_factory
            return demo_data.existing_org_count(factory), demo_data.load_interrupted(factory)

        ctx.runner.submit(state, lane=Lane.WRITE, on_done=counted, on_error=on_error)

    switcher.open_profile(paths.DEMO_PROFILE, then=fill_if_empty, on_error=on_error)
