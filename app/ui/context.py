"""What every operation needs: the open database, the task runner, the change bus and who is acting."""

from __future__ import annotations

from dataclasses import dataclass

from app.services.core.database import Database
from app.ui.bus import ChangeBus
from app.ui.tasks import Runner


@dataclass(frozen=True)
class UiContext:
    database: Database
    runner: Runner
    bus: ChangeBus
    actor: str
