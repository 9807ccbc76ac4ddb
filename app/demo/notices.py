"""Demo 文书: numbered notices over what the rest of the demo wrote (``seed-demo``).

- 整改通知书: one per organization and occasion (a visit, or the day the items were raised) over its
  rectification items past 草稿, issued a day or two after they were raised, delivered, and signed for
  once the items were acknowledged.  草稿 items stay off any notice, so the demo can make one.
- 走访通知: every planned visit that is not a surprise one, and some of the on-site visits of the last two
  months (announced a few days before, signed for).
- 提醒函: most 党组织 whose current term is due within the reminder months or overdue (the 换届 findings of
  the compliance rules, worked out from the terms as the rules do).
- Most numbers are confirmed; those issued in the last ten days are provisional (the demo profile never
  syncs, so they stay so), printed with 临 and this profile's device tag; one notice is 作废 with its reason
  and re-issued under a new number.

Runs after the main load, in one transaction (``bulk_load`` without outbox entries; the links on the items
and visits are set through the ORM, which the demo profile's sessions keep out of the outbox too).
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.branch_rules import TermState, term_status
from app.domain.compliance import RuleId
from app.domain.enums import NoticeKind, NoticeStatus, RectificationStatus, VisitMode, VisitStatus
from app.models import Notice, PartyOrg, PartyOrgCoverage, PartyOrgTerm, Rectification, SocialOrg, Visit, new_id
from app.services.core.identity import device_tag
from app.services.core.outbox import bulk_load, set_actor
from app.services.notices import wording
from app.services.notices.settings import series_settings_in, store_instructor_in

PROVISIONAL_DAYS = 10  # issued this recently: not yet confirmed
ANNOUNCED_SHARE = 0.3  # on-site visits of the last two months that had a 走访通知
REMINDED_SHARE = 0.7  # 党组织 with a 换届 due that got a 提醒函
VOID_REASON = "主送单位名称有误，已作废并重新发文"
_TERM_RULES = {TermState.DUE_SOON: RuleId.TERM_DUE_SOON, TermState.EXPIRED: RuleId.TERM_OVERDUE,
               TermState.OVERDUE: RuleId.TERM_VIOLATION}
Row = dict[str, Any]


@dataclass
class _Plan:
    """The notices to write, and the links to set once they exist."""

    rows: list[Row] = field(default_factory=list)
    item_links: dict[str, str] = field(default_factory=dict)  # rectification id -> notice id
    visit_links: dict[str, str] = field(default_factory=dict)  # visit id -> notice id

DEMO_INSTRUCTOR, DEMO_PHONE = "林晓梅", "0591-87654321"


def emit_notices(factory: sessionmaker[Session], *, today: date, seed: int, actor: str) -> int:
    """Write the demo's notices (see the module doc); returns how many."""
    rng = random.Random(seed * 7919 + 8)
    with factory.begin() as session:
        set_actor(session, actor)
        settings, tag = series_settings_in(session), device_tag(session)
        if not settings.instructor_name:
            store_instructor_in(session, DEMO_INSTRUCTOR, DEMO_PHONE)  # the documents print it
        orgs = {org_id: (name, contact) for org_id, name, contact in session.execute(
            select(SocialOrg.id, SocialOrg.name, SocialOrg.contact_person).where(SocialOrg.deleted_at.is_(None)))}
        plan = _Plan()
        _rectification_notices(session, plan, rng, orgs, today, settings.issuer)
        _visit_notices(session, plan, rng, orgs, today, settings.issuer)
        _reminder_letters(session, plan, rng, orgs, today, settings.issuer)
        _number(plan.rows, today, tag, {kind: settings.of(kind) for kind in NoticeKind})
        bulk_load(session, Notice, plan.rows, actor=actor, outbox=False)
        _link(session, Rectification, plan.item_links)
        _link(session, Visit, plan.visit_links)
    return len(plan.rows)


