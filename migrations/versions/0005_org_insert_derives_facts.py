"""derive coverage and credit listing when an organization row arrives after its fact rows

A sync pull delivers rows in server-version order, so a party_org_coverage, assignment or credit_listing
row may arrive before its (later edited) organization; the fact-table triggers of 0004 then find no
organization to update.  This trigger derives both facts when the organization row itself is inserted.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None

TODAY = "date('now', 'localtime')"
FACTS_OF_NEW = (
    "derived_coverage = CASE"
    " WHEN EXISTS (SELECT 1 FROM party_org_coverage c WHERE c.org_id = NEW.id AND c.deleted_at IS NULL)"
    " THEN 'ORGANIZATION'"
    " WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.org_id = NEW.id AND a.deleted_at IS NULL"
    f" AND a.since <= {TODAY} AND (a.until IS NULL OR a.until >= {TODAY})) THEN 'WORK'"
    " ELSE 'NONE' END,"
    " derived_credit_listed = EXISTS (SELECT 1 FROM credit_listing l WHERE l.org_id = NEW.id"
    f" AND l.deleted_at IS NULL AND l.listed_on <= {TODAY} AND (l.removed_on IS NULL OR l.removed_on > {TODAY}))"
)


def upgrade() -> None:
    op.execute("CREATE TRIGGER trg_social_org_facts_insert AFTER INSERT ON social_org BEGIN "
               f"UPDATE social_org SET {FACTS_OF_NEW} WHERE id = NEW.id; END")


def downgrade() -> None:
    op.execute("DROP TRIGGER trg_social_org_facts_insert")
