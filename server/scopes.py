"""Who may read and write which scope (SYNC §8.6).

A supervisor or admin sees the whole district.  An instructor sees ``district`` (read-only), each
organization assigned to them, each party organization covering one of their organizations (a live
``party_org_coverage`` record whose ``org_id`` is assigned to them) and each party organization they created
that no coverage places yet.  A scope the server has never seen is writable by anyone: an organization or
党组织 made offline; its first writer claims it (an organization is then assigned to them).
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from app import wire
from server.assignments import assign
from server.deps import Caller
from server.models import OrgAssignment, PartyCoverage, Record, ScopeCreator, User
from server.store import COVERAGE as COVERAGE  # push.py reads the entity name here


def assigned_org_ids(session: Session, user_id: str) -> list[str]:
    rows = session.execute(select(OrgAssignment.org_id).where(OrgAssignment.user_id == user_id)
                           .order_by(OrgAssignment.org_id))
    return list(rows.scalars())


def covering_party_ids(session: Session, org_ids: list[str]) -> set[str]:
    """The party organizations with a live coverage record of one of ``org_ids``: read from the
    ``party_coverage`` side table by its ``org_id`` index, so the cost follows the caller's organizations,
    not the district's coverage."""
    if not org_ids:
        return set()
    rows = session.execute(select(PartyCoverage.party_org_id).where(PartyCoverage.org_id.in_(org_ids)).distinct())
    return set(rows.scalars())


def _created_parties(session: Session, user_id: str) -> set[str]:
    """The party scopes the user created that no live coverage record places yet (coverage decides then)."""
    created = set(session.execute(select(ScopeCreator.scope).where(ScopeCreator.user_id == user_id,
                                                                   ScopeCreator.scope.startswith("party:"))).scalars())
    if not created:
        return set()
    party_ids = sorted(scope.removeprefix("party:") for scope in created)
    placed = session.execute(select(PartyCoverage.party_org_id).where(PartyCoverage.party_org_id.in_(party_ids)))
    return created - {wire.party_scope(party_id) for party_id in placed.scalars()}


def granted_scopes(session: Session, caller: Caller) -> frozenset[str] | None:
    """Every scope the caller may read now; None = everything (supervisor, admin).

    Organizations come from assignments only (a claimed one was assigned when claimed, so the admin's
    unassign takes it away like any other); a party organization from coverage of an assigned one, or from
    having created it while nothing places it yet."""
    if caller.sees_everything:
        return None
    orgs = assigned_org_ids(session, caller.user_id)
    parties = covering_party_ids(session, orgs)
    return frozenset({wire.DISTRICT_SCOPE, *(wire.org_scope(o) for o in orgs), *(wire.party_scope(p) for p in parties),
                      *_created_parties(session, caller.user_id)})


def scope_is_new(session: Session, scope: str) -> bool:
    """No record, no creator and no assignment names ``scope`` yet."""
    if session.execute(select(exists().where(Record.scope == scope))).scalar():
        return False
    if session.get(ScopeCreator, scope) is not None:
        return False
    if scope.startswith("org:"):
        org_id = scope.removeprefix("org:")
        return not session.execute(select(exists().where(OrgAssignment.org_id == org_id))).scalar()
    return True


def can_write(session: Session, caller: Caller, scope: str, *, version: int | None = None) -> bool:
    """May the caller write a record of ``scope``?  Granted scopes (but never ``district`` for an
    instructor), or a scope new to the district.  With ``version`` (the push's, from next_version) a new
    scope is claimed in this transaction: the caller becomes its ScopeCreator and, for an organization, is
    assigned it (OrgAssignment + its ``assignment`` record) — so roll back with the op when it fails."""
    if caller.sees_everything:
        return True
    if scope == wire.DISTRICT_SCOPE or not scope.startswith(("org:", "party:")):
        return False
    granted = granted_scopes(session, caller) or frozenset()
    if scope in granted:
        return True
    if not scope_is_new(session, scope):
        return False
    if version is not None:
        claim_scope(session, caller, scope, version)
    return True


def claim_scope(session: Session, caller: Caller, scope: str, version: int) -> None:
    """Record the caller as the first writer of a new scope (and assign an organization to them)."""
    session.add(ScopeCreator(scope=scope, user_id=caller.user_id))
    session.flush()
    if scope.startswith("org:"):
        user = session.get(User, caller.user_id)
        assert user is not None
        assign(session, user, scope.removeprefix("org:"), version, actor=caller.username)
