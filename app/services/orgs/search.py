"""Organization search index: derived rows kept in step with ``social_org``, and the match conditions.

Queries of 3+ characters use the FTS5 trigram table; shorter ones (where trigram silently returns
nothing) use the unigram table, whose text has one token per character.  Each whitespace-separated
term must match; a term matches name, short name, 统一社会信用代码, address, 街道, 社区, pinyin
initials ("zbdh" finds 中北大华…) or full pinyin ("aixin" finds 爱心…).  Indexed text and queries are
NFKC-normalized, so "ＭＪ５５６６" finds MJ5566.  Each table keeps pinyin apart from the other text (the
unigram table by token marks, the trigram table by storing pinyin in full-width letters and digits), so
a search of names or codes never walks the postings of the pinyin of every organization.

The index is derived data (DESIGN §3): :func:`keep_search_in_step` is registered with
``core.derived`` for ``social_org`` and reindexes whatever any write path reports, removing the rows of
tombstoned or vanished organizations and re-reading the pinyin keys of a name changed behind the
service's back (a sync pull, a Core update).
"""

from __future__ import annotations

import string
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.services.core import derived
from app.services.orgs.pinyin import pinyin_keys as pinyin_keys  # re-exported: the demo generator uses it

COLUMNS = ("name", "short_name", "uscc", "address", "sub_district", "community", "initials", "pinyin")
NAME_COLUMNS = ("name", "short_name")
PLACE_COLUMNS = ("uscc", "address", "sub_district", "community")
PINYIN_COLUMNS = ("initials", "pinyin")
FTS_TABLES = ("org_search_tri", "org_search_uni")
TRIGRAM_MIN = 3
CHUNK = 500  # ids per IN list (SQLite's bound-parameter limit is far above; statements stay small)

_SOURCE_SQL = ("SELECT id, name, short_name, uscc, address, sub_district, community, name_initials, name_pinyin,"
               " deleted_at IS NULL, search_doc FROM social_org WHERE id IN ({marks})")


def normalize(value: str) -> str:
    """What is indexed and searched: NFKC (full-width letters and digits become plain ones)."""
    return unicodedata.normalize("NFKC", value)


# Unigram tokens carry the mark of their column group, so each group's doclists hold only its own rows:
# the pinyin letters of every organization never slow a search of names or codes for "zb" or "mj".
UNI_MARKS = {"name": "", "short_name": "", "uscc": "o", "address": "o", "sub_district": "o", "community": "o",
             "initials": "p", "pinyin": "p"}


# The trigram table stores the pinyin columns in full-width letters and digits (ａ-ｚ, ０-９), which NFKC-
# normalized names, codes and addresses never contain: "fzs" in a name and "ｆｚｓ" in 41,000 organizations'
# initials are different trigrams, and a name search for "fzsg" walks the names' postings only.
_WIDE = str.maketrans({ch: chr(ord(ch) + 0xFEE0) for ch in string.ascii_lowercase + string.digits})


def pinyin_form(value: str) -> str:
    """How the trigram table stores (and is searched for) pinyin text: lower case, a-z and 0-9 full-width."""
    return value.lower().translate(_WIDE)


def spaced(value: str, mark: str = "") -> str:
    """One token per letter, digit or Chinese character for the unigram table, each with ``mark`` in front
    (punctuation is not indexed)."""
    return " ".join(mark + ch for ch in value if ch.isalnum())


def _marks(values: Sequence[object]) -> tuple[str, dict[str, object]]:
    return ",".join(f":i{n}" for n in range(len(values))), {f"i{n}": v for n, v in enumerate(values)}


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), CHUNK):
        yield ordered[start : start + CHUNK]


def _docs_of(session: Session, ids: Sequence[str]) -> dict[str, int]:
    marks, params = _marks(ids)
    found = session.execute(text(f"SELECT org_id, doc FROM org_search_doc WHERE org_id IN ({marks})"), params)
    return {str(r[0]): int(r[1]) for r in found}


def _indexed_names(session: Session, docs: Iterable[int]) -> dict[int, str]:
    marks, params = _marks(list(docs))
    if not params:
        return {}
    found = session.execute(text(f"SELECT rowid, name FROM org_search_tri WHERE rowid IN ({marks})"), params)
    return {int(r[0]): str(r[1]) for r in found}


def _fresh_pinyin(session: Session, row: Any, indexed_name: str | None) -> tuple[str, str]:
    """The row's (initials, full pinyin), recomputed and written back when its name changed since it was
    indexed (or it has none): these are local sort and search keys that follow the name."""
    org_id, name, initials, full = row[0], row[1], row[7], row[8]
    if full and (indexed_name is None or indexed_name == normalize(name)):
        return initials, full
    new_full, new_initials = pinyin_keys(name)
    if (new_full, new_initials) != (full, initials):
        session.execute(text("UPDATE social_org SET name_pinyin = :p, name_initials = :n WHERE id = :i"),
                        {"p": new_full, "n": new_initials, "i": org_id})
    return new_initials, new_full


