"""Switching profiles inside the running app (DESIGN §3): open the other profile's database off the UI
thread, hand every part of the window the new context, then close the old database on the write lane
(after every write already queued on it).  The demo profile can be left in one click and deleted in one
action; a real profile is never deleted here.  With an ``InstanceGuard`` the profile's lock moves with the
switch: the new profile's is taken before its database opens (refused while another window has it), the old
one's is released once its database is closed."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app import paths
from app.services.core import profiles
from app.services.core.app_lock import ProfileInUseError
from app.services.core.db_handle import Database
from app.services.core.identity import current_actor
from app.ui.context import UiContext
from app.ui.instance import InstanceGuard
from app.ui.tasks import Lane, OnError

Then = Callable[[], None]


def _open(profile: str) -> Database:
    from app.services.core.database import open_database  # SQLAlchemy: not needed for the first paint

    return open_database(paths.database_path(profile))


class ProfileSwitcher(QObject):
    """Owns which profile is open; ``switched(ctx)`` tells the window to rebuild around the new context."""

    switched = Signal(object)  # UiContext

    def __init__(self, ctx: UiContext, parent: QObject | None = None, *, guard: InstanceGuard | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.guard = guard
        self.previous = paths.DEFAULT_PROFILE if ctx.is_demo else ctx.profile  # "my data"
        self.busy = False

    def open_profile(self, profile: str, *, then: Then | None = None, on_error: OnError | None = None) -> None:
        """Open ``profile`` (creating its database if new); ``then()`` runs once the window shows it."""
        if profile == self.ctx.profile:
            if then is not None:
                then()
            return
        self.busy = True

        def opened(database: Database) -> None:
            self._install(profile, database)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self.busy = False
            if self.guard is not None and profile != self.ctx.profile:
                self.guard.release(profile)
            handler: OnError | None = on_error or getattr(self.ctx.runner, "default_error", None)
            if handler is None:
                raise exc
            handler(exc)

        if self.guard is not None:
            try:
                self.guard.claim(profile)
            except ProfileInUseError as exc:  # another window has that profile open
                failed(exc)
                return
        self.ctx.runner.submit(lambda: _open(profile), lane=Lane.WRITE, on_done=opened, on_error=failed)

    def back_to_my_data(self, *, then: Then | None = None, on_error: OnError | None = None) -> None:
        self.open_profile(self.previous, then=then, on_error=on_error)

    def delete_demo(self, *, then: Then | None = None, on_error: OnError | None = None) -> None:
        """Go back to my data, close the demo database, then delete the demo profile's folder."""

        def delete() -> None:
            self.ctx.runner.submit(profiles.delete_demo_profile, lane=Lane.WRITE,  # after the close
                                   on_done=lambda _deleted: then() if then is not None else None,
                                   on_error=on_error)

        if self.ctx.is_demo:
            self.back_to_my_data(then=delete, on_error=on_error)
        else:
            delete()

    def _install(self, profile: str, database: Database) -> None:
        old = self.ctx
        if not old.is_demo:
            self.previous = old.profile
        paths.set_active_profile(profile)  # current_user() / current_actor() answer what is open
        self.ctx = dataclasses.replace(old, database=database, profile=profile, actor=current_actor())
        self.busy = False
        self.switched.emit(self.ctx)
        lock = self.guard.detach(old.profile) if self.guard is not None and old.profile != profile else None

        def close_old() -> None:  # after every write queued on it; then another window may open that profile
            old.database.close()
            if lock is not None:
                lock.release()

        old.runner.submit(close_old, lane=Lane.WRITE)

    def reopen(self, database: Database) -> None:
        """The open profile's database replaced by ``database`` (a restore): the window rebuilds around it,
        the old engine is closed; the profile's lock stays held."""
        self._install(self.ctx.profile, database)
