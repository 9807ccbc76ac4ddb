"""走访 records (DESIGN §2.0): save, load, list and delete a visit — planned or done.

``save_visit`` writes the visit, its checklist answers (each with the item's text as asked: the text of
the visit's own checklist version, kept from the stored answer on an edit), its findings and photos
(org-scoped ``Attachment`` rows) in one transaction through the outbox; removed children are tombstoned.
A 已走访 visit with ``plan_next`` also creates a PLANNED visit on ``next_visit_on``.  Refusals
(``ValidationFailed``) are listed by ``rules.problems_of``; ``VisitDetail.notes`` carries what the form
should point out.  Every call owns its transaction and returns frozen DTOs; any thread (the UI uses the
write lane for saves, the read lane for the rest).
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from app.domain.checklists import ChecklistItem
from app.domain.enums import VisitMode, VisitStatus
from app.domain.periods import Period
from app.models import (
    Attachment,
    AuditLog,
    ChecklistAnswer,
    Finding,
    Instructor,
    Rectification,
    SocialOrg,
    SyncColumns,
    Visit,
    new_id,
)
from app.services.core import clock, identity
from app.services.core.attachments import require_stored
from app.services.core.errors import NotFoundError, StaleEditError, ValidationFailed
from app.services.core.outbox import set_actor
from app.services.orgs.assignments import LOCAL_INSTRUCTOR_NAME
from app.services.visits.checklists import checklist_of, current_checklist
from app.services.visits.dto import (
    AnswerInput,
    FindingInput,
    PhotoInput,
    SavedFinding,
    VisitDetail,
    VisitInput,
    VisitList,
    VisitRow,
)
from app.services.visits.rules import cleaned_input, notes_of, problems_of

__all__ = ["checklist_items", "delete_visit", "list_visits", "load_visit", "save_visit"]

LIST_LIMIT = 500
OWNER = "visit"


def checklist_items(version: str = "") -> tuple[ChecklistItem, ...]:
    """The items a visit of ``version`` is answered on ("" : the newest version, for a new visit)."""
    found = checklist_of(version) if version else current_checklist()
    return found.items if found else ()


def _items_of(version: str, stored: dict[str, ChecklistAnswer]) -> tuple[str, dict[str, str]]:
    """(version, code → text) a save checks the answers against: the stored texts first (an old visit's
    items read as they were asked), then the items of the version's file if it still ships."""
    version = version or current_checklist().version
    items = {item.code: item.text for item in checklist_items(version)}
    items.update({code: row.item_text for code, row in stored.items() if row.item_text})
    return version, items


def _load(session: Session, visit_id: str) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted_at is not None:
        raise NotFoundError("找不到这次走访（可能已被删除）")
    return visit


def org_name(session: Session, org_id: str) -> str:
    name = session.execute(select(SocialOrg.name).where(SocialOrg.id == org_id, SocialOrg.deleted_at.is_(None))
                           ).scalar_one_or_none()
    if name is None:
        raise NotFoundError("找不到这个社会组织（可能已被删除）")
    return name


def _instructor_id(session: Session) -> str:
    user = identity.current_user()
    found = session.execute(select(Instructor).where(Instructor.username == user)).scalar_one_or_none()
    if found is None:  # before sign-in: a local record of the user (never pushed), as marking 我负责的 makes
        found = Instructor(username=user, name=LOCAL_INSTRUCTOR_NAME)
        session.add(found)
        session.flush()
    return found.id


def _civil(day: date | None, at: time | None) -> datetime | None:
    return datetime.combine(day, at) if day is not None and at is not None else None


