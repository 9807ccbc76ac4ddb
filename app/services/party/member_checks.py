"""Checks of a member's form and of the dated events (转正, 留党察看, 转出, 不计入应到): field -> Chinese
message, every problem at once.  Pure checks over what the caller read; no writes."""

from __future__ import annotations

import re
from datetime import date

from app.domain.enums import MemberKind
from app.services.party.dto import ExclusionInput, MemberInput, ProbationInput

__all__ = ["check_exclusion", "check_member", "check_probation"]

_PHONE = re.compile(r"[0-9０-９\-－ ()（）转+]{5,30}")


def check_member(data: MemberInput, *, today: date, covered: dict[str, str], groups: set[str]) -> dict[str, str]:
    """``covered``: the organizations the party organization covers (id -> name); ``groups``: its running
    党小组."""
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["name"] = "请填写党员姓名"
    elif len(data.name.strip()) > 50:
        problems["name"] = "姓名不能超过 50 个字"
    if data.gender not in ("", "男", "女"):
        problems["gender"] = "性别请选择“男”或“女”"
    if data.birth_year is not None and not 1900 <= data.birth_year <= today.year - 16:
        problems["birth_year"] = f"出生年份 {data.birth_year} 不合理，请填写四位年份（如 1985）"
    phone = data.phone.strip()
    if phone and not _PHONE.fullmatch(phone):
        problems["phone"] = "联系电话只能包含数字、“-”和空格（如 13812345678 或 010-12345678）"
    if not data.org_id:
        problems["org_id"] = "请选择党员所在的社会组织"
    elif data.org_id not in covered:
        problems["org_id"] = "所在社会组织须是本党组织覆盖的组织之一"
    if data.joined_on is not None and data.joined_on > today:
        problems["joined_on"] = "入党日期晚于今天，请核对"
    if data.kind_since is None:
        problems["kind_since"] = (f"请填写成为{data.kind.label}的日期"
                                  + ("（接收日期）" if data.kind is MemberKind.PROBATIONARY else "（转正或转入日期）"))
    elif data.kind_since > today:
        problems["kind_since"] = "身份日期晚于今天，请核对"
    elif data.joined_on is not None and data.kind_since < data.joined_on:
        problems["kind_since"] = f"身份日期不能早于入党日期 {data.joined_on.isoformat()}"
    if data.party_group_id and data.party_group_id not in groups:
        problems["party_group_id"] = "所选党小组已撤销或不属于本党组织，请重新选择"
    if data.relation_on is not None and data.relation_on > today:
        problems["relation_on"] = "组织关系转入日期晚于今天，请核对"
    return problems


def check_probation(data: ProbationInput, *, today: date) -> dict[str, str]:
    if data.first_day is None:
        return {"first_day": "请填写留党察看的开始日期（处分决定日期）"}
    if data.first_day > today:
        return {"first_day": "开始日期晚于今天，请核对"}
    if data.last_day is not None and data.last_day < data.first_day:
        return {"last_day": "结束日期不能早于开始日期"}
    if len(data.note.strip()) > 200:
        return {"note": "备注不能超过 200 个字"}
    return {}


def check_exclusion(data: ExclusionInput) -> dict[str, str]:
    problems: dict[str, str] = {}
    if not data.reason.strip():
        problems["reason"] = "请写明不计入应到的原因（如：因病长期住院、出国半年以上）"
    elif len(data.reason.strip()) > 200:
        problems["reason"] = "原因不能超过 200 个字"
    if not data.approved_by.strip():
        problems["approved_by"] = "请写明批准的组织（如：上级党组织同意、支部党员大会通过）"
    if data.approved_on is None:
        problems["approved_on"] = "请填写批准日期（从这天起才不计入应到）"
    if data.first_day is None:
        problems["first_day"] = "请填写不计入应到的开始日期"
    elif data.last_day is not None and data.last_day < data.first_day:
        problems["last_day"] = "结束日期不能早于开始日期"
    return problems
