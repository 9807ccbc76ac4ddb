"""The server's migrations build exactly the tables of server/models.py, with the rows a district starts with."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from server.config import Settings
from server.db import make_engine, upgrade
from server.models import Base, ServerMeta, SyncCounter


def test_the_first_migration_creates_the_model_tables_and_nothing_else(settings: Settings) -> None:
    upgrade(settings)
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names()) - {"alembic_version"}
            assert tables == set(Base.metadata.tables)
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_a_fresh_district_has_its_counter_instance_id_and_secret(settings: Settings) -> None:
    upgrade(settings)
    upgrade(settings)  # at head: nothing to do, nothing changes
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            assert session.execute(select(SyncCounter.id, SyncCounter.value)).all() == [(1, 0)]
            meta = {key: value for key, value in session.execute(select(ServerMeta.key, ServerMeta.value))}
            assert set(meta) == {"instance_id", "token_secret"} and len(meta["token_secret"]) == 64
    finally:
        engine.dispose()
    other = Settings(home=settings.home / "other", database_url=f"sqlite:///{settings.home / 'other' / 's.db'}")
    upgrade(other)
    engine = make_engine(other)
    try:
        with Session(engine) as session:
            other_meta = {key: value for key, value in session.execute(select(ServerMeta.key, ServerMeta.value))}
    finally:
        engine.dispose()
    assert other_meta["instance_id"] != meta["instance_id"] and other_meta["token_secret"] != meta["token_secret"]


def test_processes_starting_together_migrate_one_after_the_other(settings: Settings) -> None:
    """Several threads (as several server processes would) upgrading one fresh database: one creates the
    schema, the others wait and find it at head — none fails on a table that already exists."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=3) as pool:
        for future in [pool.submit(upgrade, settings) for _ in range(3)]:
            future.result()
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            assert session.execute(select(SyncCounter.value)).scalars().all() == [0]
            assert len(session.execute(select(ServerMeta.key)).all()) == 2
    finally:
        engine.dispose()
