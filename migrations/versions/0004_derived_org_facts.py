"""derived organization facts: coverage (两个覆盖) and credit listing as local columns on social_org

Sorting or filtering 100,000 organizations by coverage needs, per organization, whether a party
organization covers it and whether an instructor is assigned today.  Computing that per query costs
~150-200 ms; these columns hold it instead.  Triggers on the three fact tables keep them current for
every write path (services, bulk loads, sync pulls); the app re-derives them once a day because an
assignment or listing can begin or end with the date alone.  Never synced.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

LEDGER_COLUMNS = [
    "name_pinyin", "id", "archived_at", "org_type", "community_category", "uscc", "sub_district",
    "community", "evaluation_grade", "party_member_count", "founded_on", "updated_at",
]
FACT_TABLES = ("party_org_coverage", "assignment", "credit_listing")
TODAY = "date('now', 'localtime')"


def _facts_of(org: str) -> str:
    """SET clause deriving both facts of organization ``org`` (an SQL expression) as of today."""
    return (
        "derived_coverage = CASE"
        f" WHEN EXISTS (SELECT 1 FROM party_org_coverage c WHERE c.org_id = {org} AND c.deleted_at IS NULL)"
        " THEN 'ORGANIZATION'"
        f" WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.org_id = {org} AND a.deleted_at IS NULL"
        f" AND a.since <= {TODAY} AND (a.until IS NULL OR a.until >= {TODAY})) THEN 'WORK'"
        " ELSE 'NONE' END,"
        f" derived_credit_listed = EXISTS (SELECT 1 FROM credit_listing l WHERE l.org_id = {org}"
        f" AND l.deleted_at IS NULL AND l.listed_on <= {TODAY} AND (l.removed_on IS NULL OR l.removed_on > {TODAY}))"
    )


def upgrade() -> None:
    with op.batch_alter_table("social_org", schema=None) as batch_op:
        batch_op.add_column(sa.Column("derived_coverage", sa.String(length=16), server_default="NONE",
                                      nullable=False))
        batch_op.add_column(sa.Column("derived_credit_listed", sa.Boolean(), server_default="0", nullable=False))
        batch_op.drop_index("ix_social_org_ledger")
        batch_op.create_index("ix_social_org_ledger", [*LEDGER_COLUMNS, "derived_coverage", "derived_credit_listed"],
                              unique=False, sqlite_where=sa.text("deleted_at IS NULL"))
    for table in FACT_TABLES:
        op.execute(f"CREATE TRIGGER trg_{table}_facts_insert AFTER INSERT ON {table} BEGIN "
                   f"UPDATE social_org SET {_facts_of('NEW.org_id')} WHERE id = NEW.org_id; END")
        op.execute(f"CREATE TRIGGER trg_{table}_facts_update AFTER UPDATE ON {table} BEGIN "
                   f"UPDATE social_org SET {_facts_of('social_org.id')} WHERE id IN (NEW.org_id, OLD.org_id); END")
        op.execute(f"CREATE TRIGGER trg_{table}_facts_delete AFTER DELETE ON {table} BEGIN "
                   f"UPDATE social_org SET {_facts_of('OLD.org_id')} WHERE id = OLD.org_id; END")
    op.execute(f"UPDATE social_org SET {_facts_of('social_org.id')}")
    op.execute("DELETE FROM sync_state WHERE key = 'org_facts_on'")
    op.execute(f"INSERT INTO sync_state (key, value) VALUES ('org_facts_on', {TODAY})")


def downgrade() -> None:
    for table in FACT_TABLES:
        for event in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER trg_{table}_facts_{event}")
    op.execute("DELETE FROM sync_state WHERE key = 'org_facts_on'")
    with op.batch_alter_table("social_org", schema=None) as batch_op:
        batch_op.drop_index("ix_social_org_ledger")
        batch_op.create_index("ix_social_org_ledger", LEDGER_COLUMNS, unique=False,
                              sqlite_where=sa.text("deleted_at IS NULL"))
        batch_op.drop_column("derived_credit_listed")
        batch_op.drop_column("derived_coverage")
