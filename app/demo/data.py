"""Demo data for a street of 福州市鼓楼区: organizations, coverage, 三会一课, visits and 整改 (``seed-demo``).

Deterministic for a given ``seed`` and ``today`` (ids are fresh UUIDv7s, so two seeded databases never
share records).  Every synced row is written through :func:`app.services.core.outbox.bulk_load` without
an outbox entry (demo data is never synced), in batched transactions; the search index is rebuilt at the end.
A database that already holds organizations gets more, never a duplicate name or 统一社会信用代码.

Built for scale: 100,000 organizations without history in well under a minute (Core inserts, pinyin
per name part, no ORM objects).  Runs on the calling thread (the CLI, the bench; a worker in the GUI).
"""

from __future__ import annotations

import dataclasses
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, sessionmaker

from app import paths
from app.demo.base import DemoContext, Progress, Writer, add_years
from app.demo.meetings import emit_meetings
from app.demo.names import STREET_NAMES
from app.demo.notices import emit_notices
from app.demo.orgs import OrgMaker, OrgStub, emit_org_facts
from app.demo.party import PartyPlanner, emit_branches
from app.demo.visits import AssignedOrg, emit_visits
from app.models import (
    AgendaItem,
    AnnualInspection,
    Assignment,
    ChecklistAnswer,
    CommitteeMember,
    CreditListing,
    Finding,
    Instructor,
    Meeting,
    MeetingAttendance,
    MeetingGuest,
    Member,
    MemberExpectedExclusion,
    MemberKindChange,
    MemberProbation,
    MemberRelationChange,
    OrgEvaluation,
    OrgTerm,
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
    new_id,
)
from app.services.core import clock
from app.services.core.backups import DEMO_DATA_KEY
from app.services.core.errors import ServiceError, ValidationFailed
from app.services.orgs import facts, search

# The stages ``progress`` reports, in order, with the share of the whole load each one takes
# (measured on a 300 × 3-year load: 4 / 1 / 33 / 51 / 5 / 0 %, rounded up so every stage shows);
# ``overall_percent`` maps a stage's done/total onto 0-100.
STAGES: tuple[tuple[str, int], ...] = (
    ("社会组织", 5), ("党组织与党员", 2), ("三会一课", 35), ("走访与整改", 50), ("写入数据库", 6),
    ("搜索索引", 2), ("完成", 0),
)
ORGS_PER_INSTRUCTOR = 25
ASSIGNED_SHARE = 0.9  # 工作覆盖: most organizations have an instructor


@dataclass(frozen=True)
class DemoSummary:
    """How many rows of each kind were added."""

    orgs: int
    instructors: int
    assignments: int
    party_orgs: int
    coverages: int
    members: int
    party_org_terms: int
    committee_members: int
    party_groups: int
    kind_changes: int
    probations: int
    relation_changes: int
    expected_exclusions: int
    org_terms: int
    inspections: int
    credit_listings: int
    evaluations: int
    meetings: int
    attendances: int
    guests: int
    agenda_items: int
    votes: int
    vote_candidates: int
    visits: int
    checklist_answers: int
    findings: int
    rectifications: int
    follow_ups: int
    notices: int = 0  # written after the rest (app.demo.notices), over what the rest wrote

    @property
    def total_rows(self) -> int:
        return sum(dataclasses.astuple(self))


_SUMMARY_TABLES = {
    "orgs": SocialOrg, "instructors": Instructor, "assignments": Assignment, "party_orgs": PartyOrg,
    "coverages": PartyOrgCoverage, "members": Member, "party_org_terms": PartyOrgTerm,
    "committee_members": CommitteeMember, "party_groups": PartyGroup, "kind_changes": MemberKindChange,
    "probations": MemberProbation, "relation_changes": MemberRelationChange,
    "expected_exclusions": MemberExpectedExclusion, "org_terms": OrgTerm, "inspections": AnnualInspection,
    "credit_listings": CreditListing, "evaluations": OrgEvaluation, "meetings": Meeting,
    "attendances": MeetingAttendance, "guests": MeetingGuest, "agenda_items": AgendaItem, "votes": Vote,
    "vote_candidates": VoteCandidate, "visits": Visit,
    "checklist_answers": ChecklistAnswer, "findings": Finding, "rectifications": Rectification,
    "follow_ups": RectificationFollowUp,
}


