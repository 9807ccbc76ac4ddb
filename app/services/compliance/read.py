"""Reading the compliance results: findings, the 工作台's month × 党组织 grid and what is behind a cell.

Reads only ``compliance_finding`` (kept by the engine) and the rows it names; never evaluates a rule.
Raw SQL on a Session or, at start-up, a stdlib connection (``app.services.core.raw_sql``).
A finding shows in the month of its ``due_on``; a waived one (``waiver_id``) colours nothing.
"""

from __future__ import annotations

import json
from bisect import bisect_left
from collections.abc import Collection, Sequence
from datetime import date, datetime
from functools import lru_cache

from app.domain.compliance import CellState, Level, RuleId
from app.domain.enums import MeetingKind, MeetingStatus
from app.domain.periods import Period, PeriodKind, month_of
from app.services.compliance.dto import CellDetail, FindingRow, GridCell, GridRow, MeetingBrief
from app.services.core import raw_sql
from app.services.core.raw_sql import Readable
from app.services.orgs.assignment_rule import MINE_SQL

__all__ = ["cell_detail", "count_findings", "findings", "grid_months", "meetings_by_month", "month_grid",
           "my_party_org_ids", "worst_first"]

_STATE_OF_LEVEL = {Level.VIOLATION: CellState.VIOLATION, Level.WARNING: CellState.WARNING, Level.DUE: CellState.DUE}


def _in(name: str, values: Collection[str]) -> tuple[str, dict[str, str]]:
    """The right-hand side of ``x IN …`` for ``values`` and its one parameter (a JSON array: hundreds of ids
    cost one bind, not hundreds to compile, and no variable limit)."""
    return f"(SELECT value FROM json_each(:{name}))", {name: json.dumps(list(values))}


def _day(value: object) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return _day_of(str(value)[:10])


# The 工作台's first read builds thousands of findings over a few hundred distinct days and periods: each is
# parsed or made once (frozen values, safely shared), and the enums are looked up by value in a dict.
_day_of = lru_cache(maxsize=4096)(date.fromisoformat)
_RULES = {rule.value: rule for rule in RuleId}
_LEVELS = {level.value: level for level in Level}
_RANK = {level: level.rank for level in Level}


@lru_cache(maxsize=4096)
def _period(kind: str, first: str) -> Period:
    return Period(_day_of(first[:10]), PeriodKind(kind))


def worst_first(f: FindingRow) -> tuple[int, date, str, str, str]:
    """The order findings are listed in: worst level first, then by due day, 党组织, organization, subject."""
    return _RANK[f.level], f.due_on or date.max, f.party_org_name, f.org_name, f.subject


def my_party_org_ids(session: Readable, *, user: str, today: date) -> list[str]:
    """The live 党组织 covering any organization ``user`` is assigned to on ``today``."""
    sql = ("SELECT DISTINCT c.party_org_id FROM party_org_coverage AS c JOIN party_org AS p ON p.id = c.party_org_id"
           " JOIN social_org ON social_org.id = c.org_id WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL AND "
           + MINE_SQL)
    return [row[0] for row in raw_sql.rows(session, sql, {"me": user, "today": today})]


def findings(session: Readable, *, party_org_ids: Collection[str] | None = None,
             org_ids: Collection[str] | None = None, due_from: date | None = None, due_to: date | None = None,
             rules: Collection[RuleId] | None = None, include_waived: bool = False,
             latest: int | None = None) -> list[FindingRow]:
    """Findings, worst first then by due day.  ``party_org_ids`` / ``org_ids`` together: either matches.
    ``due_from`` / ``due_to`` bound ``due_on`` (standing findings without a day always pass).
    ``latest``: only that many, the latest due first (those without a day last), then worst first — cut in
    SQL, so a long list costs only the rows shown (:func:`count_findings` says how many there are)."""
    where, params = _where(party_org_ids, org_ids, due_from, due_to, rules, include_waived)
    sql = ("SELECT f.rule_id, f.level, f.message, f.party_org_id, COALESCE(p.name, ''), f.org_id,"
           " COALESCE(s.name, ''), f.subject_id, f.subject, f.period_kind, f.period_first, f.due_on, f.waiver_id"
           " FROM compliance_finding AS f LEFT JOIN party_org AS p ON p.id = f.party_org_id"
           " LEFT JOIN social_org AS s ON s.id = f.org_id WHERE " + where)
    if latest is not None:
        sql += (" ORDER BY f.due_on IS NULL, f.due_on DESC, CASE f.level WHEN 'VIOLATION' THEN 0"
                " WHEN 'WARNING' THEN 1 ELSE 2 END, COALESCE(p.name, ''), COALESCE(s.name, ''), f.subject"
                " LIMIT :latest")
        params["latest"] = latest
    found = [_finding(row) for row in raw_sql.rows(session, sql, params)]
    if latest is None:
        found.sort(key=worst_first)
    return found


