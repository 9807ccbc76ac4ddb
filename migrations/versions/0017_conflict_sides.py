"""who wrote each value of a conflict (issue 9 walkthrough)

``sync_conflict.other_user``: the user whose value the later push met (``user`` is the pusher's), and
``op_id``: the op that met it — so each laptop can say which value is its own (the pusher's laptop finds
the op in its outbox) and name the other side, instead of calling the pusher's value "本机的值" everywhere.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.add_column(sa.Column("other_user", sa.String(length=64), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("op_id", sa.String(length=36), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_column("op_id")
        batch_op.drop_column("other_user")
