"""民主评议党员: the grades and their rules (DESIGN §2, 关于党员民主评议的规定).

Only 正式党员 are graded (优秀 / 合格 / 基本合格 / 不合格); 预备党员 take part but are not graded.  优秀
may be at most a share (national default 1/3) of the 正式党员 graded.  The member's kind is the one at the
review (the snapshot), not today's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from app.domain.enums import MemberKind, ReviewGrade
from app.domain.policy import NATIONAL, Policy
from app.domain.wording import share_words

__all__ = ["GRADE_LABELS", "ReviewCheck", "ReviewEntry", "check_review"]

GRADE_LABELS = {
    ReviewGrade.EXCELLENT: "优秀",
    ReviewGrade.QUALIFIED: "合格",
    ReviewGrade.BASICALLY_QUALIFIED: "基本合格",
    ReviewGrade.UNQUALIFIED: "不合格",
}


@dataclass(frozen=True)
class ReviewEntry:
    """One member at a 民主评议: the kind at the review and the grade given (None: not graded)."""

    name: str
    kind: MemberKind
    grade: ReviewGrade | None


@dataclass(frozen=True)
class ReviewCheck:
    """What is wrong with a set of grades; a review with ``problems`` cannot be marked 完成."""

    graded: int  # 正式党员 given a grade
    excellent: int
    excellent_max: int
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_review(entries: Sequence[ReviewEntry], *, policy: Policy = NATIONAL) -> ReviewCheck:
    """Check the grades of one 民主评议: 预备党员 not graded, every 正式党员 graded, 优秀 within the share."""
    share = policy.excellent_share
    problems: list[str] = []
    for entry in entries:
        if entry.kind is MemberKind.PROBATIONARY and entry.grade is not None:
            problems.append(f"{entry.name}是预备党员，不评定等次：请去掉“{GRADE_LABELS[entry.grade]}”")
        elif entry.kind is MemberKind.FULL and entry.grade is None:
            problems.append(f"正式党员{entry.name}尚未评定等次")
    full = [entry for entry in entries if entry.kind is MemberKind.FULL and entry.grade is not None]
    excellent = sum(1 for entry in full if entry.grade is ReviewGrade.EXCELLENT)
    excellent_max = math.floor(share * len(full))
    if excellent > excellent_max:
        problems.append(f"评为优秀 {excellent} 人，超过参评正式党员 {len(full)} 人的{share_words(share)}"
                        f"（最多 {excellent_max} 人）")
    return ReviewCheck(len(full), excellent, excellent_max, tuple(problems))
