"""the client sync engine's local tables (issue 9)

- ``outbox.next_attempt_at``: a pending op the server could not take yet (its attachment's bytes were not
  uploaded) waits for the next sync run instead of being sent again at once;
- ``sync_conflict``: the conflicts the server recorded, as pulled (local-only);
- ``sync_scope``: the scopes the server grants this account, with the back-fill position of a newly
  granted one and the ``quarantined`` state of one lost while unsent edits remained;
- ``sync_purge``: a marker the append-only triggers of ``rectification_follow_up`` consult, so the sync may
  remove the rows of a scope the account lost (and nothing else may delete a follow-up).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels = None
depends_on = None

_MESSAGE = "'整改跟进记录只能追加，不能修改或删除'"
_NO_DELETE_OLD = f"""
CREATE TRIGGER rectification_follow_up_no_delete
BEFORE DELETE ON rectification_follow_up
BEGIN
    SELECT RAISE(ABORT, {_MESSAGE});
END
"""
# The sync's purge of a lost scope writes a sync_purge row naming the organization first, in the same
# transaction, and removes it again before the commit.
_NO_DELETE = f"""
CREATE TRIGGER rectification_follow_up_no_delete
BEFORE DELETE ON rectification_follow_up
WHEN NOT EXISTS (SELECT 1 FROM sync_purge WHERE scope_id = OLD.org_id)
BEGIN
    SELECT RAISE(ABORT, {_MESSAGE});
END
"""


def upgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("next_attempt_at", sa.DateTime(), nullable=True))
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("scope", sa.String(length=50), nullable=False),
        sa.Column("entity", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.String(length=36), nullable=False),
        sa.Column("field", sa.String(length=60), nullable=False),
        sa.Column("yours", sa.JSON(), nullable=True),
        sa.Column("other", sa.JSON(), nullable=True),
        sa.Column("kept", sa.JSON(), nullable=True),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("user", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=True),
        sa.Column("resolved_at", sa.DateTime(), nullable=True),
        sa.Column("resolved_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_conflict_record_id"), ["record_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_conflict_scope"), ["scope"], unique=False)
    op.create_table(
        "sync_scope",
        sa.Column("scope", sa.String(length=50), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("backfill_cursor", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("scope", name=op.f("pk_sync_scope")),
    )
    op.create_table(
        "sync_purge",
        sa.Column("scope_id", sa.String(length=36), nullable=False),
        sa.PrimaryKeyConstraint("scope_id", name=op.f("pk_sync_purge")),
    )
    op.execute("DROP TRIGGER IF EXISTS rectification_follow_up_no_delete")
    op.execute(_NO_DELETE)


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS rectification_follow_up_no_delete")
    op.execute(_NO_DELETE_OLD)
    op.drop_table("sync_purge")
    op.drop_table("sync_scope")
    with op.batch_alter_table("sync_conflict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sync_conflict_scope"))
        batch_op.drop_index(batch_op.f("ix_sync_conflict_record_id"))
    op.drop_table("sync_conflict")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_column("next_attempt_at")
