"""organization search index: FTS5 trigram (3+ characters) and a unigram index (1-2 characters)

The trigram tokenizer returns nothing, silently, for queries shorter than three characters, so short
Chinese queries go to a second FTS5 table whose text has every character separated by a space
(unicode61 then makes each character a token and a short query becomes a phrase).  Both tables are
filled from the organizations already in the database.  ``org_search_doc`` gives each organization a
stable integer document id, the rowid of its rows in both FTS tables, so a save replaces its index rows
by key instead of scanning the (UNINDEXED) org_id column.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None

COLUMNS = "name, short_name, uscc, address, initials"


def _spaced(text: str | None) -> str:
    return " ".join(ch for ch in (text or "") if not ch.isspace())


def upgrade() -> None:
    op.execute(f"CREATE VIRTUAL TABLE org_search_tri USING fts5(org_id UNINDEXED, {COLUMNS}, "
               "tokenize='trigram')")
    op.execute(f"CREATE VIRTUAL TABLE org_search_uni USING fts5(org_id UNINDEXED, {COLUMNS}, "
               "tokenize='unicode61')")
    op.execute("CREATE TABLE org_search_doc (doc INTEGER PRIMARY KEY, org_id VARCHAR(36) NOT NULL UNIQUE)")
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, name, short_name, uscc, address, name_initials FROM social_org WHERE deleted_at IS NULL"
    )).all()
    if rows:
        conn.execute(sa.text("INSERT INTO org_search_doc (doc, org_id) VALUES (:d, :i)"),
                     [dict(d=n, i=r[0]) for n, r in enumerate(rows, start=1)])
        values = "(:d, :i, :n, :s, :u, :a, :p)"
        conn.execute(sa.text(f"INSERT INTO org_search_tri (rowid, org_id, {COLUMNS}) VALUES {values}"),
                     [dict(d=n, i=r[0], n=r[1], s=r[2], u=r[3], a=r[4], p=r[5]) for n, r in enumerate(rows, 1)])
        conn.execute(sa.text(f"INSERT INTO org_search_uni (rowid, org_id, {COLUMNS}) VALUES {values}"),
                     [dict(d=n, i=r[0], n=_spaced(r[1]), s=_spaced(r[2]), u=_spaced(r[3]), a=_spaced(r[4]),
                           p=_spaced(r[5])) for n, r in enumerate(rows, 1)])


def downgrade() -> None:
    op.execute("DROP TABLE org_search_doc")
    op.execute("DROP TABLE org_search_uni")
    op.execute("DROP TABLE org_search_tri")
