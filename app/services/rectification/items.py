"""整改 items: create, edit while 草稿, delete a 草稿, load with its history, list with filters.

An item is raised from a visit's finding (the visits area calls ``create_item`` with ``visit_id`` /
``finding_id``) or entered directly (督查 / 年检 / 其他).  It is a 草稿 until 签发; only a 草稿 may be
edited or deleted — after 签发 the text is the issued text and changes go in follow-ups
(``follow_ups.append_follow_up``).  The deadline in force and the status come from the follow-ups
replayed in order (``history``); overdue is computed on civil dates from ``clock.today()``.

Every call owns its transaction, validates the whole input first (``ValidationFailed``: field -> Chinese
message, nothing saved), writes through the outbox and returns frozen DTOs.  Any thread (the UI: writes
on the write lane, reads on the read lane).
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain import rectification_flow as flow
from app.domain.enums import RectificationSource, RectificationStatus
from app.models import AuditLog, Finding, Rectification, SocialOrg, Visit, new_id
from app.services.core import clock
from app.services.core.errors import StaleEditError, ValidationFailed
from app.services.core.outbox import record_upsert, tombstone
from app.services.rectification.dto import (
    OrgChoice,
    RectificationDetail,
    RectificationInput,
    RectificationList,
    RectificationRow,
)
from app.services.rectification.follow_ups import load_item_row
from app.services.rectification.history import History, follow_up_views, histories, history

__all__ = ["check_item", "create_item", "delete_item", "list_items", "load_item", "org_choices", "update_item"]

_TEXTS = ("source_detail", "title", "description", "basis", "requirement", "responsible_person")
_LIMITS = {"title": ("存在问题（标题）", 200), "source_detail": ("来源说明", 200),
           "responsible_person": ("整改责任人", 100)}
LIST_LIMIT = 1000


def _cleaned(data: RectificationInput) -> RectificationInput:
    return dataclasses.replace(data, **{name: getattr(data, name).strip() for name in _TEXTS})


def _problems(session: Session, data: RectificationInput, today: date, *, item_id: str | None) -> dict[str, str]:
    problems: dict[str, str] = {}
    org = session.get(SocialOrg, data.org_id) if data.org_id else None
    if org is None or org.deleted_at is not None:
        problems["org_id"] = "请选择整改事项所属的社会组织"
    if not data.title:
        problems["title"] = "请填写存在的问题（一句话概括，例如“未按期召开支部党员大会”）"
    for name, (label, limit) in _LIMITS.items():
        if len(getattr(data, name)) > limit:
            problems[name] = f"{label}最多 {limit} 个字，现在有 {len(getattr(data, name))} 个字：详细内容请写在下面"
    if not data.requirement:
        problems["requirement"] = "请填写整改要求（要求组织做到什么）"
    if data.raised_on > today:
        problems["raised_on"] = f"提出日期 {flow.civil_day(data.raised_on)} 晚于今天，请核对"
    if data.deadline < data.raised_on:
        problems["deadline"] = (f"整改期限 {flow.civil_day(data.deadline)} 早于提出日期 "
                                f"{flow.civil_day(data.raised_on)}，请改为提出日期当天或以后")
    problems.update(_source_problems(session, data, item_id=item_id))
    return problems


def _source_problems(session: Session, data: RectificationInput, *, item_id: str | None) -> dict[str, str]:
    if data.source is not RectificationSource.VISIT:
        if data.visit_id or data.finding_id:
            return {"source": "来源为督查、年检或其他的整改事项不能关联走访记录；从走访发现的问题请选“走访”"}
        return {}
    visit = session.get(Visit, data.visit_id) if data.visit_id else None
    if visit is None or visit.deleted_at is not None:
        return {"source": "来源为走访的整改事项应从走访记录的“发现问题”生成："
                          "请在走访记录中操作，或改选督查、年检、其他"}
    if visit.org_id != data.org_id:
        return {"source": "所关联的走访记录不是这个社会组织的，请核对"}
    if data.finding_id is None:
        return {}
    finding = session.get(Finding, data.finding_id)
    if finding is None or finding.deleted_at is not None or finding.visit_id != visit.id:
        return {"source": "所关联的发现问题不在这次走访记录中（可能已被删除），请核对"}
    existing = session.execute(select(Rectification.id).where(
        Rectification.finding_id == data.finding_id, Rectification.deleted_at.is_(None),
        Rectification.id != (item_id or ""))).first()
    if existing is not None:
        return {"source": "这条发现问题已经生成过整改事项，请在整改列表中查看，不要重复生成"}
    return {}


def check_item(factory: sessionmaker[Session], data: RectificationInput, *, item_id: str | None = None,
               today: date | None = None) -> dict[str, str]:
    """What is wrong with ``data`` (field -> Chinese message; empty: it may be saved).  The form calls it
    live; ``create_item`` / ``update_item`` refuse with the same messages."""
    with factory() as session:
        return _problems(session, _cleaned(data), today or clock.today(), item_id=item_id)


def _apply(item: Rectification, data: RectificationInput) -> None:
    for field in dataclasses.fields(data):
        value = getattr(data, field.name)
        if getattr(item, field.name) != value:
            setattr(item, field.name, value)


def _org_name(session: Session, org_id: str) -> str:
    org = session.get(SocialOrg, org_id)
    return org.name if org is not None else "（已删除的组织）"


def create_item(factory: sessionmaker[Session], data: RectificationInput, *, actor: str) -> str:
    """Create a 草稿 item; returns its id.  ValidationFailed (nothing saved): no organization, an empty
    problem or requirement, a deadline before the raised date, a 走访 item not linked to a visit of this
    organization, a finding already raised."""
    data = _cleaned(data)
    with factory.begin() as session:
        problems = _problems(session, data, clock.today(), item_id=None)
        if problems:
            raise ValidationFailed(problems)
        item = Rectification(id=new_id(), status=RectificationStatus.DRAFT)
        _apply(item, data)
        record_upsert(session, item, actor=actor)
        session.add(AuditLog(actor=actor, action="create", entity="rectification", record_id=item.id,
                             summary=f"{_org_name(session, data.org_id)}：{data.title}"[:500]))
        return item.id


def _draft(session: Session, item_id: str, action: str) -> Rectification:
    item = load_item_row(session, item_id)
    status = history(session, item).status
    if status is not RectificationStatus.DRAFT:
        raise ValidationFailed({"status": f"整改事项已「{status.label}」，不能{action}：签发后的内容以通知书为准，"
                                          "情况变化请添加跟进记录（备注、延期等）"})
    return item


def update_item(factory: sessionmaker[Session], item_id: str, data: RectificationInput, *, actor: str,
                expected_updated_at: datetime | None = None) -> None:
    """Change a 草稿 item's fields (same checks as ``create_item``); ValidationFailed once it is issued,
    StaleEditError when it changed since the form read it (``expected_updated_at``)."""
    data = _cleaned(data)
    with factory.begin() as session:
        item = _draft(session, item_id, "修改")
        if expected_updated_at is not None and item.updated_at != expected_updated_at:
            raise StaleEditError(item.title)
        if data.org_id != item.org_id:
            raise ValidationFailed({"org_id": "整改事项不能改到另一个社会组织：请为那个组织新建一条，再删除这条草稿"})
        problems = _problems(session, data, clock.today(), item_id=item_id)
        if problems:
            raise ValidationFailed(problems)
        _apply(item, data)
        record_upsert(session, item, actor=actor)
        session.add(AuditLog(actor=actor, action="update", entity="rectification", record_id=item.id,
                             summary=data.title[:500]))


def delete_item(factory: sessionmaker[Session], item_id: str, *, actor: str) -> None:
    """Delete a 草稿 item (a tombstone the server learns of); an issued item is never deleted."""
    with factory.begin() as session:
        item = _draft(session, item_id, "删除")
        tombstone(session, item, actor=actor)
        session.add(AuditLog(actor=actor, action="delete", entity="rectification", record_id=item.id,
                             summary=item.title[:500]))


def _input_of(item: Rectification) -> RectificationInput:
    return RectificationInput(**{f.name: getattr(item, f.name) for f in dataclasses.fields(RectificationInput)})


def load_item(factory: sessionmaker[Session], item_id: str, *, today: date | None = None) -> RectificationDetail:
    """One item with its history in order (with evidence), the deadline in force and its 延期, the
    follow-ups allowed now and how many days it is overdue on ``today`` (default: the clock's)."""
    today = today or clock.today()
    with factory() as session:
        item = load_item_row(session, item_id)
        item_history = history(session, item)
        views = follow_up_views(session, item_history)
        status, in_force = item_history.status, item_history.deadline_in_force(item.deadline)
        return RectificationDetail(
            id=item.id, data=_input_of(item), org_name=_org_name(session, item.org_id), status=status,
            deadline_in_force=in_force,
            extensions=tuple(v for v in views if v.counted and v.new_deadline is not None),
            follow_ups=views, allowed_kinds=flow.allowed_kinds(status),
            overdue_days=flow.days_overdue(status, in_force, (), today), notice_id=item.notice_id,
            updated_at=item.updated_at)


def list_items(factory: sessionmaker[Session], *, status: RectificationStatus | None = None,
               overdue_only: bool = False, org_id: str | None = None, source: RectificationSource | None = None,
               search: str = "", today: date | None = None, limit: int = LIST_LIMIT) -> RectificationList:
    """Live items matching every filter, the overdue first (most days first), then by deadline.  ``search``
    matches the problem, 依据, 整改要求, 来源说明, 责任人 or the organization's name."""
    today = today or clock.today()
    query = (select(Rectification, SocialOrg.name).join(SocialOrg, SocialOrg.id == Rectification.org_id)
             .where(Rectification.deleted_at.is_(None)))
    if org_id:
        query = query.where(Rectification.org_id == org_id)
    if source is not None:
        query = query.where(Rectification.source == source)
    if search.strip():
        like = f"%{search.strip()}%"
        query = query.where(or_(*(column.like(like) for column in (
            Rectification.title, Rectification.description, Rectification.basis, Rectification.requirement,
            Rectification.source_detail, Rectification.responsible_person, SocialOrg.name))))
    with factory() as session:
        found = session.execute(query).all()
        known = histories(session, [item.id for item, _name in found])
    rows = [_row(item, name, known[item.id], today) for item, name in found]
    if status is not None:  # the status the history gives (the stored one may lag a sync merge)
        rows = [row for row in rows if row.status is status]
    if overdue_only:
        rows = [row for row in rows if row.overdue]
    rows.sort(key=lambda r: (-r.overdue_days, r.status is RectificationStatus.CLOSED, r.deadline_in_force, r.id))
    return RectificationList(tuple(rows[:limit]), len(rows), sum(1 for row in rows if row.overdue))


def _row(item: Rectification, org_name: str, item_history: History, today: date) -> RectificationRow:
    status, in_force = item_history.status, item_history.deadline_in_force(item.deadline)
    return RectificationRow(
        id=item.id, org_id=item.org_id, org_name=org_name, source=item.source, title=item.title,
        status=status, raised_on=item.raised_on, deadline_in_force=in_force,
        extended=in_force != item.deadline, overdue_days=flow.days_overdue(status, in_force, (), today),
        responsible_person=item.responsible_person)


def org_choices(factory: sessionmaker[Session]) -> tuple[OrgChoice, ...]:
    """The live organizations (not archived) a new item may be raised for, by name."""
    with factory() as session:
        rows = session.execute(select(SocialOrg.id, SocialOrg.name).where(
            SocialOrg.deleted_at.is_(None), SocialOrg.archived_at.is_(None)).order_by(SocialOrg.name)).all()
    return tuple(OrgChoice(org_id, name) for org_id, name in rows)