def _reindex_chunk(session: Session, ids: list[str]) -> None:
    marks, params = _marks(ids)
    rows = session.execute(text(_SOURCE_SQL.format(marks=marks)), params).all()
    docs = _docs_of(session, ids)
    names = _indexed_names(session, docs.values())
    for table in FTS_TABLES:
        doc_marks, doc_params = _marks(list(docs.values()))
        if doc_params:
            session.execute(text(f"DELETE FROM {table} WHERE rowid IN ({doc_marks})"), doc_params)
    present = {str(r[0]) for r in rows}
    gone = [docs[i] for i in ids if i in docs and i not in present]  # hard-deleted: forget the document
    if gone:
        gone_marks, gone_params = _marks(gone)
        session.execute(text(f"DELETE FROM org_search_doc WHERE doc IN ({gone_marks})"), gone_params)
    live = [r for r in rows if r[9]]  # tombstoned rows keep their document id (a restore reuses it)
    new = [str(r[0]) for r in live if str(r[0]) not in docs]
    if new:
        session.execute(text("INSERT INTO org_search_doc (org_id) VALUES (:i)"), [{"i": i} for i in new])
        docs.update(_docs_of(session, new))
    moved = [{"d": docs[str(r[0])], "i": r[0]} for r in live if r[10] != docs[str(r[0])]]
    if moved:  # the ledger's text filter reads the document id from the row
        session.execute(text("UPDATE social_org SET search_doc = :d WHERE id = :i"), moved)
    entries = []
    for r in live:
        doc = docs[str(r[0])]
        initials, full = _fresh_pinyin(session, r, names.get(doc))
        values = dict(zip(COLUMNS, (*r[1:7], initials, full), strict=True))
        entries.append({"doc": doc, "org_id": r[0], **{c: normalize(v or "") for c, v in values.items()}})
    _insert(session, entries)


def _insert(session: Session, rows: list[dict[str, Any]]) -> None:
    """Index rows (each with ``doc``, its document id, and ``org_id``) into both FTS tables."""
    if not rows:
        return
    cols = ", ".join(COLUMNS)
    values = ", ".join(f":{c}" for c in COLUMNS)
    insert_sql = "INSERT INTO {table} (rowid, org_id, " + cols + ") VALUES (:doc, :org_id, " + values + ")"
    tri = [{**r, **{c: pinyin_form(r[c]) for c in PINYIN_COLUMNS}} for r in rows]
    session.execute(text(insert_sql.format(table="org_search_tri")), tri)
    uni = [{"doc": r["doc"], "org_id": r["org_id"], **{c: spaced(r[c], UNI_MARKS[c]) for c in COLUMNS}}
           for r in rows]
    session.execute(text(insert_sql.format(table="org_search_uni")), uni)


def reindex_orgs(session: Session, org_ids: Iterable[str]) -> None:
    """Bring the search rows of these organizations in step with ``social_org`` (any write path).

    Rows are replaced by document id, so the cost does not grow with the size of the ledger; tombstoned
    and missing organizations lose their rows; a name changed since it was indexed gets its pinyin keys
    re-read.  SQL only (it may run inside a flush)."""
    for chunk in _chunks(org_ids):
        _reindex_chunk(session, chunk)


# the columns the index holds (name: also its pinyin keys) and the tombstone that removes it
@derived.keep_in_step("social_org", watching={"social_org": (
    "name", "short_name", "uscc", "address", "sub_district", "community", "deleted_at")})
def keep_search_in_step(session: Session, _table: str, ids: frozenset[str]) -> None:
    """The search index's keeper: every write path that reports ``social_org`` rows reindexes them."""
    reindex_orgs(session, ids)


def index_new_orgs(session: Session, org_ids: Iterable[str]) -> None:
    """Index organizations in bulk (imports, demo data), in the transaction that inserts them, so a load
    interrupted between batches leaves nothing unsearchable.  Same as :func:`reindex_orgs` (calling both
    is harmless)."""
    reindex_orgs(session, org_ids)


def optimize_index(session: Session) -> None:
    """Merge the FTS segments left by many small inserts (after a bulk load)."""
    for table in FTS_TABLES:
        session.execute(text(f"INSERT INTO {table}({table}) VALUES ('optimize')"))


def rebuild_index(session: Session) -> None:
    """Rebuild both tables from scratch (repair, or after changing how organizations are indexed)."""
    for table in (*FTS_TABLES, "org_search_doc"):
        session.execute(text(f"DELETE FROM {table}"))
    session.execute(text("UPDATE social_org SET search_doc = NULL"))
    ids = [r[0] for r in session.execute(text("SELECT id FROM social_org WHERE deleted_at IS NULL"))]
    reindex_orgs(session, ids)
    optimize_index(session)


# --- queries -----------------------------------------------------------------------------------------
def fts_phrase(term: str, columns: Sequence[str] = ()) -> str:
    """An FTS5 phrase matching ``term`` literally (in ``columns`` only, when given)."""
    phrase = '"' + term.replace('"', '""') + '"'
    return "{" + " ".join(columns) + "} : " + phrase if columns else phrase


def query_terms(query: str) -> list[str]:
    """The whitespace-separated terms of a query, NFKC-normalized."""
    return normalize(query).split()


