"""The roster as it stood on a day: kind and voting right then, not today's (DESIGN §2.0)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.domain.enums import MemberKind
from app.services.core.database import Database
from app.services.party import load_roster, members, roster_on
from app.services.party.dto import ExclusionInput, ProbationInput, RosterEntry

ACTOR = "u:test"
TODAY = date(2026, 3, 31)


@pytest.fixture
def branch(make_org: Callable[..., str], make_party: Callable[..., str]) -> tuple[str, str]:
    org = make_org("甲协会")
    return make_party("中共甲协会支部委员会", org), org


def _by_name(db: Database, party: str, day: date) -> dict[str, RosterEntry]:
    with db.session_factory() as session:
        return {entry.name: entry for entry in roster_on(session, party, day)}


def test_a_member_who_became_full_after_the_day_shows_probationary_without_a_vote(
        db: Database, branch: tuple[str, str], make_member: Callable[..., str]) -> None:
    party, org = branch
    member = make_member(party, org, "李预备", MemberKind.PROBATIONARY, date(2025, 1, 10))
    members.confirm_full(db.session_factory, member, date(2026, 1, 10), actor=ACTOR, today=TODAY)
    before = _by_name(db, party, date(2025, 12, 31))["李预备"]
    assert (before.kind, before.has_vote, before.vote_reason) == (MemberKind.PROBATIONARY, False, "预备党员，无表决权")
    after = _by_name(db, party, date(2026, 1, 10))["李预备"]
    assert (after.kind, after.kind_since, after.has_vote) == (MemberKind.FULL, date(2026, 1, 10), True)
    assert "李预备" not in _by_name(db, party, date(2025, 1, 9)), "not yet a member that day"


def test_probation_exclusion_and_relation_each_say_why_there_is_no_vote(
        db: Database, branch: tuple[str, str], make_member: Callable[..., str]) -> None:
    party, org = branch
    make_member(party, org, "赵正式")
    punished = make_member(party, org, "钱察看")
    members.add_probation(db.session_factory, punished, ProbationInput(date(2025, 6, 1), date(2026, 6, 1)),
                          actor=ACTOR, today=TODAY)
    away = make_member(party, org, "孙出国")
    members.add_exclusion(db.session_factory, away, ExclusionInput("出国学习半年以上", "上级党组织同意",
                                                                   date(2026, 2, 1), date(2026, 1, 1)), actor=ACTOR)
    make_member(party, org, "周未转", relation_in=False)
    roster = _by_name(db, party, date(2026, 3, 1))
    assert roster["赵正式"].has_vote and roster["赵正式"].relation_text == "已转入"
    assert roster["钱察看"].vote_reason == "留党察看期间，无表决权" and roster["钱察看"].on_probation
    assert roster["孙出国"].vote_reason.startswith("经批准不计入应到：出国学习半年以上")
    assert (roster["周未转"].relation_here, roster["周未转"].relation_text) == (False, "未转入")
    assert roster["周未转"].vote_reason == "组织关系不在本支部，不计入应到"
    earlier = _by_name(db, party, date(2026, 1, 15))  # the exclusion counts only from its approval
    assert earlier["孙出国"].has_vote


def test_a_member_transferred_out_leaves_the_roster_from_that_day(
        db: Database, branch: tuple[str, str], make_member: Callable[..., str]) -> None:
    party, org = branch
    member = make_member(party, org, "吴转出")
    members.transfer_out(db.session_factory, member, date(2026, 3, 1), actor=ACTOR, today=TODAY)
    assert _by_name(db, party, date(2026, 2, 28))["吴转出"].has_vote
    assert "吴转出" not in {e.name for e in load_roster(db.session_factory, party, day=date(2026, 3, 1))}