def save_visit(factory: sessionmaker[Session], data: VisitInput, *, actor: str, visit_id: str | None = None,
               expected_updated_at: datetime | None = None, attachments_folder: Path | None = None) -> VisitDetail:
    """Create (``visit_id`` None) or replace a visit, its answers, findings and photos, in one transaction.

    ``ValidationFailed`` lists every refusal (nothing saved); ``StaleEditError`` if the visit changed since
    ``expected_updated_at``; a finding already turned into a 整改事项 cannot be removed.  Photos named by
    ``data.photos`` must already be stored in ``attachments_folder``."""
    data = cleaned_input(data)
    with factory.begin() as session:
        set_actor(session, actor)
        name = org_name(session, data.org_id)
        visit = _load(session, visit_id) if visit_id else None
        if visit is not None and expected_updated_at is not None and visit.updated_at != expected_updated_at:
            raise StaleEditError(f"{visit.visited_on:%Y-%m-%d}对{name}的走访")
        if visit is not None and visit.org_id != data.org_id:
            raise ValidationFailed({"org_id": "已登记的走访不能改到另一个组织：请为那个组织新建走访，再删除这一条"})
        stored = _answers(session, visit.id) if visit else {}
        version, items = _items_of(visit.checklist_version if visit and visit.checklist_version
                                   else data.checklist_version, stored)
        problems = problems_of(data, items=items, today=clock.today(), now=clock.civil_now())
        old_findings = _findings(session, visit.id) if visit else {}
        problems.update(_finding_problems(session, data.findings, old_findings))
        if problems:
            raise ValidationFailed(problems)
        for photo in data.photos:
            if attachments_folder is None:
                raise ValueError("save_visit: attachments_folder is needed to save photos")
            require_stored(attachments_folder, photo.sha256, photo.filename)
        if visit is None:
            visit = Visit(id=new_id(), org_id=data.org_id, instructor_id=_instructor_id(session))
            session.add(visit)
        with session.no_autoflush:
            _apply(visit, data, version if data.answers else (visit.checklist_version or ""))
            _write_answers(session, visit, data.answers, stored, items)
            _write_findings(session, visit, data.findings, old_findings)
            _write_photos(session, visit, data.photos)
            planned_next = _plan_next(session, visit, data)
            _touch_if_children_changed(session, visit)
        session.add(AuditLog(actor=actor, action="update" if visit_id else "create", entity=OWNER,
                             record_id=visit.id, summary=f"{name}：{data.status.label}{data.mode.label}"))
        session.flush()
        detail = _detail(session, visit, name)
        return VisitDetail(**{**detail.__dict__, "planned_next_id": planned_next,
                              "notes": notes_of(data, items=items)})


def _touch_if_children_changed(session: Session, visit: Visit) -> None:
    """A changed answer, finding or photo changes the visit's ``updated_at`` too, so a form opened before
    that change is refused as stale (``expected_updated_at``) instead of silently undoing it."""
    mine = (visit.id,)
    changed = any(getattr(row, "visit_id", None) in mine or getattr(row, "owner_id", None) in mine
                  for row in (*session.new, *session.dirty))
    if changed and visit not in session.new:
        visit.updated_at = clock.now()


def _apply(visit: Visit, data: VisitInput, version: str) -> None:
    assert data.visited_on is not None  # checked by problems_of
    values: dict[str, Any] = {
        "status": data.status, "mode": data.mode, "surprise": data.surprise, "visited_on": data.visited_on,
        "started_at": _civil(data.visited_on, data.start_time), "ended_at": _civil(data.visited_on, data.end_time),
        "met_with": data.met_with, "summary": data.summary, "suggestions": data.suggestions,
        "coordination": data.coordination, "next_visit_on": data.next_visit_on, "checklist_version": version}
    for key, value in values.items():
        if getattr(visit, key, None) != value:
            setattr(visit, key, value)


def _answers(session: Session, visit_id: str) -> dict[str, ChecklistAnswer]:
    rows = session.execute(select(ChecklistAnswer).where(ChecklistAnswer.visit_id == visit_id,
                                                         ChecklistAnswer.deleted_at.is_(None))).scalars()
    return {row.item_code: row for row in rows}


def _findings(session: Session, visit_id: str) -> dict[str, Finding]:
    rows = session.execute(select(Finding).where(Finding.visit_id == visit_id, Finding.deleted_at.is_(None))
                           .order_by(Finding.position, Finding.id)).scalars()
    return {row.id: row for row in rows}


def raised_from(session: Session, finding_ids: list[str]) -> dict[str, tuple[str, str]]:
    """finding id → (id, title) of the live 整改事项 raised from it."""
    if not finding_ids:
        return {}
    rows = session.execute(select(Rectification.finding_id, Rectification.id, Rectification.title).where(
        Rectification.finding_id.in_(finding_ids), Rectification.deleted_at.is_(None)))
    return {fid: (rid, title) for fid, rid, title in rows if fid}


def _finding_problems(session: Session, wanted: tuple[FindingInput, ...], old: dict[str, Finding]) -> dict[str, str]:
    kept = {f.id for f in wanted if f.id}
    if kept - set(old):
        return {"findings": "有一条发现的问题已不在这次走访中（可能已被删除）：请关闭表单后重新打开"}
    removed = [fid for fid in old if fid not in kept]
    linked = raised_from(session, removed)
    if linked:
        fid = next(iter(linked))
        return {"findings": f"发现的问题“{old[fid].description[:30]}”已转为整改事项“{linked[fid][1]}”，"
                            "不能删除：如需撤销，请先删除那个整改事项"}
    return {}