def trigram_match(term: str, columns: Sequence[str] = ()) -> str:
    """The trigram table's MATCH expression for ``term`` in ``columns`` (or all): the term as it is in the
    other columns, its :func:`pinyin_form` in the pinyin columns.  Neither form can occur in the other
    group's text, so with all columns no column filter is needed."""
    wide = pinyin_form(term)
    if not columns:
        return fts_phrase(term) if wide == term else f"{fts_phrase(term)} OR {fts_phrase(wide)}"
    plain = [c for c in columns if c not in PINYIN_COLUMNS]
    pinyin = [c for c in columns if c in PINYIN_COLUMNS]
    parts = ([fts_phrase(term, plain)] if plain else []) + ([fts_phrase(wide, pinyin)] if pinyin else [])
    return " OR ".join(parts)


def term_match(term: str, columns: Sequence[str] = ()) -> tuple[str, str]:
    """(FTS table, MATCH expression) of one term (in ``columns``, or all): the trigram table for 3+
    characters, the unigram table (one marked token per character) for 1-2."""
    if len(term) >= TRIGRAM_MIN:
        return "org_search_tri", trigram_match(term, columns)
    searched = columns or (COLUMNS if term.isascii() else NAME_COLUMNS + PLACE_COLUMNS)  # pinyin is ASCII
    marks = dict.fromkeys(UNI_MARKS[c] for c in searched)
    return "org_search_uni", " OR ".join(fts_phrase(spaced(term, mark), columns) for mark in marks)


def match_terms(query: str) -> list[tuple[str, str]]:
    """(FTS table, MATCH expression) for each term of the query (all columns)."""
    return [term_match(term) for term in query_terms(query)]


def matching_docs_sql(table: str, param: str) -> str:
    """A condition: the organization's index rows in ``table`` match ``:param``.  It compares
    ``social_org.search_doc`` with the FTS rowids: an integer set, probed while the ledger query walks its
    index (which holds search_doc) in sort order.  Right for a term most organizations match."""
    return f"social_org.search_doc IN (SELECT rowid FROM {table} WHERE {table} MATCH :{param})"


def matching_ids_sql(table: str, param: str) -> str:
    """The same condition driven from the matches: their ids (through org_search_doc; reading rowids
    from the index is several times faster than reading org_id back from the FTS content), each row
    looked up and the few found sorted.  Right for a term few organizations match."""
    return (f"social_org.id IN (SELECT org_id FROM org_search_doc WHERE doc IN "
            f"(SELECT rowid FROM {table} WHERE {table} MATCH :{param}))")


SELECTIVE_SHARE = 5  # drive from the matches when at most 1/5 of the organizations match


def matches_fewer_than(session: Session, term: str, bound: int) -> bool:
    """True when fewer than ``bound`` organizations match ``term`` (already normalized).  FTS5 stops
    counting at the bound, so this costs at most one walk of the term's doclists (a few ms at 100,000
    organizations), whatever the term.  A bound from the tokens alone (fts5vocab) misjudged phrases of
    common letters: "zb" has 2,446 matches though z and b are each in 70,000 rows."""
    table, phrase = term_match(term)
    found = session.execute(text(f"SELECT count(*) FROM (SELECT rowid FROM {table} WHERE {table} MATCH :q"
                                 " LIMIT :bound)"), {"q": phrase, "bound": bound}).scalar_one()
    return int(found) < bound


def is_selective(session: Session, query: str) -> bool:
    """True when some term of the query matches few enough organizations that the ledger should start
    from the matches rather than walk its whole index."""
    terms = query_terms(query)
    if not terms:
        return False
    total = int(session.execute(text("SELECT coalesce(max(doc), 0) FROM org_search_doc")).scalar_one())
    bound = max(1, total // SELECTIVE_SHARE)
    return any(matches_fewer_than(session, term, bound) for term in terms)


def without_terms_matching_all(session: Session, query: str) -> str:
    """``query`` without the terms every indexed organization matches ("社区" where every organization is in
    a 社区, "福" in 福州): such a term filters nothing, and matching it costs the ledger more than its whole
    index walk (~100 ms at 100,000).  Counting a term's matches costs a few ms; call it only for terms that
    are already known to match many (not :func:`is_selective`)."""
    terms = query_terms(query)
    indexed = int(session.execute(text("SELECT count(*) FROM org_search_doc")).scalar_one())
    return " ".join(term for term in terms if matches_fewer_than(session, term, indexed))


def match_clauses(query: str, *, selective: bool = False) -> tuple[list[str], dict[str, str]]:
    """SQL conditions and parameters that an organization must meet to match (the ledger's filter):
    driven from the matches when ``selective`` (see :func:`is_selective`), else probed along the ledger
    index.  Common one-character queries ("区", "会") cost several times less the second way."""
    condition = matching_ids_sql if selective else matching_docs_sql
    clauses: list[str] = []
    params: dict[str, str] = {}
    for n, (table, phrase) in enumerate(match_terms(query)):
        params[f"q{n}"] = phrase
        clauses.append(condition(table, f"q{n}"))
    return clauses, params
