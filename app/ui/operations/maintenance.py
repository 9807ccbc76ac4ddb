"""The daily maintenance after the first paint: ``quick_check`` (at most daily) and the daily backup.

Runs on the write lane, so a save submitted after it waits for the check, and once damage is found the
database refuses writes (``Database.health``).  Damage is shown in a message box with the way back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from app.ui.context import UiContext
from app.ui.tasks import Lane, TaskHandle

if TYPE_CHECKING:
    from app.services.core.integrity import Maintenance

# no app name: Qt appends the application display name to every window title on Windows and X11
DAMAGE_TITLE = "数据库已损坏"


def show_damage(parent: QWidget | None, text: str) -> None:
    QMessageBox.critical(parent, DAMAGE_TITLE, text)


def run_daily_maintenance(*, ctx: UiContext, parent: QWidget | None, then: Callable[[], object] | None = None,
                          report: Callable[[QWidget | None, str], None] = show_damage) -> TaskHandle:
    """``then`` runs on the UI thread afterwards if the database is sound (e.g. the facts refresh, which
    writes and so would only fail on a damaged database)."""
    from app.services.core import integrity  # after the first paint: nothing of it is needed before

    database = ctx.database

    def done(result: Maintenance) -> None:
        if result.damage:
            report(parent, integrity.damage_message(database.path, result.damage))
        elif then is not None:
            then()

    return ctx.runner.submit(lambda: integrity.daily_maintenance(database), lane=Lane.WRITE, on_done=done)
