"""The 工作台's overdue rectifications (DESIGN §5): one line under 本月待办与逾期 ("逾期整改 N 项"), and
behind it, in the panel, each overdue item with its organization and how many days it is late.  Read off
the UI thread whenever the 工作台 reads, and again when a write touches a rectification item."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QObject, QTimer, Signal

from app.services.rectification.dto import RectificationList
from app.ui.bus import Change
from app.ui.context import UiContext
from app.ui.operations import rectification as ops

OVERDUE_COLOR = "#b3261e"
SHOWN = 50  # the panel lists this many, the most overdue first
# The first read waits this long: it is the start-up's first use of the ORM (SQLAlchemy's import, ~0.3 s of
# CPU on a worker thread), which would otherwise compete with painting the 工作台 (bench/bench_startup.py).
FIRST_READ_DELAY_MS = 400


class OverdueRectifications(QObject):
    changed = Signal()

    def __init__(self, ctx: UiContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.found: RectificationList | None = None
        self._pending = False
        ctx.bus.changed.connect(self._on_change)

    @property
    def count(self) -> int:
        return self.found.total if self.found is not None else 0

    def refresh_soon(self) -> None:
        """The first read, once the 工作台 is on screen."""
        if not self._pending:
            self._pending = True
            QTimer.singleShot(FIRST_READ_DELAY_MS, self, self._first_read)

    def _first_read(self) -> None:
        self._pending = False
        if not self._ctx.runner.closed and not self._ctx.database.health.closed:
            self.refresh()

    def refresh(self) -> None:
        ops.list_items(ctx=self._ctx, status=None, overdue_only=True, org_id=None, source=None, search="",
                       on_done=self._listed, owner=self)

    def _listed(self, found: RectificationList) -> None:
        self.found = found
        self.changed.emit()

    def _on_change(self, change: Change) -> None:
        if change.entity == ops.RECTIFICATION_ENTITY and self.found is not None:
            self.refresh()

    def line_text(self) -> str:
        return f"逾期整改 {self.count} 项（已过现行整改期限，尚未反馈或复查未通过）"

    def html(self) -> str:
        rows = self.found.rows[:SHOWN] if self.found is not None else ()
        parts = [f"<h3 style='margin:0 0 6px 0'>逾期整改 {self.count} 项</h3>",
                 "<p style='margin:0 0 8px 0;color:#5f6368'>在“整改”中勾选“只看逾期”可逐项打开、记录跟进。</p>"]
        parts += [f'<p style="margin:0 0 6px 0"><b>{escape(r.org_name)}</b>　{escape(r.title)}<br>'
                  f'<span style="color:{OVERDUE_COLOR}"><b>逾期 {r.overdue_days} 天</b></span>'
                  f'<span style="color:#5f6368">　{r.status.label}，现行期限 {r.deadline_in_force:%Y-%m-%d}</span></p>'
                  for r in rows]
        if self.count > len(rows):
            parts.append(f'<p style="color:#5f6368">另有 {self.count - len(rows)} 项未列出。</p>')
        return "".join(parts)
