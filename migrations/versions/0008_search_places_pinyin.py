"""organization search: 街道, 社区 and full pinyin indexed, NFKC text; an index on the name for ranking

The two FTS5 tables gain three columns (sub_district, community, pinyin) and are rebuilt from the
organizations already in the database, their text NFKC-normalized (so "ＭＪ５５６６" finds "MJ5566").  The
document ids in org_search_doc are kept.  Quick find ranks the exact name, then names starting with the
query: ix_social_org_name answers both from an index range.  social_org gains search_doc (local-only, the
organization's document id) at the end of the ledger index: the ledger's text filter probes an integer
set along that index instead of mapping every match back to its id string and sorting the rows (a rare
term still starts from its matches).  The trigram table stores the two pinyin columns in full-width
letters and digits, which no NFKC-normalized name or address contains, so pinyin and the other text share
no trigram (a name search for "fzsg" does not walk the postings of 41,000 organizations' initials).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import string
import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels = None
depends_on = None

OLD_COLUMNS = "name, short_name, uscc, address, initials"
NEW_COLUMNS = "name, short_name, uscc, address, sub_district, community, initials, pinyin"
TOKENIZERS = {"org_search_tri": "trigram", "org_search_uni": "unicode61"}
CHUNK = 5000
LEDGER_COLUMNS = [
    "name_pinyin", "id", "archived_at", "org_type", "community_category", "uscc", "sub_district",
    "community", "evaluation_grade", "party_member_count", "founded_on", "updated_at",
    "derived_coverage", "derived_credit_listed",
]


def _nfkc(value: str | None) -> str:
    return unicodedata.normalize("NFKC", value or "")


# as app.services.orgs.search.UNI_MARKS: unigram tokens carry the mark of their column group
UNI_MARKS = {"name": "", "short_name": "", "uscc": "o", "address": "o", "sub_district": "o", "community": "o",
             "initials": "p", "pinyin": "p"}


# as app.services.orgs.search.pinyin_form: the trigram table's pinyin columns, a-z and 0-9 full-width
PINYIN_COLUMNS = ("initials", "pinyin")
_WIDE = str.maketrans({ch: chr(ord(ch) + 0xFEE0) for ch in string.ascii_lowercase + string.digits})


def _pinyin_form(value: str) -> str:
    return value.lower().translate(_WIDE)


def _spaced(value: str, mark: str = "") -> str:
    return " ".join(mark + ch for ch in value if ch.isalnum())


def _spaced_old(value: str, _mark: str = "") -> str:
    return " ".join(ch for ch in value if not ch.isspace())


def _create(columns: str) -> None:
    for table, tokenizer in TOKENIZERS.items():
        op.execute(f"DROP TABLE IF EXISTS {table}")
        op.execute(f"CREATE VIRTUAL TABLE {table} USING fts5(org_id UNINDEXED, {columns}, tokenize='{tokenizer}')")


def _fill(columns: str, source: str, normalize: bool) -> None:
    """Index every live organization under its document id (allocating ids for any without one)."""
    conn = op.get_bind()
    conn.execute(sa.text("INSERT INTO org_search_doc (org_id) SELECT id FROM social_org WHERE deleted_at IS NULL"
                         " AND id NOT IN (SELECT org_id FROM org_search_doc)"))
    names = [c.strip() for c in columns.split(",")]
    marks = ", ".join(f":{c}" for c in names)
    result = conn.execute(sa.text(f"SELECT d.doc, o.id, {source} FROM social_org o JOIN org_search_doc d"
                                  " ON d.org_id = o.id WHERE o.deleted_at IS NULL"))
    while batch := result.fetchmany(CHUNK):
        tri = [{"doc": r[0], "org_id": r[1], **{c: (_nfkc(v) if normalize else v or "")
                                                  for c, v in zip(names, r[2:], strict=True)}} for r in batch]
        spaced = _spaced if normalize else _spaced_old
        uni = [{**row, **{c: spaced(row[c], UNI_MARKS.get(c, "")) for c in names}} for row in tri]
        if normalize:
            tri = [{**row, **{c: _pinyin_form(row[c]) for c in PINYIN_COLUMNS}} for row in tri]
        for table, rows in (("org_search_tri", tri), ("org_search_uni", uni)):
            conn.execute(sa.text(f"INSERT INTO {table} (rowid, org_id, {columns}) VALUES (:doc, :org_id, {marks})"),
                         rows)
    for table in TOKENIZERS:
        op.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")


def upgrade() -> None:
    _create(NEW_COLUMNS)
    _fill(NEW_COLUMNS, "o.name, o.short_name, o.uscc, o.address, o.sub_district, o.community, o.name_initials,"
                       " o.name_pinyin", normalize=True)
    # plain DDL, no batch: a batch (table copy) would drop social_org's triggers (0004, 0005)
    op.add_column("social_org", sa.Column("search_doc", sa.Integer(), nullable=True))
    op.execute("UPDATE social_org SET search_doc = (SELECT doc FROM org_search_doc WHERE org_id = social_org.id)")
    op.drop_index("ix_social_org_ledger", table_name="social_org")
    op.create_index("ix_social_org_ledger", "social_org", [*LEDGER_COLUMNS, "search_doc"], unique=False,
                    sqlite_where=sa.text("deleted_at IS NULL"))
    op.create_index("ix_social_org_name", "social_org", ["name"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_social_org_name", table_name="social_org")
    op.drop_index("ix_social_org_ledger", table_name="social_org")
    op.create_index("ix_social_org_ledger", "social_org", LEDGER_COLUMNS, unique=False,
                    sqlite_where=sa.text("deleted_at IS NULL"))
    with op.batch_alter_table("social_org", schema=None) as batch_op:  # SQLite 3.35+ drops a column in place
        batch_op.drop_column("search_doc")
    _create(OLD_COLUMNS)
    _fill(OLD_COLUMNS, "o.name, o.short_name, o.uscc, o.address, o.name_initials", normalize=False)
