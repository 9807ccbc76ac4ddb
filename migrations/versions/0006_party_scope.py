"""scope the party aggregate by party_org_id; derived organization facts kept by the services, not triggers

Party-aggregate rows were scoped by the lead organization's ``org_id``, so a 联合支部 could not be served to
the instructors of its other organizations (DESIGN §3).  Now every party row carries ``party_org_id``:
party_org its own id, attendance / agenda items / votes that of their meeting.  ``org_id`` goes where it
meant nothing (party_org, meeting, attendance, agenda, vote) and stays as data where it says something
(coverage: the covered organization; member: where they work).

The triggers of 0004 and 0005 held a second copy of the coverage rule (one that ignored whether the
covering 党组织 still exists) and read the clock in SQL.  They are dropped: the keeper in
app.services.orgs.facts derives the same columns on every write path, from the one rule.  The day the
columns were derived for is forgotten, so the ledger works from the rules until the app's daily refresh
re-derives every organization with the new rule.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None

FACT_TABLES = ("party_org_coverage", "assignment", "credit_listing")
MEETING_CHILDREN = ("meeting_attendance", "agenda_item", "vote")
TODAY = "date('now', 'localtime')"


def _triggers() -> list[str]:
    return [f"trg_{t}_facts_{e}" for t in FACT_TABLES for e in ("insert", "update", "delete")] + [
        "trg_social_org_facts_insert"
    ]


def _add_party_org_id(table: str, value_sql: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("party_org_id", sa.String(length=36), nullable=True))
    op.execute(f"UPDATE {table} SET party_org_id = {value_sql}")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("party_org_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index(batch_op.f(f"ix_{table}_party_org_id"), ["party_org_id"], unique=False)
        batch_op.drop_index(batch_op.f(f"ix_{table}_org_id"))
        batch_op.drop_column("org_id")


def upgrade() -> None:
    for trigger in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    _add_party_org_id("party_org", "id")
    for table in MEETING_CHILDREN:
        # a child whose meeting has not arrived yet (sync order) keeps an empty scope until it does
        meeting_scope = f"(SELECT m.party_org_id FROM meeting m WHERE m.id = {table}.meeting_id)"
        _add_party_org_id(table, f"COALESCE({meeting_scope}, '')")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_org_id"))
        batch_op.drop_column("org_id")
    # derived with the old rule: not trusted until the app re-derives them (app.services.orgs.facts)
    op.execute("DELETE FROM sync_state WHERE key = 'org_facts_on'")


def _restore_org_id(table: str, value_sql: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.add_column(sa.Column("org_id", sa.String(length=36), nullable=True))
    op.execute(f"UPDATE {table} SET org_id = {value_sql}")
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.alter_column("org_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.create_index(batch_op.f(f"ix_{table}_org_id"), ["org_id"], unique=False)


def downgrade() -> None:
    lead = "COALESCE((SELECT min(c.org_id) FROM party_org_coverage c WHERE c.party_org_id = {pid}), '')"
    _restore_org_id("meeting", lead.format(pid="meeting.party_org_id"))
    for table in MEETING_CHILDREN:
        _restore_org_id(table, f"COALESCE((SELECT m.org_id FROM meeting m WHERE m.id = {table}.meeting_id), '')")
    _restore_org_id("party_org", lead.format(pid="party_org.id"))
    for table in ("party_org", *MEETING_CHILDREN):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_party_org_id"))
            batch_op.drop_column("party_org_id")
    # the triggers of 0004/0005 (their rule, their clock) come back with them
    facts = (
        "derived_coverage = CASE"
        " WHEN EXISTS (SELECT 1 FROM party_org_coverage c WHERE c.org_id = {org} AND c.deleted_at IS NULL)"
        " THEN 'ORGANIZATION'"
        " WHEN EXISTS (SELECT 1 FROM assignment a WHERE a.org_id = {org} AND a.deleted_at IS NULL"
        f" AND a.since <= {TODAY} AND (a.until IS NULL OR a.until >= {TODAY})) THEN 'WORK'"
        " ELSE 'NONE' END,"
        " derived_credit_listed = EXISTS (SELECT 1 FROM credit_listing l WHERE l.org_id = {org}"
        f" AND l.deleted_at IS NULL AND l.listed_on <= {TODAY} AND (l.removed_on IS NULL OR l.removed_on > {TODAY}))"
    )
    for table in FACT_TABLES:
        op.execute(f"CREATE TRIGGER trg_{table}_facts_insert AFTER INSERT ON {table} BEGIN "
                   f"UPDATE social_org SET {facts.format(org='NEW.org_id')} WHERE id = NEW.org_id; END")
        op.execute(f"CREATE TRIGGER trg_{table}_facts_update AFTER UPDATE ON {table} BEGIN "
                   f"UPDATE social_org SET {facts.format(org='social_org.id')} "
                   "WHERE id IN (NEW.org_id, OLD.org_id); END")
        op.execute(f"CREATE TRIGGER trg_{table}_facts_delete AFTER DELETE ON {table} BEGIN "
                   f"UPDATE social_org SET {facts.format(org='OLD.org_id')} WHERE id = OLD.org_id; END")
    op.execute("CREATE TRIGGER trg_social_org_facts_insert AFTER INSERT ON social_org BEGIN "
               f"UPDATE social_org SET {facts.format(org='NEW.id')} WHERE id = NEW.id; END")
