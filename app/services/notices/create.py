"""Creating notices (草稿) from the records they are about, editing and deleting a 草稿: a 整改通知书 from an
organization's items, a 走访通知 from a planned visit, a 提醒函 from a compliance finding.  签发 and what
follows: ``lifecycle``.

Each call owns its write transaction and returns the new notice's id.  Any thread (the UI: the write lane).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.compliance import RuleId
from app.domain.enums import NoticeKind, NoticeStatus, VisitStatus
from app.models import AuditLog, Notice, PartyOrgCoverage, Rectification, SocialOrg, Visit
from app.services.compliance.dto import FindingRow
from app.services.core import clock
from app.services.core.errors import NotFoundError, ServiceError, ValidationFailed
from app.services.core.outbox import set_actor, tombstone
from app.services.notices import wording
from app.services.notices.numbering import number_text
from app.services.notices.settings import series_settings_in
from app.services.notices.subjects import free_items, items_by_id, live_notice, notice_items, org_name

__all__ = ["create_rectification_notice", "create_reminder_letter", "create_visit_notice", "delete_notice_draft",
           "edit_notice_draft", "finding_period"]

NO_ITEMS = "通知书至少要列一项整改事项"


def _new_notice(session: Session, kind: NoticeKind, *, org_id: str, title: str, addressee: str, body: str,
                with_receipt: bool, actor: str) -> Notice:
    settings = series_settings_in(session)
    notice = Notice(kind=kind, org_id=org_id, status=NoticeStatus.DRAFT, series=settings.of(kind),
                    year=clock.today().year, title=title, addressee=addressee, issuer=settings.issuer, body=body,
                    with_receipt=with_receipt)
    session.add(notice)
    session.flush()
    session.add(AuditLog(actor=actor, action="create", entity="notice", record_id=notice.id,
                         summary=f"{kind.label}：{addressee}"))
    return notice


def create_rectification_notice(factory: sessionmaker[Session], *, org_id: str, item_ids: Sequence[str] | None = None,
                                with_receipt: bool = True, actor: str) -> str:
    """A 整改通知书 (草稿) for one organization listing ``item_ids`` — by default all its items free to go
    on a notice (草稿, or 已签发 on a notice since 作废).  ValidationFailed for no items, an item of another
    organization, or one already on another live notice; NotFoundError for an unknown organization or item."""
    with factory.begin() as session:
        set_actor(session, actor)
        name = org_name(session, org_id)
        free = free_items(session, org_id)
        chosen = free if item_ids is None else items_by_id(session, item_ids)
        problems = _item_problems(session, org_id, chosen, {item.id for item in free})
        if problems:
            raise ValidationFailed(problems)
        if not chosen:
            raise ValidationFailed({"items": f"{NO_ITEMS}：{name}没有可列入通知书的整改事项"
                                             "（草稿，或原通知书已作废的未完成事项）。"})
        notice = _new_notice(session, NoticeKind.RECTIFICATION_NOTICE, org_id=org_id,
                             title=wording.RECTIFICATION_TITLE, addressee=name, body=wording.RECTIFICATION_BODY,
                             with_receipt=with_receipt, actor=actor)
        for item in chosen:
            item.notice_id = notice.id
        return notice.id


def _item_problems(session: Session, org_id: str, chosen: Sequence[Rectification], free: set[str]
                   ) -> dict[str, str]:
    problems: dict[str, str] = {}
    for item in chosen:
        if item.org_id != org_id:
            other = session.execute(select(SocialOrg.name).where(SocialOrg.id == item.org_id)).scalar() or "另一组织"
            problems[item.id] = f"整改事项“{item.title}”属于{other}，不能列入本组织的通知书"
        elif item.id not in free:
            on = session.get(Notice, item.notice_id) if item.notice_id else None
            where = f"已列入通知 {number_text(on)}" if on is not None else f"当前为「{item.status.label}」"
            problems[item.id] = f"整改事项“{item.title}”{where}，不能再列入新的通知书"
    return problems


def create_visit_notice(factory: sessionmaker[Session], *, visit_id: str, actor: str) -> str:
    """A 走访通知 (草稿) announcing a planned visit; the visit points to it (``Visit.notice_id``).
    A surprise visit (不打招呼) gets none, nor a visit already done or already announced: ServiceError."""
    with factory.begin() as session:
        set_actor(session, actor)
        visit = session.get(Visit, visit_id)
        if visit is None or visit.deleted_at is not None:
            raise NotFoundError(f"找不到该走访（{visit_id}），可能已被删除。")
        if visit.surprise:
            raise ServiceError("这是不打招呼的走访（暗访），不发走访通知。")
        if visit.status is not VisitStatus.PLANNED:
            raise ServiceError("这次走访已经完成，不需要走访通知；走访通知只用于计划中的走访。")
        if visit.notice_id:
            current = session.get(Notice, visit.notice_id)
            if current is not None and current.deleted_at is None and current.status is not NoticeStatus.VOID:
                raise ServiceError(f"这次走访已有走访通知{bracketed(number_text(current))}，不必重复；"
                                   "如需重发，请先作废原通知。")
        name = org_name(session, visit.org_id)
        notice = _new_notice(session, NoticeKind.VISIT_NOTICE, org_id=visit.org_id, title=wording.VISIT_TITLE,
                             addressee=name, body=wording.visit_body(visit.visited_on, visit.started_at, visit.mode),
                             with_receipt=True, actor=actor)
        visit.notice_id = notice.id
        return notice.id


def finding_period(finding: FindingRow) -> str:
    """How a 提醒函 records the period of its finding: ``QUARTER:2026-01-01``, ``DUE:2026-05-01`` for a
    standing finding with a day, else empty."""
    if finding.period is not None:
        return f"{finding.period.kind.value}:{finding.period.first.isoformat()}"
    return f"DUE:{finding.due_on.isoformat()}" if finding.due_on else ""


def create_reminder_letter(factory: sessionmaker[Session], *, finding: FindingRow, actor: str) -> str:
    """A 提醒函 (草稿) about a compliance finding — 换届 due or overdue, 三会一课 missing — its paragraphs
    filled from the finding.  ServiceError for another kind of finding, one that no longer stands (补录 or
    豁免 since), or one that already has a live letter."""
    from app.services.compliance import findings

    rule = RuleId(finding.rule_id)
    if rule not in wording.REMINDER_RULES:
        raise ServiceError(f"提醒函只用于换届到期和“三会一课”缺项，不用于“{rule.label}”。")
    period = finding_period(finding)
    with factory.begin() as session:
        set_actor(session, actor)
        party_ids = [finding.party_org_id] if finding.party_org_id else None
        org_ids = [finding.org_id] if finding.org_id and not party_ids else None
        standing = [row for row in findings(session, party_org_ids=party_ids, org_ids=org_ids, rules=[rule])
                    if row.subject_id == finding.subject_id and finding_period(row) == period]
        if not standing:
            raise ServiceError("这项问题已不存在（可能已补录记录或已豁免），不需要提醒函。")
        current = standing[0]
        org_id = current.org_id or _covered_org(session, current.party_org_id)
        _refuse_duplicate(session, org_id, rule, period)
        addressee = current.party_org_name or current.org_name
        body = wording.reminder_body(rule, addressee, current.message, current.due_on)
        notice = _new_notice(session, NoticeKind.REMINDER_LETTER, org_id=org_id, title=wording.reminder_title(rule),
                             addressee=addressee, body=body, with_receipt=False, actor=actor)
        notice.rule_id, notice.period = rule.value, period
        return notice.id


def _covered_org(session: Session, party_org_id: str | None) -> str:
    """The organization a 党组织's letter is filed under: the first it covers by name."""
    org_id = session.execute(select(SocialOrg.id).join(PartyOrgCoverage, PartyOrgCoverage.org_id == SocialOrg.id).where(
        PartyOrgCoverage.party_org_id == party_org_id, PartyOrgCoverage.deleted_at.is_(None),
        SocialOrg.deleted_at.is_(None)).order_by(SocialOrg.name).limit(1)).scalar()
    if org_id is None:
        raise ServiceError("该党组织没有覆盖任何社会组织，无法确定提醒函归属的组织。")
    return str(org_id)


