"""Writing an import plan: one transaction, so a failed or cancelled import leaves the ledger exactly as
it was.

New organizations go in through ``outbox.bulk_load`` (Core inserts with their outbox entries; its keepers
index them and derive their facts in the same transaction); changed ones are loaded as ORM rows and only
their changed fields are set, so the flush's capture queues only those fields.  ``updated_by`` is the
actor.  In the demo profile nothing enters the outbox (the capture knows the database).  Write lane.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from app.models import AuditLog, SocialOrg, new_id
from app.services.core import clock
from app.services.core.errors import ServiceError
from app.services.core.outbox import bulk_load, set_actor
from app.services.ledger_io import existing
from app.services.ledger_io.errors import Cancelled, Progress, StalePlanError, Steps
from app.services.ledger_io.plan import ImportPlan, PlanRow, RowStatus
from app.services.orgs import organizations, search

BATCH = 1000
NEW_STAGE, UPDATE_STAGE, INDEX_STAGE = "写入新组织", "更新已有组织", "整理搜索索引"
OPTIMIZE_AFTER = 1000  # new rows after which the search index's segments are merged


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped_invalid: int
    ids: tuple[str, ...]  # the organizations created or updated

    def summary(self) -> str:
        text = f"已导入：新增 {self.created} 个，更新 {self.updated} 个，不变 {self.unchanged} 个"
        return text + (f"，跳过无效行 {self.skipped_invalid} 行" if self.skipped_invalid else "")


class InvalidRowsError(ServiceError):
    """Rows were refused and the user did not choose to skip them: nothing was imported."""

    def __init__(self, plan: ImportPlan) -> None:
        self.plan = plan
        super().__init__(f"有 {len(plan.rejected)} 行无效，没有导入任何数据：请修改文件后重新导入，或选择跳过无效行。")


def _new_row(row: PlanRow, now: object) -> dict[str, object]:
    assert row.data is not None
    org_id = new_id()
    full, initials = search.pinyin_keys(row.data.name)
    fields = {name: getattr(row.data, name) for name in organizations.INPUT_FIELDS}  # asdict deep-copies
    return {"id": org_id, "org_id": org_id, **fields, "name_pinyin": full,
            "name_initials": initials, "archived_at": now if row.archived else None,
            "archive_reason": row.archive_reason}


def _insert_new(session: Session, rows: Sequence[PlanRow], actor: str, steps: Steps) -> list[str]:
    ids: list[str] = []
    now = clock.now()
    for start in range(0, len(rows), BATCH):
        steps.step(NEW_STAGE, start, len(rows))
        batch = [_new_row(row, now) for row in rows[start : start + BATCH]]
        bulk_load(session, SocialOrg, batch, actor=actor)
        ids.extend(str(r["id"]) for r in batch)
    steps.step(NEW_STAGE, len(rows), len(rows))
    return ids


def _update(session: Session, rows: Sequence[PlanRow], steps: Steps) -> list[str]:
    now = clock.now()
    for start in range(0, len(rows), BATCH):
        steps.step(UPDATE_STAGE, start, len(rows))
        batch = {row.org_id: row for row in rows[start : start + BATCH]}
        for org in session.scalars(select(SocialOrg).where(SocialOrg.id.in_(list(batch)))):
            row = batch[org.id]
            assert row.data is not None
            organizations._apply(org, row.data)  # sets only the fields that differ (and the pinyin keys)
            if row.archived != (org.archived_at is not None):
                org.archived_at = now if row.archived else None
            if org.archive_reason != row.archive_reason:
                org.archive_reason = row.archive_reason
        session.flush()
    steps.step(UPDATE_STAGE, len(rows), len(rows))
    return [str(row.org_id) for row in rows]


def apply_plan(factory: sessionmaker[Session], plan: ImportPlan, *, skip_invalid: bool, actor: str,
               progress: Progress | None = None, cancelled: Cancelled | None = None) -> ImportResult:
    """Import what ``plan`` says, in one transaction.  Raises InvalidRowsError when rows were refused and
    ``skip_invalid`` is false, StalePlanError when the ledger changed since the plan was made, and
    ImportCancelled when ``cancelled()`` turns true (everything rolled back in each case)."""
    if plan.rejected and not skip_invalid:
        raise InvalidRowsError(plan)
    steps = Steps(progress, cancelled)
    new = [row for row in plan.rows if row.status is RowStatus.NEW]
    changed = [row for row in plan.rows if row.status is RowStatus.UPDATE]
    with factory.begin() as session:
        if existing.fingerprint(session) != plan.fingerprint:
            raise StalePlanError
        set_actor(session, actor)
        ids = _insert_new(session, new, actor, steps) + _update(session, changed, steps)
        if len(new) >= OPTIMIZE_AFTER:
            steps.step(INDEX_STAGE, 0, 1)
            search.optimize_index(session)
        steps.check()  # the last chance to cancel: after this the transaction commits
        if ids:
            session.add(AuditLog(actor=actor, action="import", entity="social_org", record_id="",
                                 summary=json.dumps({"file": plan.file_name, "created": len(new),
                                                     "updated": len(changed)}, ensure_ascii=False)))
    return ImportResult(len(new), len(changed), plan.count(RowStatus.UNCHANGED), len(plan.rejected), tuple(ids))
