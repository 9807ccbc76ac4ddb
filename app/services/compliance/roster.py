"""Who the engine counts on a day, per 党组织 and per 社会组织: 正式党员 whose 组织关系 is here, all members,
and the 支委会 in office — worked out from the members' dated rows through ``app.domain.voting_rights``.

Each member's standing is a step function of the day (it changes only on the days their kind, 组织关系 or
leaving changed), so a count on any day of ten years is a bisection, not a pass over the members.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Connection, text

from app.domain.enums import MemberKind
from app.domain.voting_rights import KindChange, MemberRecord, RelationChange
from app.services.compliance.store import json_ids

__all__ = ["Roster", "load_roster"]


@dataclass
class _Steps:
    """A count that changes on some days: ``days`` sorted, ``counts[i]`` from ``days[i]`` on."""

    days: list[date] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)

    def on(self, day: date) -> int:
        index = bisect_right(self.days, day) - 1
        return self.counts[index] if index >= 0 else 0


def _steps(deltas: Iterable[tuple[date, int]]) -> _Steps:
    steps = _Steps()
    total = 0
    for day, delta in sorted(deltas):
        total += delta
        if steps.days and steps.days[-1] == day:
            steps.counts[-1] = total
        else:
            steps.days.append(day)
            steps.counts.append(total)
    return steps


@dataclass(frozen=True)
class _Member:
    id: str
    party_org_id: str
    org_id: str
    record: MemberRecord
    left_on: date | None

    def full_here(self, day: date) -> bool:
        """正式党员 with the 组织关系 here on ``day`` (and not yet left)."""
        return (self.present(day) and self.record.kind_on(day) is MemberKind.FULL
                and self.record.relation_here_on(day))

    def present(self, day: date) -> bool:
        return (self.left_on is None or day < self.left_on) and self.record.kind_on(day) is not None

    def full_deltas(self) -> list[tuple[date, int]]:
        points = sorted({change.on for change in self.record.kinds} | {change.on for change in self.record.relations}
                        | ({self.left_on} if self.left_on else set()))
        deltas, before = [], False
        for day in points:
            now = self.full_here(day)
            if now != before:
                deltas.append((day, 1 if now else -1))
                before = now
        return deltas


@dataclass
class Roster:
    members: list[_Member]
    full_by_party: dict[str, _Steps]
    committee_by_party: dict[str, list[tuple[date, date | None]]]
    by_party: dict[str, list[_Member]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for member in self.members:
            self.by_party.setdefault(member.party_org_id, []).append(member)

    def full_on(self, party_org_id: str, day: date) -> int:
        """正式党员 (组织关系 here) of the 党组织 on ``day``."""
        steps = self.full_by_party.get(party_org_id)
        return steps.on(day) if steps else 0

    def committee_on(self, party_org_id: str, day: date) -> int:
        """支委会 members in office on ``day`` (in a term not yet renewed on that day)."""
        return sum(1 for first, last in self.committee_by_party.get(party_org_id, ())
                   if first <= day and (last is None or day <= last))

    def members_on(self, party_org_id: str, day: date) -> int:
        return sum(1 for m in self.by_party.get(party_org_id, ()) if m.present(day))


def _day(value: object) -> date | None:
    return None if value is None else value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _required(value: object) -> date:
    day = _day(value)
    assert day is not None
    return day


def load_roster(conn: Connection, *, party_org_ids: Iterable[str] | None = None,
                org_ids: Iterable[str] | None = None) -> Roster:
    """The live members of ``party_org_ids`` (or those working in ``org_ids``; neither: everyone) with their
    dated rows, and the committees of those 党组织."""
    params: dict[str, object] = {}
    where = "m.deleted_at IS NULL"
    if party_org_ids is not None:
        where += " AND m.party_org_id IN (SELECT value FROM json_each(:parties))"
        params["parties"] = json_ids(party_org_ids)
    if org_ids is not None:
        where += " AND m.org_id IN (SELECT value FROM json_each(:orgs))"
        params["orgs"] = json_ids(org_ids)
    rows = conn.execute(text(f"SELECT m.id, m.party_org_id, m.org_id, m.left_on FROM member AS m WHERE {where}"),
                        params).all()
    kinds: dict[str, list[KindChange]] = defaultdict(list)
    relations: dict[str, list[RelationChange]] = defaultdict(list)
    for member_id, kind, on in conn.execute(text(
            "SELECT k.member_id, k.kind, k.changed_on FROM member_kind_change AS k"
            f" JOIN member AS m ON m.id = k.member_id WHERE k.deleted_at IS NULL AND {where}"), params).all():
        kinds[member_id].append(KindChange(_day(on), MemberKind(kind)))  # type: ignore[arg-type]
    for member_id, inward, on in conn.execute(text(
            "SELECT r.member_id, r.transferred_in, r.changed_on FROM member_relation_change AS r"
            f" JOIN member AS m ON m.id = r.member_id WHERE r.deleted_at IS NULL AND {where}"), params):
        relations[member_id].append(RelationChange(_day(on), bool(inward)))  # type: ignore[arg-type]
    members = []
    for member_id, party_org_id, org_id, left_on in rows:
        if not kinds[member_id]:
            continue  # no 入党 day recorded: not counted (the roster view asks for it)
        try:
            record = MemberRecord("", tuple(kinds[member_id]), relations=tuple(relations[member_id]))
        except ValueError:
            continue  # two changes on one day: the roster view reports it; not counted here
        members.append(_Member(member_id, party_org_id, org_id, record, _day(left_on)))
    deltas: dict[str, list[tuple[date, int]]] = defaultdict(list)
    for member in members:
        deltas[member.party_org_id] += member.full_deltas()
    committee: dict[str, list[tuple[date, date | None]]] = defaultdict(list)
    if party_org_ids is not None or org_ids is None:
        committee_where = ("" if party_org_ids is None
                           else " AND c.party_org_id IN (SELECT value FROM json_each(:parties))")
        for party_org_id, first, last, started, renewed in conn.execute(text(
                "SELECT c.party_org_id, c.first_day, c.last_day, t.started_on, t.renewed_on FROM committee_member AS c"
                " JOIN party_org_term AS t ON t.id = c.term_id WHERE c.deleted_at IS NULL AND t.deleted_at IS NULL"
                + committee_where), params):
            begin = max(_required(first), _required(started))
            ends = [d for d in (_day(last), _required(renewed) - timedelta(days=1) if renewed else None) if d]
            committee[party_org_id].append((begin, min(ends) if ends else None))
    return Roster(members, {party: _steps(found) for party, found in deltas.items()}, dict(committee))