def count_findings(session: Readable, *, party_org_ids: Collection[str] | None = None,
                   org_ids: Collection[str] | None = None, rules: Collection[RuleId] | None = None,
                   include_waived: bool = False) -> int:
    """How many findings :func:`findings` would list with the same filters."""
    where, params = _where(party_org_ids, org_ids, None, None, rules, include_waived)
    return int(raw_sql.scalar(session, "SELECT count(*) FROM compliance_finding AS f WHERE " + where, params))


def _where(party_org_ids: Collection[str] | None, org_ids: Collection[str] | None, due_from: date | None,
           due_to: date | None, rules: Collection[RuleId] | None,
           include_waived: bool) -> tuple[str, dict[str, object]]:
    where: list[str] = ["1 = 1"]
    params: dict[str, object] = {}
    owners = []
    if party_org_ids is not None:
        clause, p = _in("p", party_org_ids)
        owners.append(f"f.party_org_id IN {clause}")
        params.update(p)
    if org_ids is not None:
        clause, p = _in("o", org_ids)
        owners.append(f"f.org_id IN {clause}")
        params.update(p)
    if owners:
        where.append("(" + " OR ".join(owners) + ")")
    if due_from is not None:
        where.append("(f.due_on IS NULL OR f.due_on >= :due_from)")
        params["due_from"] = due_from.isoformat()
    if due_to is not None:
        where.append("(f.due_on IS NULL OR f.due_on <= :due_to)")
        params["due_to"] = due_to.isoformat()
    if rules is not None:
        clause, p = _in("r", [str(rule) for rule in rules])
        where.append(f"f.rule_id IN {clause}")
        params.update(p)
    if not include_waived:
        where.append("f.waiver_id IS NULL")
    return " AND ".join(where), params


def _finding(row: Sequence[object]) -> FindingRow:
    (rule, level, message, party_org_id, party_name, org_id, org_name, subject_id, subject, kind, first, due,
     waiver) = row
    period = _period(str(kind), str(first)) if kind and first else None
    return FindingRow(rule_id=_RULES[str(rule)], level=_LEVELS[str(level)], message=str(message),
                      party_org_id=party_org_id, party_org_name=str(party_name),  # type: ignore[arg-type]
                      org_id=org_id, org_name=str(org_name), subject_id=subject_id,  # type: ignore[arg-type]
                      subject=str(subject), period=period, due_on=_day(due), waived=waiver is not None)


def grid_months(today: date, months: int = 12) -> tuple[Period, ...]:
    """The last ``months`` months up to and including today's, oldest first."""
    current = month_of(today)
    periods = [current]
    for _ in range(months - 1):
        periods.append(periods[-1].previous())
    return tuple(reversed(periods))