def _write_answers(session: Session, visit: Visit, answers: tuple[AnswerInput, ...],
                   stored: dict[str, ChecklistAnswer], items: dict[str, str]) -> None:
    order = list(items)
    wanted = {a.item_code: a for a in answers}
    now = clock.now()
    for code, gone in stored.items():
        if code not in wanted:
            gone.deleted_at = now
    for answer in answers:
        row: ChecklistAnswer | None = stored.get(answer.item_code)
        if row is None:
            row = ChecklistAnswer(id=new_id(), org_id=visit.org_id, visit_id=visit.id, item_code=answer.item_code,
                                  item_text=items[answer.item_code], position=order.index(answer.item_code))
            session.add(row)
        for key, value in (("answer", answer.answer), ("note", answer.note)):
            if getattr(row, key, None) != value:
                setattr(row, key, value)


def _write_findings(session: Session, visit: Visit, findings: tuple[FindingInput, ...],
                    old: dict[str, Finding]) -> None:
    kept = {f.id for f in findings if f.id}
    now = clock.now()
    for fid, gone in old.items():
        if fid not in kept:
            gone.deleted_at = now
    for position, finding in enumerate(findings):
        row: Finding | None = old.get(finding.id) if finding.id else None
        if row is None:
            row = Finding(id=new_id(), org_id=visit.org_id, visit_id=visit.id)
            session.add(row)
        for key, value in (("description", finding.description), ("item_code", finding.item_code),
                           ("position", position)):
            if getattr(row, key, None) != value:
                setattr(row, key, value)


def _photos(session: Session, visit_id: str) -> list[Attachment]:
    return list(session.execute(select(Attachment).where(
        Attachment.owner_entity == OWNER, Attachment.owner_id == visit_id, Attachment.deleted_at.is_(None))
        .order_by(Attachment.id)).scalars())


def _write_photos(session: Session, visit: Visit, photos: tuple[PhotoInput, ...]) -> None:
    old = {(row.sha256, row.filename): row for row in _photos(session, visit.id)}
    wanted = {(p.sha256, p.filename): p for p in photos}
    now = clock.now()
    for key, row in old.items():
        if key not in wanted:
            row.deleted_at = now
        elif row.caption != wanted[key].caption:
            row.caption = wanted[key].caption
    for key, photo in wanted.items():
        if key not in old:
            session.add(Attachment(id=new_id(), org_id=visit.org_id, owner_entity=OWNER, owner_id=visit.id,
                                   sha256=photo.sha256, filename=photo.filename, size=photo.size,
                                   mime_type=photo.mime_type, caption=photo.caption))


def _plan_next(session: Session, visit: Visit, data: VisitInput) -> str | None:
    """The PLANNED visit on ``next_visit_on`` (an existing plan that day is reused, not doubled)."""
    if not data.plan_next or data.next_visit_on is None:
        return None
    existing = session.execute(select(Visit.id).where(
        Visit.org_id == visit.org_id, Visit.status == VisitStatus.PLANNED, Visit.visited_on == data.next_visit_on,
        Visit.deleted_at.is_(None), Visit.id != visit.id)).scalars().first()
    if existing:
        return existing
    plan = Visit(id=new_id(), org_id=visit.org_id, instructor_id=visit.instructor_id, status=VisitStatus.PLANNED,
                 visited_on=data.next_visit_on, mode=VisitMode.ON_SITE, surprise=False,
                 summary=f"{data.visited_on:%Y-%m-%d}走访时约定的下次走访")
    session.add(plan)
    return plan.id


# -- load, list, delete ------------------------------------------------------------------------------


def _detail(session: Session, visit: Visit, name: str) -> VisitDetail:
    stored = _answers(session, visit.id)
    by_position = sorted(stored.values(), key=lambda row: (row.position, row.item_code))
    version_items = checklist_items(visit.checklist_version) if visit.checklist_version else ()
    # the visit's own items: the stored texts of what was answered, then any item of its version left blank
    items = [ChecklistItem(row.item_code, row.item_text) for row in by_position]
    items += [item for item in version_items if item.code not in stored]
    if not visit.checklist_version and not stored:
        items = list(current_checklist().items) if visit.status is VisitStatus.PLANNED else []
    findings = _findings(session, visit.id)
    linked = raised_from(session, list(findings))
    data = VisitInput(
        org_id=visit.org_id, status=visit.status, mode=visit.mode, visited_on=visit.visited_on,
        start_time=visit.started_at.time() if visit.started_at else None,
        end_time=visit.ended_at.time() if visit.ended_at else None, surprise=visit.surprise,
        met_with=visit.met_with, summary=visit.summary,
        answers=tuple(AnswerInput(row.item_code, row.answer, row.note, row.item_text) for row in by_position),
        findings=tuple(FindingInput(row.description, row.item_code, row.id) for row in findings.values()),
        suggestions=visit.suggestions, coordination=visit.coordination,
        photos=tuple(PhotoInput(p.sha256, p.filename, p.size, p.mime_type, p.caption)
                     for p in _photos(session, visit.id)),
        next_visit_on=visit.next_visit_on, checklist_version=visit.checklist_version)
    saved = tuple(SavedFinding(row.id, row.description, row.item_code, *linked.get(row.id, (None, "")))
                  for row in findings.values())
    return VisitDetail(visit.id, visit.org_id, name, data, tuple(items), saved, visit.updated_at)


