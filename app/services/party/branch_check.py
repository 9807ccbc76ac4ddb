"""应建未建: organizations that should have a party branch of their own and have none (DESIGN §2.1).

An organization counts when it has at least ``own_branch_min_full_members`` 正式党员 (预备党员 do not
count) whose 组织关系 has been transferred in, on ``today``, and no party organization *of its own*: a
live party organization covering it and no other organization.  Its members may sit in a 联合 / 区域性
branch (which covers others too) or in none; either way it still should form its own.  Archived and
deleted organizations are left out.

One pass: the members as they stand today (:mod:`app.services.party.counts`), the coverage rows, the
organizations' names.  The compliance engine and the 工作台 call it.  Read-only; the caller's session.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import date

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.domain.branch_rules import should_form_branch
from app.domain.policy import NATIONAL, Policy
from app.services.party.counts import members_on
from app.services.party.dto import ShouldFormBranch

__all__ = ["should_form_branch_orgs"]

_COVERAGE_SQL = """
SELECT c.org_id, p.id AS party_org_id, p.name,
       (SELECT COUNT(*) FROM party_org_coverage AS o
         WHERE o.party_org_id = p.id AND o.deleted_at IS NULL) AS covers
FROM party_org_coverage AS c JOIN party_org AS p ON p.id = c.party_org_id
WHERE c.deleted_at IS NULL AND p.deleted_at IS NULL
"""
_ORGS_SQL = "SELECT id, name, sub_district FROM social_org WHERE deleted_at IS NULL AND archived_at IS NULL"


def should_form_branch_orgs(session: Session, *, today: date, org_ids: Iterable[str] | None = None,
                            policy: Policy = NATIONAL) -> list[ShouldFormBranch]:
    """Every active organization (or those of ``org_ids``) that should form its own branch and has none,
    most 正式党员 first.  Read-only; any thread (the caller's session)."""
    wanted = None if org_ids is None else frozenset(org_ids)
    full = Counter(m.org_id for m in members_on(session, today)
                   if m.counts_for_setup and (wanted is None or m.org_id in wanted))
    candidates = {org_id for org_id, count in full.items() if should_form_branch(count, policy=policy)}
    if not candidates:
        return []
    covered_by: dict[str, list[str]] = defaultdict(list)
    own: set[str] = set()
    for row in session.execute(text(_COVERAGE_SQL)):
        if row.org_id not in candidates:
            continue
        if row.covers == 1:
            own.add(row.org_id)
        else:
            covered_by[row.org_id].append(row.name)
    found = [ShouldFormBranch(row.id, row.name, row.sub_district, full[row.id], tuple(sorted(covered_by[row.id])))
             for row in session.execute(text(_ORGS_SQL))
             if row.id in candidates and row.id not in own]
    return sorted(found, key=lambda f: (-f.full_members, f.name))
