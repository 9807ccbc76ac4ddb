"""Domain enumerations, shared by models, services and (through services) the UI.

Values are stable English codes stored in the database and sent on the wire; labels are Chinese.
"""

from __future__ import annotations

from enum import StrEnum


class OrgType(StrEnum):
    SOCIAL_GROUP = "SOCIAL_GROUP"
    SOCIAL_SERVICE = "SOCIAL_SERVICE"
    FOUNDATION = "FOUNDATION"
    COMMUNITY_FILED = "COMMUNITY_FILED"

    @property
    def label(self) -> str:
        return ORG_TYPE_LABELS[self]


ORG_TYPE_LABELS = {
    OrgType.SOCIAL_GROUP: "社会团体",
    OrgType.SOCIAL_SERVICE: "民办非企业单位",
    OrgType.FOUNDATION: "基金会",
    OrgType.COMMUNITY_FILED: "社区社会组织(备案)",
}

DEFAULT_COMMUNITY_CATEGORIES = ("生活服务类", "公益慈善类", "文体活动类", "专业调处类")
COMMUNITY_CATEGORY_ALIASES = {"社区事务类": "专业调处类"}


class Coverage(StrEnum):
    ORGANIZATION = "ORGANIZATION"  # 组织覆盖: a party organization covers it
    WORK = "WORK"  # 工作覆盖: no party organization, an instructor is assigned
    NONE = "NONE"

    @property
    def label(self) -> str:
        return {"ORGANIZATION": "组织覆盖", "WORK": "工作覆盖", "NONE": "未覆盖"}[self.value]


class EvaluationGrade(StrEnum):
    A1 = "1A"
    A2 = "2A"
    A3 = "3A"
    A4 = "4A"
    A5 = "5A"


class InspectionResult(StrEnum):
    PASSED = "PASSED"
    BASICALLY_PASSED = "BASICALLY_PASSED"
    FAILED = "FAILED"
    NOT_INSPECTED = "NOT_INSPECTED"

    @property
    def label(self) -> str:
        return {"PASSED": "合格", "BASICALLY_PASSED": "基本合格", "FAILED": "不合格", "NOT_INSPECTED": "未参检"}[
            self.value
        ]


class CreditListKind(StrEnum):
    ABNORMAL = "ABNORMAL"  # 活动异常名录
    SERIOUS = "SERIOUS"  # 严重违法失信名单

    @property
    def label(self) -> str:
        return {"ABNORMAL": "异常名录", "SERIOUS": "严重违法失信名单"}[self.value]


class PartyOrgLevel(StrEnum):
    BRANCH = "BRANCH"  # 支部
    GENERAL_BRANCH = "GENERAL_BRANCH"  # 总支
    COMMITTEE = "COMMITTEE"  # 党委

    @property
    def label(self) -> str:
        return {"BRANCH": "党支部", "GENERAL_BRANCH": "党总支", "COMMITTEE": "党委"}[self.value]


class PartyOrgFormation(StrEnum):
    SINGLE = "SINGLE"  # 单独组建
    JOINT = "JOINT"  # 联合组建
    INDUSTRY = "INDUSTRY"  # 行业
    REGIONAL = "REGIONAL"  # 区域性
    EMBEDDED = "EMBEDDED"  # 兼合式

    @property
    def label(self) -> str:
        return {"SINGLE": "单独组建", "JOINT": "联合组建", "INDUSTRY": "行业党组织", "REGIONAL": "区域性党组织",
                "EMBEDDED": "兼合式"}[self.value]


class MemberKind(StrEnum):
    FULL = "FULL"  # 正式党员
    PROBATIONARY = "PROBATIONARY"  # 预备党员

    @property
    def label(self) -> str:
        return {"FULL": "正式党员", "PROBATIONARY": "预备党员"}[self.value]


class CommitteeRole(StrEnum):
    """A 支部委员会 member's post in one term."""

    SECRETARY = "SECRETARY"  # 书记
    DEPUTY_SECRETARY = "DEPUTY_SECRETARY"  # 副书记
    MEMBER = "MEMBER"  # 委员

    @property
    def label(self) -> str:
        return {"SECRETARY": "书记", "DEPUTY_SECRETARY": "副书记", "MEMBER": "委员"}[self.value]


