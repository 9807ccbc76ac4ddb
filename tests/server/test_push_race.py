"""The same batch pushed twice at once from two threads against a real server process (SYNC.md §8.12 case 5):
each op applied once and answered ``duplicate`` once, one row per record (the counter lock serializes the two
transactions; the processed_ops key is the backstop)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from app import wire
from server.assignments import assign
from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade
from server.models import Record
from server.store import next_version
from server.users import create_user
from tests.server.conftest import PASSWORD
from tests.server.sync_helpers import PROTOCOL, complete, new_id, op, org_fields
from tests.sync.server_process import ServerProcess

ORG = new_id()


@pytest.fixture
def running(settings: Settings) -> Iterator[tuple[ServerProcess, Settings]]:
    """A server process on ``settings`` (SQLite in its home, or a PostgreSQL database) with alice assigned."""
    upgrade(settings)
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        user = create_user(session, "alice", role="instructor", password=PASSWORD)
        assign(session, user, ORG, next_version(session))
        session.commit()
    engine.dispose()
    url = None if settings.is_sqlite else settings.database_url
    with ServerProcess(settings.home, database_url=url) as server:
        yield server, settings


def _login(base: str) -> dict[str, str]:
    answer = httpx.post(f"{base}/auth/login", headers=PROTOCOL, json={
        "username": "alice", "password": PASSWORD, "device_id": "alice-laptop", "device_name": "笔记本"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}", **PROTOCOL}


def test_the_same_batch_from_two_threads_at_once_applies_once(running: tuple[ServerProcess, Settings]) -> None:
    server, settings = running
    base = f"{server.url}{wire.PREFIX}"
    headers = _login(base)
    visits = [new_id() for _ in range(20)]
    batch = {"device_id": "alice-laptop", "ops": [op("social_org", ORG, org_fields(ORG)),
                                                  *(op("visit", v, complete("visit", org_id=ORG)) for v in visits)]}
    barrier = threading.Barrier(2)
    answers: list[Any] = [None, None]

    def send(slot: int) -> None:
        with httpx.Client(timeout=60) as http:
            barrier.wait()
            answers[slot] = http.post(f"{base}/push", headers=headers, json=batch)

    threads = [threading.Thread(target=send, args=(slot,)) for slot in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [200, 200], [answer.text for answer in answers]
    results = [answer.json()["results"] for answer in answers]
    for first, second in zip(*results, strict=True):
        assert sorted([first["status"], second["status"]]) == [wire.APPLIED, wire.DUPLICATE]
        assert first["version"] == second["version"] and first["record"] == second["record"]
    engine = make_engine(settings)
    with make_sessionmaker(engine)() as session:
        count = session.execute(select(func.count()).select_from(Record)
                                .where(Record.entity.in_(["social_org", "visit"]))).scalar_one()
    engine.dispose()
    assert count == 1 + len(visits)


def test_the_server_process_answers_a_pull_of_what_was_pushed(running: tuple[ServerProcess, Settings],
                                                              tmp_path: Path) -> None:
    server, _ = running
    base = f"{server.url}{wire.PREFIX}"
    headers = _login(base)
    pushed = httpx.post(f"{base}/push", headers=headers, json={"device_id": "d", "ops": [
        op("social_org", ORG, org_fields(ORG))]})
    assert pushed.json()["results"][0]["status"] == wire.APPLIED
    page = httpx.get(f"{base}/pull", headers=headers).json()
    assert ORG in {change["id"] for change in page["changes"] if change["entity"] == "social_org"}
