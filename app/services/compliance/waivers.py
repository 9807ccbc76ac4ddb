"""Waivers: the user's decision, with a reason, that a rule does not apply to a 党组织 for a period (e.g. a
branch formed mid-quarter) or to one subject (a 党小组 set up late).  Synced (through the outbox), scoped by
the 党组织; the keeper marks the matching findings (``waiver_id``) in the same transaction.

A waiver names a rule of the 党组织 (its meetings, term, setup, records, or an 应建未建 finding shown
there); ``period`` None waives every period of the rule, ``subject_id`` None every subject.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.compliance import WAIVABLE_RULES, RuleId
from app.domain.periods import Period
from app.models import ComplianceWaiver, PartyOrg
from app.services.compliance.store import MEETING_RULES
from app.services.core.errors import NotFoundError, ValidationFailed
from app.services.core.outbox import record_upsert, tombstone

__all__ = ["WaiverRow", "add_waiver", "list_waivers", "remove_waiver"]

_WAIVABLE = WAIVABLE_RULES


@dataclass(frozen=True)
class WaiverRow:
    id: str
    party_org_id: str
    rule_id: RuleId
    period: Period | None
    subject_id: str | None
    reason: str
    approved_by: str


def add_waiver(factory: sessionmaker[Session], *, party_org_id: str, rule_id: RuleId | str, reason: str,
               period: Period | None = None, subject_id: str | None = None, approved_by: str = "",
               actor: str) -> str:
    """Waive ``rule_id`` for the 党组织 (for ``period`` / ``subject_id`` when given), with the reason.
    Returns the waiver's id.  ValidationFailed names what to fix."""
    problems: dict[str, str] = {}
    reason = reason.strip()
    if not reason:
        problems["reason"] = "请填写豁免的理由（例如：党支部于本季度中途成立，本季度不要求召开党员大会）"
    elif len(reason) > 200:
        problems["reason"] = f"豁免理由最多 200 字（现为 {len(reason)} 字），请精简"
    try:
        rule = RuleId(rule_id)
    except ValueError:
        rule = None
        problems["rule_id"] = f"没有这条规则：{rule_id}"
    if rule is not None and rule not in _WAIVABLE:
        problems["rule_id"] = f"“{rule.label}”是社会组织本身的情况，不能按党组织豁免：请在组织台账中更正"
    if period is not None and rule is not None and rule not in MEETING_RULES:
        problems["period"] = f"“{rule.label}”不按周期检查，豁免时不要指定周期"
    if len(approved_by.strip()) > 100:
        problems["approved_by"] = "批准人（或批准的组织）最多 100 字"
    if problems:
        raise ValidationFailed(problems)
    assert rule is not None
    with factory.begin() as session:
        party = session.get(PartyOrg, party_org_id)
        if party is None or party.deleted_at is not None:
            raise NotFoundError("找不到这个党组织（可能已被删除），没有添加豁免")
        waiver = ComplianceWaiver(party_org_id=party_org_id, rule_id=rule.value, reason=reason,
                                  period_kind=period.kind if period else None,
                                  period_first=period.first if period else None, subject_id=subject_id,
                                  approved_by=approved_by.strip())
        record_upsert(session, waiver, actor=actor)
        return waiver.id


def remove_waiver(factory: sessionmaker[Session], *, waiver_id: str, actor: str) -> None:
    """Withdraw a waiver (a tombstone, so the server learns of it): its findings count again."""
    with factory.begin() as session:
        waiver = session.get(ComplianceWaiver, waiver_id)
        if waiver is None or waiver.deleted_at is not None:
            raise NotFoundError("找不到这条豁免（可能已被撤销）")
        tombstone(session, waiver, actor=actor)


def list_waivers(factory: sessionmaker[Session], *, party_org_id: str) -> list[WaiverRow]:
    with factory() as session:
        rows = session.execute(select(ComplianceWaiver).where(
            ComplianceWaiver.party_org_id == party_org_id, ComplianceWaiver.deleted_at.is_(None))
            .order_by(ComplianceWaiver.updated_at)).scalars()
        return [WaiverRow(w.id, w.party_org_id, RuleId(w.rule_id),
                          Period(w.period_first, w.period_kind) if w.period_first and w.period_kind else None,
                          w.subject_id, w.reason, w.approved_by) for w in rows]
