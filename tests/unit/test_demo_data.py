"""Demo data: consistent counts, valid unique codes, one outbox entry per row, searchable, deterministic,
and faithful to the domain rules it is meant to show (party member counts, votes, rectification chain)."""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app import paths
from app.demo.base import add_years
from app.demo.data import DemoSummary, existing_org_count, seed_demo
from app.domain import uscc
from app.domain.branch_rules import TermState, term_status
from app.domain.enums import (
    AttendanceStatus,
    CommitteeRole,
    GuestRole,
    MeetingKind,
    MeetingStatus,
    MemberKind,
    OrgType,
    PartyOrgFormation,
    RectificationFollowUpKind,
    RectificationStatus,
    ReviewGrade,
    VisitMode,
    VisitStatus,
    VoteKind,
)
from app.domain.rectification_flow import Step, is_overdue, replay
from app.domain.votes import committee_quorum, quorum, vote_outcome
from app.domain.voting_rights import MemberRecord, voting_right
from app.models import (
    SYNCED_ENTITIES,
    Assignment,
    ChecklistAnswer,
    CommitteeMember,
    Instructor,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    OrgEvaluation,
    OutboxEntry,
    PartyGroup,
    PartyOrg,
    PartyOrgCoverage,
    PartyOrgTerm,
    Rectification,
    RectificationFollowUp,
    SocialOrg,
    Visit,
    Vote,
    VoteCandidate,
)
from app.services.core.database import Database, open_database
from app.services.core.errors import ValidationFailed
from app.services.meetings.attendance import meeting_counts, records_by_member
from app.services.orgs.dto import ArchivedFilter, LedgerFilter, LedgerSort
from app.services.orgs.ledger import query_ledger
from app.services.visits import all_checklists

TODAY = date(2026, 11, 21)
ORGS = 120
YEARS = 2


def _seed(path: Path, *, seed: int = 7, orgs: int = ORGS, years: int = YEARS) -> tuple[Database, DemoSummary]:
    """Seed the demo profile of a home folder named after ``path`` (demo data goes nowhere else)."""
    with paths.temporary_home(path.with_suffix("")):
        database = open_database(paths.database_path(paths.DEMO_PROFILE))
        return database, seed_demo(database.session_factory, orgs=orgs, years=years, seed=seed, today=TODAY,
                                   me="local")


