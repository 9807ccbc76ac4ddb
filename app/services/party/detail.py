"""One party organization in full: 概况 (covered organizations, setup findings), 任期与班子 (terms with
their computed 届满 day and state, the committee of the current term), 党小组, and the roster of a day.

Setup findings come from ``app.domain.branch_rules.branch_setup_findings``: ≥ 7 正式党员 (组织关系 here)
need a 支委会 of 3–7; more than 50 members warn; a 联合 branch covering more than 5 organizations warns.
Read-only; any thread.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.branch_rules import branch_setup_findings, term_status
from app.domain.enums import CommitteeRole, MemberKind, PartyOrgFormation
from app.domain.policy import NATIONAL, Policy
from app.models import CommitteeMember, Member, PartyGroup, PartyOrg, PartyOrgCoverage, PartyOrgTerm, SocialOrg
from app.services.core import clock
from app.services.party.common import is_community_party_org, live_party_org, terms_of
from app.services.party.dto import CommitteePost, CoveredOrg, GroupInfo, PartyOrgDetail, RosterEntry, TermInfo
from app.services.party.roster import roster_on

__all__ = ["committee_posts", "load_roster", "party_org_detail"]

_ROLE_ORDER = {CommitteeRole.SECRETARY: 0, CommitteeRole.DEPUTY_SECRETARY: 1, CommitteeRole.MEMBER: 2}


def covered_orgs(session: Session, party_org_id: str) -> tuple[CoveredOrg, ...]:
    rows = session.execute(
        select(SocialOrg.id, SocialOrg.name, SocialOrg.sub_district, SocialOrg.community)
        .join(PartyOrgCoverage, PartyOrgCoverage.org_id == SocialOrg.id)
        .where(PartyOrgCoverage.party_org_id == party_org_id, PartyOrgCoverage.deleted_at.is_(None),
               SocialOrg.deleted_at.is_(None))
        .order_by(SocialOrg.name_pinyin, SocialOrg.name))
    return tuple(CoveredOrg(*row) for row in rows)


def _term_info(term: PartyOrgTerm, today: date, policy: Policy) -> TermInfo:
    status = term_status(term.due_on, today, policy=policy) if term.renewed_on is None else None
    return TermInfo(term.id, term.term_no, term.started_on, term.due_on, term.renewed_on, term.note, status)


def committee_posts(session: Session, term_id: str) -> tuple[CommitteePost, ...]:
    """The posts of one term (ended ones too), 书记 first, then by the day they began."""
    rows = session.execute(
        select(CommitteeMember, Member.name).join(Member, Member.id == CommitteeMember.member_id)
        .where(CommitteeMember.term_id == term_id, CommitteeMember.deleted_at.is_(None)))
    posts = [CommitteePost(post.id, post.term_id, post.member_id, name, post.role, post.first_day, post.last_day)
             for post, name in rows]
    return tuple(sorted(posts, key=lambda p: (p.last_day is not None, _ROLE_ORDER[p.role], p.first_day, p.id)))


def _groups(session: Session, party_org_id: str) -> tuple[GroupInfo, ...]:
    members = list(session.execute(select(Member.id, Member.name, Member.party_group_id).where(
        Member.party_org_id == party_org_id, Member.deleted_at.is_(None), Member.left_on.is_(None))))
    names = {member_id: name for member_id, name, _ in members}
    sizes = Counter(group_id for _, _, group_id in members if group_id)
    rows = session.execute(select(PartyGroup).where(
        PartyGroup.party_org_id == party_org_id, PartyGroup.deleted_at.is_(None))
        .order_by(PartyGroup.last_day.is_not(None), PartyGroup.name)).scalars()
    return tuple(GroupInfo(g.id, g.name, g.leader_member_id, names.get(g.leader_member_id or "", ""), g.first_day,
                           g.last_day, sizes[g.id]) for g in rows)


def party_org_detail(factory: sessionmaker[Session], party_org_id: str, *, today: date | None = None,
                     policy: Policy = NATIONAL) -> PartyOrgDetail:
    """概况, terms, committee of the current term, 党小组 and setup findings as they stand on ``today``.
    Raises NotFoundError.  Read-only; any thread."""
    today = today or clock.today()
    with factory() as session:
        party = live_party_org(session, party_org_id)
        return _detail(session, party, today, policy)


def _detail(session: Session, party: PartyOrg, today: date, policy: Policy) -> PartyOrgDetail:
    covered = covered_orgs(session, party.id)
    terms = tuple(_term_info(term, today, policy) for term in terms_of(session, party.id))
    current = next((term for term in terms if term.current), None)
    committee = committee_posts(session, current.id) if current else ()
    roster = roster_on(session, party.id, today)
    full = sum(1 for entry in roster if entry.kind is MemberKind.FULL and entry.relation_here)
    members = sum(1 for entry in roster if entry.kind is not None)
    sitting = sum(1 for post in committee if post.active_on(today))
    findings = branch_setup_findings(
        full_members=full, members=members, has_party_org=True, committee_size=sitting or None,
        covered_orgs=len(covered), joint=party.formation is PartyOrgFormation.JOINT, policy=policy)
    return PartyOrgDetail(
        id=party.id, name=party.name, level=party.level, formation=party.formation, superior_org=party.superior_org,
        established_on=party.established_on, community=is_community_party_org(party.name), covered=covered,
        terms=terms, committee=committee, groups=_groups(session, party.id), full_members=full, members=members,
        findings=findings, updated_at=party.updated_at)


def load_roster(factory: sessionmaker[Session], party_org_id: str, *,
                day: date | None = None) -> tuple[RosterEntry, ...]:
    """:func:`app.services.party.roster.roster_on` in its own session (default: today).  Raises
    NotFoundError.  Read-only; any thread."""
    day = day or clock.today()
    with factory() as session:
        live_party_org(session, party_org_id)
        return roster_on(session, party_org_id, day)
