"""A district server home for the sync benchmark, seeded directly: the migrations, the users (created
through server.users as the admin CLI does), then records written with executemany into ``records``
and ``record_versions`` — the rows a push would have left, versions in write order, the counter moved to
the last one — so a million rows take seconds, not a million pushes.  Run while the server is stopped.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sync_records import Seeded  # type: ignore[import-not-found]

from server.config import Settings
from server.db import claim_write, make_engine, make_sessionmaker, upgrade
from server.models import Record, SyncCounter, User
from server.store import COUNTER_ID, current_version, next_version, place_coverage
from server.users import create_user

PASSWORD = "bench-password-1"
SUPERVISOR, INSTRUCTOR = "bench.supervisor", "bench.instructor"
BATCH = 20_000


def fresh_home(home: Path) -> Settings:
    """An empty server home with its schema, a supervisor and an instructor."""
    shutil.rmtree(home, ignore_errors=True)
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'server.db'}")
    upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        claim_write(session)
        create_user(session, SUPERVISOR, role="supervisor", password=PASSWORD, display_name="督导员")
        create_user(session, INSTRUCTOR, role="instructor", password=PASSWORD, display_name="指导员")
        session.commit()
    engine.dispose()
    return settings


def seed(settings: Settings, records: Iterable[Seeded]) -> int:
    """Write ``records`` (entity, id, scope, data as JSON text) as pushed by the supervisor, one version
    each; returns the district version after them.  Driver-level executemany: the JSON text is made once
    per record (sync_records.serialized) for both tables, as SQLAlchemy's JSON type would store it."""
    engine = make_engine(settings)
    now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # how SQLite's DateTime stores an instant
    with make_sessionmaker(engine)() as session:
        claim_write(session)
        supervisor = session.query(User).filter_by(username=SUPERVISOR).one().id
        version = current_version(session)
        connection = session.connection()
        live: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []

        def flush() -> None:
            connection.exec_driver_sql(
                "INSERT INTO records (entity, id, scope, version, deleted, deleted_by_supervisor, data, audience,"
                " updated_by, updated_at) VALUES (?, ?, ?, ?, 0, 0, ?, NULL, ?, ?)", live)
            connection.exec_driver_sql(
                "INSERT INTO record_versions (entity, id, version, deleted, data, op_id, user_id)"
                " VALUES (?, ?, ?, 0, ?, NULL, ?)", history)
            live.clear()
            history.clear()

        for entity, record_id, scope, text in records:
            version += 1
            live.append((entity, record_id, scope, version, text, supervisor, now))
            history.append((entity, record_id, version, text, supervisor))
            if len(live) == BATCH:
                flush()
        if live:
            flush()
        # write_record keeps the party_coverage side table (the instructors' party scopes) in step; this
        # seed writes around it, so it places the coverage records itself
        for record_id, data in session.execute(select(Record.id, Record.data).where(
                Record.entity == "party_org_coverage", Record.deleted.is_(False))).all():
            place_coverage(session, record_id, data)
        session.execute(update(SyncCounter).where(SyncCounter.id == COUNTER_ID).values(value=version))
        session.commit()
    engine.dispose()
    return version


def assign_instructor(settings: Settings, org_ids: list[str]) -> None:
    """Assign organizations to the instructor the way ``admin assign`` does (assignment records too)."""
    from server.assignments import assign

    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        claim_write(session)
        version = next_version(session)
        user = session.query(User).filter_by(username=INSTRUCTOR).one()
        for org_id in org_ids:
            assign(session, user, org_id, version)
        session.commit()
    engine.dispose()
