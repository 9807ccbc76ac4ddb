"""The small forms of the 党组织 section, one function each: 换届, 支委会 posts, 党小组, 党员 and the dated
events of a member (转正, 留党察看, 组织关系转出, 经批准不计入应到).  Each returns a :class:`FormDialog`
whose ``saved`` signal fires after the write succeeded; the change bus tells the view to re-read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from app.domain.enums import CommitteeRole, MemberKind
from app.services.party.dto import (
    CommitteePostInput,
    CoveredOrg,
    ExclusionInput,
    GroupInfo,
    GroupInput,
    MemberInput,
    ProbationInput,
    RosterEntry,
    TermInput,
)
from app.ui.context import UiContext
from app.ui.dialogs.fields import CountEdit, DateEntry
from app.ui.dialogs.party.form import Field, FormDialog
from app.ui.operations import party as ops
from app.ui.widgets import ChoiceBox

ORIGIN = "party_forms"
PICK = "（请选择）"
NO_GROUP = "（不在党小组）"


def _line(placeholder: str = "") -> QLineEdit:
    line = QLineEdit()
    line.setPlaceholderText(placeholder)
    return line


def _choices(blank: str, items: Sequence[tuple[str, Any]]) -> ChoiceBox:
    return ChoiceBox([(blank, None), *items])


def _people(roster: Sequence[RosterEntry]) -> list[tuple[str, str]]:
    return [(entry.name, entry.member_id) for entry in roster]


def term_form(ctx: UiContext, party_org_id: str, *, first: bool, parent: QWidget | None = None) -> FormDialog:
    intro = ("登记第一届任期：填写选举产生支部委员会（或书记）的日期，届满日期按任期自动计算（3 年；村、社区 5 年）。"
             if first else
             "换届：填写新一届选举的日期。上一届记为在这天换届，历史保留不覆盖；新一届的届满日期自动计算。")

    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        ops.start_term(ctx=ctx, party_org_id=party_org_id, data=TermInput(values["started_on"], values["note"]),
                       on_done=on_done, on_error=on_error, origin=ORIGIN)

    return FormDialog("登记任期" if first else "换届", [
        Field("started_on", "本届开始日期", DateEntry, hint="即换届选举（或成立时选举）的日期"),
        Field("note", "备注", lambda: _line("可不填")),
    ], submit, intro=intro, parent=parent)


def post_form(ctx: UiContext, party_org_id: str, term_id: str, roster: Sequence[RosterEntry],
              parent: QWidget | None = None) -> FormDialog:
    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        data = CommitteePostInput(values["member_id"], values["role"], values["first_day"])
        ops.add_committee_post(ctx=ctx, party_org_id=party_org_id, term_id=term_id, data=data, on_done=on_done,
                               on_error=on_error, origin=ORIGIN)

    return FormDialog("增加支委会成员", [
        Field("member_id", "党员", lambda: _choices(PICK, _people(roster))),
        Field("role", "职务", lambda: ChoiceBox([(role.label, role) for role in CommitteeRole])),
        Field("first_day", "任职日期", DateEntry),
    ], submit, parent=parent)


def end_post_form(ctx: UiContext, party_org_id: str, post_id: str, who: str,
                  parent: QWidget | None = None) -> FormDialog:
    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        ops.end_committee_post(ctx=ctx, party_org_id=party_org_id, post_id=post_id, last_day=values["last_day"],
                               on_done=on_done, on_error=on_error, origin=ORIGIN)

    return FormDialog(f"结束任职：{who}", [Field("last_day", "任职结束日期", DateEntry)], submit, parent=parent)


def group_form(ctx: UiContext, party_org_id: str, roster: Sequence[RosterEntry], group: GroupInfo | None = None,
               parent: QWidget | None = None) -> FormDialog:
    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        data = GroupInput(values["name"], values["leader_member_id"], values.get("first_day"))
        ops.save_group(ctx=ctx, party_org_id=party_org_id, group_id=group.id if group else None, data=data,
                       on_done=on_done, on_error=on_error, origin=ORIGIN)

    fields = [Field("name", "党小组名称", lambda: _line("如：第一党小组")),
              Field("leader_member_id", "党小组组长", lambda: _choices("（暂不指定）", _people(roster)))]
    if group is None:
        fields.append(Field("first_day", "成立日期", DateEntry))
    values = {"name": group.name, "leader_member_id": group.leader_member_id} if group else {}
    return FormDialog(f"修改党小组：{group.name}" if group else "新建党小组", fields, submit, values=values,
                      parent=parent)


def dissolve_form(ctx: UiContext, party_org_id: str, group: GroupInfo, parent: QWidget | None = None) -> FormDialog:
    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        ops.dissolve_group(ctx=ctx, party_org_id=party_org_id, group_id=group.id, last_day=values["last_day"],
                           on_done=on_done, on_error=on_error, origin=ORIGIN)

    return FormDialog(f"撤销党小组：{group.name}", [Field("last_day", "撤销日期", DateEntry)], submit,
                      intro=f"撤销后，{group.name}的 {group.members} 名党员不再属于任何党小组；以往的记录保留。",
                      parent=parent)


def member_form(ctx: UiContext, party_org_id: str, covered: Sequence[CoveredOrg], groups: Sequence[GroupInfo],
                *, member_id: str | None = None, data: MemberInput | None = None,
                updated_at: datetime | None = None, parent: QWidget | None = None) -> FormDialog:
    running = [(group.name, group.id) for group in groups if not group.dissolved]

    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        member = MemberInput(
            name=values["name"], org_id=values["org_id"], kind=values["kind"], kind_since=values["kind_since"],
            gender=values["gender"] or "", birth_year=values["birth_year"], phone=values["phone"],
            joined_on=values["joined_on"], party_group_id=values["party_group_id"],
            relation_in=not values["relation_pending"], relation_on=values["relation_on"])
        ops.save_member(ctx=ctx, party_org_id=party_org_id, member_id=member_id, data=member,
                        expected_updated_at=updated_at, on_done=on_done, on_error=on_error, origin=ORIGIN)

    fields = [
        Field("name", "姓名", _line),
        Field("gender", "性别", lambda: ChoiceBox([("（未填写）", ""), ("男", "男"), ("女", "女")])),
        Field("birth_year", "出生年份", CountEdit, hint="四位年份，如 1985"),
        Field("phone", "联系电话", lambda: _line("手机或固定电话")),
        Field("org_id", "所在社会组织", lambda: _choices(PICK, [(org.name, org.org_id) for org in covered])),
        Field("joined_on", "入党日期", DateEntry, hint="接收为预备党员的日期"),
        Field("kind", "党员身份", lambda: ChoiceBox([(kind.label, kind) for kind in MemberKind])),
        Field("kind_since", "身份起始日期", DateEntry, hint="预备党员填接收日期；正式党员填转正（或转入）日期"),
        Field("party_group_id", "党小组", lambda: _choices(NO_GROUP, running)),
        Field("relation_pending", "组织关系", lambda: QCheckBox("尚未转入本支部（无表决权，不计入应到）")),
        Field("relation_on", "转入日期", DateEntry, hint="组织关系转入本支部的日期；一直在本支部可不填"),
    ]
    values: dict[str, Any] = {"org_id": covered[0].org_id if len(covered) == 1 else None}
    if data is not None:
        values = {**data.__dict__, "relation_pending": not data.relation_in}
    return FormDialog(f"编辑党员：{data.name}" if data else "新增党员", fields, submit, values=values, parent=parent)


def member_event_form(ctx: UiContext, party_org_id: str, entry: RosterEntry, what: str,
                      parent: QWidget | None = None) -> FormDialog:
    """``what``: confirm (转正), probation (留党察看), transfer_out (组织关系转出), exclusion (不计入应到)."""

    def submit(values: dict[str, Any], on_done: Any, on_error: Any) -> None:
        event: Any
        if what == "probation":
            event = ProbationInput(values["first_day"], values["last_day"], values["note"])
        elif what == "exclusion":
            event = ExclusionInput(values["reason"], values["approved_by"], values["approved_on"],
                                   values["first_day"], values["last_day"])
        else:
            event = (what, values["on"])
        ops.record_member_event(ctx=ctx, party_org_id=party_org_id, member_id=entry.member_id, event=event,
                                on_done=on_done, on_error=on_error, origin=ORIGIN)

    title, fields, intro = EVENT_FORMS[what]
    return FormDialog(f"{title}：{entry.name}", fields, submit, intro=intro, parent=parent)


EVENT_FORMS: dict[str, tuple[str, list[Field], str]] = {
    "confirm": ("转为正式党员", [Field("on", "转正日期", DateEntry)],
                "登记预备党员转正：从转正日期起为正式党员，有表决权。以往会议按当时的身份计算。"),
    "probation": ("留党察看", [Field("first_day", "开始日期", DateEntry, hint="处分决定的日期"),
                              Field("last_day", "结束日期", DateEntry, hint="尚未结束可不填"),
                              Field("note", "备注", lambda: _line("可不填"))],
                  "留党察看期间没有表决权，不计入应到。"),
    "transfer_out": ("组织关系转出", [Field("on", "转出日期", DateEntry)],
                     "转出后，该党员从这天起不在本支部名册中；以往会议的记录不变。"),
    "exclusion": ("经批准不计入应到", [
        Field("reason", "原因", lambda: _line("如：因病长期住院、出国半年以上")),
        Field("approved_by", "批准", lambda: _line("如：上级党组织同意、支部党员大会通过")),
        Field("approved_on", "批准日期", DateEntry, hint="从批准之日起才不计入应到"),
        Field("first_day", "开始日期", DateEntry),
        Field("last_day", "结束日期", DateEntry, hint="尚未结束可不填")],
        "有表决权的党员因故不能参加会议的，经批准可以不计入应到人数。"),
}

