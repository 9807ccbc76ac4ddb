"""What the 工作台 reads: for the user's organizations, this month's due and overdue findings counted by
kind, the month × 党组织 grid, upcoming 换届, 应建未建 and incomplete records — in one read.

"My" organizations are those the user is assigned to today (``app.services.orgs.assignments``) and the
live 党组织 covering them; a user with no assignment at all sees every 党组织 (``Dashboard.mine`` False).
Reads only what the engine keeps in ``compliance_finding``; never evaluates a rule.  Read-only; any thread.
The reads take a ``sessionmaker`` or, for the first paint, a stdlib read-only connection
(``app.services.core.raw_sql``): the same SQL on either.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from app.domain.compliance import Level, RuleId
from app.domain.periods import Period, month_of
from app.services.compliance.dto import CellDetail, FindingRow, GridRow
from app.services.compliance.read import (
    cell_detail,
    count_findings,
    findings,
    grid_months,
    meetings_by_month,
    month_grid,
    my_party_org_ids,
    worst_first,
)
from app.services.core import clock, identity, raw_sql
from app.services.core.raw_sql import Readable, ReadFactory
from app.services.orgs.assignment_rule import MINE_SQL

__all__ = ["TERM_RULES", "Dashboard", "DueLine", "GridTips", "grid_tips", "load_cell_detail", "load_dashboard"]

TERM_RULES = (RuleId.TERM_DUE_SOON, RuleId.TERM_OVERDUE, RuleId.TERM_VIOLATION)
# Standing facts: one finding per subject, not per period; they stand until fixed, whatever month they fell due.
STANDING_RULES = (*TERM_RULES, RuleId.BRANCH_SHOULD_FORM, RuleId.BRANCH_SETUP, RuleId.COVERAGE_NO_INSTRUCTOR,
                  RuleId.CHARTER_CLAUSE, RuleId.INSPECTION, RuleId.EVALUATION, RuleId.CREDIT)
INCOMPLETE = (RuleId.RECORD_INCOMPLETE,)
LIST_LIMIT = 200  # rows of each list the 工作台 shows (the rest are counted)
TIPS_PER_CELL = 6


@dataclass(frozen=True)
class DueLine:
    """One line of 本月待办与逾期: how many findings of one rule and level, over how many subjects."""

    rule_id: RuleId
    level: Level
    findings: int
    subjects: int  # distinct 党组织 or 社会组织

    @property
    def text(self) -> str:
        unit = "个组织" if self.rule_id in (RuleId.BRANCH_SHOULD_FORM, RuleId.COVERAGE_NO_INSTRUCTOR,
                                          RuleId.CHARTER_CLAUSE, RuleId.INSPECTION, RuleId.EVALUATION,
                                          RuleId.CREDIT) else "个党组织"
        extra = f"（{self.findings} 项）" if self.findings != self.subjects else ""
        return f"{self.level.label}　{self.rule_id.label}　{self.subjects} {unit}{extra}"


@dataclass(frozen=True)
class Dashboard:
    """Everything the 工作台 shows at once.  ``mine`` False: the user has no assignment, every 党组织 is
    shown.  Lists are worst first and cut at LIST_LIMIT (``*_total`` say how many there are)."""

    today: date
    months: tuple[Period, ...]
    mine: bool
    my_org_count: int  # organizations assigned to the user today
    org_count: int  # organizations in the ledger (not deleted)
    party_org_count: int  # live 党组织 in the database
    rows: tuple[GridRow, ...]
    due: tuple[DueLine, ...]  # this month's, worst first
    due_findings: tuple[FindingRow, ...]  # the findings behind ``due``
    terms: tuple[FindingRow, ...]  # upcoming and overdue 换届
    should_form: tuple[FindingRow, ...]  # 应建未建
    incomplete: tuple[FindingRow, ...]  # meeting records lacking what the rules need, and drafts
    incomplete_total: int
    evaluated: bool  # the engine has stored any finding at all (else the grid is not yet known)

    @property
    def month(self) -> Period:
        return self.months[-1]

    def findings_of(self, line: DueLine) -> tuple[FindingRow, ...]:
        return tuple(f for f in self.due_findings if f.rule_id is line.rule_id and f.level is line.level)


@dataclass(frozen=True)
class GridTips:
    """What the grid's tooltips say beyond the colours, read after the first paint: by ``(party_org_id,
    the month's first day)``, the findings (up to TIPS_PER_CELL, worst first) and the completed meetings."""

    findings: dict[tuple[str, date], tuple[FindingRow, ...]]
    meetings: dict[tuple[str, date], int]


