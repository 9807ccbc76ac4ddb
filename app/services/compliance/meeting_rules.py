"""三会一课 owed per 党组织 and period: the meetings counted per month (``compliance_meeting``), the periods
owed (``app.domain.obligations``), 支委会 only where a committee is in office and the branch has enough
正式党员, 党小组会 per live 党小组.

Set-based: one grouped query counts the completed meetings of every 党组织 per kind, 党小组 and month; the
rest is arithmetic on those counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, text

from app.domain.enums import MeetingKind, PartyOrgFormation
from app.domain.obligations import owed_periods, shortfall_message, shortfalls
from app.domain.periods import Period
from app.domain.policy import Policy
from app.services.compliance.roster import Roster
from app.services.compliance.store import NewFinding, json_ids, meeting_rule

__all__ = ["Group", "MonthCounts", "Party", "load_parties", "meeting_findings", "month_counts", "since_for"]

# 党组织 -> (kind, 党小组) -> month (its first day) -> completed meetings
MonthCounts = dict[str, dict[tuple[str, str | None], dict[date, int]]]


def _day(value: object) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


@dataclass(frozen=True)
class Group:
    id: str
    name: str
    first_day: date | None
    last_day: date | None

    def live_in(self, period: Period) -> bool:
        return (self.first_day is None or self.first_day <= period.last) and (
            self.last_day is None or self.last_day >= period.first)


@dataclass(frozen=True)
class Party:
    """A live 党组织 as the rules see it."""

    id: str
    name: str
    established_on: date | None
    formation: PartyOrgFormation
    covered: int
    groups: tuple[Group, ...] = field(default=())


def since_for(today: date, policy: Policy) -> date:
    """The first day evaluated: 1 January of the first of the last ``compliance_years`` years."""
    return date(today.year - policy.compliance_years + 1, 1, 1)


def _only(column: str, ids: Iterable[str] | None, params: dict[str, object]) -> str:
    if ids is None:
        return ""
    params["ids"] = json_ids(ids)
    return f" AND {column} IN (SELECT value FROM json_each(:ids))"


def load_parties(conn: Connection, party_org_ids: Iterable[str] | None = None) -> list[Party]:
    params: dict[str, object] = {}
    only = _only("p.id", party_org_ids, params)
    covered: dict[str, int] = dict(conn.execute(text(
        "SELECT c.party_org_id, count(*) FROM party_org_coverage AS c JOIN party_org AS p ON p.id = c.party_org_id"
        f" WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL{only} GROUP BY c.party_org_id"), params).all())
    groups: dict[str, list[Group]] = defaultdict(list)
    for party_org_id, group_id, name, first, last in conn.execute(text(
            "SELECT g.party_org_id, g.id, g.name, g.first_day, g.last_day FROM party_group AS g"
            f" JOIN party_org AS p ON p.id = g.party_org_id WHERE g.deleted_at IS NULL{only} ORDER BY g.name"), params):
        groups[party_org_id].append(Group(group_id, name, _day(first), _day(last)))
    return [Party(pid, name, _day(established), PartyOrgFormation(formation), int(covered.get(pid, 0)),
                  tuple(groups.get(pid, ())))
            for pid, name, established, formation in conn.execute(text(
                "SELECT p.id, p.name, p.established_on, p.formation FROM party_org AS p"
                f" WHERE p.deleted_at IS NULL{only}"),
                params)]


def month_counts(conn: Connection, *, since: date, party_org_ids: Iterable[str] | None = None,
                 kinds: Iterable[MeetingKind] | None = None) -> MonthCounts:
    """Completed meetings per (党组织, kind, 党小组) and month, from ``since`` on (of ``kinds`` only if given)."""
    params: dict[str, object] = {"since": since.isoformat()}
    only = _only("party_org_id", party_org_ids, params)
    if kinds is not None:
        only += " AND kind IN (SELECT value FROM json_each(:kinds))"
        params["kinds"] = json_ids(kind.value for kind in kinds)
    counts: MonthCounts = {}
    months: dict[str, date] = {}
    for party_org_id, kind, group_id, month, n in conn.execute(text(
            "SELECT party_org_id, kind, party_group_id, substr(held_on, 1, 7), count(*) FROM compliance_meeting"
            f" WHERE done AND held_on >= :since{only} GROUP BY 1, 2, 3, 4"), params).all():  # one fetch
        by_month = counts.setdefault(party_org_id, {}).setdefault((kind, group_id), {})
        first = months.get(month)
        if first is None:
            first = months[month] = date(int(month[:4]), int(month[5:7]), 1)
        by_month[first] = n
    return counts


def _merged(counts: Mapping[tuple[str, str | None], Mapping[date, int]], kind: MeetingKind) -> dict[date, int]:
    merged: dict[date, int] = defaultdict(int)
    for (found_kind, _group), months in counts.items():
        if found_kind == kind.value:
            for month, n in months.items():
                merged[month] += n
    return merged


def meeting_findings(party: Party, counts: MonthCounts, roster: Roster, *, policy: Policy, today: date,
                     only: Mapping[MeetingKind, Collection[Period] | None] | None = None) -> list[NewFinding]:
    """The shortfalls of ``party`` for every kind of the pack (or the kinds of ``only``, each narrowed to
    its periods when given)."""
    since = since_for(today, policy)
    mine = counts.get(party.id, {})
    found: list[NewFinding] = []
    for kind, rule in policy.meetings.items():
        if only is not None and kind not in only:
            continue
        periods = owed_periods(rule.period, since=since, today=today, established=party.established_on)
        if kind is MeetingKind.COMMITTEE_MEETING:
            periods = [p for p in periods if _committee_in_office(party.id, p, roster, policy, today)]
        wanted = None if only is None else only[kind]
        if rule.per_group:
            for group in party.groups:
                months = mine.get((kind.value, group.id), {})
                owed = [p for p in periods if group.live_in(p)]
                found += _findings(party, kind, rule.grace_months, owed, months, policy, today, wanted, group)
        else:
            found += _findings(party, kind, rule.grace_months, periods, _merged(mine, kind), policy,
                               today, wanted, None)
    return found


def _findings(party: Party, kind: MeetingKind, grace: int, periods: list[Period], months: Mapping[date, int],
              policy: Policy, today: date, wanted: Collection[Period] | None, group: Group | None) -> list[NewFinding]:
    rule = policy.meetings[kind]
    subject = group.name if group else ""
    return [NewFinding(meeting_rule(kind), short.level, shortfall_message(kind, short, subject=subject),
                       party_org_id=party.id, subject_id=group.id if group else None, subject=subject,
                       period=short.period, due_on=short.due_on)
            for short in shortfalls(rule, periods, months, today=today)
            if wanted is None or short.period in wanted]


def _committee_in_office(party_org_id: str, period: Period, roster: Roster, policy: Policy, today: date) -> bool:
    """A 支委会 is owed its meetings in a period when, on its last day (today for the running one), the
    branch has enough 正式党员 for a committee and a committee is in office."""
    day = min(period.last, today)
    return (roster.full_on(party_org_id, day) >= policy.committee_min_full_members
            and roster.committee_on(party_org_id, day) > 0)