def _notice(kind: NoticeKind, org_id: str, issued_on: date, *, title: str, addressee: str, issuer: str, body: str,
            today: date, rng: random.Random, signer: str, signed: bool, with_receipt: bool = False) -> Row:
    """A notice issued on ``issued_on``: delivered a day or two later (if that day has come), signed for
    (``signed``) on the day it was delivered or the next."""
    delivered = issued_on + timedelta(days=rng.choice((0, 1, 1, 2)))
    row: Row = {"id": new_id(), "kind": kind, "org_id": org_id, "status": NoticeStatus.ISSUED, "issued_on": issued_on,
                "title": title, "addressee": addressee, "issuer": issuer, "body": body, "with_receipt": with_receipt}
    if delivered <= today:
        row.update(status=NoticeStatus.DELIVERED, delivered_on=delivered)
        signed_on = delivered + timedelta(days=rng.choice((0, 0, 1)))
        if signed and signed_on <= today:
            row.update(status=NoticeStatus.SIGNED, signed_on=signed_on, signed_by=signer)
    return row


def _rectification_notices(session: Session, plan: _Plan, rng: random.Random, orgs: dict[str, tuple[str, str]],
                           today: date, issuer: str) -> None:
    groups: dict[tuple[str, str], list[tuple[str, date, date, RectificationStatus]]] = defaultdict(list)
    for item_id, org_id, visit_id, raised_on, deadline, status in session.execute(
            select(Rectification.id, Rectification.org_id, Rectification.visit_id, Rectification.raised_on,
                   Rectification.deadline, Rectification.status)
            .where(Rectification.deleted_at.is_(None), Rectification.notice_id.is_(None),
                   Rectification.status != RectificationStatus.DRAFT)
            .order_by(Rectification.raised_on, Rectification.id)):
        if org_id in orgs:
            groups[(org_id, visit_id or raised_on.isoformat())].append((item_id, raised_on, deadline, status))
    voided = False
    for (org_id, _occasion), items in groups.items():
        raised = max(raised_on for _id, raised_on, _d, _s in items)
        issued_on = min(raised + timedelta(days=rng.choice((0, 1, 1, 2))), min(d for _i, _r, d, _s in items), today)
        signed = any(status is not RectificationStatus.ISSUED for *_rest, status in items)
        name, contact = orgs[org_id]
        row = _notice(NoticeKind.RECTIFICATION_NOTICE, org_id, issued_on, title=wording.RECTIFICATION_TITLE,
                      addressee=name, issuer=issuer, body=wording.RECTIFICATION_BODY, today=today, rng=rng,
                      signer=contact, signed=signed, with_receipt=rng.random() < 0.5)
        if not voided and (today - issued_on).days > 30 and issued_on > raised:
            voided = True  # the first one was sent with a wrong name, voided and issued again the same day
            plan.rows.append({**row, "id": new_id(), "status": NoticeStatus.VOID, "void_reason": VOID_REASON,
                              "addressee": name + "（误）", "delivered_on": None, "signed_on": None, "signed_by": ""})
        plan.rows.append(row)
        plan.item_links.update((item_id, row["id"]) for item_id, *_rest in items)


def _visit_notices(session: Session, plan: _Plan, rng: random.Random, orgs: dict[str, tuple[str, str]],
                   today: date, issuer: str) -> None:
    recent = today - timedelta(days=61)
    for visit_id, org_id, status, visited_on, started_at, mode in session.execute(
            select(Visit.id, Visit.org_id, Visit.status, Visit.visited_on, Visit.started_at, Visit.mode)
            .where(Visit.deleted_at.is_(None), Visit.notice_id.is_(None), Visit.surprise.is_(False),
                   Visit.visited_on >= recent).order_by(Visit.visited_on, Visit.id)):
        planned = status is VisitStatus.PLANNED
        if org_id not in orgs or not (planned or (mode is VisitMode.ON_SITE and rng.random() < ANNOUNCED_SHARE)):
            continue
        issued_on = min(visited_on - timedelta(days=rng.randint(3, 7)), today)
        name, contact = orgs[org_id]
        row = _notice(NoticeKind.VISIT_NOTICE, org_id, issued_on, title=wording.VISIT_TITLE, addressee=name,
                      issuer=issuer, body=wording.visit_body(visited_on, started_at, mode), today=today, rng=rng,
                      signer=contact, signed=not planned or rng.random() < 0.5, with_receipt=True)
        plan.rows.append(row)
        plan.visit_links[visit_id] = row["id"]


