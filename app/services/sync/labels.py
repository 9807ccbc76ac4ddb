"""Chinese names of what the sync shows: the kind of a record, one record, one field."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import SyncConflict
from app.services.sync.codec import entity_table
from app.wire import CONFLICT_ENTITY

__all__ = ["ENTITY_LABELS", "field_label", "record_label"]

ENTITY_LABELS = {
    "social_org": "社会组织", "annual_inspection": "年检", "credit_listing": "异常名录", "org_term": "社会组织换届",
    "org_evaluation": "评估等级", "party_org": "党组织", "party_org_coverage": "党组织覆盖",
    "party_org_term": "党组织届期", "committee_member": "委员", "party_group": "党小组", "member": "党员",
    "member_kind_change": "党员类别变动", "member_probation": "预备期", "member_relation_change": "组织关系变动",
    "member_expected_exclusion": "留党察看", "assignment": "负责组织", "meeting": "三会一课",
    "meeting_attendance": "出席记录", "meeting_guest": "列席人员", "agenda_item": "议题", "vote": "表决",
    "vote_candidate": "候选人", "visit": "走访", "checklist_answer": "走访检查项", "finding": "走访发现的问题",
    "rectification": "整改事项", "rectification_follow_up": "整改跟进", "notice": "通知", "notice_print": "打印记录",
    "attachment": "附件", "compliance_waiver": "豁免", "party_attachment": "附件", "instructor": "党建指导员",
}
# The column that names a record to a person, per entity (else the kind alone).
_NAME_COLUMN = {"social_org": "name", "party_org": "name", "party_group": "name", "member": "name",
                "meeting": "topic", "meeting_guest": "name", "agenda_item": "title", "vote": "motion",
                "vote_candidate": "name", "rectification": "title", "notice": "title", "attachment": "filename",
                "party_attachment": "filename", "instructor": "name", "finding": "description"}
_FIELD_LABELS = {
    "name": "名称", "status": "状态", "title": "标题", "topic": "主题", "deadline": "整改期限", "note": "备注",
    "notes": "备注", "deleted_at": "删除", "description": "问题描述", "requirement": "整改要求",
    "responsible_person": "整改责任人", "minutes": "会议记录", "location": "地点", "started_at": "开始时间",
    "ended_at": "结束时间", "host_name": "主持人", "recorder_name": "记录人", "summary": "走访情况",
    "visited_on": "走访日期", "phone": "电话", "caption": "说明", "body": "正文",
}


def field_label(entity: str, field: str) -> str:
    """The Chinese label of a field (the organization's from the ledger's columns)."""
    if entity == "social_org":
        from app.services.ledger_io.columns import LABELS

        if field in LABELS:
            return LABELS[field]
    return _FIELD_LABELS.get(field, field)


def record_label(session: Session, entity: str, record_id: str, fields: dict[str, Any] | None = None) -> str:
    """``社会组织“阳光志愿者协会”`` — from the op's fields, else the local row, else the kind alone."""
    if entity == CONFLICT_ENTITY:  # settling one: named by the record it was about
        return _conflict_label(session, record_id)
    kind = ENTITY_LABELS.get(entity, entity)
    column = _NAME_COLUMN.get(entity)
    name = (fields or {}).get(column) if column else None
    if column and not name and entity in ENTITY_LABELS:
        table = entity_table(entity)
        name = session.execute(select(table.c[column]).where(table.c.id == record_id)).scalar()
    return f"{kind}“{name}”" if name else kind


def _conflict_label(session: Session, conflict_id: str) -> str:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None or conflict.entity not in ENTITY_LABELS:
        return "同步冲突的处理结果"
    about = record_label(session, conflict.entity, conflict.record_id)
    return f"{about}“{field_label(conflict.entity, conflict.field)}”冲突的处理结果"
