"""Every date and time column says which kind of time it holds (DESIGN §3 Time), and the types keep them
apart: instants aware UTC, civil times naive local, stored exactly as before."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import Column, Connection, Date, DateTime, Integer, MetaData, Table, create_engine, select, text
from sqlalchemy.exc import StatementError
from sqlalchemy.types import TypeDecorator, TypeEngine

from app import models
from app.domain.enums import OrgType
from app.domain.periods import month_of
from app.models import AuditLog, OutboxEntry, SocialOrg
from app.models.base import TIME_COLUMN_TYPES, CivilDate, CivilDateTime, Instant
from app.services.core import clock
from app.services.core.database import Database
from app.services.orgs.dto import OrgInput
from app.services.orgs.organizations import archive_org, check_org, create_org, get_org

# Columns whose name says "instant" must be declared so (the rest may be either kind, by meaning).
INSTANT_NAMES = {"created_at", "updated_at", "deleted_at", "archived_at"}


def undeclared_time_columns(metadata: MetaData) -> list[str]:
    """Every Date/DateTime column not declared Instant, CivilDate or CivilDateTime."""
    found = []
    for table in metadata.tables.values():
        for column in table.columns:
            kind: TypeEngine[object] = column.type
            impl = kind.impl_instance if isinstance(kind, TypeDecorator) else kind
            plain_time = isinstance(impl, Date | DateTime) and not isinstance(kind, TIME_COLUMN_TYPES)
            if plain_time or (column.name in INSTANT_NAMES and not isinstance(kind, Instant)):
                found.append(f"{table.name}.{column.name}")
    return found


def test_every_date_and_time_column_of_every_model_is_instant_or_civil() -> None:
    models.load_all()
    assert undeclared_time_columns(models.Base.metadata) == []


def test_the_walk_finds_a_plain_date_or_datetime_column() -> None:
    metadata = MetaData()
    Table("t", metadata, Column("held_at", DateTime), Column("due_on", Date), Column("ok_on", CivilDate),
          Column("updated_at", CivilDateTime))
    assert undeclared_time_columns(metadata) == ["t.held_at", "t.due_on", "t.updated_at"]


def test_the_walk_covers_every_table() -> None:
    models.load_all()
    times = [c for t in models.Base.metadata.tables.values() for c in t.columns
             if isinstance(c.type, TIME_COLUMN_TYPES)]
    assert {"meeting", "social_org", "rectification_follow_up", "outbox", "audit_log", "instructor"} <= {
        c.table.name for c in times}


def _org(db: Database) -> str:
    return create_org(db.session_factory, OrgInput(name="鼓楼区摄影家协会", org_type=OrgType.COMMUNITY_FILED),
                      actor="t").id


def test_instants_come_back_aware_utc_and_are_stored_as_before(db: Database,
                                                             frozen_clock: clock.FrozenClock) -> None:
    org_id = _org(db)
    with db.session_factory() as session:
        row = session.get(SocialOrg, org_id)
        assert row is not None and row.updated_at == datetime(2026, 3, 31, 12, 0, tzinfo=UTC)
        stored = session.execute(text("SELECT updated_at FROM social_org WHERE id = :i"), {"i": org_id}).scalar()
        entry = session.scalars(select(OutboxEntry).where(OutboxEntry.record_id == org_id)).first()
        audit = session.scalars(select(AuditLog).where(AuditLog.record_id == org_id)).first()
    assert stored == "2026-03-31 12:00:00.000000"  # naive UTC text, as before: no data migration
    assert entry is not None and entry.created_at == clock.now()
    assert entry.fields["updated_at"] == "2026-03-31T12:00:00+00:00"  # on the wire an instant says it is UTC
    assert audit is not None and audit.at == clock.now()


SCRATCH = MetaData()
TIMES = Table("times", SCRATCH, Column("id", Integer, primary_key=True), Column("at", Instant),
              Column("held_at", CivilDateTime), Column("due_on", CivilDate))


@pytest.fixture
def scratch() -> Iterator[Connection]:
    """A bare table of the three types (no outbox, no models): what the types alone do."""
    engine = create_engine("sqlite://")
    SCRATCH.create_all(engine)
    with engine.begin() as connection:
        yield connection
    engine.dispose()


def _stored(connection: Connection, column: str) -> object:
    return connection.execute(text(f"SELECT {column} FROM times")).scalar()


def test_an_aware_instant_in_another_zone_is_stored_as_naive_utc(scratch: Connection) -> None:
    scratch.execute(TIMES.insert(), {"id": 1, "at": datetime(2026, 4, 1, 0, 30, tzinfo=clock.district_zone())})
    assert _stored(scratch, "at") == "2026-03-31 16:30:00.000000"
    assert scratch.execute(select(TIMES.c.at)).scalar() == datetime(2026, 3, 31, 16, 30, tzinfo=UTC)


def test_a_meeting_at_8pm_on_31_march_stays_at_8pm_and_counts_for_march(scratch: Connection) -> None:
    """The repro: a meeting time is civil (local), so it is stored and read back as 20:00 on 31 March,
    never shifted by a zone, and its month is March."""
    held = datetime(2026, 3, 31, 20, 0)  # a civil time: naive local time
    scratch.execute(TIMES.insert(), {"id": 1, "held_at": held, "due_on": date(2026, 4, 15)})
    back = scratch.execute(select(TIMES.c.held_at, TIMES.c.due_on)).one()
    assert back == (held, date(2026, 4, 15)) and back.held_at.tzinfo is None
    assert _stored(scratch, "held_at") == "2026-03-31 20:00:00.000000"
    assert month_of(back.held_at).label() == "2026年3月"


@pytest.mark.parametrize(("column", "value", "message"), [
    ("at", datetime(2026, 3, 31, 20, 0), "时间点字段需要带时区"),
    ("held_at", datetime(2026, 3, 31, 12, 0, tzinfo=UTC), "本地时间字段需要不带时区"),
    ("due_on", datetime(2026, 3, 31, 9, 0), "日期字段需要 date"),
])
def test_the_wrong_kind_of_time_is_refused(scratch: Connection, column: str, value: datetime,
                                           message: str) -> None:
    with pytest.raises(StatementError, match=message):
        scratch.execute(TIMES.insert(), {"id": 1, column: value})


def test_the_model_columns_refuse_a_naive_instant(db: Database) -> None:
    entry = AuditLog(action="test", entity="social_org", record_id="x",
                     at=datetime(2026, 3, 31, 20, 0))
    with db.session_factory.begin() as session, pytest.raises(StatementError, match="时间点字段需要带时区"):
        session.add(entry)
        session.flush()


def test_the_archive_day_follows_the_frozen_clock_in_the_district(db: Database,
                                                                 frozen_clock: clock.FrozenClock) -> None:
    frozen_clock.move_to(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))  # 00:30 on 1 April in Beijing
    org_id = _org(db)
    detail = archive_org(db.session_factory, org_id, reason="已注销", actor="t")
    assert detail.archived_at == datetime(2026, 3, 31, 16, 30, tzinfo=UTC)
    assert detail.archived_on == date(2026, 4, 1)
    assert get_org(db.session_factory, org_id).archived_on == date(2026, 4, 1)


def test_services_take_today_from_the_clock_in_the_district(db: Database, frozen_clock: clock.FrozenClock,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """At 00:30 on 1 April in Beijing (16:30 UTC on 31 March) an organization founded on 1 April is not
    founded in the future, whatever the computer's zone; on 2 April it is."""
    import time as system_time

    monkeypatch.setenv("TZ", "UTC")
    system_time.tzset()
    frozen_clock.move_to(datetime(2026, 3, 31, 16, 30, tzinfo=UTC))
    try:
        founded = OrgInput(name="鼓楼区摄影家协会", org_type=OrgType.COMMUNITY_FILED, founded_on=date(2026, 4, 1))
        assert "founded_on" not in check_org(db.session_factory, founded).problems
        tomorrow = OrgInput(name="鼓楼区摄影家协会", org_type=OrgType.COMMUNITY_FILED, founded_on=date(2026, 4, 2))
        problems = check_org(db.session_factory, tomorrow).problems
        assert problems["founded_on"] == "“成立日期”（2026-04-02）晚于今天，请更正"
    finally:
        monkeypatch.delenv("TZ")
        system_time.tzset()
