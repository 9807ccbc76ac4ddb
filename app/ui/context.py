"""What every operation needs: the open database (of which profile), the task runner, the change bus and who
is acting."""

from __future__ import annotations

from dataclasses import dataclass

from app import paths
from app.services.core.db_handle import Database
from app.ui.bus import ChangeBus
from app.ui.tasks import Runner


@dataclass(frozen=True)
class UiContext:
    database: Database
    runner: Runner
    bus: ChangeBus
    actor: str
    profile: str = paths.DEFAULT_PROFILE  # whose data ``database`` holds (``demo``: demo data)

    @property
    def is_demo(self) -> bool:
        return paths.is_demo_profile(self.profile)
