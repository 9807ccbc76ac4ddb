"""An organization's own records: 年检/年报, 信用记录 (异常名录 / 严重违法失信名单), 换届 and 评估.

list / add / update / delete for each kind, one shape for all: the kind is the type of the input
(``InspectionInput`` …).  Every call owns its transaction, validates the whole input (field -> Chinese
message, ``ValidationFailed``, nothing saved), writes through the outbox (``record_upsert`` /
``record_delete``: a delete is a tombstone, the server learns of it) and returns frozen DTOs.  The keepers
of derived data hear every write in the same flush, so a credit listing shows in the ledger at once.

评估 history and the organization's grade: the organization's ``evaluation_grade`` / ``evaluation_date``
are those of its latest live evaluation, set here whenever the history changes (cleared when the last
one is deleted).  A grade entered before the history existed (the form, an import) becomes the first
history row when the user first adds an evaluation, so no grade is lost.

Safe on any worker thread; the UI calls writes on the write lane, lists on the read lane.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import AnnualInspection, AuditLog, CreditListing, OrgEvaluation, OrgTerm, SocialOrg, SyncColumns
from app.services.core import clock
from app.services.core.errors import NotFoundError, StaleEditError, ValidationFailed
from app.services.core.outbox import record_delete, record_upsert
from app.services.orgs.record_checks import CHECKS
from app.services.orgs.record_dto import (
    CreditInput,
    EvaluationInput,
    InspectionInput,
    OrgRecord,
    RecordInput,
    RecordKind,
    TermInput,
)

__all__ = ["add_record", "check_record", "delete_record", "list_records", "update_record"]

_MODELS: dict[RecordKind, type[Any]] = {
    RecordKind.INSPECTION: AnnualInspection, RecordKind.CREDIT: CreditListing, RecordKind.TERM: OrgTerm,
    RecordKind.EVALUATION: OrgEvaluation,
}
_INPUTS: dict[RecordKind, type[Any]] = {
    RecordKind.INSPECTION: InspectionInput, RecordKind.CREDIT: CreditInput, RecordKind.TERM: TermInput,
    RecordKind.EVALUATION: EvaluationInput,
}
_KIND_OF_INPUT = {cls: kind for kind, cls in _INPUTS.items()}
# newest first, as the tabs list them
_ORDER = {
    RecordKind.INSPECTION: (AnnualInspection.year.desc(),),
    RecordKind.CREDIT: (CreditListing.listed_on.desc(), CreditListing.id.desc()),
    RecordKind.TERM: (OrgTerm.term_no.desc(),),
    RecordKind.EVALUATION: (OrgEvaluation.evaluated_on.desc(), OrgEvaluation.id.desc()),
}
FIRST_HISTORY_NOTE = "由基本信息中的评估等级转入"


def kind_of(data: RecordInput) -> RecordKind:
    return _KIND_OF_INPUT[type(data)]


def _fields(kind: RecordKind) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(_INPUTS[kind]))


def _cleaned(data: RecordInput) -> RecordInput:
    trimmed = {f.name: getattr(data, f.name).strip() for f in dataclasses.fields(data) if f.type == "str"}
    return dataclasses.replace(data, **trimmed)


def _input_of(kind: RecordKind, row: Any) -> RecordInput:
    return _INPUTS[kind](**{name: getattr(row, name) for name in _fields(kind)})  # type: ignore[no-any-return]


def _record(kind: RecordKind, row: Any) -> OrgRecord:
    return OrgRecord(id=row.id, org_id=row.org_id, kind=kind, data=_input_of(kind, row), updated_at=row.updated_at)


def _org(session: Session, org_id: str) -> SocialOrg:
    org = session.get(SocialOrg, org_id)
    if org is None or org.deleted_at is not None:
        raise NotFoundError("找不到该组织，可能已被删除或尚未同步")
    return org


def _live_rows(session: Session, kind: RecordKind, org_id: str) -> list[Any]:
    model = _MODELS[kind]
    return list(session.execute(
        select(model).where(model.org_id == org_id, model.deleted_at.is_(None)).order_by(*_ORDER[kind])
    ).scalars())


def _load(session: Session, kind: RecordKind, record_id: str) -> Any:
    row = session.get(_MODELS[kind], record_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"找不到这条{kind.label}记录，可能已被删除")
    return row


def _check(session: Session, org: SocialOrg, data: RecordInput, today: date, *, leaving_out: str | None) -> None:
    kind = kind_of(data)
    others = [_input_of(kind, row) for row in _live_rows(session, kind, org.id) if row.id != leaving_out]
    problems = CHECKS[type(data)](data, others, today, org.founded_on)
    if problems:
        raise ValidationFailed(problems)


def _audit(session: Session, actor: str, action: str, kind: RecordKind, row: SyncColumns, org: SocialOrg) -> None:
    session.add(AuditLog(actor=actor, action=action, entity=kind.value, record_id=row.id,
                         summary=f"{org.name}：{kind.label}"))


def list_records(factory: sessionmaker[Session], org_id: str, kind: RecordKind) -> tuple[OrgRecord, ...]:
    """The organization's live records of ``kind``, newest first.  Read-only; any thread."""
    with factory() as session:
        _org(session, org_id)
        return tuple(_record(kind, row) for row in _live_rows(session, kind, org_id))


