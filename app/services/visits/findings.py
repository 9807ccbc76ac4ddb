"""A finding becomes a 整改事项 in one action (issue 8): the finding's text carried, the visit and the
finding linked, the source 走访 — never typed twice, and never raised twice from the same finding.

Write lane.  The item is made by the rectification area's ``create_item`` (its own transaction); the
check that the finding has none yet runs just before it, on the same serialized write lane.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import RectificationSource
from app.models import ChecklistAnswer, Finding, Rectification, Visit
from app.services.core.errors import NotFoundError, ValidationFailed
from app.services.rectification import RectificationInput, create_item

__all__ = ["DEFAULT_REQUIREMENT", "AlreadyRaised", "finding_to_rectification", "rectification_title"]

TITLE_CHARS = 60
DEFAULT_REQUIREMENT = "请针对上述问题认真整改，于{deadline}前完成，并将整改情况书面反馈党建指导员。"


class AlreadyRaised(ValidationFailed):
    """The finding already has a live 整改事项; ``rectification_id`` names it."""

    def __init__(self, rectification_id: str, title: str) -> None:
        self.rectification_id = rectification_id
        super().__init__({"finding": f"这条问题已转为整改事项“{title}”，不能重复转：请在“整改”中打开那一项"})


def rectification_title(text: str) -> str:
    """The item's one-line title: the finding's first line, cut to ``TITLE_CHARS`` characters."""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line if len(line) <= TITLE_CHARS else line[: TITLE_CHARS - 1] + "…"


def _civil_day(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _facts(session: Session, finding_id: str) -> tuple[Finding, Visit, str]:
    finding = session.get(Finding, finding_id)
    visit = session.get(Visit, finding.visit_id) if finding is not None else None
    if finding is None or finding.deleted_at is not None or visit is None or visit.deleted_at is not None:
        raise NotFoundError("找不到这条发现的问题（可能已被删除或尚未保存）：请先保存走访记录")
    existing = session.execute(select(Rectification.id, Rectification.title).where(
        Rectification.finding_id == finding_id, Rectification.deleted_at.is_(None))).first()
    if existing is not None:
        raise AlreadyRaised(existing[0], existing[1])
    basis = ""
    if finding.item_code:
        asked = session.execute(select(ChecklistAnswer.item_text).where(
            ChecklistAnswer.visit_id == visit.id, ChecklistAnswer.item_code == finding.item_code,
            ChecklistAnswer.deleted_at.is_(None))).scalar_one_or_none()
        if asked:
            basis = f"走访检查表（{visit.checklist_version}版）：{asked}"
    return finding, visit, basis


def finding_to_rectification(factory: sessionmaker[Session], finding_id: str, *, deadline: date,
                             requirement: str = "", responsible_person: str = "", actor: str) -> str:
    """Create a 草稿 整改事项 from a visit's finding and return its id: source 走访, ``visit_id`` and
    ``finding_id`` linked, the finding's text as title (first line) and description, the checklist item it
    came from as basis, raised on the visit's day; a blank ``requirement`` becomes ``DEFAULT_REQUIREMENT``.
    ``AlreadyRaised`` if the finding has one already; the deadline rules are the rectification area's
    (``ValidationFailed``)."""
    with factory() as session:
        finding, visit, basis = _facts(session, finding_id)
        data = RectificationInput(
            org_id=visit.org_id, source=RectificationSource.VISIT,
            source_detail=f"{_civil_day(visit.visited_on)}{visit.mode.label}",
            title=rectification_title(finding.description), description=finding.description, basis=basis,
            requirement=requirement.strip() or DEFAULT_REQUIREMENT.format(deadline=_civil_day(deadline)),
            deadline=deadline, responsible_person=responsible_person.strip(),
            raised_on=visit.visited_on, visit_id=visit.id, finding_id=finding.id)
    return str(create_item(factory, data, actor=actor))
