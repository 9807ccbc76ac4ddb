"""The app-level "what changed" broadcast.

After a mutation succeeds, its operation emits one ``Change`` on the bus; every view decides for
itself whether what it shows is affected and refreshes only that.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

ORG_ENTITY = "social_org"


@dataclass(frozen=True)
class Change:
    """``entity`` is the table name on the wire (e.g. ``social_org``); ``origin`` names who started it."""

    entity: str
    ids: tuple[str, ...]
    origin: str = ""
    action: str = "update"  # create / update / archive / restore


class ChangeBus(QObject):
    changed = Signal(object)  # Change

    def publish(self, change: Change) -> None:
        self.changed.emit(change)
