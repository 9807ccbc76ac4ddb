"""The 党组织 list: every live party organization with what the instructor scans for (DESIGN §5).

Name, level, formation, the organizations it covers, 正式 / 预备 counts on the day, the current term's
届满 day and where it stands (``term_status``), and the 书记.  Filtered by text (every word must be in
the name or in a covered organization's name) and by 只看我负责的: a party organization covering any
organization assigned to the user on the day (the rule of ``app.services.orgs.assignments``, read from
the ``assignment`` table here).  A handful of set-wise queries, whatever the number of party
organizations.  Read-only; any thread.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from app.domain.branch_rules import term_status
from app.domain.enums import MemberKind, PartyOrgFormation, PartyOrgLevel
from app.domain.policy import NATIONAL, Policy
from app.services.core import clock, identity
from app.services.party.counts import members_on
from app.services.party.dto import PartyOrgSummary

__all__ = ["MY_ORGS_SQL", "list_party_orgs", "my_org_ids"]

# The organizations assigned to :me on :today (as app.services.orgs.assignments states it).
MY_ORGS_SQL = """
SELECT a.org_id FROM assignment AS a JOIN instructor AS i ON i.id = a.instructor_id
WHERE i.username = :me AND i.deleted_at IS NULL AND a.deleted_at IS NULL AND a.since <= :today
  AND (a.until IS NULL OR a.until >= :today)
"""
_PARTY_SQL = "SELECT id, name, level, formation FROM party_org WHERE deleted_at IS NULL"
_COVERED_SQL = """
SELECT c.party_org_id, c.org_id, o.name FROM party_org_coverage AS c
JOIN social_org AS o ON o.id = c.org_id AND o.deleted_at IS NULL
WHERE c.deleted_at IS NULL ORDER BY o.name_pinyin, o.name
"""
_CURRENT_TERM_SQL = """
SELECT party_org_id, id, due_on FROM (
  SELECT party_org_id, id, due_on,
         ROW_NUMBER() OVER (PARTITION BY party_org_id ORDER BY term_no DESC, started_on DESC) AS rn
  FROM party_org_term WHERE deleted_at IS NULL AND renewed_on IS NULL) WHERE rn = 1
"""
_SECRETARY_SQL = """
SELECT c.term_id, m.name FROM committee_member AS c JOIN member AS m ON m.id = c.member_id
WHERE c.deleted_at IS NULL AND m.deleted_at IS NULL AND c.role = 'SECRETARY'
  AND c.first_day <= :today AND (c.last_day IS NULL OR c.last_day >= :today)
ORDER BY c.first_day
"""
NO_TERM = "未录入任期"


def my_org_ids(session: Session, *, user: str, today: date) -> set[str]:
    return set(session.execute(text(MY_ORGS_SQL), {"me": user, "today": today.isoformat()}).scalars())


def _matches(words: list[str], name: str, covered: list[str]) -> bool:
    haystack = " ".join([name, *covered]).casefold()
    return all(word in haystack for word in words)


def list_party_orgs(factory: sessionmaker[Session], *, query: str = "", mine: bool = False, user: str | None = None,
                    today: date | None = None, policy: Policy = NATIONAL) -> tuple[PartyOrgSummary, ...]:
    """The live party organizations matching ``query`` (and, with ``mine``, covering one of the user's
    organizations), by name.  Read-only; any thread."""
    today, user = today or clock.today(), user or identity.current_user()
    words = query.casefold().split()
    with factory() as session:
        covered: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for row in session.execute(text(_COVERED_SQL)):
            covered[row.party_org_id].append((row.org_id, row.name))
        mine_ids = my_org_ids(session, user=user, today=today)
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for member in members_on(session, today):
            counts[member.party_org_id][member.kind is MemberKind.PROBATIONARY] += 1
        terms = {row.party_org_id: (row.id, date.fromisoformat(str(row.due_on)))
                 for row in session.execute(text(_CURRENT_TERM_SQL))}
        secretaries: dict[str, str] = {}
        for row in session.execute(text(_SECRETARY_SQL), {"today": today.isoformat()}):
            secretaries.setdefault(row.term_id, row.name)
        parties = list(session.execute(text(_PARTY_SQL)))
    found = []
    for row in parties:
        names = [name for _, name in covered[row.id]]
        is_mine = any(org_id in mine_ids for org_id, _ in covered[row.id])
        if (mine and not is_mine) or not _matches(words, row.name, names):
            continue
        term = terms.get(row.id)
        status = term_status(term[1], today, policy=policy) if term else None
        full, probationary = counts[row.id]
        found.append(PartyOrgSummary(
            id=row.id, name=row.name, level=PartyOrgLevel(row.level), formation=PartyOrgFormation(row.formation),
            covered_names=tuple(names), full_members=full, probationary_members=probationary,
            term_due=term[1] if term else None, term_state=status.state if status else None,
            term_text=status.text if status else NO_TERM, secretary=secretaries.get(term[0], "") if term else "",
            mine=is_mine))
    return tuple(sorted(found, key=lambda s: s.name))