def load_dashboard(factory: ReadFactory, *, user: str | None = None, today: date | None = None,
                   months: int = 12) -> Dashboard:
    """The 工作台 of ``user`` (default: the open profile's) on ``today`` (default: the clock's)."""
    user, today = user or identity.current_user(), today or clock.today()
    with factory() as session:
        my_orgs = [row[0] for row in raw_sql.rows(
            session, "SELECT social_org.id FROM social_org WHERE social_org.deleted_at IS NULL AND " + MINE_SQL,
            {"me": user, "today": today})]
        mine = bool(my_orgs)
        party_ids = my_party_org_ids(session, user=user, today=today) if mine else _all_party_org_ids(session)
        org_scope: Collection[str] | None = my_orgs if mine else None
        party_scope: Collection[str] | None = party_ids if mine else None
        month = month_of(today)
        standing = _scoped(session, party_scope, org_scope, STANDING_RULES)
        due = _due_findings(session, party_ids, standing, month)
        return Dashboard(
            today=today, months=grid_months(today, months), mine=mine, my_org_count=len(my_orgs),
            org_count=_count(session, "SELECT count(*) FROM social_org WHERE deleted_at IS NULL"),
            party_org_count=_count(session, "SELECT count(*) FROM party_org WHERE deleted_at IS NULL"),
            rows=tuple(month_grid(session, party_org_ids=party_ids, today=today, months=months, with_meetings=False)),
            due=_due_lines(due), due_findings=tuple(due),
            terms=_of_rules(standing, TERM_RULES), should_form=_of_rules(standing, (RuleId.BRANCH_SHOULD_FORM,)),
            incomplete=tuple(findings(session, party_org_ids=party_ids, rules=INCOMPLETE, latest=LIST_LIMIT)),
            incomplete_total=count_findings(session, party_org_ids=party_ids, rules=INCOMPLETE),
            evaluated=raw_sql.first(session, "SELECT 1 FROM compliance_finding LIMIT 1") is not None,
        )


def _count(session: Readable, sql: str) -> int:
    return int(raw_sql.scalar(session, sql))


def _all_party_org_ids(session: Readable) -> list[str]:
    return [row[0] for row in raw_sql.rows(session, "SELECT id FROM party_org WHERE deleted_at IS NULL")]


def _scoped(session: Readable, party_scope: Collection[str] | None, org_scope: Collection[str] | None,
            rules: Sequence[RuleId]) -> list[FindingRow]:
    return findings(session, party_org_ids=party_scope, org_ids=org_scope, rules=rules)


def _of_rules(standing: Sequence[FindingRow], rules: Collection[RuleId]) -> tuple[FindingRow, ...]:
    """The standing facts of ``rules`` (still worst first), cut at LIST_LIMIT."""
    return tuple([f for f in standing if f.rule_id in rules][:LIST_LIMIT])


def _due_findings(session: Readable, party_ids: Sequence[str], standing: Sequence[FindingRow],
                  month: Period) -> list[FindingRow]:
    """Due or overdue this month: the findings falling due in the month (the meeting rules and records, all
    of a 党组织: read through its index), and every standing fact (``standing``, read once for the lists too)."""
    periodic = [rule for rule in RuleId if rule not in STANDING_RULES]
    rows = findings(session, party_org_ids=party_ids, due_from=month.first, due_to=month.last, rules=periodic)
    rows += standing
    rows.sort(key=worst_first)
    return rows


def _due_lines(rows: Sequence[FindingRow]) -> tuple[DueLine, ...]:
    """Counted by rule and level; worst level first, then the most subjects."""
    counts: dict[tuple[RuleId, Level], tuple[int, set[str]]] = {}
    for row in rows:
        n, subjects = counts.get((row.rule_id, row.level), (0, set()))
        subjects.add(row.party_org_id or row.org_id or row.subject)
        counts[(row.rule_id, row.level)] = (n + 1, subjects)
    lines = [DueLine(rule, level, n, len(subjects)) for (rule, level), (n, subjects) in counts.items()]
    lines.sort(key=lambda line: (line.level.rank, -line.subjects, line.rule_id.label))
    return tuple(lines)


def grid_tips(factory: ReadFactory, *, party_org_ids: Sequence[str], today: date | None = None,
              months: int = 12) -> GridTips:
    """The findings and meetings behind each cell of the grid, for the cells' tooltips.  Read-only; any thread."""
    today = today or clock.today()
    periods = grid_months(today, months)
    if not party_org_ids:
        return GridTips({}, {})
    first, last = periods[0].first, periods[-1].last
    with factory() as session:
        rows = findings(session, party_org_ids=party_org_ids, due_from=first, due_to=last)
        held = meetings_by_month(session, party_org_ids=party_org_ids, first=first, last=last)
    tips: dict[tuple[str, date], list[FindingRow]] = {}
    for row in rows:
        if row.due_on is None or row.party_org_id is None:
            continue
        cell = tips.setdefault((row.party_org_id, row.due_on.replace(day=1)), [])
        if len(cell) < TIPS_PER_CELL:
            cell.append(row)
    meetings = {(party_org_id, date.fromisoformat(month + "-01")): n for (party_org_id, month), n in held.items()}
    return GridTips({key: tuple(value) for key, value in tips.items()}, meetings)


def load_cell_detail(factory: ReadFactory, *, party_org_id: str, month: Period) -> CellDetail:
    """The meetings and findings behind one cell (:func:`app.services.compliance.read.cell_detail`) in its
    own session.  Read-only; any thread."""
    with factory() as session:
        return cell_detail(session, party_org_id=party_org_id, month=month)
