"""What each document says (DESIGN §2.2), as frozen dataclasses: no database, no layout, no masking.

The notices area builds these from the records (labels already in Chinese, personal data already masked
with ``app.domain.masking`` when the print is masked); the renderers (one module per document) set them
on the page.  Every text field is printed as given, so a caller decides what the paper shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from app.domain.doc_numbers import DocNumber, ProvisionalNumber
from app.services.core.errors import ServiceError

__all__ = ["AttendanceRowDoc", "CandidateDoc", "ChecklistRowDoc", "DocumentInputError", "DocumentNumber",
           "GuestDoc", "MeetingRecordDoc", "NoticeItemDoc", "RectificationNoticeDoc", "ReminderLetter",
           "SignInRowDoc", "UnissuedNumber", "VisitNoticeDoc", "VisitRecordDoc", "VoteDoc"]

DRAFT_MARK, VOID_MARK = "草稿", "作废"


class UnissuedNumber(NamedTuple):
    """The 发文字号 line of a notice not yet issued (a 草稿's check copy): no number is taken for it."""

    note: str = "（签发时编号）"

    @property
    def text(self) -> str:
        return self.note


# a provisional one prints with 临 and （临时编号）; an unissued one with （签发时编号）
DocumentNumber = DocNumber | ProvisionalNumber | UnissuedNumber


class DocumentInputError(ServiceError):
    """Content a document cannot be set from; ``problems`` are Chinese lines saying what to fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("文书无法生成：" + "；".join(problems) + "。")


# --- 提醒函 -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReminderLetter:
    title: str  # 关于……的提醒函
    number: DocumentNumber
    addressee: str  # 主送, e.g. 某某协会党支部
    paragraphs: tuple[str, ...]
    issuer: str  # 署名
    dated: date  # 成文日期
    mark: str = ""  # 草稿 / 作废: printed on every page (a check copy, not the document handed over)


# --- 整改通知书 -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NoticeItemDoc:
    """One rectification item as the notice prints it (``deadline``: the latest, extensions applied)."""

    title: str  # the problem in one line
    description: str  # 存在问题, in full
    basis: str  # 依据
    requirement: str  # 整改要求
    deadline: date  # 整改期限
    responsible_person: str  # 整改责任人


@dataclass(frozen=True)
class RectificationNoticeDoc:
    """整改通知书: a 存根 page (kept by the issuer) and the 送达联 (handed over, with its 签收栏); with
    ``with_feedback_form`` a 整改反馈表 page per item follows for the organization to fill in."""

    number: DocumentNumber
    org_name: str  # the organization the items are about
    addressee: str  # 主送 (the organization or its party organization)
    items: tuple[NoticeItemDoc, ...]
    issuer: str  # 落款 (发文机关署名)
    dated: date  # 成文日期
    title: str = "整改通知书"
    opening: str = ""  # how the problems came to light; a standard sentence when empty
    closing: str = ""  # what to do and by when; a standard sentence when empty
    contact: str = ""  # 联系人及电话 (masked by the caller)
    masthead: str = ""  # 版头 (发文机关标志), optional
    with_feedback_form: bool = False
    mark: str = ""  # 草稿 / 作废: printed on every page (a check copy, not the document handed over)


# --- 走访通知 ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class VisitNoticeDoc:
    """走访通知: when and how the instructor will visit, what to prepare; with ``with_receipt`` a 回执 to
    cut off and send back below a cutting line."""

    number: DocumentNumber
    org_name: str
    addressee: str  # 主送
    visit_on: date
    mode: str  # 实地走访 / 电话 / 线上 (label)
    issuer: str
    dated: date
    start_time: str = ""  # civil time as printed, e.g. 9:30; empty when only the day is fixed
    visitors: str = ""  # who comes (names, posts)
    topics: tuple[str, ...] = ()  # 走访内容
    preparations: tuple[str, ...] = ()  # 请准备的材料 / 请在场的人员
    contact: str = ""  # 联系人及电话 (masked by the caller)
    title: str = "走访通知"
    masthead: str = ""
    with_receipt: bool = False
    mark: str = ""  # 草稿 / 作废: printed on every page (a check copy, not the document handed over)


# --- 走访记录表 -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistRowDoc:
    item_text: str  # as it was asked (stored with the answer)
    answer: str  # 是 / 否 / 不适用 (label)
    note: str = ""


@dataclass(frozen=True)
class VisitRecordDoc:
    org_name: str
    visited_on: date
    mode: str  # label
    instructor: str
    start_time: str = ""  # civil times as printed, e.g. 9:30
    end_time: str = ""
    surprise: bool = False  # 不打招呼
    met_with: str = ""  # people met, names and posts
    checklist_version: str = ""
    checklist: tuple[ChecklistRowDoc, ...] = ()
    summary: str = ""  # 走访情况
    findings: tuple[str, ...] = ()  # 发现的问题
    suggestions: str = ""  # 意见建议
    coordination: str = ""  # 需协调解决的事项
    next_visit_on: date | None = None
    title: str = "社会组织党建工作走访记录表"
    number: DocumentNumber | None = None  # the 走访通知's number, when the visit had one


# --- 三会一课会议记录 + 签到表 ----------------------------------------------------------------------------

@dataclass(frozen=True)
class AttendanceRowDoc:
    name: str
    status: str  # 出席 / 请假 / 缺席 / 列席 (label)
    reason: str = ""  # of a 请假 or 缺席
    had_vote: bool = False  # the snapshot at the meeting
    vote_note: str = ""  # why not (预备党员, 留党察看 …)


@dataclass(frozen=True)
class GuestDoc:
    name: str
    role: str  # 讲课人 / 上级党组织代表 / 列席人员 / 其他 (label)
    unit: str = ""


@dataclass(frozen=True)
class CandidateDoc:
    name: str
    yes_votes: int
    outcome: str = ""  # 当选 / 未当选, worked out by the caller (app.domain.votes)


@dataclass(frozen=True)
class VoteDoc:
    motion: str
    kind: str  # 决议 / 选举 / 接收预备党员 / 预备党员转正 / 其他 (label)
    yes: int = 0
    no: int = 0
    abstain: int = 0
    written_yes: int = 0
    outcome: str = ""  # e.g. 通过（赞成票超过应到人数的半数）, worked out by the caller
    candidates: tuple[CandidateDoc, ...] = ()


@dataclass(frozen=True)
class SignInRowDoc:
    """One line of the 签到表; the 签名 cell is left blank for the pen."""

    name: str
    category: str = ""  # 正式党员 / 预备党员 / 列席 / 讲课人 …
    note: str = ""  # e.g. 请假（出差）


@dataclass(frozen=True)
class MeetingRecordDoc:
    party_org_name: str
    kind: str  # 支部党员大会 … (label)
    started_at: datetime  # civil
    location: str
    host: str  # 主持人
    recorder: str  # 记录人
    expected: int  # 应到 (from the attendance rows)
    present: int  # 实到
    ended_at: datetime | None = None
    topic: str = ""
    org_names: tuple[str, ...] = ()  # the social organizations the party organization covers
    attendance: tuple[AttendanceRowDoc, ...] = ()
    guests: tuple[GuestDoc, ...] = ()
    agenda: tuple[str, ...] = ()
    votes: tuple[VoteDoc, ...] = ()
    decisions: str = ""  # 决议
    minutes: str = ""  # 会议记录
    lecturer: str = ""  # 党课
    lecture_hours: float | None = None
    activity_form: str = ""  # 主题党日
    sign_in: tuple[SignInRowDoc, ...] = ()
    draft: bool = False  # a 草稿 prints marked as such
    title: str = "三会一课会议记录"
