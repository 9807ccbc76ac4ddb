"""The default wording of each notice (title, body), filled from what it is about.  Pure; the user may
edit a draft's text before 签发.  Paragraphs of a body are separated by a blank line."""

from __future__ import annotations

import re
from datetime import date, datetime

from app.domain.compliance import MEETING_RULES, RuleId
from app.domain.date_text import chinese_date
from app.domain.enums import VisitMode

RECTIFICATION_TITLE = "党建工作整改通知书"
VISIT_TITLE = "关于开展党建工作走访的通知"
TERM_TITLE = "关于按期进行换届选举的提醒函"
MEETING_TITLE = "关于按规定开展“三会一课”的提醒函"
TERM_RULES = frozenset({RuleId.TERM_DUE_SOON, RuleId.TERM_OVERDUE, RuleId.TERM_VIOLATION})
REMINDER_RULES = TERM_RULES | MEETING_RULES
PARAGRAPH_BREAK = "\n\n"
# "还有 12 天" / "已超期 30 天" in a finding's message is true on the day it was worked out, not on paper
_COUNTDOWN = re.compile(r"，(?:还有|已超期) ?\d+ ?天")

RECTIFICATION_BODY = (
    "经检查，你单位党建工作存在下列问题。现将整改事项通知如下，请对照整改要求认真整改，在各项期限内完成，"
    "并将整改情况书面反馈社会组织党建指导员。")
_MODE_WORDS = {VisitMode.ON_SITE: "到你单位实地走访", VisitMode.PHONE: "以电话方式走访你单位",
               VisitMode.ONLINE: "以线上方式走访你单位"}


def paragraphs(body: str) -> tuple[str, ...]:
    """The body's paragraphs (blank-line separated; single line breaks kept inside a paragraph as spaces)."""
    return tuple(" ".join(part.split()) for part in body.split(PARAGRAPH_BREAK) if part.strip())


def visit_body(day: date, started_at: datetime | None, mode: VisitMode) -> str:
    when = chinese_date(day) + (f"{started_at.hour}时{started_at.minute:02d}分" if started_at else "")
    when = when.replace("时00分", "时")
    return PARAGRAPH_BREAK.join((
        f"为了解你单位党建工作开展情况，指导做好党组织建设、“三会一课”等工作，社会组织党建指导员定于{when}"
        f"{_MODE_WORDS[mode]}。",
        "请你单位党组织书记（或党建工作联络员）届时参加，并备齐党组织设置、党员名册、“三会一课”记录、"
        "党建入章等有关资料。",
        "如时间安排有困难，请提前与党建指导员联系另行商定。",
    ))


def reminder_title(rule: RuleId) -> str:
    return TERM_TITLE if rule in TERM_RULES else MEETING_TITLE


def reminder_body(rule: RuleId, party_org_name: str, message: str, due_on: date | None) -> str:
    """The letter's paragraphs from a compliance finding: what was found (its message, without the advice
    addressed to the instructor), the rule, what to do by when."""
    found = _COUNTDOWN.sub("", message.split("，请")[0]).rstrip("。；;，, ")
    by = f"于{chinese_date(due_on)}前" if due_on and rule is RuleId.TERM_DUE_SOON else "尽快"
    if rule in TERM_RULES:
        rule_text = ("根据《中国共产党支部工作条例（试行）》等规定，党支部委员会每届任期一般为3年，任期届满应当按期"
                     "进行换届选举；因特殊情况需要延期或者提前换届的，应当报上级党组织批准，延期时间一般不超过1年。")
        todo = (f"请你支部抓紧做好换届选举各项准备工作，按程序报上级党组织审批后{by}组织实施，"
                "并及时将换届情况报送社会组织党建指导员。")
    else:
        rule_text = ("根据《中国共产党支部工作条例（试行）》等规定，党支部应当按期召开支部党员大会、支部委员会会议、"
                     "党小组会，按时上好党课，定期开展主题党日活动，并如实做好会议记录。")
        todo = "请你支部按规定补开有关会议、如实记录，此后按期开展组织生活，并将落实情况报送社会组织党建指导员。"
    return PARAGRAPH_BREAK.join((f"经查，{party_org_name}{found}。", rule_text, todo, "特此提醒。"))
