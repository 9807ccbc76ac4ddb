"""Organization search: index maintenance and query building.

Queries of 3+ characters use the FTS5 trigram table; shorter ones (where trigram silently returns
nothing) use the unigram table, whose text has one token per character.  Each whitespace-separated
term must match; a term matches name, short name, 统一社会信用代码, address or pinyin initials
(so "zbdh" finds 中北大华…).  Index rows are written by the same transaction as the organization.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

COLUMNS = ("name", "short_name", "uscc", "address", "initials")
TRIGRAM_MIN = 3
REBUILD_CHUNK = 5000


@lru_cache(maxsize=4096)
def pinyin_keys(name: str) -> tuple[str, str]:
    """(full pinyin for sorting, initials for search) of a Chinese name; Latin and digits kept."""
    from pypinyin import Style, lazy_pinyin  # loads a large dictionary; only when a name is saved

    full = "".join(lazy_pinyin(name, errors="default")).lower()
    initials = "".join(p[:1] for p in lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")).lower()
    return full, initials


def spaced(value: str) -> str:
    """One token per character for the unigram table."""
    return " ".join(ch for ch in value if not ch.isspace())


def _index_rows(session: Session, org_ids: Iterable[str]) -> list[dict[str, str]]:
    ids = list(org_ids)
    if not ids:
        return []
    rows: list[dict[str, str]] = []
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join(f":i{n}" for n in range(len(chunk)))
        result = session.execute(
            text(f"SELECT id, name, short_name, uscc, address, name_initials FROM social_org "
                 f"WHERE deleted_at IS NULL AND id IN ({marks})"),
            {f"i{n}": v for n, v in enumerate(chunk)},
        )
        rows.extend(dict(zip(("org_id", *COLUMNS), r, strict=True)) for r in result)
    return rows


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Index rows (each with ``doc``, its document id, and ``org_id``) into both FTS tables."""
    if not rows:
        return
    cols = ", ".join(COLUMNS)
    values = ", ".join(f":{c}" for c in COLUMNS)
    insert_sql = "INSERT INTO {table} (rowid, org_id, " + cols + ") VALUES (:doc, :org_id, " + values + ")"
    session.execute(text(insert_sql.format(table="org_search_tri")), rows)
    uni = [{"doc": r["doc"], "org_id": r["org_id"], **{c: spaced(r[c] or "") for c in COLUMNS}} for r in rows]
    session.execute(text(insert_sql.format(table="org_search_uni")), uni)


def _doc_id(session: Session, org_id: str) -> int:
    """The organization's stable document id (the rowid of its FTS rows), allocated on first use."""
    found = session.execute(text("SELECT doc FROM org_search_doc WHERE org_id = :i"), {"i": org_id}).scalar()
    if found is not None:
        return int(found)
    session.execute(text("INSERT INTO org_search_doc (org_id) VALUES (:i)"), {"i": org_id})
    return int(session.execute(text("SELECT last_insert_rowid()")).scalar_one())


def reindex_orgs(session: Session, org_ids: Iterable[str]) -> None:
    """Bring the search rows of these organizations in step with the table (after a save).

    Rows are replaced by document id, so the cost does not grow with the size of the ledger."""
    docs = {org_id: _doc_id(session, org_id) for org_id in org_ids}
    for doc in docs.values():
        for table in ("org_search_tri", "org_search_uni"):
            session.execute(text(f"DELETE FROM {table} WHERE rowid = :d"), {"d": doc})
    rows = _index_rows(session, docs)
    _insert(session, [{**r, "doc": docs[r["org_id"]]} for r in rows])


def index_new_orgs(session: Session, org_ids: Iterable[str]) -> None:
    """Index organizations that have no index rows yet, in bulk (imports, demo data): called in the
    transaction that inserts them, so a load interrupted between batches leaves nothing unsearchable."""
    ids = list(org_ids)
    for start in range(0, len(ids), REBUILD_CHUNK):  # bounded memory at 100,000 organizations
        chunk = ids[start : start + REBUILD_CHUNK]
        before = session.execute(text("SELECT coalesce(max(doc), 0) FROM org_search_doc")).scalar_one()
        session.execute(text("INSERT INTO org_search_doc (org_id) VALUES (:i)"), [{"i": i} for i in chunk])
        found = session.execute(text("SELECT org_id, doc FROM org_search_doc WHERE doc > :b"), {"b": before})
        docs: dict[str, int] = {str(r[0]): int(r[1]) for r in found}
        rows = _index_rows(session, docs)
        _insert(session, [{**r, "doc": docs[r["org_id"]]} for r in rows])


def optimize_index(session: Session) -> None:
    """Merge the FTS segments left by many small inserts (after a bulk load)."""
    for table in ("org_search_tri", "org_search_uni"):
        session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


def rebuild_index(session: Session) -> None:
    """Rebuild both tables from scratch (repair, or after changing how organizations are indexed)."""
    for table in ("org_search_tri", "org_search_uni", "org_search_doc"):
        session.execute(text(f"DELETE FROM {table}"))
    ids = [r[0] for r in session.execute(text("SELECT id FROM social_org WHERE deleted_at IS NULL"))]
    index_new_orgs(session, ids)
    optimize_index(session)


def _fts_phrase(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def match_terms(query: str) -> list[tuple[str, str]]:
    """(FTS table, MATCH phrase) for each whitespace-separated term: the trigram table for 3+
    characters, the unigram table (one token per character) for 1-2."""
    terms = []
    for term in query.split():
        if len(term) >= TRIGRAM_MIN:
            terms.append(("org_search_tri", _fts_phrase(term)))
        else:
            terms.append(("org_search_uni", _fts_phrase(spaced(term))))
    return terms


def matching_ids_sql(table: str, param: str) -> str:
    """A subquery of the organization ids whose index rows match ``:param`` in ``table``.  It maps FTS
    rowids through org_search_doc: reading rowids from the index is several times faster than reading
    the org_id column back from the FTS content table."""
    return (f"(SELECT org_id FROM org_search_doc WHERE doc IN "
            f"(SELECT rowid FROM {table} WHERE {table} MATCH :{param}))")


def match_clauses(query: str) -> tuple[list[str], dict[str, str]]:
    """SQL conditions (on ``social_org.id``) and parameters that an organization must meet to match."""
    clauses: list[str] = []
    params: dict[str, str] = {}
    for n, (table, phrase) in enumerate(match_terms(query)):
        params[f"q{n}"] = phrase
        clauses.append(f"social_org.id IN {matching_ids_sql(table, f'q{n}')}")
    return clauses, params