class MeetingKind(StrEnum):
    GENERAL_MEETING = "GENERAL_MEETING"
    COMMITTEE_MEETING = "COMMITTEE_MEETING"
    GROUP_MEETING = "GROUP_MEETING"
    PARTY_LECTURE = "PARTY_LECTURE"
    THEME_DAY = "THEME_DAY"
    LIFE_MEETING = "LIFE_MEETING"
    DEMOCRATIC_REVIEW = "DEMOCRATIC_REVIEW"
    HEART_TO_HEART = "HEART_TO_HEART"

    @property
    def label(self) -> str:
        return MEETING_KIND_LABELS[self]


MEETING_KIND_LABELS = {
    MeetingKind.GENERAL_MEETING: "支部党员大会",
    MeetingKind.COMMITTEE_MEETING: "支部委员会",
    MeetingKind.GROUP_MEETING: "党小组会",
    MeetingKind.PARTY_LECTURE: "党课",
    MeetingKind.THEME_DAY: "主题党日",
    MeetingKind.LIFE_MEETING: "组织生活会",
    MeetingKind.DEMOCRATIC_REVIEW: "民主评议党员",
    MeetingKind.HEART_TO_HEART: "谈心谈话",
}


class MeetingStatus(StrEnum):
    """A draft never counts toward compliance (DESIGN §2.0)."""

    DRAFT = "DRAFT"  # 草稿
    DONE = "DONE"  # 完成

    @property
    def label(self) -> str:
        return {"DRAFT": "草稿", "DONE": "完成"}[self.value]


class AttendanceStatus(StrEnum):
    """One member at a meeting.  请假 and 缺席 carry a reason; 列席 is present without being on the
    meeting's roster of participants (e.g. a 预备党员 or another branch's member sitting in)."""

    PRESENT = "PRESENT"  # 出席
    LEAVE = "LEAVE"  # 请假
    ABSENT = "ABSENT"  # 缺席
    OBSERVER = "OBSERVER"  # 列席

    @property
    def label(self) -> str:
        return {"PRESENT": "出席", "LEAVE": "请假", "ABSENT": "缺席", "OBSERVER": "列席"}[self.value]

    @property
    def needs_reason(self) -> bool:
        return self in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)

    @property
    def is_present(self) -> bool:
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.OBSERVER)


class GuestRole(StrEnum):
    """Someone at a meeting who is not one of its members."""

    LECTURER = "LECTURER"  # 讲课人
    SUPERIOR = "SUPERIOR"  # 上级党组织代表
    OBSERVER = "OBSERVER"  # 列席人员
    OTHER = "OTHER"  # 其他

    @property
    def label(self) -> str:
        return {"LECTURER": "讲课人", "SUPERIOR": "上级党组织代表", "OBSERVER": "列席人员", "OTHER": "其他"}[self.value]


class VoteKind(StrEnum):
    RESOLUTION = "RESOLUTION"  # 决议
    ELECTION = "ELECTION"  # 选举
    ADMIT = "ADMIT"  # 接收预备党员
    CONFIRM = "CONFIRM"  # 预备党员转正
    OTHER = "OTHER"  # 其他

    @property
    def label(self) -> str:
        return {"RESOLUTION": "决议", "ELECTION": "选举", "ADMIT": "接收预备党员", "CONFIRM": "预备党员转正",
                "OTHER": "其他"}[self.value]

    @property
    def counts_written_opinions(self) -> bool:
        """接收预备党员 / 转正: written opinions of voting members who could not attend count in the tally."""
        return self in (VoteKind.ADMIT, VoteKind.CONFIRM)


class ReviewGrade(StrEnum):
    EXCELLENT = "EXCELLENT"  # 优秀
    QUALIFIED = "QUALIFIED"  # 合格
    BASICALLY_QUALIFIED = "BASICALLY_QUALIFIED"  # 基本合格
    UNQUALIFIED = "UNQUALIFIED"  # 不合格

    @property
    def label(self) -> str:
        return {"EXCELLENT": "优秀", "QUALIFIED": "合格", "BASICALLY_QUALIFIED": "基本合格",
                "UNQUALIFIED": "不合格"}[self.value]


class VisitMode(StrEnum):
    ON_SITE = "ON_SITE"
    PHONE = "PHONE"
    ONLINE = "ONLINE"

    @property
    def label(self) -> str:
        return {"ON_SITE": "实地走访", "PHONE": "电话", "ONLINE": "线上"}[self.value]


class VisitStatus(StrEnum):
    """A visit is planned (a date, maybe a 走访通知) or done (what was seen is recorded)."""

    PLANNED = "PLANNED"  # 计划
    DONE = "DONE"  # 已走访

    @property
    def label(self) -> str:
        return {"PLANNED": "计划", "DONE": "已走访"}[self.value]