def load_visit(factory: sessionmaker[Session], visit_id: str) -> VisitDetail:
    """One visit as the form shows it: its own checklist version's items with the texts stored."""
    with factory() as session:
        visit = _load(session, visit_id)
        detail = _detail(session, visit, org_name(session, visit.org_id))
        items = {item.code: item.text for item in detail.checklist}
        return VisitDetail(**{**detail.__dict__, "notes": notes_of(detail.data, items=items)})


def list_visits(factory: sessionmaker[Session], *, org_id: str | None = None, status: VisitStatus | None = None,
                mode: VisitMode | None = None, period: Period | None = None, text: str = "",
                open_findings_only: bool = False, limit: int = LIST_LIMIT) -> VisitList:
    """Live visits matching every filter given, newest first (at most ``limit``, with the total).  ``text``
    matches the organization's name, the people met, the summary and the findings."""
    conditions: list[ColumnElement[bool]] = [Visit.deleted_at.is_(None)]
    if org_id:
        conditions.append(Visit.org_id == org_id)
    if status is not None:
        conditions.append(Visit.status == status)
    if mode is not None:
        conditions.append(Visit.mode == mode)
    if period is not None:
        conditions += [Visit.visited_on >= period.first, Visit.visited_on <= period.last]
    if text.strip():
        like = f"%{text.strip()}%"
        in_findings = select(Finding.visit_id).where(Finding.description.like(like), Finding.deleted_at.is_(None))
        conditions.append(or_(SocialOrg.name.like(like), Visit.met_with.like(like), Visit.summary.like(like),
                              Visit.id.in_(in_findings)))
    finding_count = (select(func.count()).where(Finding.visit_id == Visit.id, Finding.deleted_at.is_(None))
                     .correlate(Visit).scalar_subquery())
    raised = select(Rectification.finding_id).where(Rectification.deleted_at.is_(None),
                                                    Rectification.finding_id.is_not(None))
    open_count = (select(func.count()).where(Finding.visit_id == Visit.id, Finding.deleted_at.is_(None),
                                             Finding.id.not_in(raised)).correlate(Visit).scalar_subquery())
    if open_findings_only:
        conditions.append(open_count > 0)
    joined = (select(Visit, SocialOrg.name, finding_count, open_count)
              .join(SocialOrg, SocialOrg.id == Visit.org_id).where(and_(*conditions)))
    with factory() as session:
        total = session.execute(select(func.count()).select_from(joined.subquery())).scalar_one()
        found = session.execute(joined.order_by(Visit.visited_on.desc(), Visit.id.desc()).limit(limit)).all()
        rows = tuple(VisitRow(v.id, v.org_id, name, v.status, v.mode, v.surprise, v.visited_on, v.started_at,
                              v.met_with, v.checklist_version, int(n or 0), int(o or 0)) for v, name, n, o in found)
        return VisitList(rows, total, limit)


def delete_visit(factory: sessionmaker[Session], visit_id: str, *, actor: str) -> str:
    """Delete a visit with its answers, findings and photos (tombstones the server learns of).  Refused
    while a 整改事项 raised from one of its findings is live.  Returns the organization's id."""
    with factory.begin() as session:
        set_actor(session, actor)
        visit = _load(session, visit_id)
        findings = _findings(session, visit.id)
        linked = raised_from(session, list(findings))
        if linked:
            titles = "、".join(f"“{title}”" for _rid, title in linked.values())
            raise ValidationFailed({"visit": f"这次走访发现的问题已转为整改事项{titles}，不能删除走访："
                                             "请先删除这些整改事项"})
        now = clock.now()
        rows: list[SyncColumns] = [*_answers(session, visit.id).values(), *findings.values(),
                                   *_photos(session, visit.id), visit]
        for row in rows:
            row.deleted_at = now
        session.add(AuditLog(actor=actor, action="delete", entity=OWNER, record_id=visit.id,
                             summary=f"{visit.visited_on:%Y-%m-%d} {visit.mode.label}"))
        session.flush()
        return visit.org_id
