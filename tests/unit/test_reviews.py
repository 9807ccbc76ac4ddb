"""民主评议党员 grades (DESIGN §2): only 正式党员 graded, 优秀 at most 1/3 of them."""

from __future__ import annotations

from fractions import Fraction

from app.domain.enums import MemberKind, ReviewGrade
from app.domain.policy import Policy
from app.domain.reviews import ReviewEntry, check_review

FULL, PROBATIONARY = MemberKind.FULL, MemberKind.PROBATIONARY
EXCELLENT, QUALIFIED = ReviewGrade.EXCELLENT, ReviewGrade.QUALIFIED


def branch(excellent: int, qualified: int) -> list[ReviewEntry]:
    return ([ReviewEntry(f"优{i}", FULL, EXCELLENT) for i in range(excellent)]
            + [ReviewEntry(f"合{i}", FULL, QUALIFIED) for i in range(qualified)])


def test_a_third_of_those_graded_may_be_excellent() -> None:
    check = check_review(branch(3, 6))
    assert check.ok and (check.graded, check.excellent, check.excellent_max) == (9, 3, 3)


def test_excellent_above_a_third_is_refused_with_the_numbers() -> None:
    check = check_review(branch(4, 5))
    assert not check.ok
    assert check.problems == ("评为优秀 4 人，超过参评正式党员 9 人的三分之一（最多 3 人）",)
    assert check_review(branch(4, 6)).excellent_max == 3  # 10 graded: 3⅓, still 3
    assert check_review(branch(4, 8)).ok


def test_probationary_members_take_part_but_are_not_graded() -> None:
    entries = [*branch(3, 6), ReviewEntry("张伟", PROBATIONARY, None)]
    check = check_review(entries)
    assert check.ok and check.graded == 9
    graded = check_review([*branch(3, 6), ReviewEntry("张伟", PROBATIONARY, EXCELLENT)])
    assert graded.problems == ("张伟是预备党员，不评定等次：请去掉“优秀”",)


def test_every_full_member_gets_a_grade() -> None:
    check = check_review([*branch(1, 2), ReviewEntry("李强", FULL, None)])
    assert check.problems == ("正式党员李强尚未评定等次",)


def test_the_share_comes_from_the_policy() -> None:
    assert check_review(branch(4, 4), policy=Policy(excellent_share=Fraction(1, 2))).ok
    assert check_review(branch(5, 4), policy=Policy(excellent_share=Fraction(1, 2))).problems == (
        "评为优秀 5 人，超过参评正式党员 9 人的半数（最多 4 人）",)
