"""社会组织 service: check, create, update, archive, restore, get.

Every call owns its transaction (``with factory.begin()``), writes through the outbox helper, keeps the
search index in step in the same transaction, and returns frozen DTOs.  Safe to call from any worker
thread (each call opens its own session); the UI calls them on the task runner's write lane.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime

from sqlalchemy.orm import Session, sessionmaker

from app.domain import uscc as uscc_rules
from app.models import AuditLog, SocialOrg, new_id
from app.services.core import clock
from app.services.core.errors import NotFoundError, ServiceError, StaleEditError, UnknownCodeError, ValidationFailed
from app.services.core.outbox import QUARANTINED_TEXT, is_quarantined, record_upsert
from app.services.orgs import facts as org_facts
from app.services.orgs import search
from app.services.orgs.dto import OrgDetail, OrgInput
from app.services.orgs.validation import REASON_MAX, OrgCheck, check_org_input, normalize_category

_UNKNOWN_CODE = re.compile(r"'([^']*)' is not among the defined enum values")
INPUT_FIELDS = tuple(f.name for f in dataclasses.fields(OrgInput))
_TEXT_FIELDS = tuple(f.name for f in dataclasses.fields(OrgInput) if f.type == "str")


def _cleaned(data: OrgInput) -> OrgInput:
    trimmed: dict[str, object] = {name: getattr(data, name).strip() for name in _TEXT_FIELDS}
    trimmed["uscc"] = uscc_rules.normalize(data.uscc)
    trimmed["community_category"] = normalize_category(data.community_category)
    if not data.party_clause_in_charter:
        trimmed["party_clause_approved_on"] = None
    return dataclasses.replace(data, **trimmed)  # type: ignore[arg-type]


def _input_of(row: SocialOrg) -> OrgInput:
    return OrgInput(**{name: getattr(row, name) for name in INPUT_FIELDS})


def _detail(
    session: Session, row: SocialOrg, today: date, warnings: dict[str, str] | None = None
) -> OrgDetail:
    coverage, listed = org_facts.facts_of(session, [row.id], today)[row.id]
    return OrgDetail(
        id=row.id, data=_input_of(row), server_version=row.server_version, updated_at=row.updated_at,
        archived_at=row.archived_at, archive_reason=row.archive_reason, coverage=coverage,
        credit_listed=listed, warnings=dict(warnings or {}),
        read_only=QUARANTINED_TEXT if is_quarantined(session, "org_id", row.id) else "",
    )


def _load(session: Session, org_id: str) -> SocialOrg:
    try:
        row = session.get(SocialOrg, org_id)
    except LookupError as exc:  # SQLAlchemy's enum type refuses a code this version does not know
        found = _UNKNOWN_CODE.search(str(exc))
        raise UnknownCodeError("该组织", found.group(1) if found else "?") from exc
    if row is None or row.deleted_at is not None:
        raise NotFoundError("找不到该组织，可能已被删除或尚未同步")
    return row


def _apply(row: SocialOrg, data: OrgInput) -> None:
    keys_current = row.name == data.name and bool(row.name_pinyin)  # pinyin takes ~1 ms a new name
    for name in INPUT_FIELDS:
        if getattr(row, name, None) != getattr(data, name):
            setattr(row, name, getattr(data, name))
    if keys_current:
        return
    full, initials = search.pinyin_keys(data.name)
    if row.name_pinyin != full:
        row.name_pinyin = full
    if row.name_initials != initials:
        row.name_initials = initials


def _audit(session: Session, actor: str, action: str, row: SocialOrg, summary: str = "") -> None:
    session.add(AuditLog(actor=actor, action=action, entity="social_org", record_id=row.id,
                         summary=summary or row.name))


def check_org(factory: sessionmaker[Session], data: OrgInput, *, org_id: str | None = None,
              today: date | None = None) -> OrgCheck:
    """Validate a form without saving (live feedback).  Read-only; any thread."""
    with factory() as session:
        return check_org_input(session, _cleaned(data), org_id=org_id, today=today or clock.today())


def create_org(factory: sessionmaker[Session], data: OrgInput, *, actor: str,
               today: date | None = None) -> OrgDetail:
    """Create an organization.  Raises ValidationFailed (field -> message) and saves nothing if any
    problem is found; warnings are returned on the DTO."""
    today = today or clock.today()
    data = _cleaned(data)
    with factory.begin() as session:
        check = check_org_input(session, data, org_id=None, today=today)
        if not check.ok:
            raise ValidationFailed(check.problems)
        new = new_id()
        row = SocialOrg(id=new, org_id=new)  # an organization is its own sync scope
        _apply(row, data)
        record_upsert(session, row, actor=actor)  # the flush's keepers index it (search, facts)
        _audit(session, actor, "create", row)
        return _detail(session, row, today, check.warnings)


def update_org(factory: sessionmaker[Session], org_id: str, data: OrgInput, *, actor: str,
               expected_updated_at: datetime | None = None, today: date | None = None) -> OrgDetail:
    """Save edits to an organization (only changed fields reach the outbox).  Same contract as create.

    ``expected_updated_at`` is the ``updated_at`` of the OrgDetail the form was filled from: if the row
    has changed since, StaleEditError is raised and nothing is saved (no silent lost update)."""
    today = today or clock.today()
    data = _cleaned(data)
    with factory.begin() as session:
        row = _load(session, org_id)
        if expected_updated_at is not None and row.updated_at != expected_updated_at:
            raise StaleEditError(row.name)
        check = check_org_input(session, data, org_id=org_id, today=today)
        if not check.ok:
            raise ValidationFailed(check.problems)
        _apply(row, data)
        if record_upsert(session, row, actor=actor) is not None:
            _audit(session, actor, "update", row)
        return _detail(session, row, today, check.warnings)


def archive_reason_problem(reason: str) -> str:
    """What is wrong with an archive reason ("" if nothing): the archive dialog asks before it closes."""
    reason = reason.strip()
    if not reason:
        return "请填写归档原因（如：已注销、已迁出本街道）"
    if len(reason) > REASON_MAX:  # refused rather than cut: the user's text is never silently lost
        return f"归档原因最多{REASON_MAX}字（现为{len(reason)}字）"
    return ""


def archive_org(factory: sessionmaker[Session], org_id: str, *, reason: str, actor: str) -> OrgDetail:
    """Archive (注销/撤销/不再管理) an organization; it leaves the default ledger but nothing is deleted."""
    reason = reason.strip()
    problem = archive_reason_problem(reason)
    if problem:
        raise ValidationFailed({"archive_reason": problem})
    with factory.begin() as session:
        row = _load(session, org_id)
        if row.archived_at is not None:
            raise ServiceError(f"“{row.name}”已经归档")
        row.archived_at = clock.now()
        row.archive_reason = reason
        record_upsert(session, row, actor=actor)
        _audit(session, actor, "archive", row, reason)
        return _detail(session, row, clock.today())


def restore_org(factory: sessionmaker[Session], org_id: str, *, actor: str) -> OrgDetail:
    """Bring an archived organization back into the ledger."""
    with factory.begin() as session:
        row = _load(session, org_id)
        if row.archived_at is None:
            raise ServiceError(f"“{row.name}”没有归档，无需恢复")
        row.archived_at = None
        row.archive_reason = ""
        record_upsert(session, row, actor=actor)
        _audit(session, actor, "restore", row)
        return _detail(session, row, clock.today())


def get_org(factory: sessionmaker[Session], org_id: str, *, today: date | None = None) -> OrgDetail:
    """One organization.  Read-only; any thread."""
    with factory() as session:
        return _detail(session, _load(session, org_id), today or clock.today())
