"""outbox entries record their scope: scope_key ("org_id" / "party_org_id") + scope_id replace org_id

The party aggregate is scoped by its ``party_org_id`` (DESIGN §3), so an entry names which key it is
authorized by as well as the value.  Entries written before this revision were all scoped by ``org_id``.

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


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope_key", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("scope_id", sa.String(length=36), nullable=True))
    op.execute("UPDATE outbox SET scope_key = 'org_id', scope_id = coalesce(org_id, '')")
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
