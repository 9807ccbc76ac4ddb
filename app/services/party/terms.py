"""Terms (届) and the 支部委员会 of a term: 换届 and committee posts.

换届 never overwrites: the current term gets its ``renewed_on`` (the day the new term began) and a new row
is added, numbered on, with its 届满 day computed by ``term_due`` (3 years; 5 for a 村/社区 party
organization, see ``app.services.party.common``).  The first term of a party organization is added the
same way.  A committee post runs from a day to a day (None: to the end of the term); one 书记 at a time.

Every call owns its transaction, validates its input (field -> Chinese message, ValidationFailed) and
writes through the outbox.  Write lane.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import CommitteeRole
from app.models import CommitteeMember, PartyOrgTerm
from app.services.core import clock
from app.services.core.errors import ValidationFailed
from app.services.core.outbox import record_upsert
from app.services.party.common import audit, due_for, live, live_member, live_party_org, terms_of
from app.services.party.dto import CommitteePostInput, TermInput

__all__ = ["add_committee_post", "end_committee_post", "start_term"]


def start_term(factory: sessionmaker[Session], party_org_id: str, data: TermInput, *, actor: str,
               today: date | None = None) -> str:
    """换届 (or the first term) on ``data.started_on``: the current term is marked renewed that day and a
    new term is added.  Returns the new term's id.  Raises ValidationFailed, NotFoundError."""
    today = today or clock.today()
    with factory.begin() as session:
        party = live_party_org(session, party_org_id)
        terms = terms_of(session, party_org_id)
        current = next((t for t in terms if t.renewed_on is None), None)
        started, note = data.started_on, data.note.strip()
        if started is None:
            raise ValidationFailed({"started_on": "请填写本届开始（换届选举）的日期"})
        if started > today:
            raise ValidationFailed({"started_on": f"换届日期 {started.isoformat()} 晚于今天：请在换届完成后再登记"})
        latest = terms[0] if terms else None
        if latest is not None and started <= latest.started_on:
            raise ValidationFailed({"started_on": f"新一届的开始日期须晚于第{latest.term_no}届的开始日期 "
                                                  f"{latest.started_on.isoformat()}"})
        if len(note) > 200:
            raise ValidationFailed({"note": "备注不能超过 200 个字"})
        if current is not None:
            current.renewed_on = started
            record_upsert(session, current, actor=actor)
        term = PartyOrgTerm(party_org_id=party_org_id, term_no=(latest.term_no + 1) if latest else 1,
                            started_on=started, due_on=due_for(party.name, started), note=note)
        record_upsert(session, term, actor=actor)
        audit(session, actor, "create", term, f"{party.name}：第{term.term_no}届（{started.isoformat()} 起）")
        return term.id


def _secretary_clash(session: Session, term_id: str, first_day: date, leaving_out: str = "") -> str:
    others = session.execute(select(CommitteeMember).where(
        CommitteeMember.term_id == term_id, CommitteeMember.role == CommitteeRole.SECRETARY,
        CommitteeMember.deleted_at.is_(None), CommitteeMember.id != leaving_out)).scalars()
    for post in others:
        if post.last_day is None or post.last_day >= first_day:
            return "本届已有书记在任：请先结束原书记的任职，再登记新书记"
    return ""


def add_committee_post(factory: sessionmaker[Session], term_id: str, data: CommitteePostInput, *,
                       actor: str) -> str:
    """A member takes a post (书记 / 副书记 / 委员) on the committee of ``term_id`` from ``first_day``.
    Returns the post's id.  Raises ValidationFailed, NotFoundError."""
    with factory.begin() as session:
        term = live(session, PartyOrgTerm, term_id, "任期")
        problems: dict[str, str] = {}
        if not data.member_id:
            problems["member_id"] = "请选择担任职务的党员"
        if data.first_day is None:
            problems["first_day"] = "请填写任职开始日期"
        elif data.first_day < term.started_on or (term.renewed_on and data.first_day >= term.renewed_on):
            problems["first_day"] = (f"任职日期须在第{term.term_no}届任期内（{term.started_on.isoformat()} 起"
                                     + (f"，{term.renewed_on.isoformat()} 换届前）" if term.renewed_on else "）"))
        if not problems and data.role is CommitteeRole.SECRETARY:
            clash = _secretary_clash(session, term_id, data.first_day)  # type: ignore[arg-type]
            if clash:
                problems["role"] = clash
        if problems:
            raise ValidationFailed(problems)
        member = live_member(session, data.member_id, term.party_org_id)
        sitting = session.execute(select(CommitteeMember.id).where(
            CommitteeMember.term_id == term_id, CommitteeMember.member_id == member.id,
            CommitteeMember.deleted_at.is_(None), CommitteeMember.last_day.is_(None))).first()
        if sitting:
            raise ValidationFailed({"member_id": f"{member.name}已在本届支委会任职：如职务有变，请先结束原职务"})
        post = CommitteeMember(party_org_id=term.party_org_id, term_id=term_id, member_id=member.id,
                               role=data.role, first_day=data.first_day)
        record_upsert(session, post, actor=actor)
        audit(session, actor, "create", post, f"{member.name}任{data.role.label}（第{term.term_no}届）")
        return post.id


def end_committee_post(factory: sessionmaker[Session], post_id: str, last_day: date | None, *, actor: str) -> str:
    """The post ends on ``last_day`` (included).  Returns the post's term id.  Raises ValidationFailed."""
    with factory.begin() as session:
        post = live(session, CommitteeMember, post_id, "支委会职务")
        if last_day is None:
            raise ValidationFailed({"last_day": "请填写任职结束（免职、调离）的日期"})
        if last_day < post.first_day:
            raise ValidationFailed({"last_day": f"结束日期不能早于任职开始日期 {post.first_day.isoformat()}"})
        if last_day > clock.today() + timedelta(days=366):
            raise ValidationFailed({"last_day": "结束日期太远，请核对"})
        post.last_day = last_day
        record_upsert(session, post, actor=actor)
        audit(session, actor, "update", post, f"结束支委会职务（{last_day.isoformat()}）")
        return post.term_id