@pytest.fixture
def demo_db() -> Iterator[Database]:
    """The demo profile's database under this test's DANGJIAN_HOME."""
    database = open_database(paths.database_path(paths.DEMO_PROFILE))
    yield database
    database.close()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, DemoSummary]]:
    database, summary = _seed(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    yield database, summary
    database.close()


def _all(database: Database, model: type) -> list:  # type: ignore[type-arg]
    with database.session_factory() as session:
        return list(session.execute(select(model)).scalars())


def test_summary_counts_are_the_table_counts(seeded: tuple[Database, DemoSummary]) -> None:
    database, summary = seeded
    tables = {"orgs": SocialOrg, "instructors": Instructor, "assignments": Assignment, "party_orgs": PartyOrg,
              "coverages": PartyOrgCoverage, "members": Member, "meetings": Meeting,
              "attendances": MeetingAttendance, "votes": Vote, "visits": Visit, "rectifications": Rectification,
              "follow_ups": RectificationFollowUp, "party_org_terms": PartyOrgTerm,
              "committee_members": CommitteeMember,
              "party_groups": PartyGroup, "guests": MeetingGuest, "vote_candidates": VoteCandidate}
    with database.session_factory() as session:
        for field, model in tables.items():
            assert session.execute(select(func.count()).select_from(model)).scalar_one() == getattr(summary, field)
    assert summary.orgs == ORGS == existing_org_count(database.session_factory)
    for field in ("party_orgs", "members", "meetings", "attendances", "visits", "checklist_answers", "findings",
                  "rectifications", "follow_ups", "inspections", "org_terms", "agenda_items", "evaluations",
                  "party_org_terms", "committee_members", "party_groups", "kind_changes", "probations",
                  "relation_changes", "expected_exclusions", "guests", "votes", "vote_candidates"):
        assert getattr(summary, field) > 0, field


def test_demo_data_never_enters_the_outbox(seeded: tuple[Database, DemoSummary]) -> None:
    """Regression: the 5,000-organization demo left 1,057,750 pending outbox entries (621 MB of 1.15 GB)."""
    database, summary = seeded
    with database.session_factory() as session:
        assert session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one() == 0
        for entity, model in SYNCED_ENTITIES.items():  # ... yet every row was written, complete
            rows = session.execute(select(model.updated_by, model.updated_at)).all()
            assert all(by == "demo" and at is not None for by, at in rows), entity
        assert session.execute(select(func.count()).select_from(PartyOrg)).scalar_one() == summary.party_orgs


@pytest.mark.parametrize(("child", "parent", "column"), [
    ("meeting_attendance", "meeting", "meeting_id"), ("meeting_attendance", "member", "member_id"),
    ("agenda_item", "meeting", "meeting_id"), ("vote", "meeting", "meeting_id"),
    ("member", "party_org", "party_org_id"), ("party_org_coverage", "party_org", "party_org_id"),
    ("party_org_term", "party_org", "party_org_id"), ("committee_member", "party_org_term", "term_id"),
    ("committee_member", "member", "member_id"), ("party_group", "party_org", "party_org_id"),
    ("member_kind_change", "member", "member_id"), ("member_probation", "member", "member_id"),
    ("member_relation_change", "member", "member_id"), ("meeting_guest", "meeting", "meeting_id"),
    ("vote_candidate", "vote", "vote_id"), ("meeting", "party_group", "party_group_id"),
])
def test_party_rows_share_their_parents_scope(seeded: tuple[Database, DemoSummary], child: str, parent: str,
                                              column: str) -> None:
    """Regression (issue item 2): scoped by the lead organization, 454 of 14,348 attendance rows pointed at a
    member in another scope and coverage rows of a 联合支部 had scopes of their own.  Now a party row is in
    the scope of the 党组织 it belongs to, and so are the rows it points at."""
    database, _ = seeded
    sql = text(f"SELECT count(*), sum(c.party_org_id IS NOT p.party_org_id) FROM {child} c "
               f"JOIN {parent} p ON p.id = c.{column}")
    with database.session_factory() as session:
        total, other_scope = session.execute(sql).one()
        assert total > 0 and other_scope == 0


def test_every_party_org_is_its_own_scope(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    with database.session_factory() as session:
        rows = session.execute(text("SELECT count(*), sum(id = party_org_id) FROM party_org")).one()
    assert rows[0] > 0 and rows[0] == rows[1]


def test_types_codes_and_categories(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    orgs: list[SocialOrg] = _all(database, SocialOrg)
    assert {o.org_type for o in orgs} >= {OrgType.SOCIAL_GROUP, OrgType.SOCIAL_SERVICE, OrgType.COMMUNITY_FILED}
    codes = [o.uscc for o in orgs if o.uscc]
    assert len(codes) == len(set(codes))
    for org in orgs:
        if org.org_type is OrgType.COMMUNITY_FILED:
            assert org.community_category
        else:
            assert org.uscc and not org.community_category
        if org.uscc:
            check = uscc.validate(org.uscc, org.org_type)
            assert check.severity is uscc.Severity.OK, (org.name, org.uscc, check.reason)
        assert org.founded_on is not None and org.founded_on < TODAY
        assert org.address.startswith("福州市鼓楼区") and org.sub_district and org.community
        assert org.name_initials and org.name_pinyin
    assert len({o.name for o in orgs}) == len(orgs)


def test_every_org_stores_the_pinyin_the_service_computes(seeded: tuple[Database, DemoSummary]) -> None:
    from app.services.orgs.search import pinyin_keys

    orgs = _all(seeded[0], SocialOrg)
    assert orgs and [o.name for o in orgs if (o.name_pinyin, o.name_initials) != pinyin_keys(o.name)] == []


def test_search_finds_a_seeded_org(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    orgs: list[SocialOrg] = _all(database, SocialOrg)
    target = next(o for o in orgs if o.org_type is OrgType.SOCIAL_SERVICE and o.archived_at is None)

    def found(query: str) -> tuple[str, ...]:
        return query_ledger(database.session_factory, LedgerFilter(text=query, archived=ArchivedFilter.ALL),
                            LedgerSort(), today=TODAY).ids

    for query in (target.name[-1], target.name[-2:], target.name_initials[-4:], target.name[-5:]):
        hits = found(query)
        assert target.id in hits, query
    assert len(found(target.name[-2:])) < ORGS


def _records(database: Database) -> dict[str, MemberRecord | None]:
    with database.session_factory() as session:
        records: dict[str, MemberRecord | None] = {}
        for branch in session.execute(select(PartyOrg)).scalars():
            records.update(records_by_member(session, branch.id))
        return records


def test_party_member_count_matches_members(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    members: list[Member] = _all(database, Member)
    per_org = Counter(m.org_id for m in members)
    coverage: list[PartyOrgCoverage] = _all(database, PartyOrgCoverage)
    covered = {c.org_id for c in coverage}
    orgs = {o.id: o for o in _all(database, SocialOrg)}
    assert covered and set(per_org) <= covered
    for org_id in covered:
        assert orgs[org_id].party_member_count == per_org[org_id]
    assert 0.05 < len(covered) / ORGS < 0.25
    per_branch: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        per_branch[m.party_org_id].append(m)
    records = _records(database)
    assert all(records[m.id] is not None for m in members)  # every member has a kind history
    for branch in _all(database, PartyOrg):
        roster = per_branch[branch.id]
        full = [m for m in roster if records[m.id].kind_on(TODAY) is MemberKind.FULL]  # type: ignore[union-attr]
        assert len(full) >= 3 and 3 <= len(roster) <= 30
        span = sum(1 for c in coverage if c.party_org_id == branch.id)
        assert span == 1 if branch.formation is PartyOrgFormation.SINGLE else 2 <= span <= 5


def test_terms_keep_their_history_and_committees_follow_the_branch_size(
        seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    records = _records(database)
    members = {m.id: m for m in _all(database, Member)}
    terms: dict[str, list[PartyOrgTerm]] = defaultdict(list)
    for term in _all(database, PartyOrgTerm):
        terms[term.party_org_id].append(term)
    committee: dict[str, list[CommitteeMember]] = defaultdict(list)
    for seat in _all(database, CommitteeMember):
        committee[seat.term_id].append(seat)
    states = Counter()
    for branch in _all(database, PartyOrg):
        history = sorted(terms[branch.id], key=lambda t: t.term_no)
        assert [t.term_no for t in history] == list(range(1, len(history) + 1))
        assert history[0].started_on == branch.established_on
        for before, after in itertools.pairwise(history):  # a 换届 ends a term and starts the next, nothing lost
            assert before.renewed_on == after.started_on and before.due_on <= add_years(after.started_on, 1)
        assert history[-1].renewed_on is None
        states[term_status(history[-1].due_on, TODAY).state] += 1
        for term in history:
            seats = committee[term.id]
            voters = [m for m in members.values() if m.party_org_id == branch.id
                      and voting_right(records[m.id], term.started_on).has_vote]  # type: ignore[arg-type]
            assert len(seats) == (1 if len(voters) < 7 else 3 if len(voters) < 15 else 5)
            assert [s.role for s in seats].count(CommitteeRole.SECRETARY) == 1
            assert all(members[s.member_id].party_org_id == branch.id for s in seats)
            assert all(voting_right(records[s.member_id], term.started_on).has_vote for s in seats)  # type: ignore[arg-type]
    assert states[TermState.NORMAL] and states[TermState.DUE_SOON] + states[TermState.EXPIRED] + states[
        TermState.OVERDUE]


def test_members_carry_dated_changes(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    records = [r for r in _records(database).values() if r is not None]
    assert any(r.kind_on(TODAY) is MemberKind.PROBATIONARY for r in records)
    confirmed = [c.on for r in records for c in r.kinds if c.kind is MemberKind.FULL]
    assert any(TODAY - timedelta(days=365) <= on <= TODAY for on in confirmed)  # 转正 in the last year
    assert any(r.probations for r in records) and any(r.relations for r in records)
    assert any(not r.relation_here_on(TODAY) for r in records)  # 组织关系 not transferred in
    groups: list[PartyGroup] = _all(database, PartyGroup)
    members: list[Member] = _all(database, Member)
    assert groups and {m.party_group_id for m in members if m.party_group_id} == {g.id for g in groups}
    by_id = {m.id: m for m in members}
    assert all(by_id[g.leader_member_id].party_group_id == g.id for g in groups if g.leader_member_id)


def test_meetings_follow_the_rules(seeded: tuple[Database, DemoSummary]) -> None:
    """Every meeting's attendance is one row per member with its snapshot and reasons, and every recorded
    vote is valid by the counts derived from those rows."""
    database, _ = seeded
    attendance: dict[str, list[MeetingAttendance]] = defaultdict(list)
    for row in _all(database, MeetingAttendance):
        attendance[row.meeting_id].append(row)
    records = _records(database)
    meetings: list[Meeting] = _all(database, Meeting)
    assert {m.kind for m in meetings} >= {MeetingKind.GENERAL_MEETING, MeetingKind.THEME_DAY,
                                          MeetingKind.PARTY_LECTURE, MeetingKind.LIFE_MEETING}
    assert {m.status for m in meetings} == {MeetingStatus.DRAFT, MeetingStatus.DONE}
    assert all(m.started_at.date() > TODAY - timedelta(days=14) for m in meetings if m.status is MeetingStatus.DRAFT)
    statuses: Counter[AttendanceStatus] = Counter()
    for meeting in meetings:
        rows = attendance[meeting.id]
        day = meeting.started_at.date()
        assert day <= TODAY
        assert len({r.member_id for r in rows}) == len(rows)  # one row per member
        for r in rows:
            statuses[r.status] += 1
            assert bool(r.absence_reason) == r.status.needs_reason
            if r.status is AttendanceStatus.OBSERVER:
                assert not r.had_vote
            else:  # the snapshot is the voting right on the meeting's day
                right = voting_right(records[r.member_id], day)  # type: ignore[arg-type]
                assert (r.had_vote, r.vote_note) == (right.has_vote, right.reason)
        if meeting.kind is MeetingKind.DEMOCRATIC_REVIEW:
            graded = [r for r in rows if r.review_grade is not None]
            assert sum(r.review_grade is ReviewGrade.EXCELLENT for r in graded) * 3 <= len(graded)
            assert all(records[r.member_id].kind_on(day) is MemberKind.FULL for r in graded)  # type: ignore[union-attr]
    assert set(statuses) == set(AttendanceStatus)
    _votes_are_valid(database, {m.id: m for m in meetings}, attendance)


def _votes_are_valid(database: Database, meetings: dict[str, Meeting],
                     attendance: dict[str, list[MeetingAttendance]]) -> None:
    candidates: dict[str, list[VoteCandidate]] = defaultdict(list)
    for candidate in _all(database, VoteCandidate):
        candidates[candidate.vote_id].append(candidate)
    votes: list[Vote] = _all(database, Vote)
    assert {v.kind for v in votes} >= {VoteKind.RESOLUTION, VoteKind.ELECTION, VoteKind.ADMIT, VoteKind.CONFIRM}
    with database.session_factory() as session:
        counts = {v.meeting_id: meeting_counts(session, v.meeting_id) for v in votes}
    for vote in votes:
        meeting, rows = meetings[vote.meeting_id], attendance[vote.meeting_id]
        expected, present = counts[vote.meeting_id]
        if meeting.kind is MeetingKind.COMMITTEE_MEETING:  # the committee members count
            seats = [r for r in rows if r.status is not AttendanceStatus.OBSERVER]
            here = sum(r.status is AttendanceStatus.PRESENT for r in seats)
            assert committee_quorum(len(seats), here).reached and 2 * vote.yes > len(seats)
            continue
        assert meeting.kind is MeetingKind.GENERAL_MEETING
        if vote.kind is VoteKind.ELECTION:
            assert quorum(expected, present, election=True).reached and candidates[vote.id]
            elected = [vote_outcome(expected, present, c.yes_votes, election=True).passed for c in candidates[vote.id]]
            assert elected.count(True) in (1, 3, 5) and elected.count(False) <= 1
            continue
        on_leave = sum(r.had_vote and r.status is AttendanceStatus.LEAVE for r in rows)
        assert vote.written_yes <= on_leave and (vote.written_yes == 0 or vote.kind.counts_written_opinions)
        assert (vote.subject_member_id is not None) == vote.kind.counts_written_opinions
        assert vote.yes + vote.no + vote.abstain == present
        assert vote_outcome(expected, present, vote.yes, written_yes=vote.written_yes).passed


def test_guests_are_recorded_with_their_role(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    guests: list[MeetingGuest] = _all(database, MeetingGuest)
    meetings = {m.id: m for m in _all(database, Meeting)}
    assert {g.role for g in guests} >= {GuestRole.LECTURER, GuestRole.SUPERIOR}
    for guest in guests:
        if guest.role is GuestRole.LECTURER:
            assert meetings[guest.meeting_id].kind is MeetingKind.PARTY_LECTURE
            assert meetings[guest.meeting_id].lecturer == guest.name and guest.unit


def test_rectifications_follow_the_status_chain(seeded: tuple[Database, DemoSummary]) -> None:
    """Each item's status is where its follow-ups, replayed by the flow's rule, lead; every follow-up is a
    step the flow allows, with its civil day and actor; some 延期 (later deadline, a reason), some failed
    re-checks, some open past their deadline (overdue)."""
    database, _ = seeded
    follow_ups: dict[str, list[RectificationFollowUp]] = defaultdict(list)
    for row in _all(database, RectificationFollowUp):
        follow_ups[row.rectification_id].append(row)
    rectifications: list[Rectification] = _all(database, Rectification)
    assert len({r.status for r in rectifications}) >= 3
    assert RectificationStatus.CLOSED in {r.status for r in rectifications}
    kinds: Counter[RectificationFollowUpKind] = Counter()
    overdue = 0
    for rect in rectifications:
        steps = sorted(follow_ups[rect.id], key=lambda f: f.at)
        replayed = replay(Step(f.kind, f.from_status, f.to_status, f.new_deadline) for f in steps)
        assert all(replayed.counted) and replayed.status is rect.status
        for step in steps:
            assert step.on_date is not None and rect.raised_on <= step.on_date <= TODAY and step.actor
            if step.kind is RectificationFollowUpKind.EXTEND:
                assert step.new_deadline is not None and step.new_deadline > rect.deadline and step.note
        kinds.update(f.kind for f in steps)
        assert rect.deadline > rect.raised_on and rect.requirement and rect.basis and rect.responsible_person
        overdue += is_overdue(rect.status, rect.deadline, replayed.extensions, TODAY)
    assert kinds[RectificationFollowUpKind.EXTEND] and kinds[RectificationFollowUpKind.REVIEW_FAIL] and overdue


def test_visits_are_answered_on_the_checklist_of_their_day(seeded: tuple[Database, DemoSummary]) -> None:
    database, _ = seeded
    versions = {c.version: {i.code: i.text for i in c.items} for c in all_checklists()}
    visits = {v.id: v for v in _all(database, Visit)}
    for answer in _all(database, ChecklistAnswer):
        visit = visits[answer.visit_id]
        assert versions[visit.checklist_version][answer.item_code] == answer.item_text
    done = [v for v in visits.values() if v.status is VisitStatus.DONE]
    on_site = [v for v in done if v.mode is VisitMode.ON_SITE]
    assert {v.checklist_version for v in on_site} == set(versions)  # old visits on 2024.1, this year's on 2026.1
    assert all(v.checklist_version == "2026.1" for v in on_site if v.visited_on.year == 2026)
    # done by yesterday: a visit recorded as done at 15:30 today is in the future before then
    assert all(v.visited_on < TODAY and v.started_at and v.ended_at and v.started_at < v.ended_at for v in done)
    assert any(v.surprise for v in on_site) and any(v.suggestions for v in done) and any(v.coordination for v in done)
    planned = [v for v in visits.values() if v.status is VisitStatus.PLANNED]
    assert planned and all(TODAY < v.visited_on <= TODAY + timedelta(days=35) for v in planned)


def test_same_seed_same_data_other_seed_other_data(tmp_path: Path) -> None:
    def content(path: Path, seed: int) -> tuple[DemoSummary, list[tuple[object, ...]]]:
        database, summary = _seed(path, seed=seed, orgs=40, years=1)
        with database.session_factory() as session:
            rows = session.execute(select(SocialOrg.name, SocialOrg.uscc, SocialOrg.founded_on, SocialOrg.address,
                                          SocialOrg.party_member_count).order_by(SocialOrg.name)).all()
        database.close()
        return summary, [tuple(r) for r in rows]

    first, again, other = (content(tmp_path / f"{n}.sqlite3", seed) for n, seed in enumerate((5, 5, 6)))
    assert first == again
    assert first[1] != other[1]


def test_a_second_seed_adds_without_duplicates(tmp_path: Path) -> None:
    database, _ = _seed(tmp_path / "twice.sqlite3", orgs=60, years=0)
    with paths.temporary_home(tmp_path / "twice"):
        second = seed_demo(database.session_factory, orgs=60, years=0, seed=7, today=TODAY, me="local")
    orgs: list[SocialOrg] = _all(database, SocialOrg)
    codes = [o.uscc for o in orgs if o.uscc]
    usernames = [i.username for i in _all(database, Instructor)]
    database.close()
    assert second.orgs == 60 and len(orgs) == 120
    assert len(codes) == len(set(codes))
    assert len({o.name for o in orgs}) == 120
    assert len(usernames) == len(set(usernames)) and "local" in usernames


def test_no_history_without_years(tmp_path: Path) -> None:
    database, summary = _seed(tmp_path / "bare.sqlite3", orgs=50, years=0)
    database.close()
    assert summary.orgs == 50 and summary.assignments > 0
    assert summary.meetings == summary.visits == summary.inspections == summary.rectifications == 0


def test_negative_counts_are_refused(db: Database) -> None:
    with pytest.raises(ValidationFailed):
        seed_demo(db.session_factory, orgs=-1, years=1)
    with pytest.raises(ValidationFailed):
        seed_demo(db.session_factory, orgs=1, years=-1)


def test_a_load_stopped_between_batches_leaves_every_saved_org_searchable(
    demo_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Cancel (or a crash) after some batches were committed: those organizations must be in the search
    index already, not waiting for an end-of-load rebuild that never comes."""
    from app.demo import base as demo_base
    from app.services.orgs.ledger import search_orgs

    original = demo_base.Writer.__init__

    def small_batches(self: demo_base.Writer, *args: object, **kwargs: object) -> None:
        original(self, *args, **{**kwargs, "batch_rows": 40})  # type: ignore[arg-type]

    def stop_at_history(stage: str, _done: int, _total: int) -> None:
        if stage == "三会一课":
            raise InterruptedError("已取消")

    monkeypatch.setattr(demo_base.Writer, "__init__", small_batches)
    with pytest.raises(InterruptedError):
        seed_demo(demo_db.session_factory, orgs=60, years=1, progress=stop_at_history)
    with demo_db.session_factory() as session:
        names = dict(session.execute(select(SocialOrg.id, SocialOrg.name).where(SocialOrg.deleted_at.is_(None))).all())
        indexed = set(session.execute(text("SELECT org_id FROM org_search_doc")).scalars())
    assert names, "some batches were committed before the stop"
    assert indexed == set(names)
    for org_id, name in itertools.islice(names.items(), 10):
        assert org_id in {hit.id for hit in search_orgs(demo_db.session_factory, name, limit=50)}


def test_the_ledger_trusts_the_facts_of_a_fresh_demo(seeded: tuple[Database, DemoSummary]) -> None:
    """The keepers derive coverage and listing as the demo is written, and the day is recorded: the ledger
    reads the derived columns at once instead of working every fact out from the rules (bench: 2-3× slower
    filters at 100,000 organizations without it)."""
    from app.services.orgs.facts import facts_fresh, refresh_derived_facts

    database, _ = seeded
    with database.session_factory() as session:
        assert facts_fresh(session, TODAY)
    with database.session_factory.begin() as session:  # forget the day: the refresh then checks every row
        session.execute(text("DELETE FROM sync_state WHERE key = 'org_facts_on'"))
    assert refresh_derived_facts(database.session_factory, today=TODAY) == 0  # and they were all right


def test_every_graded_organization_has_an_evaluation_history_ending_in_its_grade(
    seeded: tuple[Database, DemoSummary],
) -> None:
    database, summary = seeded
    with database.session_factory() as session:
        graded = {r.id: (r.evaluation_grade, r.evaluation_date) for r in session.execute(
            select(SocialOrg.id, SocialOrg.evaluation_grade, SocialOrg.evaluation_date)
            .where(SocialOrg.evaluation_grade.is_not(None)))}
        history: dict[str, list[tuple[date, object]]] = defaultdict(list)
        for row in session.execute(select(OrgEvaluation.org_id, OrgEvaluation.evaluated_on, OrgEvaluation.grade)):
            history[row.org_id].append((row.evaluated_on, row.grade))
    assert graded and set(history) == set(graded) and summary.evaluations >= len(graded)
    for org_id, (grade, evaluated_on) in graded.items():
        assert max(history[org_id], key=lambda item: item[0]) == (evaluated_on, grade)
