"""Enumerated values from the wire that this version does not know (DESIGN §3).

A newer server may send a code added after this client was built (a fifth organization type, a 6A
grade).  Such a value is kept as it came, shown as 未知（code）, and reported by the service that read
it — never a crash, and never silently mapped to a known member.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class UnknownValue:
    """A code outside its enumeration; quacks like a member for display (``value``, ``label``)."""

    enum_name: str
    value: str

    @property
    def label(self) -> str:
        return f"未知（{self.value}）"


def parse_enum(enum_cls: type[E], raw: str) -> E | UnknownValue:
    """The member of ``enum_cls`` whose value is ``raw``, or an :class:`UnknownValue` carrying it."""
    try:
        return enum_cls(raw)
    except ValueError:
        return UnknownValue(enum_cls.__name__, raw)
