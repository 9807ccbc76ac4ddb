"""One organization save (row + outbox entry + search index, synchronous=FULL, WAL): p50/p95, on a
5,000- and a 100,000-organization database (a save must not grow with the ledger)."""

from __future__ import annotations

import dataclasses

from common import demo_db, report, scratch_copy, timed  # type: ignore[import-not-found]
from sqlalchemy import text

from app.services.core.database import open_database
from app.services.orgs.organizations import get_org, update_org

SIZES = ((5_000, 3), (100_000, 0))  # (organizations, years of history)
SAVES = 200


def main() -> None:
    for orgs, years in SIZES:
        bench_saves(orgs, years)


def bench_saves(orgs: int, years: int) -> None:
    database = open_database(scratch_copy(demo_db(orgs, years), "save-bench.sqlite3"))
    factory = database.session_factory
    with factory() as session:
        ids = [r[0] for r in session.execute(text("SELECT id FROM social_org WHERE deleted_at IS NULL LIMIT :n"),
                                             {"n": SAVES})]
    details = [get_org(factory, i) for i in ids]
    pending = iter(details)

    def save_one() -> None:
        detail = next(pending)
        changed = dataclasses.replace(detail.data, address=detail.data.address + "（已核实）")
        update_org(factory, detail.id, changed, actor="bench")

    print(f"organization save on a {orgs:,}-organization database")
    report("update_org (row + outbox + index)", timed(save_one, len(details)), target_ms=20)
    database.close()


if __name__ == "__main__":
    main()