def _refuse_duplicate(session: Session, org_id: str, rule: RuleId, period: str) -> None:
    existing = session.scalars(select(Notice).where(
        Notice.org_id == org_id, Notice.kind == NoticeKind.REMINDER_LETTER, Notice.rule_id == rule.value,
        Notice.period == period, Notice.deleted_at.is_(None), Notice.status != NoticeStatus.VOID)).first()
    if existing is not None:
        raise ServiceError(f"这项问题已有提醒函{bracketed(number_text(existing))}，不必重复；"
                           "如需重发，请先作废原提醒函。")


def bracketed(number: str) -> str:
    """（文号）, but a 草稿's “（未签发，无文号）” is bracketed already."""
    return number if number.startswith("（") else f"（{number}）"




def edit_notice_draft(factory: sessionmaker[Session], notice_id: str, *, title: str, addressee: str, body: str,
                      with_receipt: bool, item_ids: Sequence[str] | None = None, actor: str) -> str:
    """Change a 草稿 before 签发: its title, 主送, body (paragraphs separated by a blank line), 回执, and for
    a 整改通知书 its items (``item_ids``; None keeps them).  The whole is checked first: ValidationFailed
    naming each field (nothing saved); ServiceError once it is issued.  Returns its id."""
    problems = {field: message for field, message in (
        ("title", _text_problem("标题", title, 200)), ("addressee", _text_problem("主送单位", addressee, 200)),
        ("body", "" if wording.paragraphs(body) else "请填写正文。")) if message}
    with factory.begin() as session:
        set_actor(session, actor)
        notice = live_notice(session, notice_id)
        if notice.status is not NoticeStatus.DRAFT:
            raise ServiceError(f"通知当前为「{notice.status.label}」，不能再修改；如内容有误，请作废后重新生成。")
        if item_ids is not None and notice.kind is NoticeKind.RECTIFICATION_NOTICE:
            current = {item.id for item in notice_items(session, notice.id)}
            chosen = items_by_id(session, item_ids)
            free = {item.id for item in free_items(session, notice.org_id)} | current
            problems.update(_item_problems(session, notice.org_id, chosen, free))
            if not chosen:
                problems["items"] = NO_ITEMS + "。"
        if problems:
            raise ValidationFailed(problems)
        notice.title, notice.addressee = " ".join(title.split()), " ".join(addressee.split())
        notice.body, notice.with_receipt = body.strip(), with_receipt
        if item_ids is not None and notice.kind is NoticeKind.RECTIFICATION_NOTICE:
            keep = set(item_ids)
            for item in notice_items(session, notice.id):
                if item.id not in keep:
                    item.notice_id = None
            for item in chosen:
                item.notice_id = notice.id
        session.add(AuditLog(actor=actor, action="update", entity="notice", record_id=notice.id,
                             summary=f"{notice.kind.label}草稿：{notice.addressee}"))
        return notice.id


