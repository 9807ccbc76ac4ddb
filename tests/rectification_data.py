"""整改 test data made through the services: an organization, items, a civil 'today' (unit and UI tests)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from sqlalchemy import func, select

from app.domain.enums import OrgType, RectificationSource
from app.models import OutboxEntry, RectificationFollowUp, SocialOrg, new_id
from app.services.core import clock
from app.services.core.database import Database
from app.services.core.outbox import record_upsert
from app.services.rectification import RectificationInput

ACTOR = "u:test"
RAISED = date(2026, 3, 2)
DEADLINE = date(2026, 3, 31)


def at_noon(day: date) -> datetime:
    """An instant on ``day`` in the district (noon in Asia/Shanghai)."""
    return clock.from_civil(datetime.combine(day, time(12))).astimezone(UTC)


def add_org(db: Database, name: str = "温泉街道志愿者服务队") -> str:
    org_id = new_id()
    with db.session_factory.begin() as session:
        record_upsert(session, SocialOrg(id=org_id, org_id=org_id, name=name, org_type=OrgType.COMMUNITY_FILED),
                      actor=ACTOR)
    return org_id


def item_input(org_id: str, **changes: object) -> RectificationInput:
    values: dict[str, object] = dict(
        org_id=org_id, source=RectificationSource.INSPECTION, source_detail="2026年3月区委组织部专项督查",
        title="未按期召开支部党员大会", description="2025年第四季度未召开支部党员大会。",
        basis="《中国共产党支部工作条例（试行）》第十五条", requirement="补开支部党员大会并建立会议记录。",
        deadline=DEADLINE, responsible_person="张明", raised_on=RAISED)
    values.update(changes)
    return RectificationInput(**values)  # type: ignore[arg-type]


def counts(db: Database) -> tuple[int, int]:
    """(follow-up rows, outbox entries): what a refused write must leave unchanged."""
    with db.session_factory() as session:
        return (session.execute(select(func.count()).select_from(RectificationFollowUp)).scalar_one(),
                session.execute(select(func.count()).select_from(OutboxEntry)).scalar_one())
