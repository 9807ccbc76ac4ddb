"""Texts for the demo 三会一课, visits and rectifications: topics, agenda items, motions, findings.

Pure data.  Topics are the generic ones found in branch minutes; nothing here is policy.
"""

from __future__ import annotations

from app.domain.enums import MeetingKind, RectificationStatus

TOPICS: dict[MeetingKind, tuple[str, ...]] = {
    MeetingKind.GENERAL_MEETING: (
        "传达学习上级党组织会议精神", "讨论支部年度工作计划", "通报党费收缴和使用情况", "研究发展党员工作",
        "讨论预备党员转正", "学习《中国共产党章程》", "总结上半年支部工作",
    ),
    MeetingKind.COMMITTEE_MEETING: (
        "研究本月支部工作安排", "研究入党积极分子培养工作", "研究主题党日活动方案", "研究党员教育管理工作",
        "研究党建与业务融合工作", "研究支部组织生活会准备工作",
    ),
    MeetingKind.GROUP_MEETING: ("党小组集中学习", "交流学习体会", "开展批评与自我批评", "讨论党小组工作安排"),
    MeetingKind.PARTY_LECTURE: (
        "学习习近平新时代中国特色社会主义思想", "学习《中国共产党纪律处分条例》", "党史专题学习",
        "社会组织党建工作的方法和要求", "发挥党员先锋模范作用", "坚持党建引领 服务社区群众",
    ),
    MeetingKind.THEME_DAY: (
        "重温入党誓词", "志愿服务进社区", "参观革命历史纪念馆", "集中学习与交流研讨", "关爱困难群众走访慰问",
        "参观林则徐纪念馆", "垃圾分类宣传志愿服务", "党员亮身份、践承诺",
    ),
    MeetingKind.LIFE_MEETING: ("年度组织生活会", "专题组织生活会"),
    MeetingKind.DEMOCRATIC_REVIEW: ("年度民主评议党员",),
    MeetingKind.HEART_TO_HEART: ("书记与党员谈心谈话",),
}
AGENDA: dict[MeetingKind, tuple[str, ...]] = {
    MeetingKind.GENERAL_MEETING: ("传达学习上级文件精神", "通报支部近期工作", "讨论表决有关事项", "布置下阶段工作"),
    MeetingKind.COMMITTEE_MEETING: ("研究本月工作", "讨论党员发展计划", "安排主题党日活动", "其他事项"),
    MeetingKind.GROUP_MEETING: ("集中学习", "交流发言"),
    MeetingKind.PARTY_LECTURE: ("讲授党课", "交流学习体会"),
    MeetingKind.THEME_DAY: ("重温入党誓词", "集中学习", "开展志愿服务"),
    MeetingKind.LIFE_MEETING: ("通报征求意见情况", "支部班子对照检查", "党员开展批评和自我批评", "制定整改措施"),
    MeetingKind.DEMOCRATIC_REVIEW: ("党员个人总结", "党员互评", "确定评议等次"),
    MeetingKind.HEART_TO_HEART: ("了解思想工作情况", "听取意见建议"),
}
GENERAL_MOTIONS = ("通过支部年度工作计划", "通过党费使用方案", "通过支部年度工作总结",
                   "同意{name}为入党积极分子培养联系人")
ADMIT_MOTION = "讨论接收{name}为中共预备党员"
CONFIRM_MOTION = "讨论预备党员{name}按期转为正式党员"
COMMITTEE_MOTIONS = ("同意将{name}列为入党积极分子", "同意将{name}列为发展对象", "通过主题党日活动方案")
ELECTION_MOTION = "选举产生新一届支部委员会"
LEAVE_REASONS = ("出差", "病假", "事假", "工作冲突", "外出学习", "家中有事", "在外地")  # 请假, approved before
ABSENCE_REASONS = ("未请假：事后说明临时加班", "未请假：联系不上，会后已谈话提醒", "未请假：记错会议时间")  # 缺席
LOCATIONS = ("{org}会议室", "{org}党员活动室", "{community}党群服务中心", "鼓楼区社会组织党群服务中心")
OUTSIDE_LECTURERS = ("区委党校讲师", "区委社会工作部干部", "街道党工委委员")
DECISION = "会议经讨论，一致同意{topic}有关安排，由支部委员会负责落实。"
MINUTES = "会议由{host}主持，应到{expected}人，实到{present}人。与会党员围绕“{topic}”进行了学习讨论。"

FINDINGS: dict[str, tuple[str, ...]] = {
    "C01": ("党员人数已达3人以上，尚未单独建立党支部",),
    "C02": ("本季度未召开支部党员大会", "主题党日活动缺少签到表", "支委会会议记录缺少决议内容"),
    "C03": ("章程未载明党的建设有关内容",),
    "C04": ("2名党员组织关系尚未转入", "党费收缴台账不完整"),
    "C05": ("党员活动室被挪作他用", "党建宣传栏内容长期未更新"),
    "C06": ("理事会已超过任期未换届",),
    "C07": ("未按时报送年度工作报告",),
    "C08": ("财务票据不规范", "未按规定建立财务审批制度"),
}
VISIT_SUMMARIES = (
    "了解组织近期业务开展情况，指导党建工作。", "检查三会一课台账，宣讲党建入章要求。",
    "座谈了解党员思想和工作情况。", "指导年度组织生活会准备工作。", "核实年检整改落实情况。",
)
MET_WITH_TITLES = ("负责人", "秘书长", "党支部书记", "党建联络员", "办公室主任")
REQUIREMENT = "请于{deadline}前完成整改，并将整改情况书面反馈。"
STATUS_NOTES: dict[RectificationStatus, str] = {
    RectificationStatus.DRAFT: "创建整改事项",
    RectificationStatus.ISSUED: "已签发整改通知",
    RectificationStatus.ACKNOWLEDGED: "组织负责人已签收",
    RectificationStatus.IN_PROGRESS: "组织开始整改",
    RectificationStatus.REPORTED: "组织报送整改情况",
    RectificationStatus.REVIEW_PASSED: "复查通过",
    RectificationStatus.REVIEW_FAILED: "复查未通过，需继续整改",
    RectificationStatus.CLOSED: "整改完成，予以销号",
}
ANNUAL_CHECK_TITLE = "{year}年度年检“{result}”问题整改"