def _text_problem(label: str, text: str, limit: int) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        return f"请填写{label}。"
    return f"{label}最多 {limit} 个字（现有 {len(cleaned)} 个）。" if len(cleaned) > limit else ""


def delete_notice_draft(factory: sessionmaker[Session], notice_id: str, *, actor: str) -> str:
    """Delete a 草稿 (it never had a number, so none is lost): a tombstone through the outbox; its items
    are free for another notice again (still 草稿), its visit may get another 走访通知, its finding another
    提醒函.  ServiceError once it is issued (作废 it instead); NotFoundError when already gone."""
    with factory.begin() as session:
        set_actor(session, actor)
        notice = live_notice(session, notice_id)
        if notice.status is not NoticeStatus.DRAFT:
            raise ServiceError(f"通知当前为「{notice.status.label}」，已有文号，不能删除；如内容有误，请作废。")
        for item in notice_items(session, notice.id):
            item.notice_id = None
        for visit in session.scalars(select(Visit).where(Visit.notice_id == notice.id)):
            visit.notice_id = None
        session.add(AuditLog(actor=actor, action="delete", entity="notice", record_id=notice.id,
                             summary=f"{notice.kind.label}草稿：{notice.addressee}"))
        tombstone(session, notice, actor=actor)
        return notice.id
