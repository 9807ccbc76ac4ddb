"""What the 工作台 shows, kept up to date: the last dashboard read, the grid model over it, and the reads
that follow it (the grid's tooltips, and bringing the compliance results up to date).

Every read runs on the parallel lane; each bumps a generation so a late, older result is dropped.  The
first paint uses the results already stored; only then are the rules re-evaluated if they are stale (a
new day, a changed policy pack: ``ensure_compliance_fresh`` on the write lane), and the dashboard re-read
if anything changed.  Changes on the bus to what the rules read (meetings, party organizations and their
members, the organizations' records, 我负责的) re-read it, a few at a time.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.compliance.dashboard import Dashboard, GridTips
from app.services.core.error_text import describe_error
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.itemmodels.compliance_grid import ComplianceGridModel
from app.ui.operations import dashboard as ops

# What the rules read: a change to any of these may change a cell.
WATCHED_ENTITIES = frozenset({
    "meeting", "meeting_attendance", "meeting_guest", "agenda_item", "vote", "vote_candidate",
    "party_org", "party_org_coverage", "party_org_term", "committee_member", "party_group",
    "member", "member_kind_change", "member_probation", "member_relation_change", "member_expected_exclusion",
    "social_org", "assignment", "annual_inspection", "credit_listing", "org_term", "org_evaluation",
    "compliance_waiver", "compliance_finding",
})
CHANGE_DELAY_MS = 60  # a save publishes a few changes at once (the record, its organization): one re-read
TIPS_DELAY_MS = 400  # the tooltips' read waits for the first paint
FRESHEN_DELAY_MS = 300  # and so does the engine's staleness check


class DashboardModel(QObject):
    """``loaded(Dashboard)`` after each read; ``failed(text)``; ``checkingChanged(bool)`` while the rules
    are being re-evaluated.  ``freshen`` False: never ask the engine (tests that insert findings)."""

    loaded = Signal(object)
    failed = Signal(str)
    checkingChanged = Signal(bool)

    def __init__(self, ctx: UiContext, parent: QObject | None = None, *, freshen: bool = True) -> None:
        super().__init__(parent)
        self._ctx, self._freshen = ctx, freshen
        self.grid = ComplianceGridModel(self)
        self.dashboard: Dashboard | None = None
        self.generation = 0
        self.checking = False
        self.stale = False  # a change arrived while nobody was looking: re-read when shown
        self.active = True  # the view is on screen (the view sets it); changes re-read only then
        self._freshened = False
        self._read_after_check = False  # F5: read once the engine has answered, whatever it answered
        self._change_timer = QTimer(self, singleShot=True, interval=CHANGE_DELAY_MS)
        self._change_timer.timeout.connect(self.refresh)
        self._tips_timer = QTimer(self, singleShot=True, interval=TIPS_DELAY_MS)
        self._tips_timer.timeout.connect(self._load_tips)
        ctx.bus.changed.connect(self._on_change)

    @property
    def loaded_once(self) -> bool:
        return self.dashboard is not None

    def refresh(self, *, freshen: bool = False) -> None:
        """Read the dashboard again; ``freshen``: bring the results up to date first, then read (F5)."""
        self.stale = False
        if freshen and self._freshen:
            self._read_after_check = True
            if not self.checking:
                self._check_freshness()
            return
        self.generation += 1
        generation = self.generation
        ops.load_dashboard(ctx=self._ctx, owner=self, on_done=lambda d: self._loaded(generation, d),
                           on_error=lambda exc: self._failed(generation, exc), first=generation == 1)

    def _loaded(self, generation: int, dashboard: Dashboard) -> None:
        if generation != self.generation:
            return
        first = self.dashboard is None
        self.dashboard = dashboard
        self.grid.set_grid(dashboard.rows, dashboard.months, known=dashboard.evaluated or not self.checking_pending)
        self.loaded.emit(dashboard)
        if dashboard.rows:
            self._tips_timer.setInterval(TIPS_DELAY_MS if first else 0)
            self._tips_timer.start()
        if first and self._freshen and not self._freshened:
            QTimer.singleShot(FRESHEN_DELAY_MS, self, self._check_freshness)

    @property
    def checking_pending(self) -> bool:
        """The rules will be (or are being) evaluated: an empty result is not yet a clean one."""
        return self._freshen and (self.checking or not self._freshened)

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation:
            self.failed.emit(describe_error(exc))

    def _load_tips(self) -> None:
        dashboard, generation = self.dashboard, self.generation
        if dashboard is None or not dashboard.rows or self._ctx.database.health.closed:
            return
        ops.load_grid_tips(ctx=self._ctx, party_org_ids=[row.party_org_id for row in dashboard.rows],
                           today=dashboard.today, owner=self,
                           on_done=lambda tips: self._tips_loaded(generation, tips),
                           on_error=lambda exc: self._failed(generation, exc))

    def _tips_loaded(self, generation: int, tips: GridTips) -> None:
        if generation == self.generation:
            self.grid.set_tips(tips)

    # -- the engine ------------------------------------------------------------------------------
    def _check_freshness(self) -> None:
        # the profile was switched meanwhile, or the app is closing (the delayed check came after the end)
        if self._ctx.database.health.closed or self._ctx.runner.closed:
            return
        self._set_checking(True)
        ops.ensure_compliance_fresh(ctx=self._ctx, owner=self, on_done=self._freshness_checked,
                                    on_error=self._freshness_failed)

    def _freshness_checked(self, changed: bool) -> None:
        self._freshened = True
        self._set_checking(False)
        wanted, self._read_after_check = self._read_after_check, False
        if wanted or changed or (self.dashboard is not None and not self.grid.known):
            self.refresh()

    def _freshness_failed(self, exc: BaseException) -> None:
        self._freshened = True
        self._set_checking(False)
        self.failed.emit("按党内法规核查时出错：" + describe_error(exc))
        if self._read_after_check:
            self._read_after_check = False
            self.refresh()

    def _set_checking(self, checking: bool) -> None:
        if checking != self.checking:
            self.checking = checking
            self.checkingChanged.emit(checking)

    # -- the change bus --------------------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        if change.entity not in WATCHED_ENTITIES:
            return
        if self.active:
            self._change_timer.start()
        else:
            self.stale = True
