"""Which sync scopes an instructor sees (DESIGN §3 scope key).

An organization's own records are scoped by its ``org_id``; the party aggregate by ``party_org_id``.
The server grants a party organization to every instructor assigned to any organization it covers, so a
联合支部 is shared by the instructors of all its organizations.  This module is the one statement of
that rule on the client; the sync server states the same rule on its side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import PartyOrg, PartyOrgCoverage, SocialOrg


@dataclass(frozen=True)
class Scopes:
    """The scope keys one instructor is served: organizations and party organizations."""

    org_ids: frozenset[str]
    party_org_ids: frozenset[str]

    def __contains__(self, key: object) -> bool:
        return key in self.org_ids or key in self.party_org_ids


def visible_scopes(session: Session, org_ids: Iterable[str]) -> Scopes:
    """The scopes seen by an instructor assigned to ``org_ids``: those organizations (live ones), plus
    every live party organization with a live coverage row for any of them.  Read-only; any thread."""
    wanted = frozenset(org_ids)
    if not wanted:
        return Scopes(frozenset(), frozenset())
    orgs = session.execute(
        select(SocialOrg.id).where(SocialOrg.id.in_(wanted), SocialOrg.deleted_at.is_(None))
    ).scalars()
    live_orgs = frozenset(orgs)
    parties = session.execute(
        select(PartyOrg.id)
        .join(PartyOrgCoverage, PartyOrgCoverage.party_org_id == PartyOrg.id)
        .where(
            PartyOrgCoverage.org_id.in_(live_orgs),
            PartyOrgCoverage.deleted_at.is_(None),
            PartyOrg.deleted_at.is_(None),
        )
        .distinct()
    ).scalars()
    return Scopes(live_orgs, frozenset(parties))
