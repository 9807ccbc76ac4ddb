"""Frozen DTOs of an organization's own records: 年检/年报, 信用记录, 换届, 评估, and 我负责的组织.

The UI fills an ``*Input`` and gets ``OrgRecord`` values back; it never sees ORM objects.  Enums are
re-exported here so ``app.ui`` need not import ``app.models`` or ``app.domain``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import TypeAlias

from app.domain.enums import CreditListKind, EvaluationGrade, InspectionResult

__all__ = [
    "CreditInput", "CreditListKind", "EvaluationGrade", "EvaluationInput", "InspectionInput", "InspectionResult",
    "MarkResult", "OrgRecord", "PlaceChoices", "RecordInput", "RecordKind", "TermInput",
]


class RecordKind(StrEnum):
    """The kinds of record an organization's window lists, each a tab."""

    INSPECTION = "annual_inspection"  # 年检/年报 (values are the tables' names on the wire)
    CREDIT = "credit_listing"  # 异常名录 / 严重违法失信名单
    TERM = "org_term"  # 社会组织换届
    EVALUATION = "org_evaluation"  # 评估

    @property
    def label(self) -> str:
        return {"annual_inspection": "年检年报", "credit_listing": "信用记录", "org_term": "换届",
                "org_evaluation": "评估"}[self.value]


@dataclass(frozen=True)
class InspectionInput:
    """年检/年报 of one year (the 2025 年度 inspection is held in 2026)."""

    year: int | None
    result: InspectionResult | None
    note: str = ""


@dataclass(frozen=True)
class CreditInput:
    """A listing on 活动异常名录 or 严重违法失信名单; ``removed_on`` once it was taken off."""

    kind: CreditListKind | None
    listed_on: date | None
    reason: str = ""
    removed_on: date | None = None


@dataclass(frozen=True)
class TermInput:
    """The organization's own board term (第N届理事会), not the party branch's."""

    term_no: int | None
    started_on: date | None
    ends_on: date | None
    note: str = ""


@dataclass(frozen=True)
class EvaluationInput:
    """One 社会组织评估: the grade given and the day it was given."""

    grade: EvaluationGrade | None
    evaluated_on: date | None
    note: str = ""


RecordInput: TypeAlias = InspectionInput | CreditInput | TermInput | EvaluationInput


@dataclass(frozen=True)
class OrgRecord:
    """One saved record of an organization, of the kind its ``data`` says."""

    id: str
    org_id: str
    kind: RecordKind
    data: RecordInput
    updated_at: datetime


@dataclass(frozen=True)
class MarkResult:
    """What a bulk 标记为我负责的 / 取消 did: the organizations whose assignment changed, and how many
    already were (or were not) the user's."""

    changed: tuple[str, ...]
    unchanged: int


@dataclass(frozen=True)
class PlaceChoices:
    """The distinct 街道 and 社区 in the ledger (社区 of the chosen 街道 only, when one is chosen), in pinyin
    order; ``pairs`` holds every (街道, 社区) present, so a list can narrow without asking again."""

    sub_districts: tuple[str, ...]
    communities: tuple[str, ...]
    pairs: tuple[tuple[str, str], ...] = ()

    def communities_in(self, sub_district: str) -> tuple[str, ...]:
        """The 社区 of ``sub_district`` ("" = every 社区), in the same order as ``communities``."""
        if not sub_district:
            return tuple(dict.fromkeys(c for _s, c in self.pairs if c))
        return tuple(dict.fromkeys(c for s, c in self.pairs if c and s == sub_district))
