"""What an 更新 row changes: per field, its label and the saved and the file's value as a user reads them
("联系电话：0591-8765 4321 → 13800000000"), so a re-imported older file cannot quietly undo edits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from app.domain.unknown_values import UnknownValue

SHOWN_MAX = 24  # characters of a value shown before it is cut with "…"
EMPTY = "（空）"


def shown(value: object, limit: int = SHOWN_MAX) -> str:
    """A field's value as the preview shows it: dates YYYY-MM-DD, 是/否, type labels; long text cut."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, date):
        text = value.isoformat()
    elif isinstance(value, UnknownValue):
        text = value.label
    elif isinstance(value, Enum):
        text = str(getattr(value, "label", value.value))
    else:
        text = " ".join(str(value).split())  # a note's line breaks on one line
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class FieldChange:
    label: str  # the column's header, e.g. 联系电话
    old: object  # what the ledger holds
    new: object  # what the file brings

    def __str__(self) -> str:
        return f"{self.label}：{shown(self.old)} → {shown(self.new)}"


def describe(changes: tuple[FieldChange, ...]) -> str:
    """"联系电话：0591-8765 4321 → 13800000000；地址：（空） → 东街 8 号"."""
    return "；".join(str(change) for change in changes)