class _Assigned(NamedTuple):
    stub: OrgStub
    instructor_id: str
    since: date


def seed_demo(factory: sessionmaker[Session], *, orgs: int, years: int, seed: int = 2026,
              today: date | None = None, progress: Progress | None = None, actor: str = "demo",
              me: str | None = None) -> DemoSummary:
    """Add ``orgs`` demo organizations with ``years`` years of history ending ``today``.

    Writes only into the demo profile's database (NotADemoDatabase otherwise).  ``progress(stage, done,
    total)`` is called whenever a stage of ``STAGES`` moves by 1 % (it may raise to stop the load between
    items; batches already committed stay, so the caller deletes the partial demo); ``me`` names the
    username of the first instructor (the signed-in user, so "my organizations" is not empty).  Raises
    ValidationFailed on a negative count.
    """
    if orgs < 0 or years < 0:
        raise ValidationFailed({"orgs" if orgs < 0 else "years": "组织数和年数不能为负数"})
    require_demo_database(factory)
    mark_demo_data(factory)
    _set_state(factory, DEMO_LOAD_KEY, LOAD_RUNNING)  # until the end: a load killed half-way is known as such
    names, codes, usernames = _taken(factory)
    writer = Writer(factory, actor=actor)
    ctx = DemoContext(random.Random(seed), today or clock.today(), years, writer, progress)
    instructors = _instructors(ctx, orgs, usernames, me)
    maker, planner = OrgMaker(ctx, names, codes), PartyPlanner(ctx)
    assigned: list[_Assigned] = []
    for n in range(orgs):
        row, stub = maker.make()
        row["party_member_count"] = planner.members_of(stub)
        writer.add(SocialOrg, row)
        maker.emit_evaluation_history(row)
        emit_org_facts(ctx, stub)
        assignment = _assign(ctx, stub, instructors)
        if assignment is not None:
            assigned.append(assignment)
        ctx.report("社会组织", n + 1, orgs)
    planned = planner.finish()
    branches = emit_branches(ctx, planned)
    for n, branch in enumerate(branches):
        emit_meetings(ctx, branch)
        ctx.report("三会一课", n + 1, len(branches))
    covered = {stub.id for plan in planned for stub, _ in plan.covered}
    _visits(ctx, assigned, covered)
    ctx.report("写入数据库", 0, 1)
    writer.flush()
    notices = emit_notices(factory, today=ctx.today, seed=seed, actor=actor) if years else 0
    ctx.report("搜索索引", 0, 1)
    with factory.begin() as session:
        search.optimize_index(session)
    # the keepers derived coverage and listing as rows arrived; recording the day lets the ledger trust them
    facts.refresh_derived_facts(factory, today=ctx.today)
    _set_state(factory, DEMO_LOAD_KEY, LOAD_DONE)
    ctx.report("完成", 1, 1)
    return DemoSummary(**{key: writer.counts[model.__tablename__]
                          for key, model in _SUMMARY_TABLES.items()}, notices=notices)