def _reminder_letters(session: Session, plan: _Plan, rng: random.Random, orgs: dict[str, tuple[str, str]],
                      today: date, issuer: str) -> None:
    latest: dict[str, tuple[date, int, date, date | None]] = {}
    for party_id, started, term_no, due, renewed in session.execute(select(
            PartyOrgTerm.party_org_id, PartyOrgTerm.started_on, PartyOrgTerm.term_no, PartyOrgTerm.due_on,
            PartyOrgTerm.renewed_on).where(PartyOrgTerm.deleted_at.is_(None))):
        if party_id not in latest or started > latest[party_id][0]:
            latest[party_id] = (started, term_no, due, renewed)
    names = dict(session.execute(select(PartyOrg.id, PartyOrg.name).where(PartyOrg.deleted_at.is_(None))).all())
    covered = _first_covered(session, orgs)
    for party_id, (_started, term_no, due, renewed) in sorted(latest.items()):
        status = term_status(due, today)
        if renewed is not None or status.state not in _TERM_RULES or party_id not in covered or party_id not in names:
            continue
        if rng.random() > REMINDED_SHARE and any(r["kind"] is NoticeKind.REMINDER_LETTER for r in plan.rows):
            continue  # most get a letter, the first one always
        rule = _TERM_RULES[status.state]
        org_id = covered[party_id]
        issued_on = today - timedelta(days=rng.randint(1, 40))
        row = _notice(NoticeKind.REMINDER_LETTER, org_id, issued_on, title=wording.reminder_title(rule),
                      addressee=names[party_id], issuer=issuer, today=today, rng=rng, signer=orgs[org_id][1],
                      body=wording.reminder_body(rule, names[party_id], f"第{term_no}届任期{status.text}", due),
                      signed=rng.random() < 0.6)
        row.update(rule_id=rule.value, period=f"DUE:{due.isoformat()}")
        plan.rows.append(row)


def _first_covered(session: Session, orgs: dict[str, tuple[str, str]]) -> dict[str, str]:
    """党组织 id -> the organization its letters are filed under (the first it covers by name)."""
    covered: dict[str, str] = {}
    for party_id, org_id in session.execute(select(PartyOrgCoverage.party_org_id, PartyOrgCoverage.org_id).where(
            PartyOrgCoverage.deleted_at.is_(None))):
        if org_id in orgs and (party_id not in covered or orgs[org_id][0] < orgs[covered[party_id]][0]):
            covered[party_id] = org_id
    return covered


def _number(rows: list[Row], today: date, tag: str, series: dict[NoticeKind, str]) -> None:
    """Numbers in the order issued, per 代字 and year: confirmed, or provisional (this device's) when issued
    in the last days.  A 作废 notice keeps the number it had."""
    confirmed: dict[tuple[str, int], int] = defaultdict(int)
    provisional: dict[tuple[str, int], int] = defaultdict(int)
    for row in sorted(rows, key=lambda r: (r["issued_on"], r["status"] is not NoticeStatus.VOID, r["id"])):
        key = (series[row["kind"]], row["issued_on"].year)
        row["series"], row["year"] = key
        if (today - row["issued_on"]).days < PROVISIONAL_DAYS:
            provisional[key] += 1
            row.update(provisional_seq=provisional[key], provisional_device=tag)
        else:
            confirmed[key] += 1
            row["confirmed_seq"] = confirmed[key]


def _link(session: Session, model: type[Rectification | Visit], links: dict[str, str]) -> None:
    """Point each row of ``model`` named in ``links`` to its notice."""
    ids = list(links)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows: Iterable[Rectification | Visit] = session.scalars(select(model).where(model.id.in_(chunk)))
        for row in rows:
            row.notice_id = links[row.id]
    session.flush()

