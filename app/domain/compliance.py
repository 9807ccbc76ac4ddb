"""What a compliance finding is (DESIGN §2.1, issue 7 item 4): its rule, its level, the grid's colours.

The rules themselves are evaluated by ``app.services.compliance`` from the policy pack; this module only
names them, so the engine, the CLI and the 工作台 speak of the same things.  Pure: no I/O, no clock.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["MEETING_RULES", "ORG_RULES", "PARTY_RULES", "WAIVABLE_RULES", "CellState", "Level", "RuleId"]


class Level(StrEnum):
    """How bad a finding is.  ``DUE``: the period is still running and the obligation not yet met (待办,
    not a fault yet); ``WARNING``: worth a look (提醒); ``VIOLATION``: a rule broken (违规)."""

    VIOLATION = "VIOLATION"
    WARNING = "WARNING"
    DUE = "DUE"

    @property
    def label(self) -> str:
        return {"VIOLATION": "违规", "WARNING": "提醒", "DUE": "待办"}[self.value]

    @property
    def rank(self) -> int:
        """Worst first: VIOLATION 0, WARNING 1, DUE 2."""
        return ("VIOLATION", "WARNING", "DUE").index(self.value)


class RuleId(StrEnum):
    """Every rule the engine evaluates.  ``meeting.<MeetingKind>`` for the meetings by kind; the rest
    are standing facts of a party organization or a 社会组织."""

    MEETING_GENERAL = "meeting.GENERAL_MEETING"
    MEETING_COMMITTEE = "meeting.COMMITTEE_MEETING"  # only where a 支委会 exists
    MEETING_GROUP = "meeting.GROUP_MEETING"  # per 党小组 (subject = the group)
    MEETING_LECTURE = "meeting.PARTY_LECTURE"
    MEETING_THEME_DAY = "meeting.THEME_DAY"
    MEETING_LIFE = "meeting.LIFE_MEETING"
    MEETING_REVIEW = "meeting.DEMOCRATIC_REVIEW"
    MEETING_HEART = "meeting.HEART_TO_HEART"
    TERM_DUE_SOON = "term.due_soon"  # 换届 within remind_months
    TERM_OVERDUE = "term.overdue"  # past due, ≤ violation_months late
    TERM_VIOLATION = "term.violation"  # more than violation_months late
    BRANCH_SHOULD_FORM = "branch.should_form"  # 应建未建 (subject = the 社会组织)
    BRANCH_SETUP = "branch.setup"  # 支委会 missing or its size, > 50 members, 联合 covering > 5
    COVERAGE_NO_INSTRUCTOR = "coverage.no_instructor"  # 工作覆盖 without an instructor assigned
    CHARTER_CLAUSE = "org.charter_clause"  # 党建入章 missing
    INSPECTION = "org.inspection"  # 年检 not done / 不合格
    EVALUATION = "org.evaluation"  # 评估等级 expiring or expired
    CREDIT = "org.credit"  # 异常名录 / 严重违法失信名单
    RECORD_INCOMPLETE = "record.incomplete"  # a meeting record lacking what DESIGN §2.1 requires, or a 草稿

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]


_RULE_LABELS = {
    RuleId.MEETING_GENERAL: "支部党员大会", RuleId.MEETING_COMMITTEE: "支部委员会", RuleId.MEETING_GROUP: "党小组会",
    RuleId.MEETING_LECTURE: "党课", RuleId.MEETING_THEME_DAY: "主题党日", RuleId.MEETING_LIFE: "组织生活会",
    RuleId.MEETING_REVIEW: "民主评议党员", RuleId.MEETING_HEART: "谈心谈话",
    RuleId.TERM_DUE_SOON: "换届将到期", RuleId.TERM_OVERDUE: "换届已逾期", RuleId.TERM_VIOLATION: "逾期换届超过一年",
    RuleId.BRANCH_SHOULD_FORM: "应建未建", RuleId.BRANCH_SETUP: "组织设置",
    RuleId.COVERAGE_NO_INSTRUCTOR: "未派党建指导员",
    RuleId.CHARTER_CLAUSE: "党建未入章", RuleId.INSPECTION: "年检", RuleId.EVALUATION: "评估等级",
    RuleId.CREDIT: "信用名单", RuleId.RECORD_INCOMPLETE: "记录不完整",
}


MEETING_RULES = frozenset(rule for rule in RuleId if rule.value.startswith("meeting."))
# Rules of a 党组织 (its meetings, term, setup, records) and of a 社会组织 (its standing in the ledger)
PARTY_RULES = MEETING_RULES | {RuleId.TERM_DUE_SOON, RuleId.TERM_OVERDUE, RuleId.TERM_VIOLATION,
                               RuleId.BRANCH_SETUP, RuleId.RECORD_INCOMPLETE}
ORG_RULES = frozenset({RuleId.BRANCH_SHOULD_FORM, RuleId.COVERAGE_NO_INSTRUCTOR, RuleId.CHARTER_CLAUSE,
                       RuleId.INSPECTION, RuleId.EVALUATION, RuleId.CREDIT})
# What a 党组织 may waive, with a reason: its own rules, and an 应建未建 shown there.  An organization's
# own standing (年检, 党建入章 …) is corrected in the ledger, never waived.
WAIVABLE_RULES = PARTY_RULES | {RuleId.BRANCH_SHOULD_FORM}


class CellState(StrEnum):
    """One cell of the 工作台's month × 党组织 grid."""

    NOT_FORMED = "NOT_FORMED"  # the 党组织 did not exist yet (灰)
    OK = "OK"  # the month's obligations met (绿)
    DUE = "DUE"  # the running month, something still to do (黄)
    WARNING = "WARNING"  # a 提醒 only (橙)
    VIOLATION = "VIOLATION"  # an obligation missed (红)

    @property
    def label(self) -> str:
        labels = {"NOT_FORMED": "未成立", "OK": "达标", "DUE": "待办", "WARNING": "提醒", "VIOLATION": "未达标"}
        return labels[self.value]
