"""What the status line and the 同步 view show: the account, the last run, what waits and what failed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.domain.enums import OutboxState
from app.models import OutboxEntry, SyncConflict
from app.services.sync import state
from app.services.sync.account import account_in
from app.services.sync.dto import FailedOp, SyncStatus
from app.services.sync.held import held_summary
from app.services.sync.labels import record_label
from app.services.sync.scopes import quarantined_names

__all__ = ["failed_ops", "open_conflict_count", "sync_status"]


def failed_ops(session: Session) -> tuple[FailedOp, ...]:
    """Refused ops, and pending ones the server could not take yet (with why), oldest first."""
    rows = session.execute(select(OutboxEntry).where(
        (OutboxEntry.state == OutboxState.REJECTED)
        | ((OutboxEntry.state == OutboxState.PENDING) & (OutboxEntry.last_error != "")))
        .order_by(OutboxEntry.seq)).scalars()
    return tuple(FailedOp(entity=e.entity, record_id=e.record_id,
                          label=record_label(session, e.entity, e.record_id, dict(e.fields)),
                          error=e.last_error, attempts=e.attempts) for e in rows)


def open_conflict_count(session: Session) -> int:
    """Conflicts not settled here yet."""
    return int(session.execute(select(func.count()).select_from(SyncConflict).where(
        SyncConflict.resolved_at.is_(None))).scalar_one())


def sync_status(factory: sessionmaker[Session]) -> SyncStatus:
    """Read-only; any thread."""
    with factory() as session:
        values = state.read(session, [state.LAST_SYNCED_AT, state.LAST_ERROR])
        synced = values.get(state.LAST_SYNCED_AT)
        pending = session.execute(select(func.count()).select_from(OutboxEntry).where(
            OutboxEntry.state.in_((OutboxState.PENDING, OutboxState.IN_FLIGHT)))).scalar_one()
        conflicts = open_conflict_count(session)
        return SyncStatus(account=account_in(session),
                          last_synced_at=datetime.fromisoformat(synced) if synced else None,
                          last_error=values.get(state.LAST_ERROR, ""), pending=int(pending),
                          failed=failed_ops(session), conflicts=int(conflicts),
                          quarantined_orgs=quarantined_names(session), skipped=held_summary(session))
