"""Records in wire shape for the sync benchmark: the demo district's rows (organizations and everything
under them: 党组织, members, meetings, visits, checklists, rectifications, notices ...) read back from the
cached demo database and encoded the way the client pushes them (app.wire.ENTITY_FIELDS), in the order the
generator wrote them (their ``updated_at``), so versions interleave organizations and their child records as
pushes from the field would.  Cached as JSON lines in bench/out/.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from common import OUT, demo_db  # type: ignore[import-not-found]

from app import wire
from server.db import json_text

DEMO_ORGS, DEMO_YEARS = 1000, 1  # 89k synced rows: enough for the 50,000 of the initial pull


def _read_demo(path: Path) -> list[tuple[str, dict[str, Any]]]:
    from sqlalchemy import select

    from app.models import SYNCED_ENTITIES
    from app.services.core.database import open_database
    from app.services.sync.codec import encode, entity_table

    database = open_database(path)
    found: list[tuple[str, str, dict[str, Any]]] = []
    with database.session_factory() as session:
        for entity in sorted(SYNCED_ENTITIES):
            fields = wire.ENTITY_FIELDS[entity]
            for row in session.execute(select(entity_table(entity))).mappings():
                data = encode(entity, row)
                assert set(data) == set(fields), (entity, set(fields) ^ set(data))
                found.append((str(data["updated_at"]), entity, data))
    database.close()
    found.sort(key=lambda item: (item[0], item[2]["id"]))
    return [(entity, data) for _at, entity, data in found]


def wire_records(count: int) -> list[tuple[str, dict[str, Any]]]:
    """The first ``count`` records (entity, data) of the demo district in write order."""
    cache = OUT / f"sync-records-{DEMO_ORGS}-{DEMO_YEARS}.jsonl"
    if not cache.exists():
        records = _read_demo(demo_db(DEMO_ORGS, DEMO_YEARS))
        tmp = cache.with_suffix(".building")
        with tmp.open("w", encoding="utf-8") as out:
            for entity, data in records:
                out.write(json.dumps([entity, data], ensure_ascii=False) + "\n")
        tmp.rename(cache)
    records = []
    with cache.open(encoding="utf-8") as lines:
        for line in lines:
            if len(records) == count:
                break
            entity, data = json.loads(line)
            records.append((entity, data))
    if len(records) < count:
        raise SystemExit(f"the demo district holds only {len(records):,} records; raise DEMO_ORGS")
    return records


Seeded = tuple[str, str, str, str]  # entity, id, scope, data as JSON text (what the server stores)


def scope_of(entity: str, data: dict[str, Any]) -> str:
    return wire.scope_for(wire.ENTITY_SCOPE[entity], str(data[wire.ENTITY_SCOPE[entity]]))


def serialized(records: list[tuple[str, dict[str, Any]]]) -> list[Seeded]:
    """The records as the server stores them (server.db.json_text, the JSON columns' serializer)."""
    return [(entity, str(data["id"]), scope_of(entity, data), json_text(data)) for entity, data in records]


def cloned(records: list[Seeded], copies: int) -> Iterator[Seeded]:
    """``copies`` copies of ``records`` (the first unchanged), each as another part of the district: the
    copy number replaces the first 8 hex digits of every record id and scope key (in the JSON text too), so
    copies never share a record or a scope and keep the template's mix of scopes."""
    yield from records
    for copy in range(1, copies):
        prefix = f"c{copy:07x}"
        for entity, record_id, scope, text in records:
            kind, key = scope.split(":", 1) if ":" in scope else ("", "")
            new_id, new_key = prefix + record_id[8:], prefix + key[8:]
            text = text.replace(record_id, new_id)
            if key and key != record_id:
                text = text.replace(key, new_key)
            yield entity, new_id, f"{kind}:{new_key}" if kind else scope, text