def month_grid(session: Readable, *, party_org_ids: Sequence[str], today: date, months: int = 12,
               with_meetings: bool = True) -> list[GridRow]:
    """One row per 党组织 (by name), one cell per month of :func:`grid_months`: the worst finding not
    waived that falls due in the month, else 达标; 未成立 before the 党组织 was established.
    ``with_meetings`` False: the cells' ``meetings`` stay 0 (the colours do not need them; counting a
    year of meetings is most of the read, see :func:`meetings_by_month`)."""
    if not party_org_ids:
        return []
    periods = grid_months(today, months)
    first, last = periods[0].first, periods[-1].last
    ids, params = _in("p", party_org_ids)
    bounds = {**params, "first": first.isoformat(), "last": last.isoformat()}
    orgs = raw_sql.rows(session, f"SELECT id, name, established_on FROM party_org WHERE id IN {ids}"
                         " AND deleted_at IS NULL ORDER BY name", params)
    found: dict[str, dict[str, tuple[int, int]]] = {}  # 党组织 → YYYY-MM → (worst level's rank, findings)
    for party_org_id, month, level, n in raw_sql.rows(
            session, "SELECT party_org_id, substr(due_on, 1, 7), level, count(*) FROM compliance_finding"
            f" WHERE party_org_id IN {ids} AND waiver_id IS NULL AND due_on BETWEEN :first AND :last"
            " GROUP BY 1, 2, 3", bounds):
        months_of = found.setdefault(party_org_id, {})
        rank = _RANK[_LEVELS[level]]
        worst, count = months_of.get(month, (rank, 0))
        months_of[month] = (min(worst, rank), count + n)
    held: dict[str, dict[str, int]] = {}
    if with_meetings:
        for (party_org_id, month), n in meetings_by_month(session, party_org_ids=party_org_ids, first=first,
                                                          last=last).items():
            held.setdefault(party_org_id, {})[month] = n
    # Hundreds of rows × 12 months, most of them with nothing in them: such a row's (frozen) cells depend
    # only on how many months it did not exist yet, and are shared by every row alike.
    spans = [(period, period.first.isoformat()[:7], period.last) for period in periods]
    lasts = [period_last for _period, _month, period_last in spans]
    plain: dict[int, tuple[GridCell, ...]] = {}
    grid = []
    for party_org_id, name, established in orgs:
        since = _day(established)
        months_found, months_held = found.get(party_org_id, {}), held.get(party_org_id, {})
        if not months_found and not months_held:
            before = bisect_left(lasts, since) if since is not None else 0  # months ending before it was set up
            if before not in plain:
                plain[before] = tuple(GridCell(month=period, state=_cell_state(None, since, period_last))
                                      for period, _month, period_last in spans)
            cells = plain[before]
        else:
            cells = tuple(_cell(period, period_last, since, months_found.get(month), months_held.get(month, 0))
                          for period, month, period_last in spans)
        grid.append(GridRow(party_org_id=party_org_id, name=name, cells=cells))
    return grid


def _cell(period: Period, period_last: date, since: date | None, found: tuple[int, int] | None,
          held: int) -> GridCell:
    worst, count = found if found is not None else (None, 0)
    return GridCell(month=period, state=_cell_state(worst, since, period_last), findings=count, meetings=held)


def meetings_by_month(session: Readable, *, party_org_ids: Sequence[str], first: date,
                      last: date) -> dict[tuple[str, str], int]:
    """Completed meetings held from ``first`` to ``last`` by (党组织, ``YYYY-MM``)."""
    ids, params = _in("p", party_org_ids)
    return {(party_org_id, month): n for party_org_id, month, n in raw_sql.rows(
        session, "SELECT party_org_id, substr(started_at, 1, 7), count(*) FROM meeting"
        f" WHERE party_org_id IN {ids} AND deleted_at IS NULL AND status = :done"
        " AND started_at >= :first AND started_at < date(:last, '+1 day') GROUP BY 1, 2",
        {**params, "first": first.isoformat(), "last": last.isoformat(), "done": MeetingStatus.DONE.value})}


def _cell_state(worst_rank: int | None, established: date | None, month_last: date) -> CellState:
    if established is not None and established > month_last:
        return CellState.NOT_FORMED
    if worst_rank is None:
        return CellState.OK
    level = (Level.VIOLATION, Level.WARNING, Level.DUE)[worst_rank]
    return _STATE_OF_LEVEL[level]


def cell_detail(session: Readable, *, party_org_id: str, month: Period) -> CellDetail:
    """The meetings of ``party_org_id`` held in ``month`` (drafts too, marked) and the findings due in it."""
    name_row = raw_sql.first(session, "SELECT name, established_on FROM party_org WHERE id = :id", {"id": party_org_id})
    name, established = (str(name_row[0]), _day(name_row[1])) if name_row else ("", None)
    meetings = tuple(
        MeetingBrief(id=row[0], kind=MeetingKind(row[1]), status=MeetingStatus(row[2]),
                     started_at=datetime.fromisoformat(str(row[3])), topic=row[4])
        for row in raw_sql.rows(
            session, "SELECT id, kind, status, started_at, topic FROM meeting WHERE party_org_id = :id"
            " AND deleted_at IS NULL AND started_at >= :first AND started_at < date(:last, '+1 day')"
            " ORDER BY started_at",
            {"id": party_org_id, "first": month.first.isoformat(), "last": month.last.isoformat()}))
    found = tuple(findings(session, party_org_ids=[party_org_id], due_from=month.first, due_to=month.last,
                           include_waived=True))
    dated = tuple(f for f in found if f.due_on is not None)
    live = [f for f in dated if not f.waived]
    worst = min((f.level.rank for f in live), default=None)
    return CellDetail(party_org_id=party_org_id, party_org_name=name, month=month,
                      state=_cell_state(worst, established, month.last), meetings=meetings, findings=dated)
