"""DraftKeeper: keeps a form's draft on disk while the user types (any form: organizations, later meetings
and visits).

The form tells the keeper when something changed (``touch``); about a second after the last change the
keeper collects the form's values and writes the draft on the task runner's file lane.  At most one write
is in flight: a change made meanwhile is written after it, and a ``discard`` (the form was saved, or the
user chose 放弃) is done after it, so an old write can never bring back a draft that was thrown away.

    keeper = DraftKeeper(ctx, form, kind="org", key=record_id or "new", collect=form.draft_values,
                         based_on=detail.updated_at if detail else None)
    keeper.load(on_found)        # on_found(Draft) runs if a draft was left behind; offer it to the user
    field.changed -> keeper.touch
    saved -> keeper.discard();   closed with 保留草稿 -> keeper.keep();   closed with 放弃 -> keeper.discard()
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from app import paths
from app.services.core import clock
from app.services.core.drafts import Draft, DraftStore
from app.ui.context import UiContext
from app.ui.tasks import Lane

log = logging.getLogger(__name__)

DRAFT_DELAY_MS = 1000
_DELETE = object()


def describe_saved_at(draft: Draft) -> str:
    """When the draft was saved, in the district's civil time (e.g. 2026-03-31 20:05)."""
    return f"{clock.to_civil(draft.saved_at):%Y-%m-%d %H:%M}"


class DraftKeeper:
    """Saves ``collect()`` as the draft ``kind``/``key`` ~1 s after each ``touch``; see the module doc."""

    def __init__(self, ctx: UiContext, form: QWidget, *, kind: str, key: str,
                 collect: Callable[[], dict[str, Any]], based_on: datetime | None = None,
                 delay_ms: int = DRAFT_DELAY_MS, store: DraftStore | None = None) -> None:
        self._ctx, self.kind, self.key, self._collect, self.based_on = ctx, kind, key, collect, based_on
        self._store = store
        self._timer = QTimer(form, singleShot=True, interval=delay_ms)
        self._timer.timeout.connect(self.save_now)
        self._wanted: object = None  # what the file should become next: values, _DELETE, or None (nothing)
        self._busy = False
        self._ready = False  # no write before the draft left behind has been read (and offered)
        self._closed = False
        self.writes = 0  # drafts written (tests, diagnostics)

    @property
    def store(self) -> DraftStore:
        if self._store is None:  # opened lazily: the folder is created only when a draft is first needed
            self._store = DraftStore(paths.drafts_dir(self._ctx.profile))
        return self._store

    @property
    def pending(self) -> bool:
        """A change not yet on disk (waiting for the delay, or for the write in flight)."""
        return self._timer.isActive() or self._busy or self._wanted is not None

    def load(self, on_found: Callable[[Draft], None]) -> None:
        """Read the draft left behind (file lane); ``on_found`` runs on the UI thread if there is one."""
        store, kind, key = self.store, self.kind, self.key

        def done(draft: Draft | None) -> None:
            self._ready = True
            if draft is not None and not self._closed:
                on_found(draft)
            self._pump()

        def failed(exc: BaseException) -> None:
            log.warning("could not read draft %s/%s: %s", kind, key, exc)
            done(None)

        self._ctx.runner.submit(lambda: store.load(kind, key), lane=Lane.READ, on_done=done, on_error=failed)

    def touch(self) -> None:
        """Something on the form changed: save the draft after the delay (restarted by every change)."""
        if not self._closed:
            self._timer.start()

    def save_now(self) -> None:
        self._timer.stop()
        if self._closed:
            return
        self._wanted = self._collect()
        self._pump()

    def keep(self) -> None:
        """The form closes but its draft stays: write what it holds now, then stop."""
        self.save_now()
        self._closed = True

    def discard(self, *, closing: bool = True) -> None:
        """The form was saved, or the user threw the input away: delete the draft (after any write in
        flight).  ``closing=False``: the form stays open (a draft declined) and goes on keeping drafts."""
        self._timer.stop()
        self._closed = closing
        self._wanted = _DELETE
        self._ready = True  # nothing left to offer
        self._pump()

    def _pump(self) -> None:
        if self._busy or not self._ready or self._wanted is None:
            return
        wanted, self._wanted = self._wanted, None
        store, kind, key, based_on = self.store, self.kind, self.key, self.based_on
        if wanted is _DELETE:
            def work() -> object:
                store.discard(kind, key)
                return None
        else:
            assert isinstance(wanted, dict)

            def work() -> object:
                return store.save(kind, key, wanted, based_on=based_on)
        self._busy = True
        try:
            self._ctx.runner.submit(work, lane=Lane.READ, on_done=self._written, on_error=self._failed)
        except RuntimeError as exc:  # the app is shutting down: the draft on disk stays as it was
            self._busy = False
            log.warning("draft %s/%s not written: %s", kind, key, exc)

    def _written(self, result: object) -> None:
        self._busy = False
        if isinstance(result, Draft):
            self.writes += 1
        self._pump()

    def _failed(self, exc: BaseException) -> None:  # a full disk must not break the form: log, keep going
        log.warning("could not write draft %s/%s: %s", self.kind, self.key, exc)
        self._written(None)


KEEP, DISCARD, STAY = "keep", "discard", "stay"


def ask_keep_draft(parent: QWidget) -> str:
    """Closing a form with unsaved input: KEEP (close, keep a draft), DISCARD (close, throw the input away)
    or STAY (go on editing, the default)."""
    box = QMessageBox(QMessageBox.Icon.Question, "关闭表单",
                      "表单中有尚未保存的内容。要保留为草稿，下次打开时恢复吗？", parent=parent)
    keep = box.addButton("保留草稿", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("放弃修改", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("继续编辑", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    clicked = box.clickedButton()
    return KEEP if clicked is keep else DISCARD if clicked is discard else STAY