def check_record(factory: sessionmaker[Session], org_id: str, data: RecordInput, *, record_id: str | None = None,
                 today: date | None = None) -> dict[str, str]:
    """Every problem of ``data`` (field -> message; empty when it may be saved).  Read-only; any thread."""
    with factory() as session:
        try:
            _check(session, _org(session, org_id), _cleaned(data), today or clock.today(), leaving_out=record_id)
        except ValidationFailed as failed:
            return failed.problems
    return {}


def add_record(factory: sessionmaker[Session], org_id: str, data: RecordInput, *, actor: str,
               today: date | None = None) -> OrgRecord:
    """Add a record of the kind ``data`` is.  Raises ValidationFailed (field -> message), NotFoundError."""
    data, kind = _cleaned(data), kind_of(data)
    with factory.begin() as session:
        org = _org(session, org_id)
        _check(session, org, data, today or clock.today(), leaving_out=None)
        if kind is RecordKind.EVALUATION:
            _keep_form_grade(session, org, data, actor)
        row = _reusable_row(session, kind, org_id, data) or _MODELS[kind](org_id=org_id)
        _apply(row, kind, data)
        record_upsert(session, row, actor=actor)
        _audit(session, actor, "create", kind, row, org)
        if kind is RecordKind.EVALUATION:
            _grade_from_history(session, org, actor)
        return _record(kind, row)


def update_record(factory: sessionmaker[Session], record_id: str, data: RecordInput, *, actor: str,
                  expected_updated_at: datetime | None = None, today: date | None = None) -> OrgRecord:
    """Save edits to one record.  ``expected_updated_at`` (of the record the editor was filled from):
    StaleEditError if it changed since, nothing saved."""
    data, kind = _cleaned(data), kind_of(data)
    with factory.begin() as session:
        row = _load(session, kind, record_id)
        org = _org(session, row.org_id)
        if expected_updated_at is not None and row.updated_at != expected_updated_at:
            raise StaleEditError(f"{org.name}的这条{kind.label}记录")
        _check(session, org, data, today or clock.today(), leaving_out=record_id)
        _apply(row, kind, data)
        if record_upsert(session, row, actor=actor) is not None:
            _audit(session, actor, "update", kind, row, org)
        if kind is RecordKind.EVALUATION:
            _grade_from_history(session, org, actor)
        return _record(kind, row)


def delete_record(factory: sessionmaker[Session], kind: RecordKind, record_id: str, *, actor: str) -> str:
    """Delete one record (a tombstone the server learns of).  Returns its organization's id."""
    with factory.begin() as session:
        row = _load(session, kind, record_id)
        org = _org(session, row.org_id)
        record_delete(session, row, actor=actor)
        _audit(session, actor, "delete", kind, row, org)
        if kind is RecordKind.EVALUATION:
            _grade_from_history(session, org, actor)
        return str(org.id)


def _apply(row: Any, kind: RecordKind, data: RecordInput) -> None:
    for name in _fields(kind):
        if getattr(row, name, None) != getattr(data, name):
            setattr(row, name, getattr(data, name))


def _reusable_row(session: Session, kind: RecordKind, org_id: str, data: RecordInput) -> Any:
    """A deleted 年检 of the same year, restored instead of a second row: (org_id, year) is unique among
    all rows, tombstones included, here and on the server."""
    if not isinstance(data, InspectionInput):
        return None
    row = session.execute(select(AnnualInspection).where(
        AnnualInspection.org_id == org_id, AnnualInspection.year == data.year)).scalar_one_or_none()
    if row is not None:
        row.deleted_at = None
    return row


def _keep_form_grade(session: Session, org: SocialOrg, data: RecordInput, actor: str) -> None:
    """Before the first evaluation is added: the grade the organization already has becomes history (unless
    the new one is of that very day: it is then the same evaluation, entered again)."""
    if org.evaluation_grade is None or org.evaluation_date is None:
        return
    if not isinstance(data, EvaluationInput) or data.evaluated_on == org.evaluation_date:
        return
    if _live_rows(session, RecordKind.EVALUATION, org.id):
        return
    row = OrgEvaluation(org_id=org.id, grade=org.evaluation_grade, evaluated_on=org.evaluation_date,
                        note=FIRST_HISTORY_NOTE)
    record_upsert(session, row, actor=actor)


def _grade_from_history(session: Session, org: SocialOrg, actor: str) -> None:
    """The organization's current grade and date are its latest live evaluation's (none: cleared)."""
    history = _live_rows(session, RecordKind.EVALUATION, org.id)
    latest = history[0] if history else None
    grade, evaluated_on = (latest.grade, latest.evaluated_on) if latest else (None, None)
    if (org.evaluation_grade, org.evaluation_date) != (grade, evaluated_on):
        org.evaluation_grade, org.evaluation_date = grade, evaluated_on
        record_upsert(session, org, actor=actor)
