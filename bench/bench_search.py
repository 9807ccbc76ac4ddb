"""Search latency over a 100,000-organization database, for 1-, 2-, 3- and 6-character queries.

Queries are substrings of real names in the database (so every query has hits, the harder case), plus
pinyin initials.  Two calls are measured: quick find (``search_orgs``, first 20 hits) and the ledger
filter (``query_ledger`` with the text: every matching id, sorted by pinyin).
"""

from __future__ import annotations

import random

from common import demo_db, report, timed  # type: ignore[import-not-found]
from sqlalchemy import text

from app.services.core.database import open_database
from app.services.orgs.dto import LedgerFilter, LedgerSort
from app.services.orgs.ledger import query_ledger, search_orgs

ORGS = 100_000
PER_LENGTH = 40


def sample_queries(factory, length: int, rng: random.Random) -> list[str]:  # type: ignore[no-untyped-def]
    with factory() as session:
        names = [r[0] for r in session.execute(text("SELECT name FROM social_org ORDER BY random() LIMIT 2000"))]
    queries = []
    while len(queries) < PER_LENGTH:
        name = rng.choice(names)
        if len(name) >= length:
            start = rng.randrange(0, len(name) - length + 1)
            queries.append(name[start : start + length])
    return queries


def main() -> None:
    database = open_database(demo_db(ORGS, 0))
    factory = database.session_factory
    rng = random.Random(7)
    print(f"search over {ORGS:,} organizations")
    for length in (1, 2, 3, 6):
        queries = sample_queries(factory, length, rng)
        for q in queries[:3]:
            search_orgs(factory, q)  # warm the page cache
        it = iter(queries * 3)
        report(f"quick find, {length}-char queries",
               timed(lambda it=it: search_orgs(factory, next(it)), PER_LENGTH * 3), target_ms=16)
    for length in (1, 2, 3, 6):
        queries = sample_queries(factory, length, rng)
        it = iter(queries)
        report(f"ledger filter by text, {length}-char", timed(
            lambda it=it: query_ledger(factory, LedgerFilter(text=next(it)), LedgerSort()), PER_LENGTH),
            target_ms=150)
    initials = ["zb", "shg", "lnr", "kjcj"]
    it2 = iter(initials * 10)
    report("quick find, pinyin initials", timed(lambda: search_orgs(factory, next(it2)), 40), target_ms=16)
    database.close()


if __name__ == "__main__":
    main()
