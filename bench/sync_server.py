"""The district server's delta cost (SYNC.md §8.11): a 10-record delta pull on a server holding 1,000,000
records against one holding 10,000, and what a no-op sync costs in requests and bytes.

Each district is seeded once with Core executemany straight into the server database (cached under
bench/out/; the version history is not seeded: pulls never read it), spread over 5,000 organizations at ten
records per version.  An instructor with 20 organizations and the supervisor then pull after a cursor at the
top; ten records are pushed into the instructor's organizations through the app, and the pull of that delta
is timed.  A delta pull should cost the same on both: the figures and their ratio are printed, no thresholds.

Run: ``PYTHONPATH=. python bench/sync_server.py`` (``--sizes 10000,100000`` for a quicker look).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from common import OUT, percentiles, report, timed  # type: ignore[import-not-found]
from fastapi.testclient import TestClient
from sqlalchemy import insert, update

from app import wire
from server.app import create_app
from server.config import Settings
from server.db import make_engine, make_sessionmaker, upgrade
from server.deps import meta_value
from server.models import OrgAssignment, Record, SyncCounter, utcnow
from server.pull import encode_cursor
from server.store import current_version
from server.users import create_user

ORGS = 5_000
PER_VERSION = 10
MY_ORGS = 20
DELTA = 10
BATCH = 20_000
REPEAT = 40
PASSWORD = "bench-password-1"
PROTOCOL = {wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)}


def org_id(number: int) -> str:
    return f"00000000-0000-7000-8000-{number:012d}"


def visit_id(number: int) -> str:
    return f"10000000-0000-7000-8000-{number:012d}"


def seed(settings: Settings, rows: int) -> None:
    """``rows`` visit records over ORGS organizations, plus an instructor (the first MY_ORGS) and a supervisor."""
    upgrade(settings)
    engine = make_engine(settings)
    now = utcnow()
    with engine.begin() as conn:
        for start in range(0, rows, BATCH):
            conn.execute(insert(Record), [
                {"entity": "visit", "id": visit_id(n), "scope": wire.org_scope(org_id(n % ORGS)),
                 "version": n // PER_VERSION + 1, "deleted": False, "deleted_by_supervisor": False,
                 "data": {"id": visit_id(n), "org_id": org_id(n % ORGS), "status": "DONE",
                          "summary": "走访了解党组织活动开展情况", "visited_on": "2025-05-06",
                          "updated_at": "2025-05-06T02:00:00+00:00", "updated_by": "种子"},
                 "audience": None, "updated_by": "", "updated_at": now}
                for n in range(start, min(rows, start + BATCH))])
        conn.execute(update(SyncCounter).where(SyncCounter.id == 1).values(value=(rows - 1) // PER_VERSION + 1))
    with make_sessionmaker(engine)() as session:
        user = create_user(session, "bench-instructor", role="instructor", password=PASSWORD)
        create_user(session, "bench-supervisor", role="supervisor", password=PASSWORD)
        session.add_all(OrgAssignment(user_id=user.id, org_id=org_id(n)) for n in range(MY_ORGS))
        session.commit()
    engine.dispose()


def district(rows: int) -> Settings:
    """The cached server home of a district of ``rows`` records."""
    home = OUT / f"server-{rows}-records"
    settings = Settings(home=home, database_url=f"sqlite:///{home / 'server.db'}")
    if not (home / "seeded").exists():
        shutil.rmtree(home, ignore_errors=True)
        started = time.perf_counter()
        seed(settings, rows)
        (home / "seeded").write_text("ok")
        print(f"  (seeded {rows:,} records in {time.perf_counter() - started:.1f} s)")
    return settings


@contextmanager
def served(settings: Settings) -> Iterator[TestClient]:
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            yield client
    finally:
        app.state.engine.dispose()


def sign_in(client: TestClient, username: str) -> dict[str, str]:
    answer = client.post(f"{wire.PREFIX}/auth/login", headers=PROTOCOL, json={
        "username": username, "password": PASSWORD, "device_id": f"bench-{username}", "device_name": "bench"})
    answer.raise_for_status()
    return {"Authorization": f"Bearer {answer.json()['access_token']}", **PROTOCOL}


def top_cursor(client: TestClient) -> str:
    """The cursor after everything there is now (what a client holds after its last page)."""
    app: Any = client.app
    with app.state.sessionmaker() as session:
        return encode_cursor(meta_value(session, "instance_id"), current_version(session))


def push_delta(client: TestClient, headers: dict[str, str]) -> None:
    from uuid6 import uuid7

    ops = []
    for n in range(DELTA):
        record_id = str(uuid7())
        ops.append({"op_id": str(uuid7()), "entity": "visit", "id": record_id, "op": "upsert", "base_version": 0,
                    "scope": wire.org_scope(org_id(n % MY_ORGS)),
                    "fields": {"id": record_id, "org_id": org_id(n % MY_ORGS), "summary": "新的走访"}})
    results = client.post(f"{wire.PREFIX}/push", headers=headers, json={"device_id": "bench", "ops": ops}).json()
    assert {r["status"] for r in results["results"]} == {wire.APPLIED}, results


def delta_pull(client: TestClient, headers: dict[str, str], cursor: str) -> list[float]:
    def once() -> None:
        page = client.get(f"{wire.PREFIX}/pull", headers=headers, params={"cursor": cursor}).json()
        assert len(page["changes"]) == DELTA and not page["has_more"], page

    return timed(once, REPEAT)


def wire_bytes(response: Any) -> int:
    """Bytes of one exchange as HTTP/1.1 puts them on the wire (request and response lines, headers, bodies)."""
    request = response.request
    sent = len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n")
    sent += sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2 + len(request.content)
    received = len(f"HTTP/1.1 {response.status_code} {response.reason_phrase}\r\n")
    received += sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 2 + len(response.content)
    return sent + received


def no_op_sync(client: TestClient, headers: dict[str, str], cursor: str) -> tuple[int, int]:
    """A sync with nothing to send and nothing new: GET /meta and one empty pull (requests, bytes)."""
    answers = [client.get(f"{wire.PREFIX}/meta", headers=headers),
               client.get(f"{wire.PREFIX}/pull", headers=headers, params={"cursor": cursor})]
    assert all(answer.status_code == 200 for answer in answers)
    assert answers[1].json()["changes"] == []
    return len(answers), sum(wire_bytes(answer) for answer in answers)


def measure(rows: int) -> dict[str, float]:
    print(f"District of {rows:,} records ({ORGS:,} organizations, an instructor with {MY_ORGS}):")
    with served(district(rows)) as client:
        instructor, supervisor = sign_in(client, "bench-instructor"), sign_in(client, "bench-supervisor")
        mine = everything = top_cursor(client)
        push_delta(client, instructor)
        figures = {}
        for label, headers, cursor in (("instructor", instructor, mine), ("supervisor", supervisor, everything)):
            samples = delta_pull(client, headers, cursor)
            report(f"{DELTA}-record delta pull, {label}", samples)
            figures[label] = percentiles(samples)[0]
        requests, size = no_op_sync(client, instructor, top_cursor(client))
        print(f"  no-op sync: {requests} requests, {size:,} bytes")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,1000000", help="district sizes in records, small first")
    sizes = [int(size) for size in parser.parse_args().sizes.split(",")]
    OUT.mkdir(parents=True, exist_ok=True)
    results = {rows: measure(rows) for rows in sizes}
    small, large = results[sizes[0]], results[sizes[-1]]
    for label in ("instructor", "supervisor"):
        ratio = large[label] / small[label]
        print(f"  {label}: p50 delta pull at {sizes[-1]:,} / at {sizes[0]:,} records = {ratio:.2f}×")


if __name__ == "__main__":
    sys.exit(main())
