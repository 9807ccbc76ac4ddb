"""Sync at district scale (SYNC.md §8.11), against the real server process on 127.0.0.1:

- the initial pull of 50,000 records (the demo district's organizations and their child records, in wire
  shape) into a fresh profile through the real engine (``run_sync`` in a child process), in records/s next
  to a raw sqlite3 executemany of the same rows in one transaction (the floor), and the child's peak RSS;
- a no-op sync right after it: HTTP requests and bytes both ways;
- a 10-record delta (pushed through /push by the supervisor) pulled from a server holding 10,000 records
  and from one holding 1,000,000: the time of the pull request (and of /meta, the other request of a sync)
  for a supervisor and for an instructor with 30 organizations, and the ratio 1M / 10k (both servers run
  at once and are asked in turn, so a loaded machine weighs on both alike); the query plan of the page
  query; a 1,000-row page of each.

Servers are seeded directly (bench/sync_seed.py) while stopped, then served by ``python -m server serve``.
Scratch data lives in bench/out/sync/ and is rebuilt on every run.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from common import OUT, percentiles, report  # type: ignore[import-not-found]
from sync_records import cloned, serialized, wire_records  # type: ignore[import-not-found]
from sync_seed import INSTRUCTOR, PASSWORD, SUPERVISOR, assign_instructor, fresh_home, seed  # type: ignore[import-not-found]

from app import wire
from tests.sync.harness import ServerProcess

INITIAL = 50_000
SMALL, LARGE = 10_000, 1_000_000
DELTA = 10
ASSIGNED = 30
REPEAT = 30
TARGET_RATE = 2_000  # records/s applied (SYNC §8.11)
TARGET_RSS_MB = 250
TARGET_NOOP_REQUESTS, TARGET_NOOP_BYTES = 2, 5_000
HERE = Path(__file__).resolve().parent
SCRATCH = OUT / "sync"


def verdict(met: bool) -> str:
    return "met" if met else "MISSED"


# -- the floor: raw sqlite3 ---------------------------------------------------------------------------

def raw_insert(records: list[tuple[str, dict[str, Any]]]) -> float:
    """Seconds to insert the records' columns (and server_version) with sqlite3 executemany, one
    transaction, into tables of those columns (a fresh file; WAL and synchronous=FULL like a profile)."""
    path = SCRATCH / "raw.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    by_entity: dict[str, list[tuple[Any, ...]]] = {}
    for entity, data in records:
        fields = wire.ENTITY_FIELDS[entity]
        by_entity.setdefault(entity, []).append((*(data[f] for f in fields), 1))
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=FULL")
    for entity in by_entity:
        columns = ", ".join(f'"{f}"' + (" PRIMARY KEY" if f == "id" else "") for f in wire.ENTITY_FIELDS[entity])
        connection.execute(f'CREATE TABLE "{entity}" ({columns}, server_version INTEGER)')
    started = time.perf_counter()
    connection.execute("BEGIN")
    for entity, rows in by_entity.items():
        marks = ", ".join("?" * (len(wire.ENTITY_FIELDS[entity]) + 1))
        connection.executemany(f'INSERT INTO "{entity}" VALUES ({marks})', rows)
    connection.execute("COMMIT")
    elapsed = time.perf_counter() - started
    connection.close()
    return elapsed


# -- servers --------------------------------------------------------------------------------------------

def seeded_server(name: str, records: Any, *, assigned: list[str] = ()) -> tuple[ServerProcess, int, float]:  # type: ignore[assignment]
    """A started server whose home holds ``records``; (server, district version, seconds to seed)."""
    home = SCRATCH / name
    settings = fresh_home(home)
    started = time.perf_counter()
    version = seed(settings, records)
    took = time.perf_counter() - started
    if assigned:
        assign_instructor(settings, list(assigned))
        version += 1
    return ServerProcess(home).start(), version, took


def process_cpu_seconds(server: ServerProcess) -> float:
    """User + system CPU seconds the server process used so far (/proc/<pid>/stat)."""
    assert server.process is not None
    fields = Path(f"/proc/{server.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def login(client: httpx.Client, username: str) -> dict[str, str]:
    response = client.post("/auth/login", json={"username": username, "password": PASSWORD,
                                                "device_id": str(uuid.uuid4()), "device_name": "bench"})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def api(server: ServerProcess) -> httpx.Client:
    return httpx.Client(base_url=server.url + wire.PREFIX, timeout=120.0,
                        headers={wire.PROTOCOL_HEADER: str(wire.PROTOCOL_VERSION)})


# -- the initial pull and the no-op sync ------------------------------------------------------------------

def initial_pull(records: list[tuple[str, dict[str, Any]]]) -> None:
    server, _version, took = seeded_server("server-initial", serialized(records))
    print(f"  (server seeded with {len(records):,} records in {took:.1f} s)")
    client_home = SCRATCH / "client-initial"
    shutil.rmtree(client_home, ignore_errors=True)
    try:
        server_cpu = process_cpu_seconds(server)
        child = subprocess.run([sys.executable, str(HERE / "sync_client.py"), server.url, str(client_home),
                                SUPERVISOR], capture_output=True, text=True, check=False)
        server_cpu = process_cpu_seconds(server) - server_cpu
    finally:
        server.stop()
    if child.returncode != 0:
        raise SystemExit(f"sync_client failed:\n{child.stdout}\n{child.stderr[-4000:]}")
    result = json.loads(child.stdout.strip().splitlines()[-1])

    raw = min(raw_insert(records) for _ in range(3))
    pulled, seconds = result["initial_pulled"], result["initial_seconds"]
    rate, raw_rate = pulled / seconds, len(records) / raw
    print(f"  initial pull, run_sync into a fresh profile    {pulled:,} records in {seconds:6.1f} s = "
          f"{rate:8,.0f} records/s   target ≥ {TARGET_RATE:,}: {verdict(rate >= TARGET_RATE)}")
    cpu = result["initial_cpu_seconds"]
    print(f"    {result['initial_requests']} requests, {result['initial_received_mb']:.1f} MB received; CPU used: the "
          f"client {cpu:.1f} s ({pulled / cpu:,.0f} records per CPU second), the server {server_cpu:.1f} s "
          f"(during both syncs); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"  raw sqlite3 executemany, same rows, one txn    {len(records):,} records in {raw:6.2f} s = "
          f"{raw_rate:8,.0f} records/s   (engine is {raw_rate / rate:.0f}× the floor's time)")
    peak = result["peak_rss_mb"]
    print(f"  client peak RSS (VmHWM of its process)         {peak:6.0f} MB (before the pull "
          f"{result['rss_before_mb']:.0f} MB, after {result['rss_after_mb']:.0f} MB)   "
          f"target ≤ {TARGET_RSS_MB} MB: {verdict(peak <= TARGET_RSS_MB)}")
    requests, moved = result["noop_requests"], result["noop_sent"] + result["noop_received"]
    print(f"  no-op sync                                     {len(requests)} requests "
          f"({', '.join(requests)}), {result['noop_sent']:,} B up + {result['noop_received']:,} B down = "
          f"{moved:,} B in {result['noop_seconds'] * 1000:.0f} ms   target ≤ {TARGET_NOOP_REQUESTS} requests and "
          f"≤ {TARGET_NOOP_BYTES:,} B: {verdict(len(requests) <= TARGET_NOOP_REQUESTS and moved <= TARGET_NOOP_BYTES)}")


# -- the delta pull at 10k and 1M ---------------------------------------------------------------------------

def cursor_at(instance_id: str, version: int) -> str:
    from server.pull import encode_cursor

    return encode_cursor(instance_id, version)


def push_delta(client: httpx.Client, headers: dict[str, str], orgs: list[tuple[str, int]]) -> None:
    """The supervisor edits ``DELTA`` organizations (one push of ``DELTA`` ops)."""
    now = datetime.now(UTC).isoformat()
    ops = [{"op_id": str(uuid.uuid4()), "entity": "social_org", "id": org_id, "op": wire.OP_UPSERT,
            "scope": wire.org_scope(org_id), "base_version": version,
            "fields": {"notes": f"督导员抽查 {n}", "updated_at": now, "updated_by": SUPERVISOR}}
           for n, (org_id, version) in enumerate(orgs[:DELTA])]
    response = client.post("/push", json={"device_id": "bench", "ops": ops}, headers=headers)
    response.raise_for_status()
    statuses = {r["status"] for r in response.json()["results"]}
    assert statuses == {wire.APPLIED}, response.json()["results"][0]


def get_ms(client: httpx.Client, path: str, params: dict[str, Any], headers: dict[str, str],
           expect: int | None = None) -> float:
    """Seconds of one GET, from sending the request to the answer read and parsed (as the engine does)."""
    started = time.perf_counter()
    response = client.get(path, params=params, headers=headers)
    response.raise_for_status()
    body = response.json()
    took = time.perf_counter() - started
    if expect is not None:
        assert len(body["changes"]) == expect, (path, len(body["changes"]), expect)
    return took


def query_plan(server: ServerProcess, after: int, instructor_scopes: frozenset[str]) -> list[str]:
    from sqlalchemy import create_engine
    from sqlalchemy.dialects import sqlite

    from server.pull import page_query

    engine = create_engine(f"sqlite:///{server.home / 'server.db'}")
    plans = []
    with engine.connect() as connection:
        for who, scopes, audience in (("supervisor", None, None), ("instructor", instructor_scopes, "x")):
            query = page_query(after, after + DELTA + 1, scopes=scopes, audience=audience, limit=wire.DEFAULT_PAGE)
            compiled = query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True})
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").fetchall()
            plans.append(f"{who}: " + "; ".join(str(row[-1]) for row in rows))
    engine.dispose()
    return plans


@dataclass
class Delta:
    """A started server holding a district and a delta on top of it, with what the timings need."""

    server: ServerProcess
    client: httpx.Client
    supervisor: dict[str, str]
    instructor: dict[str, str]
    instance: str
    before: int  # the district version before the delta
    scopes: frozenset[str]  # the instructor's
    seed_seconds: float
    samples: dict[str, list[float]] = field(default_factory=dict)

    def time(self, key: str, path: str, params: dict[str, Any], headers: dict[str, str],
             expect: int | None = None) -> None:
        self.samples.setdefault(key, []).append(get_ms(self.client, path, params, headers, expect))


def delta_on(name: str, records: Any, assigned: list[tuple[str, int]]) -> Delta:
    """Seed, start, sign both users in and push the delta."""
    server, version, took = seeded_server(name, records, assigned=[org for org, _v in assigned])
    client = api(server)
    supervisor, instructor = login(client, SUPERVISOR), login(client, INSTRUCTOR)
    meta = client.get("/meta", headers=instructor).json()
    push_delta(client, supervisor, assigned)
    return Delta(server, client, supervisor, instructor, meta["server_instance_id"], version,
                 frozenset(meta["scopes"]), took)


def measure(delta: Delta) -> None:
    """One round of every timed request on one server."""
    params = {"cursor": cursor_at(delta.instance, delta.before), "limit": wire.DEFAULT_PAGE}
    for who, headers in (("supervisor", delta.supervisor), ("instructor", delta.instructor)):
        delta.time(f"pull {who}", "/pull", params, headers, expect=DELTA)
        delta.time(f"meta {who}", "/meta", {}, headers)
    # The same rows on both servers (the template's from version SMALL // 2 on: copy 0 at 1M), so the pages
    # differ only in the size of the database around them.
    delta.time("page", "/pull", {"cursor": cursor_at(delta.instance, SMALL // 2), "limit": wire.MAX_PAGE},
               delta.supervisor, expect=wire.MAX_PAGE)


def delta_pull(template: list[tuple[str, dict[str, Any]]]) -> None:
    """Both servers run at once and are asked in turn, so the machine's load weighs on both alike."""
    first_version = 2  # the instructor record took version 1 (sync_seed.fresh_home)
    orgs = [(data["id"], first_version + n) for n, (entity, data) in enumerate(template[:SMALL])
            if entity == "social_org"][:ASSIGNED]
    stored = serialized(template)
    copies = LARGE // len(template)
    small = delta_on("server-10k", stored[:SMALL], orgs)
    try:
        large = delta_on("server-1m", cloned(stored, copies), orgs)
        try:
            print(f"  (servers seeded: {SMALL:,} records in {small.seed_seconds:.1f} s, "
                  f"{copies * len(template):,} in {large.seed_seconds:.1f} s; asked in turn, {REPEAT} rounds)")
            for _round in range(REPEAT):
                measure(small)
                measure(large)
            plans = query_plan(large.server, large.before, large.scopes)
        finally:
            large.client.close()
            large.server.stop()
    finally:
        small.client.close()
        small.server.stop()
    for key in ("pull supervisor", "pull instructor", "meta supervisor", "meta instructor"):
        what = f"{DELTA}-record delta: GET /pull" if key.startswith("pull") else "the same sync's GET /meta"
        for label, delta in ((f"{SMALL // 1000}k", small), ("1M", large)):
            report(f"{what}, {key.split()[1]}, {label}", delta.samples[key])
        ratio = percentiles(large.samples[key])[0] / percentiles(small.samples[key])[0]
        print(f"  {'':<44} ratio 1M / 10k (p50): {ratio:.2f}   (expected ~1: cost follows the changes)")
    report(f"a {wire.MAX_PAGE:,}-row page at 10k (supervisor)", small.samples["page"])
    report(f"a {wire.MAX_PAGE:,}-row page at 1M (supervisor)", large.samples["page"], target_ms=100)
    for plan in plans:
        print(f"    query plan at 1M, {plan}")


def main() -> None:
    SCRATCH.mkdir(parents=True, exist_ok=True)
    template = wire_records(INITIAL)
    print(f"Sync against the server on 127.0.0.1 ({INITIAL:,} records of the demo district)")
    initial_pull(template)
    delta_pull(template)


if __name__ == "__main__":
    main()
