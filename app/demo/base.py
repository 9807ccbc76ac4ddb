"""Shared plumbing of the demo-data generator: the batching writer and the seeded context.

The writer buffers complete column dicts per synced table and, every ``batch_rows`` rows, writes all
buffers in one transaction through :func:`app.services.core.outbox.bulk_load`, in parent-before-child
order.  Demo data never enters the outbox (DESIGN §3): it is written with ``outbox=False``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from app.demo.names import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
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
    SyncColumns,
    Visit,
    Vote,
    VoteCandidate,
)
from app.services.core.outbox import bulk_load

Row = dict[str, Any]
Progress = Callable[[str, int, int], None]

# Parents before children: a batch is written in this order.
WRITE_ORDER: tuple[type[SyncColumns], ...] = (
    SocialOrg, OrgTerm, AnnualInspection, CreditListing, OrgEvaluation, Assignment, PartyOrg, PartyOrgCoverage,
    PartyOrgTerm, PartyGroup, Member, CommitteeMember, MemberKindChange, MemberProbation, MemberRelationChange,
    MemberExpectedExclusion, Meeting, AgendaItem, MeetingAttendance, MeetingGuest, Vote, VoteCandidate, Visit,
    ChecklistAnswer, Finding, Rectification, RectificationFollowUp,
)
_SET_BY_WRITER = frozenset({"id", "org_id", "party_org_id", "server_version", "updated_at", "updated_by"})


def _column_defaults(model: type[SyncColumns]) -> Row:
    """Every column's scalar default, so each row carries the full set of fields (outbox and executemany)."""
    defaults: Row = {}
    for column in model.__table__.columns:  # type: ignore[attr-defined]
        if column.name in _SET_BY_WRITER:
            continue
        default = column.default
        defaults[column.name] = default.arg if default is not None and default.is_scalar else None
    return defaults


class Writer:
    """Buffers rows per table and writes them in batches, one transaction per batch."""

    def __init__(self, factory: sessionmaker[Session], *, actor: str, batch_rows: int = 10_000) -> None:
        self._factory = factory
        self.actor = actor
        self._batch_rows = batch_rows
        self._defaults = {model: _column_defaults(model) for model in WRITE_ORDER}
        self._buffers: dict[type[SyncColumns], list[Row]] = {model: [] for model in WRITE_ORDER}
        self._instructors: list[Row] = []
        self._pending = 0
        self.counts: dict[str, int] = {model.__tablename__: 0 for model in WRITE_ORDER}  # type: ignore[attr-defined]
        self.counts[Instructor.__tablename__] = 0

    def add(self, model: type[SyncColumns], row: Row) -> None:
        self._buffers[model].append({**self._defaults[model], **row})
        self._pending += 1
        if self._pending >= self._batch_rows:
            self.flush()

    def add_instructor(self, row: Row) -> None:
        """Instructors are not outbox rows (pulled from the server, never pushed): plain Core insert."""
        self._instructors.append(row)
        self._pending += 1

    def flush(self) -> None:
        if not self._pending:
            return
        with self._factory.begin() as session:
            if self._instructors:
                session.execute(insert(Instructor.__table__), self._instructors)  # type: ignore[arg-type]
                self.counts[Instructor.__tablename__] += len(self._instructors)
            for model, rows in self._buffers.items():
                self.counts[model.__tablename__] += bulk_load(  # type: ignore[attr-defined]
                    session, model, rows, actor=self.actor, outbox=False)
            # bulk_load's keepers index the organizations in this same transaction: a load stopped between
            # batches leaves nothing unsearchable
        self._instructors = []
        self._buffers = {model: [] for model in WRITE_ORDER}
        self._pending = 0


@dataclass
class DemoContext:
    """Everything a generator step needs: the seeded random source, the dates, the writer."""

    rng: random.Random
    today: date
    years: int
    writer: Writer
    progress: Progress | None = None
    window_start: date = field(init=False)
    _reported: tuple[str, int] = field(init=False, default=("", -1))

    def __post_init__(self) -> None:
        self.window_start = month_start(add_months(self.today, -12 * self.years + 1)) if self.years else self.today

    def report(self, stage: str, done: int, total: int) -> None:
        """Called for every item of a stage; passed on whenever the stage's whole percent moves (so a
        progress bar moves and a cancel flag checked in ``progress`` is seen within 1 % of a stage)."""
        if self.progress is None:
            return
        step = (stage, done * 100 // total if total else 100)
        if step != self._reported:
            self._reported = step
            self.progress(stage, done, total)

    def date_between(self, first: date, last: date) -> date:
        if last <= first:
            return first
        return first + timedelta(days=self.rng.randint(0, (last - first).days))

    def at(self, day: date, *hours: int) -> datetime:
        """A meeting or event time on ``day`` at one of ``hours`` (on the hour or half past)."""
        return datetime.combine(day, time(self.rng.choice(hours), self.rng.choice((0, 30))))

    def person(self) -> tuple[str, str]:
        """(name, gender) — a common Fujian surname and a one- or two-character given name."""
        male = self.rng.random() < 0.52
        pool = MALE_GIVEN if male else FEMALE_GIVEN
        given = "".join(self.rng.choice(pool) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given, "男" if male else "女"

    def mobile(self) -> str:
        return f"1{self.rng.choice('3589')}{self.rng.randrange(10**9):09d}"

    def months(self) -> Iterator[date]:
        """The first day of each month of the history window, oldest first (none when years == 0)."""
        if not self.years:
            return
        current = self.window_start
        while current <= self.today:
            yield current
            current = add_months(current, 1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, 28))


def add_years(day: date, years: int) -> date:
    return day.replace(year=day.year + years, day=min(day.day, 28))


def chinese_number(n: int) -> str:
    """1 -> 一, 12 -> 十二, 105 -> 一百零五 (for 第N联合支部, up to 9999)."""
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    out, zero = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            out += ("零" if zero and out else "") + digits[d] + unit
            zero = False
        elif out:
            zero = True
    return out
