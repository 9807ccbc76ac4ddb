"""整改 status flow and the overdue rule (DESIGN §2.1).  Pure functions; no database.

    草稿 -签发-> 已签发 -签收-> 已签收 -开始整改-> 整改中 -反馈-> 已反馈 -复查通过-> 复查通过 -销号-> 已销号
                                                       ↑                  └-复查未通过-> 复查未通过
                                                       └-------------开始整改----------------┘

延期 keeps the status and moves the deadline; it is allowed while the item is open (签发 to 反馈, and again
after a failed re-check).  备注 is allowed in every status.  Every follow-up is an appended row; this module
only says which row may follow which status and what status it leads to.

Overdue: today (a civil date in the district's zone) is past the latest deadline — the original or the
furthest extension — and the item is open: 已签发, 已签收, 整改中, or 复查未通过 (a failed re-check is open
again, and overdue again when its deadline has passed).  From 已反馈 on the organization has done its part.
A 草稿 is not overdue: nothing has been issued, so the organization owes nothing yet (the draft's own
deadline is edited before 签发).  The deadline day itself is not overdue.

Status from the follow-ups (``replay`` / ``status_from_follow_ups``): an item's status is what its
follow-ups, replayed in order from 草稿, lead to.  After a sync merge two devices may each have appended a
step from the same status (one 复查通过, the other 复查未通过); replayed in the server's order the first
counts and the second does not (it was taken from a status the item has left, or is not allowed from
the new one), so the stored status and the history can always be brought back into agreement.  A row
written before kinds were stored (kind 备注 but recording a status change) counts as the step its
``to_status`` names, as migration 0014 derived it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from app.domain.enums import RectificationFollowUpKind as Kind
from app.domain.enums import RectificationStatus as Status

# kind -> {from status: to status}
TRANSITIONS: dict[Kind, dict[Status, Status]] = {
    Kind.ISSUE: {Status.DRAFT: Status.ISSUED},
    Kind.ACKNOWLEDGE: {Status.ISSUED: Status.ACKNOWLEDGED},
    Kind.START: {Status.ACKNOWLEDGED: Status.IN_PROGRESS, Status.REVIEW_FAILED: Status.IN_PROGRESS},
    Kind.REPORT: {Status.IN_PROGRESS: Status.REPORTED},
    Kind.REVIEW_PASS: {Status.REPORTED: Status.REVIEW_PASSED},
    Kind.REVIEW_FAIL: {Status.REPORTED: Status.REVIEW_FAILED},
    Kind.CLOSE: {Status.REVIEW_PASSED: Status.CLOSED},
}
# The organization still owes the work: the states in which the deadline runs.
OPEN_STATUSES = frozenset({Status.ISSUED, Status.ACKNOWLEDGED, Status.IN_PROGRESS, Status.REVIEW_FAILED})
# Follow-ups that keep the status, and where they are allowed.
STAYING: dict[Kind, frozenset[Status]] = {
    Kind.EXTEND: OPEN_STATUSES,
    Kind.NOTE: frozenset(Status),
}
_KIND_ORDER = tuple(Kind)


@dataclass(frozen=True)
class Extension:
    """One 延期: the new deadline, who granted it, when and why (kept, never overwritten)."""

    new_deadline: date
    granted_on: date
    granted_by: str
    reason: str


def is_open(status: Status) -> bool:
    return status in OPEN_STATUSES


def allowed_kinds(status: Status) -> tuple[Kind, ...]:
    """The follow-ups that may be appended to an item in ``status``, in the flow's order."""
    return tuple(kind for kind in _KIND_ORDER
                 if status in TRANSITIONS.get(kind, {}) or status in STAYING.get(kind, frozenset()))


def allowed_next(status: Status) -> tuple[Status, ...]:
    """The statuses an item in ``status`` may move to (a follow-up that keeps the status is not a move)."""
    return tuple(TRANSITIONS[kind][status] for kind in allowed_kinds(status) if kind in TRANSITIONS)


