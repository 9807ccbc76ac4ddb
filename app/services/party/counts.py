"""Members as they stand on a day, in one SQL pass over every party organization (the list, 应建未建).

The same reading of the dated rows as :mod:`app.services.party.roster` (which works member by member
through the domain's records), set-wise: the kind is that of the latest kind change on or before the
day; the 组织关系 is here when the member has no relation rows, or their latest one on or before the
day is a transfer in.  A member who has left (``left_on`` on or before the day) does not count.
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.enums import MemberKind

__all__ = ["MEMBERS_ON_SQL", "MemberNow", "members_on"]

# :today as ISO text (CivilDate is stored as 'YYYY-MM-DD').  One row per member with a kind on :today.
MEMBERS_ON_SQL = """
WITH kind_now AS (
  SELECT member_id, kind FROM (
    SELECT member_id, kind, ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY changed_on DESC) AS rn
    FROM member_kind_change WHERE deleted_at IS NULL AND changed_on <= :today) WHERE rn = 1),
relation_now AS (
  SELECT member_id, transferred_in FROM (
    SELECT member_id, transferred_in,
           ROW_NUMBER() OVER (PARTITION BY member_id ORDER BY changed_on DESC) AS rn
    FROM member_relation_change WHERE deleted_at IS NULL AND changed_on <= :today) WHERE rn = 1),
relation_any AS (
  SELECT DISTINCT member_id FROM member_relation_change WHERE deleted_at IS NULL)
SELECT m.id AS member_id, m.party_org_id, m.org_id, k.kind,
       CASE WHEN r.member_id IS NOT NULL THEN r.transferred_in
            WHEN a.member_id IS NOT NULL THEN 0 ELSE 1 END AS here
FROM member AS m
JOIN kind_now AS k ON k.member_id = m.id
LEFT JOIN relation_now AS r ON r.member_id = m.id
LEFT JOIN relation_any AS a ON a.member_id = m.id
WHERE m.deleted_at IS NULL AND (m.left_on IS NULL OR m.left_on > :today)
"""


class MemberNow(NamedTuple):
    member_id: str
    party_org_id: str
    org_id: str
    kind: MemberKind
    relation_here: bool

    @property
    def counts_for_setup(self) -> bool:
        """A 正式党员 whose 组织关系 is here: what the setup rules count (应建未建, 支委会)."""
        return self.kind is MemberKind.FULL and self.relation_here


def members_on(session: Session, today: date) -> list[MemberNow]:
    """Every live member with a kind on ``today``.  Read-only; the caller's session."""
    rows = session.execute(text(MEMBERS_ON_SQL), {"today": today.isoformat()})
    return [MemberNow(r.member_id, r.party_org_id, r.org_id, MemberKind(r.kind), bool(r.here)) for r in rows]
