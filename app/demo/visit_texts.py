"""Texts for the demo 走访 and 整改 items: findings of the items the newer checklist added, suggestions,
matters for coordination, the basis and requirement of an item, 延期 reasons, and a note per follow-up."""

from __future__ import annotations

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationSource

NEW_FINDINGS: dict[str, tuple[str, ...]] = {  # items of checklist 2026.1 that 2024.1 did not have
    "C09": ("党建宣传栏内容仍是去年的，未及时更新", "未设线上宣传阵地"),
    "C10": ("本年度尚未组织党员集中学习培训",),
}
SUGGESTIONS = (
    "建议结合业务工作开展主题党日活动，增强吸引力。", "建议规范三会一课记录，做到一会一记、签到齐全。",
    "建议指定专人负责党建台账，按月整理归档。", "建议把党建工作写入年度工作计划，与业务工作同部署。",
    "", "",
)
COORDINATION = (
    "党员活动场所面积不足，需街道协调社区党群服务中心共享场地。",
    "2名党员组织关系在原单位，需协调转接。", "希望区里安排党务工作者培训名额。", "", "", "",
)
PLAN_PURPOSES = ("了解近期党建工作开展情况", "检查上次走访发现问题的整改情况", "指导组织生活会准备工作",
                 "宣讲党建入章要求，核实章程修改进度")
BASIS: dict[RectificationSource, str] = {
    RectificationSource.VISIT: "《中国共产党支部工作条例（试行）》；党建指导员走访检查表",
    RectificationSource.INSPECTION: "区委社会工作部社会组织党建工作督查通知",
    RectificationSource.ANNUAL_CHECK: "《社会团体登记管理条例》《民办非企业单位登记管理暂行条例》关于年度检查的规定",
    RectificationSource.OTHER: "区社会组织党建工作有关要求",
}
SOURCE_DETAIL: dict[RectificationSource, str] = {
    RectificationSource.INSPECTION: "{year}年度社会组织党建工作专项督查",
    RectificationSource.ANNUAL_CHECK: "{year}年度年检",
    RectificationSource.OTHER: "群众反映",
}
EXTENSION_REASONS = ("理事会换届选举需按章程程序进行，申请延期", "组织关系转接需原单位配合，申请延期",
                     "负责人外出培训，整改材料尚未备齐", "场地改造施工未完成")
FOLLOW_UP_NOTES: dict[Kind, tuple[str, ...]] = {
    Kind.ISSUE: ("已签发整改通知书",),
    Kind.ACKNOWLEDGE: ("组织负责人当面签收",),
    Kind.START: ("组织已制定整改方案，开始整改", "复查后继续整改"),
    Kind.REPORT: ("组织报送整改情况报告及佐证材料", "组织书面反馈已完成整改"),
    Kind.REVIEW_PASS: ("现场复查，整改到位",),
    Kind.REVIEW_FAIL: ("复查发现台账仍不完整，需继续整改", "复查发现问题未整改到位"),
    Kind.CLOSE: ("整改完成，予以销号",),
    Kind.NOTE: ("电话督促整改进度",),
}