def apply_follow_up(status: Status, kind: Kind) -> Status:
    """The status after appending a follow-up of ``kind``; a ValueError in Chinese naming the current
    status and what is allowed when the flow does not permit it."""
    if kind in TRANSITIONS and status in TRANSITIONS[kind]:
        return TRANSITIONS[kind][status]
    if kind in STAYING and status in STAYING[kind]:
        return status
    allowed = "、".join(k.label for k in allowed_kinds(status))
    raise ValueError(f"整改事项当前为「{status.label}」，不能「{kind.label}」；此时可以：{allowed}。")


def check_extension(current_deadline: date, new_deadline: date, reason: str) -> None:
    """A 延期 moves the deadline later and says why; a ValueError in Chinese otherwise."""
    if new_deadline <= current_deadline:
        raise ValueError(f"延期后的期限应晚于现在的期限 {civil_day(current_deadline)}，"
                         f"不能是 {civil_day(new_deadline)}。")
    if not reason.strip():
        raise ValueError("请填写延期理由。")


def latest_deadline(original: date, extensions: Iterable[Extension | date]) -> date:
    """The deadline in force: the original or the furthest extension."""
    dates = [ext.new_deadline if isinstance(ext, Extension) else ext for ext in extensions]
    return max([original, *dates])


def is_overdue(status: Status, deadline: date, extensions: Iterable[Extension | date], today: date) -> bool:
    """Open and past the latest deadline (the deadline day itself is still in time)."""
    return is_open(status) and today > latest_deadline(deadline, extensions)


def days_overdue(status: Status, deadline: date, extensions: Iterable[Extension | date], today: date) -> int:
    """How many days past the latest deadline an open item is (0 when it is not overdue)."""
    if not is_open(status):
        return 0
    return max(0, (today - latest_deadline(deadline, extensions)).days)


@dataclass(frozen=True)
class Step:
    """A follow-up as the replay sees it: its kind, the status it was taken from (None when unknown),
    the status it recorded (for rows written before kinds) and, for a 延期, the new deadline."""

    kind: Kind
    from_status: Status | None = None
    to_status: Status | None = None
    new_deadline: date | None = None


@dataclass(frozen=True)
class Replay:
    """Where the follow-ups lead: the status, which steps counted (in order), the deadlines of the 延期
    that counted."""

    status: Status
    counted: tuple[bool, ...]
    extensions: tuple[date, ...]


_KIND_OF_CHANGE = {to: kind for kind, moves in TRANSITIONS.items() for to in moves.values()}


def effective_kind(step: Step) -> Kind:
    """The step a follow-up records: its kind, or for an old 备注 row with a status change, the step that
    leads to its ``to_status`` (migration 0014's rule)."""
    if step.kind is Kind.NOTE and step.to_status is not None and step.to_status != step.from_status:
        return _KIND_OF_CHANGE.get(step.to_status, Kind.NOTE)
    return step.kind


def _counts(status: Status, kind: Kind, step: Step) -> bool:
    if kind in TRANSITIONS:
        taken_from = step.from_status is None or step.from_status is status
        return taken_from and status in TRANSITIONS[kind]
    return status in STAYING.get(kind, frozenset()) and (kind is not Kind.EXTEND or step.new_deadline is not None)


def replay(steps: Iterable[Step]) -> Replay:
    """Replay ``steps`` (in the order that counts: the server's version once synced) from 草稿."""
    status, counted, extensions = Status.DRAFT, [], []
    for step in steps:
        kind = effective_kind(step)
        ok = _counts(status, kind, step)
        counted.append(ok)
        if not ok:
            continue
        status = apply_follow_up(status, kind)
        if kind is Kind.EXTEND and step.new_deadline is not None:
            extensions.append(step.new_deadline)
    return Replay(status, tuple(counted), tuple(extensions))


def status_from_follow_ups(steps: Iterable[Step]) -> Status:
    """The status an item's follow-ups, in order, lead to (see the module doc)."""
    return replay(steps).status


def civil_day(day: date) -> str:
    """A civil date as Chinese documents write it: 2026年3月5日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"
