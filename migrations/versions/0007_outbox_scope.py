"""outbox entries record their scope: scope_key ("org_id" / "party_org_id") + scope_id replace org_id

The party aggregate is scoped by its ``party_org_id`` (DESIGN §3), so an entry names which key it is
authorized by as well as the value.  Entries written before this revision were all scoped by ``org_id``:
those of an organization's records keep that scope; those of the party aggregate (scoped by ``party_org_id``
since 0006, which has run) take the ``party_org_id`` of their row, and lose a stale ``org_id`` field where
0006 dropped that column (it is replaced by the row's ``party_org_id``, the column that took its place).
An entry whose row is not there keeps its ``org_id`` scope (nothing better is known).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

PARTY_TABLES = ("party_org", "party_org_coverage", "member", "meeting", "meeting_attendance", "agenda_item", "vote")
WITHOUT_ORG_ID = ("party_org", "meeting", "meeting_attendance", "agenda_item", "vote")  # 0006 dropped the column


def _scope_party_entries() -> None:
    for table in PARTY_TABLES:
        row = f"FROM {table} AS r WHERE r.id = outbox.record_id"
        fields = "fields"
        if table in WITHOUT_ORG_ID:
            fields = (f"CASE WHEN json_type(fields, '$.org_id') IS NULL THEN fields ELSE json_set("
                      f"json_remove(fields, '$.org_id'), '$.party_org_id', (SELECT r.party_org_id {row})) END")
        op.execute(f"UPDATE outbox SET scope_key = 'party_org_id', scope_id = (SELECT r.party_org_id {row}), "
                   f"fields = {fields} WHERE entity = '{table}' AND EXISTS (SELECT 1 {row})")


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_key", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("scope_id", sa.String(length=36), nullable=True))
    op.execute("UPDATE outbox SET scope_key = 'org_id', scope_id = coalesce(org_id, '')")
    _scope_party_entries()
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.alter_column("scope_key", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("scope_id", existing_type=sa.String(length=36), nullable=False)
        batch_op.drop_column("org_id")


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("org_id", sa.String(length=36), nullable=True))
    op.execute("UPDATE outbox SET org_id = scope_id WHERE scope_key = 'org_id'")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("scope_id")
        batch_op.drop_column("scope_key")