class ChecklistAnswerValue(StrEnum):
    YES = "YES"
    NO = "NO"
    NOT_APPLICABLE = "NOT_APPLICABLE"

    @property
    def label(self) -> str:
        return {"YES": "是", "NO": "否", "NOT_APPLICABLE": "不适用"}[self.value]


class RectificationSource(StrEnum):
    VISIT = "VISIT"  # 走访
    INSPECTION = "INSPECTION"  # 督查
    ANNUAL_CHECK = "ANNUAL_CHECK"  # 年检
    OTHER = "OTHER"  # 其他

    @property
    def label(self) -> str:
        return {"VISIT": "走访", "INSPECTION": "督查", "ANNUAL_CHECK": "年检", "OTHER": "其他"}[self.value]


class RectificationStatus(StrEnum):
    DRAFT = "DRAFT"  # 草稿
    ISSUED = "ISSUED"  # 已签发
    ACKNOWLEDGED = "ACKNOWLEDGED"  # 已签收
    IN_PROGRESS = "IN_PROGRESS"  # 整改中
    REPORTED = "REPORTED"  # 已反馈
    REVIEW_PASSED = "REVIEW_PASSED"  # 复查通过
    REVIEW_FAILED = "REVIEW_FAILED"  # 复查未通过
    CLOSED = "CLOSED"  # 已销号

    @property
    def label(self) -> str:
        return {"DRAFT": "草稿", "ISSUED": "已签发", "ACKNOWLEDGED": "已签收", "IN_PROGRESS": "整改中",
                "REPORTED": "已反馈", "REVIEW_PASSED": "复查通过", "REVIEW_FAILED": "复查未通过",
                "CLOSED": "已销号"}[self.value]


class RectificationFollowUpKind(StrEnum):
    """What a follow-up row on a 整改 item records (DESIGN §2.0); the transitions live in
    ``app/domain/rectification_flow.py``.  ISSUE and START are the two steps the DESIGN list leaves implicit
    (签发 the notice; begin, or after a failed re-check resume, the work)."""

    ISSUE = "ISSUE"  # 签发
    ACKNOWLEDGE = "ACKNOWLEDGE"  # 签收
    START = "START"  # 开始整改 (also after 复查未通过)
    REPORT = "REPORT"  # 反馈
    REVIEW_PASS = "REVIEW_PASS"  # 复查通过
    REVIEW_FAIL = "REVIEW_FAIL"  # 复查未通过
    EXTEND = "EXTEND"  # 延期
    CLOSE = "CLOSE"  # 销号
    NOTE = "NOTE"  # 备注

    @property
    def label(self) -> str:
        return {"ISSUE": "签发", "ACKNOWLEDGE": "签收", "START": "开始整改", "REPORT": "反馈",
                "REVIEW_PASS": "复查通过", "REVIEW_FAIL": "复查未通过", "EXTEND": "延期", "CLOSE": "销号",
                "NOTE": "备注"}[self.value]


class NoticeKind(StrEnum):
    VISIT_NOTICE = "VISIT_NOTICE"  # 走访通知
    RECTIFICATION_NOTICE = "RECTIFICATION_NOTICE"  # 整改通知书
    REMINDER_LETTER = "REMINDER_LETTER"  # 提醒函

    @property
    def label(self) -> str:
        return {"VISIT_NOTICE": "走访通知", "RECTIFICATION_NOTICE": "整改通知书",
                "REMINDER_LETTER": "提醒函"}[self.value]


class NoticeStatus(StrEnum):
    """草稿 → 已签发 → 已送达 → 已签收; 作废 (with a reason) from any of them (DESIGN §2.0)."""

    DRAFT = "DRAFT"  # 草稿
    ISSUED = "ISSUED"  # 已签发
    DELIVERED = "DELIVERED"  # 已送达
    SIGNED = "SIGNED"  # 已签收
    VOID = "VOID"  # 作废

    @property
    def label(self) -> str:
        return {"DRAFT": "草稿", "ISSUED": "已签发", "DELIVERED": "已送达", "SIGNED": "已签收",
                "VOID": "作废"}[self.value]


class OutboxOp(StrEnum):
    UPSERT = "upsert"
    DELETE = "delete"
    TRANSITION = "transition"
    APPEND = "append"


class OutboxState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"
    ACKED = "acked"
    REJECTED = "rejected"
    CONFLICT = "conflict"