def overall_percent(stage: str, done: int, total: int) -> int:
    """Where the whole load is (0-100) when ``stage`` has done ``done`` of ``total``."""
    before = 0
    for name, share in STAGES:
        if name == stage:
            return min(100, before + (share * done // total if total > 0 else 0))
        before += share
    return 100 if stage == "完成" else before


DEMO_LOAD_KEY = "demo_load"  # sync_state: LOAD_RUNNING while a load runs, LOAD_DONE once it has finished
LOAD_RUNNING, LOAD_DONE = "running", "done"


class NotADemoDatabase(ServiceError):
    """Demo data may be written only into the demo profile's database."""


def mark_demo_data(factory: sessionmaker[Session]) -> None:
    """Say in the file that it holds demo data (before any is written: a cancelled load is demo data too),
    so its backups are never restored into a real profile (backups.restore_from)."""
    _set_state(factory, DEMO_DATA_KEY, "1")


def _set_state(factory: sessionmaker[Session], key: str, value: str) -> None:
    with factory.begin() as session:
        session.execute(text("INSERT INTO sync_state (key, value) VALUES (:k, :v) "
                             "ON CONFLICT (key) DO UPDATE SET value = excluded.value"), {"k": key, "v": value})


def load_interrupted(factory: sessionmaker[Session]) -> bool:
    """True when a load into this demo database started and never finished (the app was closed or killed
    during it): what it holds is a part of the demo, to be deleted and loaded again.  Read-only."""
    with factory() as session:
        state = session.execute(text("SELECT value FROM sync_state WHERE key = :k"), {"k": DEMO_LOAD_KEY}).scalar()
    return state == LOAD_RUNNING


def require_demo_database(factory: sessionmaker[Session]) -> None:
    """Raise NotADemoDatabase unless ``factory`` writes to a database file inside the demo profile folder."""
    bind = factory.kw.get("bind")
    location = getattr(getattr(bind, "url", None), "database", None)
    if not location or not paths.in_demo_profile(Path(location)):
        raise NotADemoDatabase(
            f"演示数据只能写入演示数据用户配置的文件夹 {paths.profile_dir(paths.DEMO_PROFILE)}，"
            f"不能写入 {location or '内存数据库'}：请用 python -m app seed-demo，或在图形界面中打开演示数据。")


def existing_org_count(factory: sessionmaker[Session]) -> int:
    """How many organizations (not deleted) the database already holds.  Read-only; any thread."""
    with factory() as session:
        return session.execute(
            select(func.count()).select_from(SocialOrg).where(SocialOrg.deleted_at.is_(None))
        ).scalar_one()


def _taken(factory: sessionmaker[Session]) -> tuple[set[str], set[str], set[str]]:
    """Names, codes and usernames already in the database (a second seed must not repeat them)."""
    with factory() as session:
        names = set(session.execute(select(SocialOrg.name)).scalars())
        codes = set(session.execute(select(SocialOrg.uscc).where(SocialOrg.uscc != "")).scalars())
        usernames = set(session.execute(select(Instructor.username)).scalars())
    return names, codes, usernames


def _instructors(ctx: DemoContext, orgs: int, taken: set[str], me: str | None) -> dict[str, list[str]]:
    """A handful of 党建指导员 per 街道; returns 街道 -> instructor ids."""
    if orgs == 0:
        return {}
    count = max(3, round(orgs / ORGS_PER_INSTRUCTOR))
    by_street: dict[str, list[str]] = {}
    number = 0
    now = clock.now()
    for i in range(count):
        username = me if i == 0 and me and me not in taken else ""
        while not username or username in taken:
            number += 1
            username = f"zdy{number:04d}"
        taken.add(username)
        street = STREET_NAMES[i % len(STREET_NAMES)]
        instructor_id = new_id()
        by_street.setdefault(street, []).append(instructor_id)
        ctx.writer.add_instructor({
            "id": instructor_id, "server_version": 0, "deleted_at": None, "updated_at": now,
            "updated_by": ctx.writer.actor, "username": username, "name": ctx.person()[0], "phone": ctx.mobile(),
            "sub_district": street,
        })
    return by_street


def _assign(ctx: DemoContext, stub: OrgStub, instructors: dict[str, list[str]]) -> _Assigned | None:
    rng, today = ctx.rng, ctx.today
    if stub.archived or rng.random() > ASSIGNED_SHARE or not instructors:
        return None
    pool = instructors.get(stub.street) or [i for ids in instructors.values() for i in ids]
    instructor_id = rng.choice(pool)
    earliest = max(stub.founded_on, add_years(today, -8))
    since = min(ctx.date_between(earliest, today - timedelta(days=14)) for _ in range(2))
    ctx.writer.add(Assignment, {"id": new_id(), "org_id": stub.id, "instructor_id": instructor_id,
                                "since": since, "until": None})
    return _Assigned(stub, instructor_id, since)


def _visits(ctx: DemoContext, assigned: list[_Assigned], covered: set[str]) -> None:
    if not ctx.years:
        return
    diligence: dict[str, float] = {}
    for n, item in enumerate(assigned):
        if item.instructor_id not in diligence:
            diligence[item.instructor_id] = ctx.rng.uniform(0.45, 0.95)
        rate = diligence[item.instructor_id]
        org = AssignedOrg(item.stub.id, item.stub.founded_on, item.instructor_id, item.since, item.stub.id in covered)
        emit_visits(ctx, org, rate)
        ctx.report("走访与整改", n + 1, len(assigned))
