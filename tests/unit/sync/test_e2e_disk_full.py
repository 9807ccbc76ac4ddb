"""A disk that fills up in the middle of a pull (SYNC.md §8.12): the sync stops with a clear line, no page
is half written, the cursor stays where the last whole page left it, the unsent edits stay, and once there
is room the next sync brings the rest — nothing lost, nothing twice."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import OperationalError

from app.domain.enums import OrgType
from app.models import OutboxEntry, SocialOrg, new_id
from app.services.core.error_text import describe_error
from app.services.core.outbox import bulk_load
from app.services.sync import state
from tests.unit.sync.e2e_clients import Client, World

ORGS = 300


@contextmanager
def full_disk(client: Client, spare_pages: int) -> Iterator[None]:
    """SQLite may grow the client's file by ``spare_pages`` pages only (PRAGMA max_page_count on every
    connection): what a full disk looks like to it."""
    engine: Engine = client.factory.kw["bind"]

    def limit(dbapi_connection: Any, _record: Any) -> None:
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + spare_pages}")

    engine.dispose()
    event.listen(engine, "connect", limit)
    try:
        yield
    finally:
        event.remove(engine, "connect", limit)
        engine.dispose()


def _count(client: Client, model: Any) -> int:
    with client.factory() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_disk_full_mid_pull_loses_nothing_and_the_next_sync_finishes(world: World) -> None:
    [alice] = world.clients("alice")
    with alice.factory.begin() as session:
        ids = [new_id() for _ in range(ORGS)]
        rows = [{"id": i, "org_id": i, "name": f"第{n}号协会", "org_type": OrgType.COMMUNITY_FILED}
                for n, i in enumerate(ids)]
        bulk_load(session, SocialOrg, rows, actor=alice.username)
    assert alice.sync().applied == ORGS
    world.admin.create_user(world.user("sup"), role="supervisor")
    [sup] = world.clients("sup")
    own = sup.new_org("督导新建的协会")  # an unsent edit of the supervisor's, made offline

    with full_disk(sup, spare_pages=40), pytest.raises(OperationalError) as failure:
        sup.sync()
    assert describe_error(failure.value).startswith("磁盘空间已满，请腾出空间后再试")
    pulled = _count(sup, SocialOrg)
    assert 1 <= pulled < ORGS + 1  # some whole pages in, the rest not
    with sup.factory() as session:
        cursor = state.get(session, state.CURSOR)
        assert session.execute(select(OutboxEntry.state).where(OutboxEntry.record_id == own)).scalar_one() \
            in ("acked", "pending", "in_flight")

    report = sup.sync()  # room again
    assert _count(sup, SocialOrg) == ORGS + 1 and report.pulled >= ORGS + 1 - pulled
    with sup.factory() as session:
        assert state.get(session, state.CURSOR) != cursor
        assert {str(s) for s in session.execute(select(OutboxEntry.state)).scalars()} == {"acked"}
