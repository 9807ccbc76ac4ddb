"""我负责的组织 (工作覆盖): which organizations the user is assigned to, and marking them.

The user is ``identity.current_user()`` (the profile: ``local`` before sign-in).  Their 党建指导员 row is
normally pulled from the district server; before sign-in there is none, so the first mark creates a local
one (``username`` = the profile, name 本机用户).  Instructor rows are never pushed.  Assignment rows made
here are the user's edits of an organization's own records: they go through the outbox like any other.

Once the profile is signed in to a district server, assignments come from the server and are read-only
here: :func:`assignments_editable` is the one statement of that rule.

An assignment runs from ``since`` to ``until`` inclusive (the rule in app.services.orgs.facts): marking
starts one today; unmarking ends it yesterday, so the ledger's coverage changes at once and the history is
kept — except an assignment made today, which is simply withdrawn (tombstoned).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from sqlalchemy import Select, select, text
from sqlalchemy.orm import Session, sessionmaker

from app.models import Assignment, Instructor, SocialOrg
from app.services.core import clock, identity
from app.services.core.errors import NotFoundError, ServiceError
from app.services.core.outbox import record_delete, record_upsert
from app.services.orgs.assignment_rule import MINE_SQL
from app.services.orgs.record_dto import MarkResult

__all__ = [
    "LOCAL_INSTRUCTOR_NAME", "MINE_SQL", "SERVER_KEY", "AssignmentsReadOnly", "assignments_editable",
    "can_edit_assignments", "mark_mine", "my_org_ids", "org_is_mine",
]

SERVER_KEY = "server_url"  # sync_state: set by sign-in (a later issue); from then on the server assigns
LOCAL_INSTRUCTOR_NAME = "本机用户"


class AssignmentsReadOnly(ServiceError):
    def __init__(self) -> None:
        super().__init__("已登录区服务器：负责的组织由区里分配，本机不能修改。如有变动，请联系区里的管理员。")


def assignments_editable(session: Session) -> bool:
    """True until the profile is signed in to a district server (sync_state holds its address)."""
    signed_in = session.execute(text("SELECT 1 FROM sync_state WHERE key = :k AND value != ''"),
                                {"k": SERVER_KEY}).first()
    return signed_in is None


def can_edit_assignments(factory: sessionmaker[Session]) -> bool:
    """:func:`assignments_editable` in its own session.  Read-only; any thread."""
    with factory() as session:
        return assignments_editable(session)


CHUNK = 500  # ids per IN (...): a bulk mark of the whole ledger stays under SQLite's variable limit



def _chunks(ids: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def _current(user: str, today: date) -> Select[Assignment]:
    """The user's assignments running on ``today``."""
    return (select(Assignment).join(Instructor, Instructor.id == Assignment.instructor_id)
            .where(Instructor.username == user, Instructor.deleted_at.is_(None), Assignment.deleted_at.is_(None),
                   Assignment.since <= today, (Assignment.until.is_(None)) | (Assignment.until >= today)))


def my_org_ids(factory: sessionmaker[Session], *, user: str | None = None,
               today: date | None = None) -> frozenset[str]:
    """The organizations the user is responsible for today.  Read-only; any thread."""
    user, today = user or identity.current_user(), today or clock.today()
    with factory() as session:
        return frozenset(row.org_id for row in session.execute(_current(user, today)).scalars())


def org_is_mine(factory: sessionmaker[Session], org_id: str, *, user: str | None = None,
                today: date | None = None) -> bool:
    """Whether the user is responsible for ``org_id`` today.  Read-only; any thread."""
    user, today = user or identity.current_user(), today or clock.today()
    with factory() as session:
        return session.execute(_current(user, today).where(Assignment.org_id == org_id).limit(1)).first() is not None


def _instructor_of(session: Session, user: str) -> Instructor:
    found = session.execute(select(Instructor).where(Instructor.username == user)).scalar_one_or_none()
    if found is None:  # before sign-in: a local record of the user (never pushed)
        found = Instructor(username=user, name=LOCAL_INSTRUCTOR_NAME)
        session.add(found)
        session.flush()
    elif found.deleted_at is not None:
        found.deleted_at = None
    return found


def mark_mine(factory: sessionmaker[Session], org_ids: Iterable[str], mine: bool, *, actor: str,
              user: str | None = None, today: date | None = None) -> MarkResult:
    """Mark (``mine``) or unmark the organizations as the user's, in one transaction.  Organizations
    already so are left as they are (counted in ``unchanged``).  Raises AssignmentsReadOnly once signed in,
    NotFoundError if an organization does not exist.  Write lane."""
    user, today, wanted = user or identity.current_user(), today or clock.today(), list(dict.fromkeys(org_ids))
    with factory.begin() as session:
        if not assignments_editable(session):
            raise AssignmentsReadOnly()
        _require_orgs(session, wanted)
        running: dict[str, list[Assignment]] = {}
        for chunk in _chunks(wanted):
            for row in session.execute(_current(user, today).where(Assignment.org_id.in_(chunk))).scalars():
                running.setdefault(row.org_id, []).append(row)
        changed: list[str] = []
        if mine:
            to_mark = [org_id for org_id in wanted if org_id not in running]
            if to_mark:
                instructor = _instructor_of(session, user)
                for org_id in to_mark:
                    record_upsert(session, Assignment(org_id=org_id, instructor_id=instructor.id, since=today),
                                  actor=actor)
            changed = to_mark
        else:
            for org_id, rows in running.items():
                for row in rows:
                    _end(session, row, today, actor)
                changed.append(org_id)
        return MarkResult(changed=tuple(changed), unchanged=len(wanted) - len(changed))


def _end(session: Session, row: Assignment, today: date, actor: str) -> None:
    if row.since >= today:  # made today (by mistake, most likely): withdrawn, nothing to keep
        record_delete(session, row, actor=actor)
        return
    row.until = today - timedelta(days=1)
    record_upsert(session, row, actor=actor)


def _require_orgs(session: Session, org_ids: list[str]) -> None:
    found: set[str] = set()
    for chunk in _chunks(org_ids):
        found.update(session.execute(select(SocialOrg.id).where(
            SocialOrg.id.in_(chunk), SocialOrg.deleted_at.is_(None))).scalars())
    if len(found) < len(org_ids):
        missing = len(org_ids) - len(found)
        raise NotFoundError(f"有 {missing} 个组织已不存在（可能已被删除），本次没有修改，请刷新台账后重试")
