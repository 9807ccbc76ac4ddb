"""党组织 writes and reads: validation per field, coverage derived from the rows, 换届 kept as history with
the computed 届满 day, committee posts, 党小组, members, and the list's filters."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy import select, text

from app.domain.branch_rules import TermState
from app.domain.enums import CommitteeRole, MemberKind, PartyOrgFormation, PartyOrgLevel
from app.models import OutboxEntry, PartyOrgTerm
from app.services.core.database import Database
from app.services.core.errors import ValidationFailed
from app.services.orgs import assignments
from app.services.party import (
    groups,
    is_community_party_org,
    list_party_orgs,
    members,
    party_org_detail,
    party_orgs,
    terms,
)
from app.services.party.dto import CommitteePostInput, GroupInput, MemberInput, PartyOrgInput, TermInput

ACTOR = "u:test"
TODAY = date(2026, 3, 31)


def _coverage(db: Database, org_id: str) -> str:
    with db.session_factory() as session:
        return str(session.execute(text("SELECT derived_coverage FROM social_org WHERE id = :i"), {"i": org_id})
                   .scalar_one())


def test_a_bad_party_org_gets_a_chinese_message_per_field(db: Database, make_org: Callable[..., str],
                                                          make_party: Callable[..., str]) -> None:
    org_a, org_b = make_org("甲协会"), make_org("乙协会")
    make_party("中共甲协会支部委员会", org_a)
    bad = PartyOrgInput(name=" ", level=PartyOrgLevel.BRANCH, formation=PartyOrgFormation.SINGLE,
                        established_on=date(2027, 1, 1), org_ids=(org_a, org_b))
    with pytest.raises(ValidationFailed) as failed:
        party_orgs.create_party_org(db.session_factory, bad, actor=ACTOR, today=TODAY)
    assert set(failed.value.problems) == {"name", "established_on", "org_ids"}
    assert "单独组建的党组织只覆盖一个社会组织" in failed.value.problems["org_ids"]
    taken = PartyOrgInput(name="中共乙协会支部委员会", level=PartyOrgLevel.BRANCH,
                          formation=PartyOrgFormation.JOINT, org_ids=(org_a, org_b))
    with pytest.raises(ValidationFailed) as failed:
        party_orgs.create_party_org(db.session_factory, taken, actor=ACTOR, today=TODAY)
    assert failed.value.problems == {
        "org_ids": "“甲协会”已由“中共甲协会支部委员会”覆盖：请先在那个党组织中移除它，再在这里选择"}


def test_coverage_is_derived_from_the_rows_and_follows_an_edit(db: Database, make_org: Callable[..., str],
                                                               make_party: Callable[..., str]) -> None:
    org_a, org_b = make_org("甲协会"), make_org("乙协会")
    assert _coverage(db, org_a) == "NONE"
    party = make_party("中共东街联合支部委员会", org_a, formation=PartyOrgFormation.JOINT)
    assert _coverage(db, org_a) == "ORGANIZATION"
    detail = party_org_detail(db.session_factory, party, today=TODAY)
    data = PartyOrgInput(name=detail.name, level=detail.level, formation=detail.formation, org_ids=(org_b,))
    party_orgs.update_party_org(db.session_factory, party, data, actor=ACTOR, today=TODAY,
                                expected_updated_at=detail.updated_at)
    assert (_coverage(db, org_a), _coverage(db, org_b)) == ("NONE", "ORGANIZATION")


def test_a_joint_branch_over_five_organizations_is_warned(db: Database, make_org: Callable[..., str],
                                                          make_party: Callable[..., str]) -> None:
    orgs = [make_org(f"第{n}协会") for n in range(6)]
    party = make_party("中共东街联合支部委员会", *orgs, formation=PartyOrgFormation.JOINT)
    texts = [f.text for f in party_org_detail(db.session_factory, party, today=TODAY).findings]
    assert texts == ["联合党支部覆盖 6 个社会组织，超过 5 个，宜调整覆盖范围"]


def test_renewal_keeps_the_old_term_and_computes_the_due_day(db: Database, make_org: Callable[..., str],
                                                             make_party: Callable[..., str]) -> None:
    party = make_party("中共甲协会支部委员会", make_org("甲协会"))
    first = terms.start_term(db.session_factory, party, TermInput(date(2020, 5, 1)), actor=ACTOR, today=TODAY)
    second = terms.start_term(db.session_factory, party, TermInput(date(2023, 6, 1), "按期换届"), actor=ACTOR,
                              today=TODAY)
    detail = party_org_detail(db.session_factory, party, today=TODAY)
    assert [(t.term_no, t.started_on, t.due_on, t.renewed_on) for t in detail.terms] == [
        (2, date(2023, 6, 1), date(2026, 6, 1), None), (1, date(2020, 5, 1), date(2023, 5, 1), date(2023, 6, 1))]
    assert detail.current_term is not None and detail.current_term.id == second
    assert detail.current_term.status is not None and detail.current_term.status.state is TermState.DUE_SOON
    with db.session_factory() as session:
        assert session.get(PartyOrgTerm, first) is not None  # kept, not overwritten
        kinds = session.execute(select(OutboxEntry.op).where(OutboxEntry.record_id == first)).scalars().all()
    assert kinds, "the old term's change went through the outbox"
    with pytest.raises(ValidationFailed) as failed:
        terms.start_term(db.session_factory, party, TermInput(date(2023, 1, 1)), actor=ACTOR, today=TODAY)
    assert "须晚于第2届的开始日期" in failed.value.problems["started_on"]


def test_a_community_party_org_has_five_year_terms(db: Database, make_org: Callable[..., str],
                                                   make_party: Callable[..., str]) -> None:
    assert is_community_party_org("中共幸福社区委员会") and is_community_party_org("中共东村党支部")
    assert not is_community_party_org("中共东街街道社区社会组织联合支部委员会")
    party = make_party("中共幸福社区委员会", make_org("幸福社区居民议事会"))
    terms.start_term(db.session_factory, party, TermInput(date(2024, 1, 1)), actor=ACTOR, today=TODAY)
    detail = party_org_detail(db.session_factory, party, today=TODAY)
    assert detail.community and detail.terms[0].due_on == date(2029, 1, 1)


def test_committee_posts_one_secretary_at_a_time_and_the_setup_findings(
        db: Database, make_org: Callable[..., str], make_party: Callable[..., str],
        make_member: Callable[..., str]) -> None:
    org = make_org("甲协会")
    party = make_party("中共甲协会支部委员会", org)
    people = [make_member(party, org, f"党员{n}") for n in range(7)]
    term = terms.start_term(db.session_factory, party, TermInput(date(2024, 1, 1)), actor=ACTOR, today=TODAY)
    texts = [f.text for f in party_org_detail(db.session_factory, party, today=TODAY).findings]
    assert texts == ["正式党员 7 人，达到 7 人，应设立支部委员会（3 至 7 人）"]
    secretary = terms.add_committee_post(db.session_factory, term, CommitteePostInput(
        people[0], CommitteeRole.SECRETARY, date(2024, 1, 1)), actor=ACTOR)
    with pytest.raises(ValidationFailed) as failed:
        terms.add_committee_post(db.session_factory, term, CommitteePostInput(
            people[1], CommitteeRole.SECRETARY, date(2024, 2, 1)), actor=ACTOR)
    assert failed.value.problems == {"role": "本届已有书记在任：请先结束原书记的任职，再登记新书记"}
    with pytest.raises(ValidationFailed) as failed:
        terms.add_committee_post(db.session_factory, term, CommitteePostInput(
            people[1], CommitteeRole.MEMBER, date(2023, 2, 1)), actor=ACTOR)
    assert "任职日期须在第1届任期内" in failed.value.problems["first_day"]
    for person in people[1:3]:
        terms.add_committee_post(db.session_factory, term, CommitteePostInput(
            person, CommitteeRole.MEMBER, date(2024, 1, 1)), actor=ACTOR)
    detail = party_org_detail(db.session_factory, party, today=TODAY)
    assert detail.findings == ()
    assert [p.role for p in detail.committee] == [CommitteeRole.SECRETARY, CommitteeRole.MEMBER, CommitteeRole.MEMBER]
    terms.end_committee_post(db.session_factory, secretary, date(2025, 12, 31), actor=ACTOR)
    terms.add_committee_post(db.session_factory, term, CommitteePostInput(
        people[3], CommitteeRole.SECRETARY, date(2026, 1, 1)), actor=ACTOR)
    assert list_party_orgs(db.session_factory, today=TODAY)[0].secretary == "党员3"


def test_groups_add_rename_dissolve(db: Database, make_org: Callable[..., str], make_party: Callable[..., str],
                                    make_member: Callable[..., str]) -> None:
    org = make_org("甲协会")
    party = make_party("中共甲协会支部委员会", org)
    leader = make_member(party, org, "组长")
    group = groups.add_group(db.session_factory, party, GroupInput("第一党小组", leader), actor=ACTOR)
    with pytest.raises(ValidationFailed) as failed:
        groups.add_group(db.session_factory, party, GroupInput("第一党小组"), actor=ACTOR)
    assert failed.value.problems == {"name": "本党组织已有“第一党小组”，请换一个名称"}
    groups.update_group(db.session_factory, group, GroupInput("老年党小组", leader), actor=ACTOR)
    info = party_org_detail(db.session_factory, party, today=TODAY).groups[0]
    assert (info.name, info.leader_name, info.members) == ("老年党小组", "组长", 1)
    assert groups.dissolve_group(db.session_factory, group, date(2026, 3, 1), actor=ACTOR) == 1
    info = party_org_detail(db.session_factory, party, today=TODAY).groups[0]
    assert info.dissolved and info.members == 0


def test_a_bad_member_gets_a_message_per_field_and_an_edit_adds_a_dated_row(
        db: Database, make_org: Callable[..., str], make_party: Callable[..., str]) -> None:
    org, other = make_org("甲协会"), make_org("乙协会")
    party = make_party("中共甲协会支部委员会", org)
    bad = MemberInput(name="", org_id=other, kind=MemberKind.FULL, kind_since=None, birth_year=1800,
                      phone="abc", gender="未知")
    with pytest.raises(ValidationFailed) as failed:
        members.add_member(db.session_factory, party, bad, actor=ACTOR, today=TODAY)
    assert set(failed.value.problems) == {"name", "org_id", "kind_since", "birth_year", "phone", "gender"}
    good = MemberInput(name="李明", org_id=org, kind=MemberKind.PROBATIONARY, kind_since=date(2025, 3, 1),
                       joined_on=date(2025, 3, 1), birth_year=1990, phone="13812345678", gender="男")
    member = members.add_member(db.session_factory, party, good, actor=ACTOR, today=TODAY)
    loaded, updated_at = members.load_member(db.session_factory, member)
    assert loaded == good
    full = MemberInput(**{**loaded.__dict__, "kind": MemberKind.FULL, "kind_since": date(2026, 3, 1)})
    members.update_member(db.session_factory, member, full, actor=ACTOR, expected_updated_at=updated_at, today=TODAY)
    counts = list_party_orgs(db.session_factory, today=TODAY)[0]
    assert (counts.full_members, counts.probationary_members) == (1, 0)
    earlier = list_party_orgs(db.session_factory, today=date(2026, 2, 1))[0]
    assert (earlier.full_members, earlier.probationary_members) == (0, 1)
    with pytest.raises(ValidationFailed) as failed:
        members.confirm_full(db.session_factory, member, date(2026, 3, 5), actor=ACTOR, today=TODAY)
    assert failed.value.problems == {"on": "李明目前不是预备党员，无需转正"}


def test_the_list_filters_by_text_and_by_mine(db: Database, make_org: Callable[..., str],
                                              make_party: Callable[..., str]) -> None:
    org_a, org_b = make_org("甲协会"), make_org("乙商会")
    make_party("中共甲协会支部委员会", org_a)
    make_party("中共东街联合支部委员会", org_b, formation=PartyOrgFormation.JOINT)
    found = list_party_orgs(db.session_factory, query="商会", today=TODAY)
    assert [s.name for s in found] == ["中共东街联合支部委员会"]
    assert list_party_orgs(db.session_factory, mine=True, user="local", today=TODAY) == ()
    assignments.mark_mine(db.session_factory, [org_a], True, actor=ACTOR, user="local", today=TODAY)
    mine = list_party_orgs(db.session_factory, mine=True, user="local", today=TODAY)
    assert [(s.name, s.mine, s.term_text) for s in mine] == [("中共甲协会支部委员会", True, "未录入任期")]
