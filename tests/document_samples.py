"""Content for every document (app.services.documents.content), as the notices area would build it from the
records: ordinary cases, and the hard ones (a 100-character name, a 5,000-character item, rare names)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from app.domain.doc_numbers import DocNumber, ProvisionalNumber
from app.domain.masking import mask_personal
from app.services.documents.content import (
    AttendanceRowDoc,
    CandidateDoc,
    ChecklistRowDoc,
    GuestDoc,
    MeetingRecordDoc,
    NoticeItemDoc,
    RectificationNoticeDoc,
    ReminderLetter,
    SignInRowDoc,
    VisitNoticeDoc,
    VisitRecordDoc,
    VoteDoc,
)

ORG = "温泉街道文化创意产业协会"
PARTY_ORG = "温泉街道文化创意产业协会党支部"
ISSUER = "温泉街道社会组织综合党委"
NUMBER = DocNumber("鼓民社党", 2026, 7)
PROVISIONAL = ProvisionalNumber("鼓民社党", 2026, 3)
CONTACT = mask_personal("王明 13800001234、0591-87654321")
# 100 characters, as a registered name can be (社会团体 names have no legal limit)
LONG_NAME = ("福州市鼓楼区温泉街道" + "文化创意产业与非物质文化遗产保护传承促进" * 4 + "暨青年志愿服务联合会")[:100]
LONG_TEXT = (("经查阅会议记录、党员名册和党费收缴台账，该支部二〇二六年度第一至第三季度均未按规定召开支部党员大会，"
             "支部委员会会议记录中缺少应到实到人数、缺席人员及原因等要素，党费收缴未按月进行，部分党员组织关系"
             "仍在原单位未转接。") * 50)[:5000]
assert len(LONG_NAME) == 100 and len(LONG_TEXT) == 5000

ITEMS = (
    NoticeItemDoc("党支部未按期换届", "你单位党支部上一届支部委员会于2023年6月选举产生，任期三年，已于2026年6月届满，"
                  "至今未启动换届工作。", "《中国共产党支部工作条例（试行）》第十五条",
                  "请于整改期限内召开支部党员大会进行换届选举，选举结果报上级党组织审批。", date(2026, 12, 31), "张堃"),
    NoticeItemDoc("三会一课记录不全", "2026年第三季度未召开支部党员大会；9月份支部委员会会议记录缺少缺席人员及原因。",
                  "", "补开支部党员大会，完善会议记录，今后每次会议记录应到、实到人数和缺席原因。", date(2027, 1, 15),
                  "李喆"),
)

NOTICE = RectificationNoticeDoc(number=NUMBER, org_name=ORG, addressee=PARTY_ORG, items=ITEMS, issuer=ISSUER,
                                dated=date(2026, 12, 1), contact=CONTACT, with_feedback_form=True)
NOTICE_MASTHEAD = replace(NOTICE, masthead="温泉街道社会组织综合党委文件")
NOTICE_LONG = replace(NOTICE, org_name=LONG_NAME, addressee=LONG_NAME + "党支部", number=PROVISIONAL,
                      items=(replace(ITEMS[0], description=LONG_TEXT), ITEMS[1]))

VISIT_NOTICE = VisitNoticeDoc(
    number=DocNumber("鼓民社党", 2026, 8), org_name=ORG, addressee=PARTY_ORG, visit_on=date(2026, 12, 8),
    mode="实地走访", issuer=ISSUER, dated=date(2026, 12, 1), start_time="上午9:30", visitors="党建指导员 陈喆、王明",
    topics=("了解党支部组织生活开展情况", "查阅三会一课记录、党员名册和党费收缴台账", "听取对党建工作的意见建议"),
    preparations=("2026年度三会一课会议记录", "党员名册及组织关系转接材料", "党费收缴台账"), contact=CONTACT,
    with_receipt=True)
VISIT_NOTICE_LONG = replace(VISIT_NOTICE, org_name=LONG_NAME, addressee=LONG_NAME + "党支部",
                            topics=(LONG_TEXT[:1500], *VISIT_NOTICE.topics))

_CHECKLIST = (
    ChecklistRowDoc("党组织是否按期换届", "否", "2026年6月届满，未换届"),
    ChecklistRowDoc("是否按规定召开支部党员大会（每季度至少1次）", "否", "第三季度未召开"),
    ChecklistRowDoc("支部委员会是否每月召开", "是"),
    ChecklistRowDoc("是否按月开展主题党日活动", "是"),
    ChecklistRowDoc("党员组织关系是否全部转入", "否", "2名党员关系在原单位"),
    ChecklistRowDoc("党费是否按月足额收缴", "是"),
    ChecklistRowDoc("党建工作是否写入章程", "是"),
    ChecklistRowDoc("是否有固定的党员活动场所", "不适用", "与协会共用会议室"),
)
VISIT_RECORD = VisitRecordDoc(
    org_name=ORG, visited_on=date(2026, 12, 8), mode="实地走访", instructor="陈喆", start_time="9:30",
    end_time="11:10", met_with="协会秘书长 李喆、支部书记 张堃、会计 𠮷丽", checklist_version="2026.1",
    checklist=_CHECKLIST,
    summary="查阅了2026年度会议记录和党员名册，与支部书记、秘书长座谈，了解支部组织生活和业务开展情况。",
    findings=("党支部已届满未换届。", "第三季度未召开支部党员大会。"),
    suggestions="尽快制定换届工作方案；建立三会一课提醒制度。", coordination="协调街道提供党员活动场所。",
    next_visit_on=date(2027, 1, 12), number=DocNumber("鼓民社党", 2026, 8))
VISIT_RECORD_LONG = replace(VISIT_RECORD, org_name=LONG_NAME, summary=LONG_TEXT, checklist=_CHECKLIST * 6)

_MEMBERS = ("张堃", "李喆", "王明", "陈静", "林晓峰", "黄丽", "吴敏", "郑凯", "周婷")
MEETING = MeetingRecordDoc(
    party_org_name=PARTY_ORG, kind="支部党员大会", started_at=datetime(2026, 11, 20, 14, 30), location="协会三楼会议室",
    host="张堃", recorder="李喆", expected=8, present=7, ended_at=datetime(2026, 11, 20, 16, 0),
    topic="学习贯彻党的二十届四中全会精神", org_names=(ORG,),
    attendance=(*(AttendanceRowDoc(name, "出席", had_vote=True) for name in _MEMBERS[:7]),
                AttendanceRowDoc(_MEMBERS[7], "请假", "出差", had_vote=True),
                AttendanceRowDoc(_MEMBERS[8], "列席", vote_note="预备党员，无表决权")),
    guests=(GuestDoc("陈喆", "上级党组织代表", ISSUER),),
    agenda=("传达学习全会精神", "讨论接收林晓峰同志为预备党员", "选举支部委员会委员"),
    votes=(VoteDoc("接收林晓峰同志为中共预备党员", "接收预备党员", yes=7, written_yes=1,
                   outcome="通过（赞成票超过应到人数的半数）"),
           VoteDoc("选举支部委员会委员", "选举", candidates=(
               CandidateDoc("张堃", 7, "当选"), CandidateDoc("李喆", 6, "当选"), CandidateDoc("王明", 3, "未当选")))),
    decisions="同意接收林晓峰同志为中共预备党员，报上级党组织审批；张堃、李喆当选支部委员会委员。",
    minutes="张堃同志传达了全会精神，与会党员结合本职工作交流了学习体会。" * 6,
    sign_in=(*(SignInRowDoc(name, "正式党员" if i < 8 else "预备党员", "请假（出差）" if i == 7 else "")
               for i, name in enumerate(_MEMBERS)), SignInRowDoc("陈喆", "上级党组织代表")))
MEETING_LONG = replace(MEETING, party_org_name=LONG_NAME + "党支部", minutes=LONG_TEXT,
                       attendance=MEETING.attendance * 6, sign_in=MEETING.sign_in * 5)

LETTER = ReminderLetter(
    title="关于做好党支部换届选举工作的提醒函", number=DocNumber("鼓民社党", 2026, 9), addressee=PARTY_ORG,
    paragraphs=("你支部上一届支部委员会于2023年6月18日选举产生，任期三年，已于2026年6月届满。请于届满前做好换届选举"
                "各项准备工作，按程序向上级党组织报送换届请示。", "特此函告。"),
    issuer=ISSUER, dated=date(2026, 12, 1))
LETTER_LONG = replace(LETTER, addressee=LONG_NAME + "党支部", paragraphs=(LONG_TEXT, "特此函告。"))
